"""Use case of the citizen's earlier grants (aids, personal assistance, workplace adaptation ...):
registered once as structured facts that the arbejdsevnevurdering cites and a decision's
begrundelse may point at."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.models import Borger, Forloeb
from cases.selectors import borgere_for
from infra import audit, datoer

from ..models import Bevilling, BevillingType


def bevilling_registrer(
    *, actor, borger: Borger, type: str, dato: dt.date, beskrivelse: str, bevilget_af: str,
    forloeb: Forloeb | None = None,
) -> Bevilling:  # fmt: skip
    """Register an earlier grant to the citizen; every missing or wrong element is reported at once."""
    if not borgere_for(actor).filter(pk=borger.pk).exists():
        raise PermissionDenied
    fejl: dict[str, str] = {}
    if type not in BevillingType.values:
        fejl["type"] = f"Vælg en af: {', '.join(BevillingType.labels)}."
    if not isinstance(dato, dt.date):
        fejl["dato"] = "Angiv datoen for bevillingen."
    elif dato > datoer.idag():
        fejl["dato"] = "Datoen kan ikke ligge i fremtiden."
    if not (beskrivelse or "").strip():
        fejl["beskrivelse"] = "Beskriv hvad der er bevilget."
    if not (bevilget_af or "").strip():
        fejl["bevilget_af"] = "Angiv hvem der har bevilget det (myndighed eller enhed)."
    if forloeb is not None and forloeb.borger_id != borger.pk:
        fejl["forloeb"] = "Forløbet hører ikke til borgeren."
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        b = Bevilling.objects.create(
            borger=borger, forloeb=forloeb, type=type, dato=dato, beskrivelse=beskrivelse.strip(),
            bevilget_af=bevilget_af.strip(), oprettet_af=audit.actor_navn(actor),
        )  # fmt: skip
        audit.record(
            actor=actor, handling="fleksjob.bevilling.registrer", subject=b, borger=borger,
            efter={"type": type, "dato": dato, "bevilget_af": b.bevilget_af, "forloeb": getattr(forloeb, "pk", None)},
        )  # fmt: skip
    return b
