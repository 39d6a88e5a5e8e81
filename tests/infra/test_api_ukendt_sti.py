"""An unknown path under /api/ answers problem+json 404 for every method, also with a session cookie."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("metode", ["get", "post", "patch", "put", "delete"])
def test_ukendt_api_sti_giver_problem_404_ikke_csrf_side(metode, sagsbehandler):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sagsbehandler)
    kwargs = {} if metode == "get" else {"data": "{}", "content_type": "application/json"}
    response = getattr(client, metode)("/api/v1/afgoerelser/0.5/", **kwargs)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
