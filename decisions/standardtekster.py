"""The jurist's library of standard phrases (standardtekster) per decision type (issue 15).

A municipality's jurist maintains them (the page ``Standardtekster`` and the admin, both through
these services); every change is audited with before and after. The editor offers the active
phrases of the draft's type; inserting one appends it to its section (``decisions.tekstbidrag``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Rolle
from infra import audit

from . import lint
from .models import AFGOERELSESTYPER, Afsnit, DokumentType, Standardtekst

FELTER = ["dokument_type", "afsnit", "titel", "tekst", "aktiv"]
T = DokumentType

#: The sections a document type has (the editor's fields a phrase may be appended to).
_FLEKSJOB_AFSLAG = {*lint.ANDET_END_FLEKSJOB, T.FLEKSJOB_AFSLAG}


def afsnit_for(dokument_type: str) -> list[str]:
    """The sections a standard phrase of this type may belong to."""
    afsnit = [Afsnit.TEKST]
    if dokument_type in lint.SKOENSMAESSIGE:
        afsnit.append(Afsnit.HOVEDHENSYN)
    if dokument_type in _FLEKSJOB_AFSLAG:
        afsnit.append(Afsnit.FLEKSJOB_AFSLAG_BEGRUNDELSE)
    if dokument_type == T.FOERTIDSPENSION_TILKENDELSE:
        afsnit.append(Afsnit.UNDER_40_BEGRUNDELSE)
    return [str(a) for a in afsnit]


def maa_vedligeholde(actor) -> bool:
    """Only a municipality's jurist maintains its standard phrases."""
    return getattr(actor, "rolle", None) == Rolle.JURIST and getattr(actor, "kommune_id", None) is not None


DUBLET_TITEL = "Der findes allerede en standardtekst med den titel for typen."


def standardtekst_fejl(data: dict, *, kommune_id=None, pk=None) -> dict[str, str]:
    """Every reason the phrase's fields are refused (field → Danish message), writing nothing.
    With ``kommune_id`` a title the municipality already uses for the type is refused too (``pk``:
    the phrase being changed)."""
    fejl: dict[str, str] = {}
    type_ = data.get("dokument_type") or ""
    if type_ not in DokumentType.values or type_ not in AFGOERELSESTYPER:
        fejl["dokument_type"] = "Vælg en afgørelsestype."
    if data.get("afsnit") not in Afsnit.values:
        fejl["afsnit"] = "Vælg hvilket afsnit teksten hører til."
    elif "dokument_type" not in fejl and data["afsnit"] not in afsnit_for(type_):
        fejl["afsnit"] = (
            f"»{Afsnit(data['afsnit']).label}« findes ikke i {DokumentType(type_).label.lower()}. "
            f"Vælg mellem: {', '.join(Afsnit(a).label for a in afsnit_for(type_))}."
        )
    if not str(data.get("titel") or "").strip():
        fejl["titel"] = "Giv standardteksten en titel."
    elif len(str(data["titel"]).strip()) > 200:
        fejl["titel"] = "Titlen må højst være 200 tegn."
    if not str(data.get("tekst") or "").strip():
        fejl["tekst"] = "Skriv standardteksten."
    if (
        kommune_id is not None
        and not fejl
        and (
            Standardtekst.objects.filter(kommune_id=kommune_id, dokument_type=type_, titel=str(data["titel"]).strip())
            .exclude(pk=pk)
            .exists()
        )
    ):
        fejl["titel"] = DUBLET_TITEL
    return fejl


def _gem(actor, s: Standardtekst, data: dict) -> None:
    fejl = standardtekst_fejl(data)
    if fejl:
        raise ValidationError(fejl)
    s.dokument_type, s.afsnit = data["dokument_type"], data["afsnit"]
    s.titel, s.tekst = str(data["titel"]).strip(), str(data["tekst"]).strip()
    s.aktiv = bool(data.get("aktiv", True))
    s.aendret_af, s.aendret = audit.actor_navn(actor), timezone.now()
    try:
        with transaction.atomic():
            s.save()
    except IntegrityError:
        raise ValidationError({"titel": DUBLET_TITEL}) from None


def standardtekst_opret(*, actor, **data) -> Standardtekst:
    """A new standard phrase of the jurist's municipality."""
    if not maa_vedligeholde(actor):
        raise PermissionDenied
    ukendte = set(data) - set(FELTER)
    if ukendte:
        raise ValidationError({f: "Ukendt felt." for f in sorted(ukendte)})
    with transaction.atomic():
        s = Standardtekst(kommune_id=actor.kommune_id)
        _gem(actor, s, data)
        audit.record(
            actor=actor, handling="standardtekst.opret", subject=s, kommune_id=s.kommune_id,
            efter=audit.snapshot(s, FELTER),
        )  # fmt: skip
    return s


def standardtekst_opdater(*, actor, standardtekst: Standardtekst, **data) -> Standardtekst:
    """Change a standard phrase of the jurist's own municipality (deactivate it with ``aktiv=False``)."""
    if not maa_vedligeholde(actor) or standardtekst.kommune_id != actor.kommune_id:
        raise PermissionDenied
    ukendte = set(data) - set(FELTER)
    if ukendte:
        raise ValidationError({f: "Ukendt felt." for f in sorted(ukendte)})
    with transaction.atomic():
        s = Standardtekst.objects.select_for_update().get(pk=standardtekst.pk)
        foer = audit.snapshot(s, FELTER)
        _gem(actor, s, audit.snapshot(s, FELTER) | data)
        audit.record(
            actor=actor, handling="standardtekst.opdater", subject=s, kommune_id=s.kommune_id,
            foer=foer, efter=audit.snapshot(s, FELTER),
        )  # fmt: skip
    return s


def standardtekster_for(user):
    """The standard phrases of the user's municipality (none for a user without one)."""
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is None:
        return Standardtekst.objects.none()
    return Standardtekst.objects.filter(kommune_id=kommune_id)


def tilbudte(dokument) -> list[Standardtekst]:
    """The active phrases the editor offers for this draft: its municipality's, of its type, for a
    section it has."""
    return list(
        Standardtekst.objects.filter(
            kommune_id=dokument.kommune_id, dokument_type=dokument.type, aktiv=True,
            afsnit__in=afsnit_for(dokument.type),
        ).order_by("afsnit", "titel")
    )  # fmt: skip
