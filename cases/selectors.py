"""Reads scoped to the caller. Every list and detail view, UI or API, goes through these."""

from __future__ import annotations

from django.db.models import QuerySet

from . import cpr as cprlib
from .models import Borger, Rolle, Team


def teams_for(user) -> QuerySet[Team]:
    """Teams whose citizens the user may see: own teams; a jurist sees the whole municipality."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "kommune_id", None) is None:
        return Team.objects.none()
    qs = Team.objects.filter(jobcenter__kommune_id=user.kommune_id)
    if user.rolle == Rolle.JURIST:
        return qs
    return qs.filter(medlemmer=user)


def borgere_for(user) -> QuerySet[Borger]:
    if not getattr(user, "is_authenticated", False) or getattr(user, "kommune_id", None) is None:
        return Borger.objects.none()
    qs = Borger.objects.filter(kommune_id=user.kommune_id).select_related("team")
    if user.rolle == Rolle.JURIST:
        return qs
    return qs.filter(team_id__in=teams_for(user).values("id"))


def borger_soeg(user, query: str) -> QuerySet[Borger]:
    """Search by exact CPR (with or without hyphen) or by name parts; always scoped to the user."""
    qs = borgere_for(user)
    query = (query or "").strip()
    if not query:
        return qs
    digits = query.replace("-", "").replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        try:
            parsed = cprlib.parse(digits)
        except Exception:  # noqa: BLE001 - an invalid CPR simply matches nobody
            return qs.none()
        return qs.filter(cpr_hash=cprlib.lookup_hash(parsed))
    for part in query.split():
        from django.db.models import Q

        qs = qs.filter(Q(fornavn__icontains=part) | Q(efternavn__icontains=part))
    return qs
