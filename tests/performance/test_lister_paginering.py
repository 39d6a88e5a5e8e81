"""The lists' keyset cursor (infra/api/pagination.py) as an integrator walks it.

Rows that share ``oprettet`` (a bulk import) are neither skipped nor repeated, ``previous`` walks
back to the same pages, a cursor that is not one of ours is a 400 on ``cursor``, and a page costs the
same number of queries whatever its size (no N+1).
"""

from __future__ import annotations

import base64
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.api.auth import KlientPrincipal
from cases.models import ApiKlient, Forloeb, Journalnotat, NotatType
from infra.api.pagination import UGYLDIG_CURSOR, CursorPagination
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def klient(team):
    k = ApiKlient.objects.create(
        navn="Vitas (fiktiv)",
        kommune=team.jobcenter.kommune,
        scopes=["forloeb:read", "borgere:read"],
        token_hash="x" * 64,
    )
    c = APIClient()
    c.force_authenticate(KlientPrincipal(k))
    return c


@pytest.fixture
def syv_forloeb(team, sagsbehandler):
    """Seven forløb created in the same instant (as a migration or a bulk import leaves them)."""
    fl = [factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler) for _ in range(7)]
    Forloeb.objects.filter(pk__in=[f.pk for f in fl]).update(oprettet=timezone.now())
    return fl


def _sti(url: str) -> str:
    return url.split("testserver", 1)[1]


def test_cursoren_gaar_gennem_raekker_med_samme_oprettet_uden_at_springe_over_eller_gentage(klient, syv_forloeb):
    sider, url = [], "/api/v1/forloeb/?page_size=3"
    while url:
        body = klient.get(url).json()
        sider.append([r["id"] for r in body["results"]])
        url = body["next"] and _sti(body["next"])
    assert [len(s) for s in sider] == [3, 3, 1]
    set_ids = [i for s in sider for i in s]
    assert set_ids == sorted((str(f.pk) for f in syv_forloeb), reverse=True)  # ties broken by id, newest first


def test_previous_fra_sidste_side_giver_de_samme_sider_tilbage(klient, syv_forloeb):
    side1 = klient.get("/api/v1/forloeb/?page_size=3").json()
    assert side1["previous"] is None
    side2 = klient.get(_sti(side1["next"])).json()
    side3 = klient.get(_sti(side2["next"])).json()
    assert side3["next"] is None
    tilbage2 = klient.get(_sti(side3["previous"])).json()
    assert [r["id"] for r in tilbage2["results"]] == [r["id"] for r in side2["results"]]
    tilbage1 = klient.get(_sti(tilbage2["previous"])).json()
    assert [r["id"] for r in tilbage1["results"]] == [r["id"] for r in side1["results"]]
    assert tilbage1["previous"] is None
    assert _sti(tilbage1["next"]) == _sti(side1["next"])


class ORDEN(CursorPagination):
    ordering = ("-oprettet", "-id")


def _b64(data) -> str:
    if isinstance(data, dict):
        data = {"o": ORDEN()._orden(), **data}
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "ikke-en-cursor",
        "%%%",
        _b64({"k": ["2026-01-01T00:00:00+00:00"]}),  # too short for the key
        _b64({"k": ["i går", "00000000-0000-0000-0000-000000000000"]}),  # not a timestamp
        _b64({"k": ["2026-01-01T00:00:00+00:00", "ikke-et-uuid"]}),
        _b64({"k": [1, 2]}),
        _b64(["2026-01-01"]),
        _b64({"k": ["2026-01-01T00:00:00+00:00", "00000000-0000-0000-0000-000000000000"], "o": "andet"}),
    ],
)
def test_en_ugyldig_cursor_er_400_paa_feltet_cursor(klient, cursor):
    r = klient.get(f"/api/v1/forloeb/?cursor={cursor}")
    assert r.status_code == 400, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["errors"] == {"cursor": [UGYLDIG_CURSOR]}


def test_en_fristcursor_virker_ikke_paa_forloebslisten(klient, syv_forloeb):
    body = klient.get("/api/v1/frister/?page_size=2").json()
    cursor = body["next"].split("cursor=")[1].split("&")[0]
    assert klient.get(f"/api/v1/forloeb/?cursor={cursor}").status_code == 400


@pytest.mark.parametrize(
    "liste", ["/api/v1/forloeb/", "/api/v1/frister/", "/api/v1/borgere/", "/api/v1/journalnotater/"]
)
def test_en_side_koster_lige_mange_forespoergsler_uanset_stoerrelse(klient, syv_forloeb, sagsbehandler, liste):
    for fl in syv_forloeb:
        Journalnotat.objects.create(
            forloeb=fl, type=NotatType.values[0], overskrift="Samtale", tekst="Fiktiv.", forfatter=sagsbehandler
        )

    def antal(page_size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as q:
            r = klient.get(f"{liste}?page_size={page_size}")
        assert r.status_code == 200, r.content
        return len(q.captured_queries), len(r.json()["results"])

    lille, stor = antal(2), antal(7)
    assert lille[1] == 2 and stor[1] == 7
    assert lille[0] == stor[0]
