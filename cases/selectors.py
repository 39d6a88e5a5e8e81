"""Reads scoped to the caller. Every list and detail view, UI or API, goes through these.

Callers are employees (scoped by team membership; a jurist sees the municipality) or API clients
(bound to one municipality). Nobody sees another municipality's data.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from infra import cpr as cprlib

from .models import Borger, Forloeb, Frist, Journalnotat, Notifikation, Rolle, Team, Tilbud


def _kommune_id(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "kommune_id", None)


def _hele_kommunen(user) -> bool:
    return getattr(user, "er_api_klient", False) or getattr(user, "rolle", None) == Rolle.JURIST


def teams_for(user) -> QuerySet[Team]:
    """Teams whose citizens the user may see: own teams; a jurist or API client the whole municipality."""
    kommune_id = _kommune_id(user)
    if kommune_id is None:
        return Team.objects.none()
    qs = Team.objects.filter(jobcenter__kommune_id=kommune_id)
    if _hele_kommunen(user):
        return qs
    return qs.filter(medlemmer=user)


def omfang(user) -> tuple:
    """Everything :func:`_team_scoped` (built from it) takes from ``user`` outside SQL: two callers with the same
    ``omfang`` get the same SQL from every ``*_for`` selector (team memberships are a sub-select, read
    when the query runs). A key for SQL compiled once per scope (``infra.api.forberedt.opslag``)."""
    kommune_id = _kommune_id(user)
    if kommune_id is None:
        return (None,)
    if _hele_kommunen(user):
        return (kommune_id, "kommune")
    return (kommune_id, "teams", user.pk)


def _team_scoped(qs, user, team_field: str = "team_id", kommune_field: str = "kommune_id"):
    # Built from omfang(user), so the scope and the key of SQL compiled per scope cannot drift apart.
    kommune_id, *rest = omfang(user)
    if kommune_id is None:
        return qs.none()
    qs = qs.filter(**{kommune_field: kommune_id})
    if rest == ["kommune"]:
        return qs
    return qs.filter(**{f"{team_field}__in": teams_for(user).values("id")})


def borgere_for(user) -> QuerySet[Borger]:
    return _team_scoped(Borger.objects.select_related("team"), user)


def borger_soeg(user, query: str) -> QuerySet[Borger]:
    """Search by exact CPR (with or without hyphen) or by name parts; always scoped to the user."""
    qs = borgere_for(user)
    query = cprlib.normaliser(query or "").strip()
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
        qs = qs.filter(Q(fornavn__icontains=part) | Q(efternavn__icontains=part))
    return qs


def forloeb_for(user) -> QuerySet[Forloeb]:
    return _team_scoped(Forloeb.objects.select_related("borger", "team", "sagsbehandler"), user)


def frister_for(user) -> QuerySet[Frist]:
    return _team_scoped(Frist.objects.all(), user)


def journalnotater_for(user) -> QuerySet[Journalnotat]:
    return _team_scoped(
        Journalnotat.objects.select_related("forloeb"), user, team_field="forloeb__team_id",
        kommune_field="forloeb__kommune_id",
    )  # fmt: skip


def tilbud_for(user) -> QuerySet[Tilbud]:
    return _team_scoped(
        Tilbud.objects.select_related("forloeb"), user, team_field="forloeb__team_id",
        kommune_field="forloeb__kommune_id",
    )  # fmt: skip


def notifikationer_for(user) -> QuerySet[Notifikation]:
    if not getattr(user, "is_authenticated", False) or getattr(user, "er_api_klient", False):
        return Notifikation.objects.none()
    return Notifikation.objects.filter(modtager=user)
