"""Use cases of employments in fleksjob: registering one (with its employer found or created in the
same transaction), and the follow-up meetings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction

from cases import frister
from cases.models import Forloeb, Tilstand
from infra import audit, datoer

from .. import rules
from ..models import Ansaettelse, AnsaettelseKilde, Ledighedsydelse, Virksomhed
from .faelles import adgang, reference
from .virksomheder import virksomhed_find_eller_opret
from .visitation import aktuel_visitation, har_haft_midlertidigt_fleksjob


def ansaettelse_opret(
    *, actor, forloeb: Forloeb, virksomhed: Virksomhed | None, start: dt.date, loennede_timer,
    slut: dt.date | None = None,
    intensitet: int | None = None, opgaver: str = "", aftale=None, kilde: str = AnsaettelseKilde.MANUEL,
    timer_begrundelse: str = "",
) -> Ansaettelse:  # fmt: skip
    """Register an employment in fleksjob: ends the ledighedsydelse period at ``start`` and starts the
    deadlines (arbejdsevnevurdering, follow-ups, and the 4½-year status for the first temporary job)."""
    adgang(actor, forloeb)
    fejl: dict[str, str] = {}
    if virksomhed is None or virksomhed.kommune_id != forloeb.kommune_id:
        fejl["virksomhed"] = "Virksomheden findes ikke i forløbets kommune."
    if not isinstance(start, dt.date):
        fejl["start"] = "Angiv startdato."
    if slut is not None and isinstance(start, dt.date) and slut < start:
        fejl["slut"] = "Slutdatoen kan ikke ligge før startdatoen."
    if fe := rules.timer_fejl(loennede_timer, timer_begrundelse):
        fejl["loennede_timer"] = fe
    if intensitet is not None and (fe := rules.intensitet_fejl(intensitet)):
        fejl["intensitet"] = fe
    if kilde not in AnsaettelseKilde.values:
        fejl["kilde"] = "Ukendt kilde."
    if aftale is not None and aftale.kommune_id != forloeb.kommune_id:
        fejl["aftale"] = "Aftalen hører ikke til forløbets kommune."
    if fejl:
        raise ValidationError(fejl)
    assert virksomhed is not None  # refused above without one
    with transaction.atomic():
        fl = Forloeb.objects.select_for_update().get(pk=forloeb.pk)
        if fl.tilstand != Tilstand.FLEKSJOB:
            raise ValidationError({"forloeb": "Forløbet skal være visiteret til fleksjob."})
        visitation = aktuel_visitation(fl)
        if visitation is None:
            raise ValidationError({"forloeb": "Registrér visitationen til fleksjob, før ansættelsen oprettes."})
        if start < visitation.dato:
            raise ValidationError({"start": "Ansættelsen kan ikke starte før visitationen til fleksjob."})
        periode = Ledighedsydelse.objects.select_for_update().filter(visitation__forloeb=fl, slut__isnull=True).first()
        if periode and start < periode.start:
            raise ValidationError({"start": "Ansættelsen kan ikke starte før perioden med ledighedsydelse."})
        midlertidig = not visitation.permanent
        foerste_midlertidige = midlertidig and not har_haft_midlertidigt_fleksjob(fl.borger_id)
        a = Ansaettelse.objects.create(
            forloeb=fl, visitation=visitation, virksomhed=virksomhed, start=start, slut=slut,
            loennede_timer=cast(Decimal, rules.som_decimal(loennede_timer)),
            intensitet=int(intensitet) if intensitet else None,
            opgaver=(opgaver or "").strip(), midlertidig=midlertidig, kilde=kilde, aftale=aftale,
            timer_begrundelse=(timer_begrundelse or "").strip(),
        )  # fmt: skip
        if periode:
            periode.slut = start
            periode.save(update_fields=["slut"])
        navn = audit.actor_navn(actor)
        effekter = frister.registrer_haendelse(
            forloeb=fl, kode="fleksjob_ansaettelse_start", dato=start, reference=reference(a), actor_navn=navn,
            data={"ansaettelse": str(a.pk), "virksomhed": virksomhed.navn},
        )  # fmt: skip
        if foerste_midlertidige:
            effekter.merge(
                frister.registrer_haendelse(
                    forloeb=fl,
                    kode="fleksjob_midlertidig_start",
                    dato=start,
                    reference=reference(a),
                    actor_navn=navn,
                    data={"ansaettelse": str(a.pk)},
                )
            )
        fl.version += 1
        fl.save(update_fields=["version", "opdateret"])
        audit.record(
            actor=actor, handling="fleksjob.ansaettelse.opret", subject=a, borger_id=fl.borger_id,
            kommune_id=fl.kommune_id,
            efter={"virksomhed": virksomhed.pk, "start": start, "slut": slut, "loennede_timer": a.loennede_timer,
                   "intensitet": a.intensitet, "midlertidig": midlertidig, "kilde": kilde,
                   "aftale": getattr(aftale, "pk", None), "frister": effekter.as_dict()},
        )  # fmt: skip
    forloeb.version = fl.version
    return a


def ansaettelse_med_virksomhed_opret(
    *, actor, forloeb: Forloeb, cvr: str, navn: str = "", p_nummer: str = "", kontaktperson: str = "",
    telefon: str = "", email: str = "", start: dt.date, loennede_timer, slut: dt.date | None = None,
    intensitet: int | None = None, opgaver: str = "", timer_begrundelse: str = "", aftale=None,
    kilde: str = AnsaettelseKilde.MANUEL,
) -> Ansaettelse:  # fmt: skip
    """Find or create the employer (CVR and P-number, in the forløb's municipality) and register the
    employment with it, in one transaction: both or nothing, with every error of both at once (a
    refused employment leaves no new employer behind). A blank name takes a known employer's."""
    adgang(actor, forloeb)
    cvr = (cvr or "").strip().replace(" ", "")
    p_nummer = (p_nummer or "").strip().replace(" ", "")
    if not (navn or "").strip():
        kendt = Virksomhed.objects.filter(kommune_id=forloeb.kommune_id, cvr=cvr, p_nummer=p_nummer).first()
        navn = kendt.navn if kendt else ""
    with transaction.atomic():
        fejl: dict[str, list] = {}
        virksomhed = None
        try:
            virksomhed = virksomhed_find_eller_opret(
                actor=actor, kommune_id=forloeb.kommune_id, cvr=cvr, navn=navn, p_nummer=p_nummer,
                kontaktperson=kontaktperson, telefon=telefon, email=(email or "").strip(),
            )  # fmt: skip
        except ValidationError as exc:
            fejl.update(exc.message_dict)
        try:
            # Without an employer the service only validates (it refuses before writing), so the
            # employment's own errors come out together with the employer's.
            ansaettelse = ansaettelse_opret(
                actor=actor, forloeb=forloeb, virksomhed=virksomhed, start=start, slut=slut,
                loennede_timer=loennede_timer, intensitet=intensitet, opgaver=opgaver, aftale=aftale, kilde=kilde,
                timer_begrundelse=timer_begrundelse,
            )  # fmt: skip
        except ValidationError as exc:
            d = exc.message_dict
            if virksomhed is None:
                d.pop("virksomhed", None)
            fejl.update(d)
        if fejl:
            raise ValidationError(fejl)  # rolls back a newly created employer too
    return ansaettelse


def opfoelgning_holdt(*, actor, ansaettelse: Ansaettelse, dato: dt.date, referat: str) -> frister.Effekter:
    """A follow-up meeting in the fleksjob was held: meets the follow-up deadlines (the 2½-year one repeats)."""
    fl = ansaettelse.forloeb
    adgang(actor, fl)
    fejl = {}
    if not isinstance(dato, dt.date):
        fejl["dato"] = "Angiv datoen for opfølgningen."
    elif dato > datoer.idag():
        fejl["dato"] = "Datoen kan ikke ligge i fremtiden."
    elif dato < ansaettelse.start:
        fejl["dato"] = "Opfølgningen kan ikke ligge før ansættelsens start."
    if not (referat or "").strip():
        fejl["referat"] = "Skriv et referat af opfølgningen."
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        fl = Forloeb.objects.select_for_update().get(pk=fl.pk)
        effekter = frister.registrer_haendelse(
            forloeb=fl, kode="fleksjob_opfoelgning_holdt", dato=dato, reference=reference(ansaettelse),
            actor_navn=audit.actor_navn(actor), data={"ansaettelse": str(ansaettelse.pk), "referat": referat.strip()},
        )  # fmt: skip
        fl.version += 1
        fl.save(update_fields=["version", "opdateret"])
        audit.record(
            actor=actor, handling="fleksjob.opfoelgning", subject=ansaettelse, borger_id=fl.borger_id,
            kommune_id=fl.kommune_id, efter={"dato": dato, "referat": referat.strip(), "frister": effekter.as_dict()},
        )  # fmt: skip
    return effekter
