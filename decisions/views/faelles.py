"""Reads shared by the decisions pages: scoped look-ups (another team's or municipality's forløb,
document or complaint is a 404) and the logged read."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from cases.selectors import forloeb_for
from infra import audit

from .. import klager
from ..models import Dokument, Klage
from ..selectors import dokumenter_for


def hent_forloeb(request, pk):
    return get_object_or_404(forloeb_for(request.user).select_related("borger", "team"), pk=pk)


def hent_dokument(request, pk) -> Dokument:
    return get_object_or_404(
        dokumenter_for(request.user).select_related("forloeb__borger", "forloeb__team", "kommune"), pk=pk
    )


def hent_klage(request, pk) -> Klage:
    return get_object_or_404(
        klager.klager_for(request.user).select_related("forloeb__borger", "afgoerelse__forloeb"), pk=pk
    )


def laes(request, handling: str, forloeb, subject=None) -> None:
    audit.record_read(actor=request.user, handling=handling, borgere=[forloeb.borger_id], subject=subject)
