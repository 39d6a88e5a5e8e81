"""Row builders the hand-built API answers share (:mod:`cases.api.lister`, :mod:`cases.api.detalje`,
the other apps' lists): one rendering of a date, a timestamp and a deadline."""

from __future__ import annotations

import datetime as dt

from rest_framework.fields import DateTimeField

_TIDSPUNKT = DateTimeField()  # DRF's own rendering of a timestamp (local time zone, ISO 8601)


def iso(d: dt.date | str | None) -> str | None:
    """A date as ISO 8601 (a date PostgreSQL already rendered as JSON text stays as it is)."""
    return d if d is None or isinstance(d, str) else d.isoformat()


def tidspunkt(v: dt.datetime | None) -> str | None:
    """A timestamp exactly as a DRF ``DateTimeField`` renders it."""
    return None if v is None else _TIDSPUNKT.to_representation(v)


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
