"""Reads of fleksjob data, scoped to the caller through the forløb they may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from cases.models import Frist
from cases.selectors import borgere_for, forloeb_for, teams_for
from infra import datoer

from .models import Aftale, Ansaettelse, Arbejdsevnevurdering, Bevilling, Virksomhed, Visitation


@dataclass(frozen=True)
class Ventetid:
    """Days on ledighedsydelse: in the current (open) period, and in all periods of the visitation."""

    aktuel_dage: int
    samlet_dage: int
    paa_ledighedsydelse: bool
    siden: dt.date | None


def ventetid(visitation: Visitation, paa: dt.date | None = None) -> Ventetid:
    """A period runs from its start to its end (the employment's first day), or to ``paa`` while open."""
    paa = paa or datoer.idag()
    samlet, aktuel, siden = 0, 0, None
    for p in visitation.ledighedsperioder.all():
        slut = min(p.slut, paa) if p.slut else paa
        dage = max((slut - p.start).days, 0)
        samlet += dage
        if p.slut is None or p.slut > paa:
            aktuel, siden = dage, p.start
    return Ventetid(aktuel_dage=aktuel, samlet_dage=samlet, paa_ledighedsydelse=siden is not None, siden=siden)


def virksomheder_for(user) -> QuerySet[Virksomhed]:
    kommune_id = getattr(user, "kommune_id", None) if getattr(user, "is_authenticated", False) else None
    if kommune_id is None:
        return Virksomhed.objects.none()
    return Virksomhed.objects.filter(kommune_id=kommune_id)


def bevillinger_for(user) -> QuerySet[Bevilling]:
    """Earlier grants of the citizens the caller may see."""
    return Bevilling.objects.filter(borger__in=borgere_for(user).values("id")).select_related("borger")


def visitationer_for(user) -> QuerySet[Visitation]:
    return Visitation.objects.filter(forloeb__in=forloeb_for(user).values("id")).select_related(
        "forloeb__borger", "afgoerelse"
    )


def ansaettelser_for(user) -> QuerySet[Ansaettelse]:
    return Ansaettelse.objects.filter(forloeb__in=forloeb_for(user).values("id")).select_related(
        "forloeb__borger", "virksomhed", "visitation"
    )


def vurderinger_for(user) -> QuerySet[Arbejdsevnevurdering]:
    return Arbejdsevnevurdering.objects.filter(ansaettelse__forloeb__in=forloeb_for(user).values("id")).select_related(
        "ansaettelse__forloeb__borger", "ansaettelse__visitation", "ansaettelse__virksomhed", "dokument"
    )


def aftaler_for(user) -> QuerySet[Aftale]:
    """Agreements the caller may see: a client its own; an employee those of citizens in their teams
    (a jurist the municipality's), like every other list of citizens."""

    kommune_id = getattr(user, "kommune_id", None)
    if not getattr(user, "is_authenticated", False) or kommune_id is None:
        return Aftale.objects.none()
    qs = Aftale.objects.filter(kommune_id=kommune_id).select_related("borger", "ansaettelse")
    if getattr(user, "er_api_klient", False):
        return qs.filter(klient_id=user.klient.pk)
    return qs.filter(borger__team__in=teams_for(user))


def aabne_frister(ansaettelse: Ansaettelse) -> QuerySet[Frist]:
    """The employment's open deadlines (those the employment's events started)."""
    return Frist.objects.filter(
        forloeb_id=ansaettelse.forloeb_id, reference=f"ansaettelse:{ansaettelse.pk}", lukket_dato__isnull=True
    ).order_by("gaeldende_forfald")
