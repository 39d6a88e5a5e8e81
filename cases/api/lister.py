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

from typing import NamedTuple

from django.db.models import F, QuerySet

from cases.models import KILDE_INDTASTET, KILDE_REGISTER, REGISTER_FELTER
from infra import cpr as cprlib
from infra import datoer

from .raekker import frist, iso, tidspunkter

FORLOEB_KOLONNER = (
    "id", "borger_id", "borger__fornavn", "borger__efternavn", "borger__foedselsdato", "tilstand", "team_id",
    "sagsbehandler_id", "sagsbehandler__first_name", "sagsbehandler__last_name", "sagsbehandler__username",
    "naeste_skridt", "naeste_skridt_dato", "version", "oprettet", "opdateret",
)  # fmt: skip
FRIST_KOLONNER = (
    "id", "forloeb_id", "forloeb__borger_id", "art", "reference", "start_haendelse", "start_dato", "forfald",
    "gaeldende_forfald", "status", "type", "ansvar", "lovgrundlag", "forklaring", "lukket_dato", "lukket_af",
)  # fmt: skip
#: The rule version's columns under the names :func:`cases.api.raekker.frist` reads (as the detail's JSON has them).
FRIST_REGEL = {
    "navn": F("definition__navn"), "def_id": F("definition_id"), "def_gyldig_fra": F("definition__gyldig_fra"),
    "def_kommunal": F("definition__kommune_id"),
}  # fmt: skip


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
    ts = tidspunkter()
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
            "naeste_skridt_dato": iso(r["naeste_skridt_dato"]),
            "version": r["version"],
            "oprettet": ts(r["oprettet"]),
            "opdateret": ts(r["opdateret"]),
        }
        for r in raekker
    ]


def frist_raekker(qs: QuerySet) -> QuerySet:
    """The deadline list's rows (``qs`` filtered) as dicts of what :func:`frist_liste` needs."""
    return qs.values(*FRIST_KOLONNER, **FRIST_REGEL)


def frist_liste(raekker: list[dict]) -> list[dict]:
    """``FristSerializer(many=True)``'s answer for rows from :func:`frist_raekker`."""
    return [frist(r, str(r["forloeb_id"]), str(r["forloeb__borger_id"])) for r in raekker]


# --- borgere --------------------------------------------------------------------------------------
BORGER_KOLONNER = (
    "id", "kommune_id", "foedselsdato", "fornavn", "efternavn", "team_id", "adresse", "postnummer", "by", "telefon",
    "email", "kontaktkanal", "digital_post", "tolk", "tolkesprog", "hjemmebesoeg", "civilstand",
    "adressebeskyttelse", "doed_dato", "udrejst_dato", "kilder", "register_opdateret", "register_fejl", "oprettet",
    "opdateret", "version",
)  # fmt: skip
_VERIFICEREDE = tuple(f for f in REGISTER_FELTER if f not in ("adresse", "postnummer", "by"))


class BorgerRef(NamedTuple):
    """A citizen of a list row as the read audit takes it (its id, and its municipality for the row)."""

    pk: object
    kommune_id: object


def borger_raekker(qs: QuerySet) -> QuerySet:
    """The citizen list's rows (``qs`` filtered) as dicts of what :func:`borger_liste` needs."""
    return qs.values(*BORGER_KOLONNER)


def _verificeret(r: dict) -> bool:
    """``Borger.verificeret`` for a row."""
    kilder = r["kilder"] or {}
    return r["register_opdateret"] is not None and all(
        kilder.get(f, KILDE_INDTASTET) == KILDE_REGISTER for f in _VERIFICEREDE
    )


def _alder(foedt, idag) -> int:
    """``Borger.alder()`` on ``idag``."""
    return idag.year - foedt.year - ((idag.month, idag.day) < (foedt.month, foedt.day))


def borger_liste(raekker: list[dict]) -> list[dict]:
    """``BorgerSerializer(many=True)``'s answer for rows from :func:`borger_raekker`: the CPR masked,
    a protected address never shown."""
    ts = tidspunkter()
    idag = datoer.idag()
    ud = []
    for r in raekker:
        skjult = r["adressebeskyttelse"]  # never returned: the audited vis-adresse action shows it
        ud.append({
            "id": str(r["id"]), "cpr_maskeret": str(cprlib.mask(r["foedselsdato"])),
            "foedselsdato": iso(r["foedselsdato"]), "alder": _alder(r["foedselsdato"], idag),
            "fornavn": r["fornavn"], "efternavn": r["efternavn"], "team": _str(r["team_id"]),
            "adresse": "" if skjult else r["adresse"], "postnummer": "" if skjult else r["postnummer"],
            "by": "" if skjult else r["by"], "telefon": r["telefon"], "email": r["email"],
            "kontaktkanal": r["kontaktkanal"], "digital_post": r["digital_post"], "tolk": r["tolk"],
            "tolkesprog": r["tolkesprog"], "hjemmebesoeg": r["hjemmebesoeg"], "civilstand": r["civilstand"],
            "adressebeskyttelse": r["adressebeskyttelse"], "doed_dato": iso(r["doed_dato"]),
            "udrejst_dato": iso(r["udrejst_dato"]), "kilder": r["kilder"],
            "register_opdateret": ts(r["register_opdateret"]), "register_fejl": r["register_fejl"],
            "verificeret": _verificeret(r), "oprettet": ts(r["oprettet"]),
            "opdateret": ts(r["opdateret"]), "version": r["version"],
        })  # fmt: skip
    return ud
