"""Schemathesis against the committed OpenAPI schema (docs/api/openapi.yaml), in process (WSGI).

Every operation gets generated requests (valid and schema-violating), authenticated as an API
client with every scope of the caller's municipality. Checks: no 5xx, and every response conforms
to the schema (status code declared, content type, body schema; problem+json against the Problem
component, which allows no undocumented key).

Two phases: each operation on its own (``test_api_svarer_...``), and stateful sequences that follow
the schema's links (``infra.api.schema.tilfoej_links``: from what a POST creates to every operation on
it, with ``If-Match: *``), so writes reach real objects and their state machines instead of stopping
at 404/428. Example counts are set so the file stays under about 90 s on the 2-core CI machine.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories

from .conftest import api_klient

schema = schemathesis.openapi.from_path(settings.BASE_DIR / "docs" / "api" / "openapi.yaml")
schema.app = get_wsgi_application()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def token(db):
    # Like Django's test client: requests must not close the test transaction's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    team = factories.TeamFactory()
    sb = factories.medarbejder(team)
    factories.borger(team, actor=sb, fornavn="Fuzz", efternavn="Fiktivsen")
    yield api_klient(team.jobcenter.kommune, "Fuzz")[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@hsettings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_svarer_efter_skemaet_og_aldrig_med_5xx(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@pytest.mark.slow
def test_tilstandsfulde_forloeb_gennem_links_giver_aldrig_5xx(token):
    class Arbejdsgang(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=kwargs.get("headers"))

    Arbejdsgang.run(
        settings=hsettings(
            max_examples=15,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
