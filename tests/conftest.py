import pytest

from cases.models import Rolle
from tests import factories


@pytest.fixture
def team(db):
    return factories.TeamFactory()


@pytest.fixture
def andet_team(team):
    """Another team in the same municipality."""
    return factories.TeamFactory(jobcenter=team.jobcenter)


@pytest.fixture
def fremmed_team(db):
    """A team in another municipality."""
    return factories.TeamFactory()


@pytest.fixture
def sagsbehandler(team):
    return factories.medarbejder(team, Rolle.SAGSBEHANDLER)


@pytest.fixture
def teamleder(team):
    return factories.medarbejder(team, Rolle.TEAMLEDER)


@pytest.fixture
def jurist(team):
    return factories.UserFactory(kommune=team.jobcenter.kommune, rolle=Rolle.JURIST)


@pytest.fixture
def borger(team, sagsbehandler):
    return factories.borger(team, actor=sagsbehandler, fornavn="Karen", efternavn="Fiktivsen")


@pytest.fixture
def api_client(sagsbehandler):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(sagsbehandler)
    return client
