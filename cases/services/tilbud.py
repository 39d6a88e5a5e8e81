"""Use cases of the offers made to the citizen and the citizen's answers (``cases.models.Tilbud``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.models import Forloeb, Tilbud, TilbudSvar, TilbudType
from cases.selectors import forloeb_for
from infra import audit, datoer
from infra.fejl import ForaeldetVersion

TILBUD_AENDRET = "Tilbuddet er ændret, siden du hentede det. Hent det igen og prøv på ny."


def _svar_fejl(svar: str, svar_dato, begrundelse: str, tilbudt: dt.date | None) -> dict[str, str]:
    fejl: dict[str, str] = {}
    if svar not in TilbudSvar.values:
        fejl["svar"] = "Vælg om borgeren har takket ja, nej, eller om svaret afventes."
        return fejl
    if svar == TilbudSvar.AFVENTER:
        return fejl
    if not isinstance(svar_dato, dt.date):
        fejl["svar_dato"] = "Angiv datoen for borgerens svar."
    elif svar_dato > datoer.idag():
        fejl["svar_dato"] = "Datoen kan ikke ligge i fremtiden."
    elif tilbudt is not None and svar_dato < tilbudt:
        fejl["svar_dato"] = "Svaret kan ikke ligge før tilbuddet."
    if svar == TilbudSvar.AFSLAAET and not (begrundelse or "").strip():
        fejl["begrundelse"] = "Skriv borgerens begrundelse for at sige nej (eller at borgeren ikke har givet en)."
    return fejl


def tilbud_registrer(
    *, actor, forloeb: Forloeb, type: str, dato: dt.date, beskrivelse: str, svar: str = TilbudSvar.AFVENTER,
    svar_dato: dt.date | None = None, begrundelse: str = "",
) -> Tilbud:  # fmt: skip
    """Register an offer made to the citizen, and the answer if it is already given. Every missing or
    wrong element is reported at once; nothing is saved then."""
    if not forloeb_for(actor).filter(pk=forloeb.pk).exists():
        raise PermissionDenied
    fejl: dict[str, str] = {}
    if type not in TilbudType.values:
        fejl["type"] = "Vælg hvilket tilbud borgeren har fået."
    if not isinstance(dato, dt.date):
        fejl["dato"] = "Angiv datoen for tilbuddet."
        dato = None
    elif dato > datoer.idag():
        fejl["dato"] = "Datoen kan ikke ligge i fremtiden."
    if not (beskrivelse or "").strip():
        fejl["beskrivelse"] = "Beskriv hvad borgeren blev tilbudt."
    fejl |= _svar_fejl(svar, svar_dato, begrundelse, dato)
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        fl = Forloeb.objects.select_for_update().get(pk=forloeb.pk)
        t = Tilbud.objects.create(
            forloeb=fl, type=type, dato=dato, beskrivelse=beskrivelse.strip(), svar=svar,
            svar_dato=svar_dato if svar != TilbudSvar.AFVENTER else None,
            begrundelse=(begrundelse or "").strip(), registreret_af=audit.actor_navn(actor),
        )  # fmt: skip
        audit.record(
            actor=actor, handling="tilbud.registrer", subject=t, borger_id=fl.borger_id, kommune_id=fl.kommune_id,
            efter={"type": type, "dato": dato, "svar": svar, "svar_dato": t.svar_dato},
        )  # fmt: skip
    return t


def tilbud_besvar(
    *, actor, tilbud: Tilbud, svar: str, svar_dato: dt.date | None, begrundelse: str = "",
    expected_version: int | None = None,
) -> Tilbud:  # fmt: skip
    """Record the citizen's answer to an offer (a refusal with the reason the citizen gave)."""
    if not forloeb_for(actor).filter(pk=tilbud.forloeb_id).exists():
        raise PermissionDenied
    fejl = _svar_fejl(svar, svar_dato, begrundelse, tilbud.dato)
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        t = Tilbud.objects.select_for_update().select_related("forloeb").get(pk=tilbud.pk)
        if expected_version is not None and t.version != expected_version:
            raise ForaeldetVersion(TILBUD_AENDRET)
        foer = {"svar": t.svar, "svar_dato": t.svar_dato, "begrundelse": t.begrundelse}
        t.svar = svar
        t.svar_dato = svar_dato if svar != TilbudSvar.AFVENTER else None
        t.begrundelse = (begrundelse or "").strip()
        t.version += 1
        t.save()
        audit.record(
            actor=actor, handling="tilbud.besvar", subject=t, borger_id=t.forloeb.borger_id,
            kommune_id=t.forloeb.kommune_id, foer=foer,
            efter={"svar": t.svar, "svar_dato": t.svar_dato, "begrundelse": t.begrundelse},
        )  # fmt: skip
    return t
