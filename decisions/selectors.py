"""Reads of decisions and letters scoped to the caller (the forløb the caller may see)."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.selectors import forloeb_for

from .models import Dokument


def dokumenter_for(user) -> QuerySet[Dokument]:
    return Dokument.objects.filter(forloeb__in=forloeb_for(user).values("id")).select_related(
        "forloeb", "erstatter", "erstattet_af", "sagsbehandler"
    )
