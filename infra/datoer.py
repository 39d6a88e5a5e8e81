"""The product's clock and date arithmetic for deadlines (DOMAIN.md §3).

``idag`` is the one "today" of the whole product: Django's clock (``timezone.now``) read in the
municipality's time zone. Nothing else computes today (ruff's TID251 bans ``date.today``,
``timezone.localdate`` and the wall clock outside this module; tests/infra/test_en_idag.py catches
``timezone.now().date()``), so a test that moves Django's clock moves every date with it.

Weeks end on the same weekday; months on the same day of month, or the month's last day when
that day does not exist. Only deadlines whose rule says so (the citizen's complaint deadline)
move past weekends and Danish public holidays (``holidays`` package; Store Bededag is not one
from 2024). The municipality's own deadlines never move.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

MAANEDER = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]  # fmt: skip
UGEDAGE = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]


def idag() -> dt.date:
    """Today: Django's clock in the municipality's time zone (not the server's, not UTC)."""
    return lokal_dato(timezone.now())


def lokal_dato(tidspunkt: dt.datetime) -> dt.date:
    """The municipality's calendar date of a point in time (a timestamp at 00:30 Danish time is
    that day, not the UTC day before). A naive datetime is taken as already local."""
    if timezone.is_naive(tidspunkt):
        return tidspunkt.date()
    return tidspunkt.astimezone(ZoneInfo(settings.TIME_ZONE)).date()  # ZoneInfo caches its instances


def laeg_til(start: dt.date, antal: int, enhed: str) -> dt.date:
    """``start`` plus ``antal`` days, weeks or months (negative for 'before')."""
    if enhed == "dage":
        return start + dt.timedelta(days=antal)
    if enhed == "uger":
        return start + dt.timedelta(weeks=antal)
    if enhed == "maaneder":
        index = start.year * 12 + (start.month - 1) + antal
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return dt.date(year, month + 1, min(start.day, last))
    raise ValueError(f"unknown unit {enhed!r}")


@lru_cache(maxsize=64)
def _helligdage(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.Denmark(years=year).keys())


def er_helligdag(dato: dt.date) -> bool:
    return dato in _helligdage(dato.year)


def er_hverdag(dato: dt.date) -> bool:
    return dato.weekday() < 5 and not er_helligdag(dato)


def naeste_hverdag(dato: dt.date) -> dt.date:
    """The date itself when it is a working day, otherwise the next working day."""
    while not er_hverdag(dato):
        dato += dt.timedelta(days=1)
    return dato


def helligdagsnavn(dato: dt.date) -> str:
    return holidays.Denmark(years=dato.year, language="da").get(dato, "")


def dansk_dato(dato: dt.date) -> str:
    return f"{dato:%d.%m.%Y}"


def enhed_tekst(antal: int, enhed: str) -> str:
    if enhed == "dage":
        return f"{antal} dag" if antal == 1 else f"{antal} dage"
    if enhed == "uger":
        return f"{antal} uge" if antal == 1 else f"{antal} uger"
    if antal % 12 == 0 and antal >= 12:
        aar = antal // 12
        return f"{aar} år"
    if antal % 6 == 0 and antal >= 18:
        return f"{antal // 12}½ år"
    return f"{antal} måned" if antal == 1 else f"{antal} måneder"


# --- Bounds on every date the product stores ----------------------------------------------------
#: No date in a case lies outside these years (issue 13: agreements were accepted in year 1 and
#: 9999, where date arithmetic overflows). A birth date may be earlier: the CPR covers 1858 on.
FOERSTE_AAR, SIDSTE_AAR = 1900, 2199
DATO_UDENFOR = f"Datoen skal ligge mellem år {FOERSTE_AAR} og {SIDSTE_AAR}."
#: Fields exempt from the lower bound (their own rule bounds them): field name → first year.
FOERSTE_AAR_FOR_FELT = {"foedselsdato": 1858}


def dato_udenfor(dato, felt: str = "") -> bool:
    """Whether a date (or date-time) lies outside the product's bounds."""
    if not isinstance(dato, dt.date):
        return False
    return not FOERSTE_AAR_FOR_FELT.get(felt, FOERSTE_AAR) <= dato.year <= SIDSTE_AAR
