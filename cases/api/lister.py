"""The two hot lists' lean read path: rows as dicts from ``.values()``, serialised by hand.

``GET /api/v1/forloeb/`` and ``GET /api/v1/frister/`` are the integrators' polling lists. Through DRF
each page built a model object per row and per joined row (forløb, citizen, team, caseworker) and ran
every row through a serializer's field objects: most of the request's time, while its SQL takes a
few milliseconds (issue #14). Here the page is read as dicts (``.values()``: the same one query, the
same filters and keyset pagination) and turned into the documented answer with plain dict building,
like the forløb detail (:mod:`cases.api.detalje`).

The answers are exactly ``ForloebSerializer``'s and ``FristSerializer``'s (which stay the schema's
description of them): ``tests/cases/test_api_lister_hurtig.py`` compares them for rich pages. A field
added to a serializer must be added here too; that test fails until it is.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from rest_framework.fields import DateTimeField

from infra import cpr as cprlib

_TIDSPUNKT = DateTimeField()  # DRF's own rendering of a timestamp (local time zone, ISO 8601)

FORLOEB_KOLONNER = (
    "id", "borger_id", "borger__fornavn", "borger__efternavn", "borger__foedselsdato", "tilstand", "team_id",
    "sagsbehandler_id", "sagsbehandler__first_name", "sagsbehandler__last_name", "sagsbehandler__username",
    "naeste_skridt", "naeste_skridt_dato", "version", "oprettet", "opdateret",
)  # fmt: skip
FRIST_KOLONNER = (
    "id", "forloeb_id", "forloeb__borger_id", "art", "definition__navn", "reference", "start_haendelse",
    "start_dato", "forfald", "gaeldende_forfald", "status", "type", "ansvar", "lovgrundlag", "forklaring",
    "lukket_dato", "lukket_af", "definition_id", "definition__gyldig_fra", "definition__kommune_id",
)  # fmt: skip


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def _str(v) -> str | None:
    return None if v is None else str(v)


def forloeb_raekker(qs: QuerySet) -> QuerySet:
    """The forløb list's rows (``qs`` filtered) as dicts of what :func:`forloeb_liste` needs."""
    return qs.values(*FORLOEB_KOLONNER)


def _sagsbehandler_navn(r: dict) -> str:
    if r["sagsbehandler_id"] is None:
        return ""
    # User.__str__: the full name (Django's get_full_name), else the username
    fuldt = f"{r['sagsbehandler__first_name']} {r['sagsbehandler__last_name']}".strip()
    return fuldt or r["sagsbehandler__username"]


def forloeb_liste(raekker: list[dict]) -> list[dict]:
    """``ForloebSerializer(many=True)``'s answer for rows from :func:`forloeb_raekker`."""
    return [
        {
            "id": str(r["id"]),
            "borger": str(r["borger_id"]),
            "borger_navn": f"{r['borger__fornavn']} {r['borger__efternavn']}",
            "cpr_maskeret": str(cprlib.mask(r["borger__foedselsdato"])),
            "tilstand": r["tilstand"],
            "team": _str(r["team_id"]),
            "sagsbehandler": r["sagsbehandler_id"],
            "sagsbehandler_navn": _sagsbehandler_navn(r),
            "naeste_skridt": str(r["naeste_skridt"]),
            "naeste_skridt_dato": _iso(r["naeste_skridt_dato"]),
            "version": r["version"],
            "oprettet": _TIDSPUNKT.to_representation(r["oprettet"]),
            "opdateret": _TIDSPUNKT.to_representation(r["opdateret"]),
        }
        for r in raekker
    ]


def frist_raekker(qs: QuerySet) -> QuerySet:
    """The deadline list's rows (``qs`` filtered) as dicts of what :func:`frist_liste` needs."""
    return qs.values(*FRIST_KOLONNER)


def _frist(r: dict) -> dict:
    return {
        "id": str(r["id"]), "forloeb": str(r["forloeb_id"]), "borger": str(r["forloeb__borger_id"]),
        "art": r["art"], "navn": r["definition__navn"], "reference": r["reference"],
        "start_haendelse": r["start_haendelse"], "start_dato": _iso(r["start_dato"]),
        "forfald": _iso(r["forfald"]), "gaeldende_forfald": _iso(r["gaeldende_forfald"]),
        "status": r["status"], "type": r["type"], "ansvar": r["ansvar"], "lovgrundlag": r["lovgrundlag"],
        "forklaring": r["forklaring"], "lukket_dato": _iso(r["lukket_dato"]), "lukket_af": r["lukket_af"],
        "regelversion": {
            "id": str(r["definition_id"]), "gyldig_fra": r["definition__gyldig_fra"].isoformat(),
            "kommunal": r["definition__kommune_id"] is not None,
        },
    }  # fmt: skip


def frist_liste(raekker: list[dict]) -> list[dict]:
    """``FristSerializer(many=True)``'s answer for rows from :func:`frist_raekker`."""
    return [_frist(r) for r in raekker]
