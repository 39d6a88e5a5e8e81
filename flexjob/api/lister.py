"""The aftaler list's lean read path: rows as dicts from ``.values()``, serialised by hand (issue #14).

Like :mod:`cases.api.lister`: the same one query, filters and keyset pagination, and the documented
answer built with plain dicts. The answer is exactly ``AftaleSerializer``'s (which stays the schema's
description of it): ``tests/flexjob/test_api_aftaler_hurtig.py`` compares them for a rich page. A
field added to the serializer must be added here too; that test fails until it is.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers

from cases.api.raekker import iso, tidspunkter
from flexjob.aftaler import PARTER
from infra import cpr as cprlib

AFTALE_KOLONNER = (
    "id", "type", "status", "borger_id", "borger__foedselsdato", "virksomhed_cvr", "virksomhed_p_nummer",
    "virksomhed_navn", "virksomhed_kontakt", "start", "slut", "timer_pr_uge", "timer_begrundelse", "opgaver",
    "formaal", "fleksjob_timer", "fleksjob_intensitet", "ekstern_reference", "blanket", "borger_bekraeftet",
    "borger_bekraeftet_af", "arbejdsgiver_bekraeftet", "arbejdsgiver_bekraeftet_af", "afvist_begrundelse",
    "behandlet", "ansaettelse__id", "oprettet", "version",
)  # fmt: skip
_TIMER = serializers.DecimalField(max_digits=4, decimal_places=1)  # the model field's DRF rendering


def _timer(v) -> str | None:
    return None if v is None else _TIMER.to_representation(v)


def aftale_raekker(qs: QuerySet) -> QuerySet:
    """The agreement list's rows (``qs`` filtered) as dicts of what :func:`aftale_liste` needs."""
    return qs.select_related(None).values(*AFTALE_KOLONNER)


def _bekraeftet(r: dict) -> bool:
    """``not aftaler.bekraeftelser_mangler(aftale)`` for a row."""
    return all(r[tid] is not None and r[af].strip() for _, tid, af in PARTER.values())


def aftale_liste(raekker: list[dict]) -> list[dict]:
    """``AftaleSerializer(many=True)``'s answer for rows from :func:`aftale_raekker`."""
    ts = tidspunkter()
    return [
        {
            "id": str(r["id"]),
            "type": r["type"],
            "status": r["status"],
            "borger": str(r["borger_id"]),
            "cpr_maskeret": str(cprlib.mask(r["borger__foedselsdato"])),
            "virksomhed_cvr": r["virksomhed_cvr"],
            "virksomhed_p_nummer": r["virksomhed_p_nummer"],
            "virksomhed_navn": r["virksomhed_navn"],
            "virksomhed_kontakt": r["virksomhed_kontakt"],
            "start": iso(r["start"]),
            "slut": iso(r["slut"]),
            "timer_pr_uge": _timer(r["timer_pr_uge"]),
            "timer_begrundelse": r["timer_begrundelse"],
            "opgaver": r["opgaver"],
            "formaal": r["formaal"],
            "fleksjob_timer": _timer(r["fleksjob_timer"]),
            "fleksjob_intensitet": r["fleksjob_intensitet"],
            "ekstern_reference": r["ekstern_reference"],
            "blanket": r["blanket"],
            "borger_bekraeftet": ts(r["borger_bekraeftet"]),
            "borger_bekraeftet_af": r["borger_bekraeftet_af"],
            "arbejdsgiver_bekraeftet": ts(r["arbejdsgiver_bekraeftet"]),
            "arbejdsgiver_bekraeftet_af": r["arbejdsgiver_bekraeftet_af"],
            "bekraeftet": _bekraeftet(r),
            "afvist_begrundelse": r["afvist_begrundelse"],
            "behandlet": ts(r["behandlet"]),
            "ansaettelse": None if r["ansaettelse__id"] is None else str(r["ansaettelse__id"]),
            "oprettet": ts(r["oprettet"]),
            "version": r["version"],
        }
        for r in raekker
    ]
