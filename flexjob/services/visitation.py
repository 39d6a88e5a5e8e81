"""Use case of the visitation to fleksjob (linked to its issued decision), which opens the period
of ledighedsydelse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Forloeb, Tilstand
from decisions.lint import Mangel
from decisions.models import Dokument, DokumentStatus, DokumentType
from infra import audit, datoer

from .. import rules
from ..models import Ansaettelse, Ledighedsydelse, Visitation
from .faelles import adgang

MIN_ALDER_PERMANENT = 40


def har_haft_midlertidigt_fleksjob(borger_id, foer: dt.date | None = None) -> bool:
    qs = Ansaettelse.objects.filter(forloeb__borger_id=borger_id, midlertidig=True)
    if foer is not None:
        qs = qs.filter(start__lt=foer)
    return qs.exists()


def visitation_opret(
    *, actor, forloeb: Forloeb, afgoerelse: Dokument, baseline_timer, baseline_intensitet,
    meget_begraenset: bool = False, permanent: bool = False, ledighedsydelse_fra: dt.date | None = None,
    dato: dt.date | None = None,
) -> Visitation:  # fmt: skip
    """Register the visitation (linked to its issued decision) and open the ledighedsydelse period.
    Issuing a visitation decision registers it the same way (:func:`visitation_ved_udstedelse`); by hand it links
    a decision issued before that (older data)."""
    return _registrer(
        actor=actor, forloeb=forloeb, afgoerelse=afgoerelse, baseline_timer=baseline_timer,
        baseline_intensitet=baseline_intensitet, meget_begraenset=meget_begraenset, permanent=permanent,
        ledighedsydelse_fra=ledighedsydelse_fra, dato=dato, fremtid_tilladt=False,
    )  # fmt: skip


def _registrer(
    *, actor, forloeb: Forloeb, afgoerelse: Dokument, baseline_timer, baseline_intensitet, meget_begraenset: bool,
    permanent: bool, ledighedsydelse_fra: dt.date | None, dato: dt.date | None, fremtid_tilladt: bool,
) -> Visitation:  # fmt: skip
    adgang(actor, forloeb)
    fejl: dict[str, str] = {}
    if (
        afgoerelse is None
        or afgoerelse.forloeb_id != forloeb.pk
        or afgoerelse.type != DokumentType.FLEKSJOB_VISITATION
        or afgoerelse.status == DokumentStatus.KLADDE
    ):
        fejl["afgoerelse"] = "Angiv den udstedte afgørelse om visitation til fleksjob i dette forløb."
    elif Visitation.objects.filter(afgoerelse=afgoerelse).exists():
        fejl["afgoerelse"] = "Der er allerede registreret en visitation for denne afgørelse."
    if dato is None and not fejl.get("afgoerelse"):
        dato = datoer.lokal_dato(afgoerelse.udstedt) if afgoerelse.udstedt else datoer.idag()
    if dato is not None and dato > datoer.idag() and not fremtid_tilladt:
        fejl["dato"] = "Datoen kan ikke ligge i fremtiden."
    if fe := rules.timer_fejl(baseline_timer):
        fejl["baseline_timer"] = fe
    if fe := rules.intensitet_fejl(baseline_intensitet):
        fejl["baseline_intensitet"] = fe
    ly_fra = ledighedsydelse_fra or dato
    if ly_fra is not None and dato is not None and ly_fra < dato:
        fejl["ledighedsydelse_fra"] = "Ledighedsydelse kan tidligst begynde på visitationsdatoen."
    if permanent and dato is not None:
        alder = forloeb.borger.alder(dato)
        if alder < MIN_ALDER_PERMANENT:
            fejl["permanent"] = (
                f"Permanent fleksjob kræver, at borgeren er fyldt 40 år (borgeren er {alder} år). "
                "Visitér til et midlertidigt fleksjob."
            )
        elif not har_haft_midlertidigt_fleksjob(forloeb.borger_id, foer=dato):
            fejl["permanent"] = "Permanent fleksjob forudsætter, at borgeren har haft et midlertidigt fleksjob."
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        fl = Forloeb.objects.select_for_update().get(pk=forloeb.pk)
        if fl.tilstand != Tilstand.FLEKSJOB:
            raise ValidationError({"forloeb": "Forløbet er ikke visiteret til fleksjob."})
        # a new visitation closes an earlier one's open period
        Ledighedsydelse.objects.filter(visitation__forloeb=fl, slut__isnull=True).update(slut=ly_fra)
        v = Visitation.objects.create(
            forloeb=fl, afgoerelse=afgoerelse, dato=cast(dt.date, dato),
            baseline_timer=cast(Decimal, rules.som_decimal(baseline_timer)),
            baseline_intensitet=int(baseline_intensitet), meget_begraenset=bool(meget_begraenset),
            permanent=bool(permanent),
        )  # fmt: skip
        Ledighedsydelse.objects.create(visitation=v, start=cast(dt.date, ly_fra))
        audit.record(
            actor=actor, handling="fleksjob.visitation.opret", subject=v, borger_id=fl.borger_id,
            kommune_id=fl.kommune_id,
            efter={"dato": dato, "baseline_timer": v.baseline_timer, "baseline_intensitet": v.baseline_intensitet,
                   "meget_begraenset": v.meget_begraenset, "permanent": v.permanent, "ledighedsydelse_fra": ly_fra},
        )  # fmt: skip
    return v


def aktuel_visitation(forloeb: Forloeb) -> Visitation | None:
    return Visitation.objects.filter(forloeb=forloeb).order_by("-dato", "-oprettet").first()


# --- the visitation decision is the visitation ------------------------------------------------------
def visitation_indholdsregel(dokument) -> list[Mangel]:
    """Content rule of the visitation decision (registered with the decisions lint): it states the
    assessed capacity that becomes the visitation's baseline, and a permanent fleksjob only where
    the law allows one."""
    fl = dokument.forloeb
    data = dokument.data or {}
    paa = datoer.idag()
    return [
        Mangel(k, b, f)
        for k, b, f in rules.visitation_mangler(
            data,
            alder=fl.borger.alder(paa),
            har_haft_midlertidigt=bool(data.get("permanent")) and har_haft_midlertidigt_fleksjob(fl.borger_id, paa),
        )
    ]


def visitation_ved_udstedelse(dokument: Dokument, actor, idag: dt.date) -> Visitation | None:
    """Issuing a visitation decision registers the visitation (hook of ``decisions.services``, in the
    issuing transaction): the caseworker does not enter it twice, and the ledighedsydelse period
    starts at once. A correction of the decision registers a new visitation, which closes the
    previous one's open period. Nothing when the forløb is no longer in fleksjob."""
    fl = Forloeb.objects.get(pk=dokument.forloeb_id)
    if fl.tilstand != Tilstand.FLEKSJOB or Visitation.objects.filter(afgoerelse=dokument).exists():
        return None
    data = dokument.data or {}
    fra = data.get("ledighedsydelse_fra")
    return _registrer(
        fremtid_tilladt=True,  # the decision's date is the visitation's, whatever the caller's "today"
        actor=actor,
        forloeb=fl,
        afgoerelse=dokument,
        baseline_timer=rules.som_decimal(str(data.get("baseline_timer")).replace(",", ".")),
        baseline_intensitet=data.get("baseline_intensitet"),
        meget_begraenset=bool(data.get("meget_begraenset")),
        permanent=bool(data.get("permanent")),
        ledighedsydelse_fra=dt.date.fromisoformat(fra) if fra else None,
        dato=idag,
    )
