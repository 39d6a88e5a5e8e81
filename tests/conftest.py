import importlib
import json
import time

import jsonschema
import pytest
from django.test.client import Client

from cases.models import Rolle
from infra import cpr as cprlib
from infra.api.problems import CONTENT_TYPE
from infra.api.schema import PROBLEM
from tests import factories

_PROBLEM_VALIDATOR = jsonschema.Draft202012Validator(PROBLEM)
_client_request = Client.request


def _request_med_problemtjek(self, **request):
    """Every problem+json answer any test receives conforms to the schema's Problem component (the
    one documented error vocabulary): a key the schema does not document fails the test that saw it."""
    response = _client_request(self, **request)
    if response.get("Content-Type") == CONTENT_TYPE:
        fejl = [e.message for e in _PROBLEM_VALIDATOR.iter_errors(json.loads(response.content))]
        assert not fejl, f"problem+json outside the documented Problem schema: {fejl}\n{response.content[:500]!r}"
    return response


Client.request = _request_med_problemtjek


@pytest.fixture(autouse=True)
def regelkatalog(request):
    """The national rule catalogue as migrations 0004, 0006 and 0009 seed it, for every test that uses the database.

    A transactional test's flush empties it for the tests after it (and serialized_rollback clashes
    with the content types that flush recreates), so it is seeded again when missing.
    """
    marker = request.node.get_closest_marker("django_db")
    bruger_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not bruger_db:
        return
    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    from cases.models import FristDefinition

    if not FristDefinition.objects.exists():
        from django.apps import apps

        importlib.import_module("cases.migrations.0004_seed_regelkatalog").seed(apps, None)
        importlib.import_module("cases.migrations.0006_fristdefinition_varsel_handling").saet_handlinger(apps, None)
        importlib.import_module("cases.migrations.0009_regeltype").rettelser(apps, None)


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


@pytest.fixture
def langsom_frist_motor(monkeypatch):
    """Concurrency tests (tests/samtidighed.py): hold the winner's transaction open a moment, so the other caller really has to wait for it."""
    from cases import frister

    original = frister.registrer_haendelse

    def langsom(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(frister, "registrer_haendelse", langsom)


@pytest.fixture
def klient(client, sagsbehandler):
    """A browser session logged in as the team's caseworker."""
    client.force_login(sagsbehandler)
    return client


@pytest.fixture
def fuldt_cpr():
    """The citizen's full CPR digits (for asserting that pages never show them)."""

    def _fuldt(borger) -> str:
        return cprlib.decrypt(borger.cpr_krypteret)

    return _fuldt
