import datetime as dt
from decimal import Decimal

import pytest

from flexjob import services
from tests import factories
from tests.browser.conftest import browser, ny_side  # noqa: F401 - the shared browser fixtures
from tests.factories import dag

CVR = "10150817"  # checksum-valid fictitious CVR


@pytest.fixture
def fleksjob_forloeb(team):
    """A forløb with an issued fleksjob visitation (issued day 40)."""
    return factories.forloeb_i("fleksjob", team=team)


def visitation_af(fl, *, dato=None, **kw):
    d = fl.dokumenter.get(type="fleksjob_visitation")
    kw.setdefault("baseline_timer", Decimal("12.5"))
    kw.setdefault("baseline_intensitet", 60)
    return services.visitation_opret(actor=fl.sagsbehandler, forloeb=fl, afgoerelse=d, dato=dato or dag(40), **kw)


def virksomhed_til(fl, cvr=CVR, **kw):
    return services.virksomhed_find_eller_opret(
        actor=fl.sagsbehandler, kommune_id=fl.kommune_id, cvr=cvr, navn=kw.pop("navn", "Fiktiv Bageri ApS"), **kw
    )


def ansaettelse_til(fl, *, start=None, **kw):
    kw.setdefault("loennede_timer", Decimal("12.5"))
    kw.setdefault("intensitet", 60)
    kw.setdefault("opgaver", "Pakning af brød, opvask.")
    return services.ansaettelse_opret(
        actor=fl.sagsbehandler,
        forloeb=fl,
        virksomhed=kw.pop("virksomhed", None) or virksomhed_til(fl),
        start=start or dag(60),
        **kw,
    )


SKAANEHENSYN = [{"hensyn": "Ingen tunge løft", "imoedekommet": "Kollega løfter sække over 5 kg."}]


def vurdering_til(a, **kw):
    kw.setdefault("timer", a.loennede_timer)
    kw.setdefault("intensitet", a.intensitet)
    kw.setdefault("opgaver", "Pakning af brød, opvask.")
    kw.setdefault("skaanehensyn", SKAANEHENSYN)
    return services.arbejdsevnevurdering_opret(actor=a.forloeb.sagsbehandler, ansaettelse=a, **kw)


@pytest.fixture
def visitation(fleksjob_forloeb):
    return visitation_af(fleksjob_forloeb)


@pytest.fixture
def ansaettelse(visitation):
    return ansaettelse_til(visitation.forloeb)


__all__ = ["dt"]
