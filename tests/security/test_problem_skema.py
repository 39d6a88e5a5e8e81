"""One error vocabulary: every kind of error answer the API gives, validated against the Problem
component of the committed schema (docs/api/openapi.yaml). tests/conftest.py validates every
problem+json any test receives as well; this is the representative sweep, one request per kind."""

from __future__ import annotations

import jsonschema
import pytest
import yaml
from django.conf import settings
from rest_framework.test import APIClient

from cases.models import Forloeb
from decisions.models import Dokument

from .conftest import api_klient

pytestmark = pytest.mark.django_db

SKEMA = yaml.safe_load((settings.BASE_DIR / "docs" / "api" / "openapi.yaml").read_text())


def test_problem_komponenten_beskriver_praecis_de_noegler_serveren_sender():
    problem = SKEMA["components"]["schemas"]["Problem"]
    assert problem["additionalProperties"] is False
    assert set(problem["properties"]) == {
        "type", "title", "status", "detail", "errors", "betingelser", "mangler", "kode", "grunde", "scopes",
    }  # fmt: skip
    assert "fejl" not in problem["properties"]


def test_hver_slags_fejlsvar_passer_til_skemaet(verden):
    validator = jsonschema.Draft202012Validator(SKEMA["components"]["schemas"]["Problem"])
    c = APIClient(raise_request_exception=False)
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {verden.token}")
    smal = APIClient(raise_request_exception=False)
    smal.credentials(HTTP_AUTHORIZATION=f"Bearer {api_klient(verden.egen.team.jobcenter.kommune, 'Smal')[1]}")
    fl = verden.egen.objekter[Forloeb]
    udstedt = verden.egen.objekter[Dokument]
    borger = verden.egen.borger
    svar = {
        "validering": c.post("/api/v1/borgere/", {"cpr": "x"}, format="json"),
        "json": c.post("/api/v1/borgere/", "{x", content_type="application/json"),
        "401": APIClient().get("/api/v1/forloeb/"),
        "404": c.get("/api/v1/forloeb/00000000-0000-0000-0000-000000000000/"),
        "404-sti": c.get("/api/v1/findes-ikke/"),
        "405": c.put(f"/api/v1/forloeb/{fl.pk}/", {}, format="json"),
        "415": c.post("/api/v1/borgere/soeg/", "cpr=1", content_type="text/plain"),
        "428": c.patch(f"/api/v1/borgere/{borger.pk}/", {}, format="json"),
        "412": c.patch(f"/api/v1/borgere/{borger.pk}/", {}, format="json", HTTP_IF_MATCH='"x-1"'),
        "409-betingelser": c.post(f"/api/v1/forloeb/{fl.pk}/overgange/afslut/", {}, format="json", HTTP_IF_MATCH="*"),
        "409-ikke-kladde": c.patch(f"/api/v1/afgoerelser/{udstedt.pk}/", {}, format="json", HTTP_IF_MATCH="*"),
        "413": c.post("/api/v1/borgere/soeg/", {"navn": "x" * (3 * 1024 * 1024)}, format="json"),
        "422": None,
    }
    ny = {"cpr": "070680-1234", "fornavn": "Ib", "efternavn": "Fiktiv", "team": str(verden.egen.team.pk)}
    assert c.post("/api/v1/borgere/", ny, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    svar["422"] = c.post("/api/v1/borgere/", {**ny, "fornavn": "Bo"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    fejl = []
    for navn, r in svar.items():
        if r.status_code < 400 or r["Content-Type"] != "application/problem+json":
            fejl.append(f"{navn}: {r.status_code} {r['Content-Type']}")
            continue
        fejl += [f"{navn}: {e.message}" for e in validator.iter_errors(r.json())]
    assert not fejl, "\n".join(fejl)
