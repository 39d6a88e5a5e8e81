"""Who sees which citizens: own teams only; jurist the municipality; never another municipality."""

import pytest

from cases.models import Rolle
from cases.selectors import borger_soeg, borgere_for
from tests import factories


@pytest.fixture
def verden(team, andet_team, fremmed_team):
    ejer = factories.medarbejder(team)
    return {
        "egen": factories.borger(team, actor=ejer),
        "andet_team": factories.borger(andet_team, actor=factories.medarbejder(andet_team)),
        "fremmed_kommune": factories.borger(fremmed_team, actor=factories.medarbejder(fremmed_team)),
    }


@pytest.mark.parametrize(
    ("rolle", "ser"),
    [
        (Rolle.SAGSBEHANDLER, {"egen"}),
        (Rolle.TEAMLEDER, {"egen"}),
        (Rolle.MOEDELEDER, {"egen"}),
        (Rolle.JURIST, {"egen", "andet_team"}),
    ],
)
def test_borgerliste_afgraenses_af_rolle_og_team(verden, team, rolle, ser):
    bruger = factories.medarbejder(team, rolle)
    synlige = set(borgere_for(bruger))
    assert synlige == {verden[k] for k in ser}
    assert verden["fremmed_kommune"] not in synlige


def test_sagsbehandler_uden_team_ser_ingen(verden, team):
    bruger = factories.UserFactory(kommune=team.jobcenter.kommune, rolle=Rolle.SAGSBEHANDLER)
    assert not borgere_for(bruger).exists()


def test_superbruger_uden_kommune_ser_ingen_borgere(verden):
    admin = factories.UserFactory(kommune=None, is_superuser=True, is_staff=True)
    assert not borgere_for(admin).exists()


def test_cpr_soegning_finder_ikke_borger_i_anden_kommune(verden, team):
    from infra import cpr as cprlib

    bruger = factories.medarbejder(team)
    fremmed = verden["fremmed_kommune"]
    digits = cprlib.decrypt(fremmed.cpr_krypteret)
    assert not borger_soeg(bruger, digits).exists()
