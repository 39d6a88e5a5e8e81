"""Rehab reads scoped to the caller: everything hangs off a forløb the caller may see
(``cases.selectors.forloeb_for``); meeting days belong to the caller's municipality."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.selectors import forloeb_for

from .models import Booking, ForberedendeDel, Indstilling, Moededag, Partshoering


def _synlige(qs: QuerySet, user) -> QuerySet:
    return qs.filter(forloeb__in=forloeb_for(user).values("pk"))


def forberedende_dele_for(user) -> QuerySet[ForberedendeDel]:
    return _synlige(ForberedendeDel.objects.select_related("forloeb"), user)


def bookinger_for(user) -> QuerySet[Booking]:
    return _synlige(Booking.objects.select_related("forloeb", "moededag"), user)


def indstillinger_for(user) -> QuerySet[Indstilling]:
    return _synlige(Indstilling.objects.select_related("forloeb"), user)


def partshoeringer_for(user) -> QuerySet[Partshoering]:
    return _synlige(Partshoering.objects.select_related("forloeb"), user)


def moededage_for(user) -> QuerySet[Moededag]:
    kommune_id = getattr(user, "kommune_id", None) if getattr(user, "is_authenticated", False) else None
    if kommune_id is None:
        return Moededag.objects.none()
    return Moededag.objects.filter(kommune_id=kommune_id)
