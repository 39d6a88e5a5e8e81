"""Reads of the rule catalogue: the row in force for a municipality on a date.

A municipality's own row wins over the national default; among rows of the same owner the one
with the latest ``gyldig_fra`` on or before the date wins.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from .models import FristDefinition, Lovhenvisning, Regelparameter

#: The group whose members (besides superusers) maintain the national rows (``kommune = NULL``).
NATIONAL_GRUPPE = "National regeladministrator"


def er_national_regeladministrator(user) -> bool:
    return bool(user.is_superuser or user.groups.filter(name=NATIONAL_GRUPPE).exists())


def maa_aendre_regel(user, kommune_id) -> bool:
    """Who may create or change a rule-catalogue row owned by ``kommune_id`` (``None``: national):
    a national rule administrator any row; anyone else only their own municipality's rows."""
    if er_national_regeladministrator(user):
        return True
    return kommune_id is not None and kommune_id == getattr(user, "kommune_id", None)


def _for_kommune(qs, kommune_id):
    return qs.filter(Q(kommune_id=kommune_id) | Q(kommune__isnull=True)).order_by(
        F("kommune_id").asc(nulls_last=True), "-gyldig_fra"
    )


def frist_definition(art: str, kommune_id, paa: dt.date) -> FristDefinition | None:
    return _for_kommune(FristDefinition.objects.gyldig_paa(paa).filter(art=art), kommune_id).first()


def definitioner_startet_af(haendelse: str, kommune_id, paa: dt.date) -> list[FristDefinition]:
    """The definition in force per deadline kind for deadlines that this event starts."""
    rows = _for_kommune(
        FristDefinition.objects.gyldig_paa(paa).filter(start_haendelser__contains=[haendelse]), kommune_id
    )
    chosen: dict[str, FristDefinition] = {}
    for row in rows:
        chosen.setdefault(row.art, row)
    return list(chosen.values())


def parameter_raekke(kode: str, kommune_id, paa: dt.date) -> Regelparameter | None:
    return _for_kommune(Regelparameter.objects.gyldig_paa(paa).filter(kode=kode), kommune_id).first()


def parameter(kode: str, kommune_id, paa: dt.date, default=None):
    row = parameter_raekke(kode, kommune_id, paa)
    return default if row is None else row.vaerdi


def lovhenvisning(kode: str, paa: dt.date) -> Lovhenvisning | None:
    return Lovhenvisning.objects.gyldig_paa(paa).filter(kode=kode).order_by("-gyldig_fra").first()
