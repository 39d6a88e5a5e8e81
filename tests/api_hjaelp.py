"""Shared helpers of the API tests: an API client with a bearer token, every cursor page of a list, and
serializer data as a client receives it (for the tests that prove a hand-built answer equals it)."""

from __future__ import annotations

import json

from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from cases.api.auth import hash_token, ny_token
from cases.models import ApiKlient


def som_json(data) -> list:
    """A serializer's data as a client receives it (rendered and parsed back)."""
    return json.loads(JSONRenderer().render(data))


def alle_sider(c: APIClient, url: str, page_size: int = 7) -> list[dict]:
    """Every row of the list, page by page (a small page size, so cursor pages are compared too)."""
    raekker, naeste = [], f"{url}?page_size={page_size}"
    while naeste:
        svar = c.get(naeste)
        assert svar.status_code == 200, svar.content
        raekker += svar.json()["results"]
        naeste = svar.json()["next"]
    return raekker


def api_klient(team, *scopes: str) -> tuple[APIClient, ApiKlient]:
    """An API client of the team's municipality with ``scopes``: the test client with its bearer token,
    and the client's row."""
    token = ny_token()
    k = ApiKlient.objects.create(
        navn="Vitas", kommune=team.jobcenter.kommune, scopes=list(scopes), token_hash=hash_token(token),
        token_prefix=token[:8],
    )  # fmt: skip
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return c, k


def klienter(team, sagsbehandler, *scopes: str) -> dict[str, APIClient]:
    """An API client of the team's municipality with ``scopes`` and a caseworker's session, by name."""
    sb = APIClient()
    sb.force_authenticate(sagsbehandler)
    return {"api_klient": api_klient(team, *scopes)[0], "sagsbehandler": sb}
