"""What the offers add to the forløb section of the citizen page (registered in ``CasesConfig.ready``
like the apps' contributions): offers awaiting an answer in "what the case is waiting for", every
offer in the timeline, and each offer the citizen turned down in the case summary."""

from __future__ import annotations

import datetime as dt

from cases.selectors_ui import SideBidrag, TidslinjePost, reverse_eller_tom
from infra.datoer import dansk_dato

from .models import Tilbud, TilbudSvar


def _hent(fl) -> list[Tilbud]:
    return list(Tilbud.objects.filter(forloeb=fl).order_by("-dato", "-oprettet"))


def _venter_paa(fl, tilbud: list[Tilbud], idag: dt.date) -> list[str]:
    return [
        f"Borgerens svar på tilbud: {t.get_type_display()} ({dansk_dato(t.dato)})"
        for t in tilbud
        if t.svar == TilbudSvar.AFVENTER
    ]


def _tidslinje(fl, tilbud: list[Tilbud]) -> list[TidslinjePost]:
    link = reverse_eller_tom("cases:tilbud", fl.pk)
    poster = []
    for t in tilbud:
        svar = t.get_svar_display()
        if t.svar != TilbudSvar.AFVENTER and t.svar_dato:
            svar += f" {dansk_dato(t.svar_dato)}"
        if t.begrundelse:
            svar += f": {t.begrundelse}"
        poster.append(
            TidslinjePost(
                t.dato, t.oprettet, "tilbud", "Tilbud", f"{t.get_type_display()}: {t.beskrivelse[:80]}", svar,
                t.registreret_af, link=link, link_tekst="Se tilbud",
            )
        )  # fmt: skip
    return poster


def _resume(fl, tilbud: list[Tilbud]) -> list[tuple[str, str]]:
    return [
        (
            "Tilbud takket nej til",
            f"{t.get_type_display()} ({dansk_dato(t.dato)}){': ' + t.begrundelse if t.begrundelse else ''}",
        )
        for t in tilbud
        if t.svar == TilbudSvar.AFSLAAET
    ]


BIDRAG = SideBidrag(navn="tilbud", hent=_hent, venter_paa=_venter_paa, tidslinje=_tidslinje, resume=_resume)
