import pytest

from cases import cpr as cprlib


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
