"""What decisions adds to the forløb section of the citizen page: drafts waiting to be issued, and
every letter and decision in the timeline (registered in ``DecisionsConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from cases.selectors_ui import SideBidrag, TidslinjePost, reverse_eller_tom
from infra import datoer

from .models import Dokument, DokumentStatus


def _hent(fl) -> list[Dokument]:
    return list(Dokument.objects.filter(forloeb=fl).order_by("-oprettet"))


def _venter_paa(fl, dokumenter: list[Dokument], idag: dt.date) -> list[str]:
    return [
        f"Udkast skal færdiggøres og udstedes: {d.get_type_display()}"
        for d in dokumenter
        if d.status == DokumentStatus.KLADDE
    ]


def _tidslinje(fl, dokumenter: list[Dokument]) -> list[TidslinjePost]:
    poster = []
    for d in dokumenter:
        label = "Afgørelse" if d.er_afgoerelse else "Brev"
        dato = datoer.lokal_dato(d.udstedt or d.oprettet)
        poster.append(
            TidslinjePost(
                dato, d.udstedt or d.oprettet, "dokument", label, d.titel or d.get_type_display(),
                f"{d.get_type_display()} – {d.get_status_display().lower()}", d.udstedt_af,
                link=reverse_eller_tom("decisions:dokument", d.pk), link_tekst="Åbn dokumentet",
            )
        )  # fmt: skip
    return poster


BIDRAG = SideBidrag(navn="decisions", hent=_hent, venter_paa=_venter_paa, tidslinje=_tidslinje)
