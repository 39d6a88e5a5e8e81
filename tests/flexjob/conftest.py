import datetime as dt
from decimal import Decimal

import pytest

from decisions import services as decisions
from flexjob import services
from tests import factories
from tests.browser.conftest import browser, ny_side  # noqa: F401 - the shared browser fixtures
from tests.factories import dag

CVR = "10150817"  # checksum-valid fictitious CVR


@pytest.fixture
def fleksjob_forloeb(team):
    """A forløb with an issued fleksjob visitation (issued day 40; 12.5 hours at 60 %), which
    registered the visitation and opened the ledighedsydelse period."""
    return factories.forloeb_i("fleksjob", team=team)


def fleksjob_med(visitation: dict, **kw):
    """A forløb whose visitation decision (issued day 40) states ``visitation`` (``baseline_timer``,
    ``baseline_intensitet``, ``meget_begraenset``, ``permanent``, ``ledighedsydelse_fra``); ``kw`` go to
    the factory (team, borger)."""
    return factories.forloeb_i("fleksjob", visitation=visitation, **kw)


def uden_visitation(fl):
    """The forløb as if its visitation decision had been issued before issuing registered the
    visitation (older data): the visitation is then linked by hand (``services.visitation_opret``)."""
    from flexjob.models import Ledighedsydelse, Visitation

    Ledighedsydelse.objects.filter(visitation__forloeb=fl).delete()
    Visitation.objects.filter(forloeb=fl).delete()
    return fl


def visitation_af(fl):
    """The visitation registered when the forløb's visitation decision was issued."""
    return services.aktuel_visitation(fl)


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


#: Answers to the assessment's prompts a careful caseworker gives (each with a reason).
SVAR = {
    "udgangspunkt": "ja",
    "progression": "nej",
    "progressionsmaal_aftale": "nej",
    "forebyggelse": "nej",
    "kompenserende": "nej",
    "opfoelgning": "nej",
    "inddragelse": "nej",
    "supplerende_fleksjob": "ja",
}


def besvar(v, **svar):
    """Answer the assessment decision's prompts (``SVAR``; progression "ja" when a plan is written)."""
    svar = SVAR | ({"progression": "ja"} if v.progression.strip() else {}) | svar
    decisions.dokument_opdater(
        actor=v.ansaettelse.forloeb.sagsbehandler,
        dokument=v.dokument,
        svar=[{"kode": k, "svar": a, "begrundelse": f"Begrundelse for svaret ({k})."} for k, a in svar.items()],
    )
    v.dokument.refresh_from_db()
    return v


def vurdering_til(a, *, svar: dict | None = None, **kw):
    """A draft assessment with the required content (paid job confirmed, tool named) and its prompts
    answered; ``svar`` overrides answers."""
    kw.setdefault("timer", a.loennede_timer)
    kw.setdefault("intensitet", a.intensitet)
    kw.setdefault("opgaver", "Pakning af brød, opvask.")
    kw.setdefault("skaanehensyn", SKAANEHENSYN)
    kw.setdefault("loen_bekraeftet", True)
    kw.setdefault("vaerktoej", "kl_ab325")
    v = services.arbejdsevnevurdering_opret(actor=a.forloeb.sagsbehandler, ansaettelse=a, **kw)
    return besvar(v, **(svar or {}))


@pytest.fixture
def visitation(fleksjob_forloeb):
    return visitation_af(fleksjob_forloeb)


@pytest.fixture
def ansaettelse(visitation):
    return ansaettelse_til(visitation.forloeb)


__all__ = ["dt"]
