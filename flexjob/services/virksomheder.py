"""Use case of employers: the municipality's employer with a CVR (and P-number), created when unknown."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from infra import audit

from .. import rules
from ..models import Virksomhed


def virksomhed_fejl(*, cvr: str, navn: str, p_nummer: str = "", email: str = "") -> dict[str, str]:
    fejl: dict[str, str] = {}
    if not rules.cvr_gyldig(cvr):
        fejl["cvr"] = "Ugyldigt CVR-nummer: 8 cifre med gyldigt kontrolciffer (modulus 11)."
    if p_nummer and not rules.p_nummer_gyldig(p_nummer):
        fejl["p_nummer"] = "Ugyldigt P-nummer: skal være præcis 10 cifre."
    if not (navn or "").strip():
        fejl["navn"] = "Angiv virksomhedens navn."
    elif len(navn.strip()) > 200:
        fejl["navn"] = "Navnet må højst være 200 tegn."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            fejl["email"] = "Ugyldig e-mailadresse."
    return fejl


def virksomhed_find_eller_opret(
    *, actor, kommune_id, cvr: str, navn: str, p_nummer: str = "", kontaktperson: str = "", telefon: str = "",
    email: str = "",
) -> Virksomhed:  # fmt: skip
    """The municipality's employer with this CVR (and P-number), created when unknown.

    An existing employer is returned unchanged (its name and contact are edited elsewhere)."""
    cvr = (cvr or "").strip().replace(" ", "")
    p_nummer = (p_nummer or "").strip().replace(" ", "")
    if getattr(actor, "kommune_id", None) != kommune_id:
        raise PermissionDenied
    fejl = virksomhed_fejl(cvr=cvr, navn=navn, p_nummer=p_nummer, email=email)
    if fejl:
        raise ValidationError(fejl)
    eksisterende = Virksomhed.objects.filter(kommune_id=kommune_id, cvr=cvr, p_nummer=p_nummer).first()
    if eksisterende:
        return eksisterende
    try:
        with transaction.atomic():
            v = Virksomhed.objects.create(
                kommune_id=kommune_id, cvr=cvr, p_nummer=p_nummer, navn=navn.strip(),
                kontaktperson=(kontaktperson or "").strip()[:200], telefon=(telefon or "").strip()[:20],
                email=(email or "").strip(),
            )  # fmt: skip
            audit.record(
                actor=actor, handling="virksomhed.opret", subject=v, kommune_id=kommune_id,
                efter={"cvr": cvr, "p_nummer": p_nummer, "navn": v.navn},
            )  # fmt: skip
    except IntegrityError:  # created concurrently: the first one stands
        return Virksomhed.objects.get(kommune_id=kommune_id, cvr=cvr, p_nummer=p_nummer)
    return v
