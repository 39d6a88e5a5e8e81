"""Row builders the hand-built API answers share (:mod:`cases.api.lister`, :mod:`cases.api.detalje`,
the other apps' lists): one rendering of a date, a timestamp and a deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from rest_framework.fields import DateTimeField

_TIDSPUNKT = DateTimeField()  # DRF's own rendering of a timestamp (local time zone, ISO 8601)


def iso(d: dt.date | str | None) -> str | None:
    """A date as ISO 8601 (a date PostgreSQL already rendered as JSON text stays as it is)."""
    return d if d is None or isinstance(d, str) else d.isoformat()


def tidspunkter() -> Callable[[dt.datetime | None], str | None]:
    """:func:`tidspunkt` for a whole page: the current time zone looked up once (Django's lookup costs
    more than the conversion itself). A list page renders 100–150 timestamps; DRF's field path cost a
    third of the page's Python time."""
    zone = timezone.get_current_timezone()

    def ts(v: dt.datetime | None) -> str | None:
        if v is None:
            return None
        if isinstance(v, dt.datetime) and v.tzinfo is not None:  # what every query returns
            s = v.astimezone(zone).isoformat()
            return s[:-6] + "Z" if s.endswith("+00:00") else s
        return _TIDSPUNKT.to_representation(v)  # naive or text: DRF's own handling

    return ts


def tidspunkt(v: dt.datetime | None) -> str | None:
    """A timestamp exactly as a DRF ``DateTimeField`` renders it (ISO 8601 in the current time zone,
    ``Z`` for UTC)."""
    return tidspunkter()(v)


def json_tidspunkt(v: str | None, ts: Callable[[dt.datetime], str | None] = tidspunkt) -> str | None:
    """A timestamp PostgreSQL rendered in JSON (ISO 8601 with offset) as the API renders timestamps
    (``ts``: a page's :func:`tidspunkter`)."""
    return None if v is None else ts(dt.datetime.fromisoformat(v))


def frist(r: dict, forloeb_id: str, borger_id: str) -> dict:
    """``FristSerializer``'s answer for a deadline row: the deadline's columns, ``navn`` (its rule's
    name) and its rule version as ``def_id``, ``def_gyldig_fra``, ``def_kommunal`` (the rule's
    municipality or None); dates as ``date`` objects or as JSON text."""
    return {
        "id": str(r["id"]), "forloeb": forloeb_id, "borger": borger_id, "art": r["art"], "navn": r["navn"],
        "reference": r["reference"], "start_haendelse": r["start_haendelse"], "start_dato": iso(r["start_dato"]),
        "forfald": iso(r["forfald"]), "gaeldende_forfald": iso(r["gaeldende_forfald"]), "status": r["status"],
        "type": r["type"], "ansvar": r["ansvar"], "lovgrundlag": r["lovgrundlag"], "forklaring": r["forklaring"],
        "lukket_dato": iso(r["lukket_dato"]), "lukket_af": r["lukket_af"],
        "regelversion": {
            "id": str(r["def_id"]), "gyldig_fra": iso(r["def_gyldig_fra"]), "kommunal": r["def_kommunal"] is not None,
        },
    }  # fmt: skip
