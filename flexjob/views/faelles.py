"""What the fleksjob pages share: scoped look-ups (another team's or municipality's forløb or
employment is a 404) and the Danish presentation of hours and assessments."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404

from cases.selectors import forloeb_for
from decisions.models import DokumentStatus

from .. import rules, selectors
from ..forms import parse_timer, tal_dansk
from ..models import Arbejdsevnevurdering


def hent_forloeb(request, pk):
    return get_object_or_404(forloeb_for(request.user).select_related("borger", "team", "sagsbehandler"), pk=pk)


def hent_ansaettelse(request, pk):
    return get_object_or_404(
        selectors.ansaettelser_for(request.user).select_related("forloeb__team", "forloeb__sagsbehandler"), pk=pk
    )


def effektive_timer_tekst(timer, intensitet) -> str | None:
    """The service's computation (hours × intensity), formatted Danish: '7,50'; None if not computable."""
    t = parse_timer(timer) if not hasattr(timer, "quantize") else timer
    if t is None or t <= 0 or t != t.quantize(Decimal("0.1")) or rules.intensitet_fejl(intensitet):
        return None
    return tal_dansk(rules.effektive_timer(t, int(str(intensitet).strip())), 2)


def vurderinger_af(ansaettelse) -> list[Arbejdsevnevurdering]:
    return list(ansaettelse.vurderinger.select_related("dokument").order_by("-version"))


def aabne_frister(ansaettelse) -> list:
    return list(selectors.aabne_frister(ansaettelse).select_related("definition"))


def vurdering_visning(v: Arbejdsevnevurdering) -> dict:
    return {
        "v": v,
        "timer": tal_dansk(v.timer),
        "job_timer": tal_dansk(v.job_timer),
        "effektive": tal_dansk(v.effektive_timer, 2),
        "kladde": v.dokument.status == DokumentStatus.KLADDE,
    }
