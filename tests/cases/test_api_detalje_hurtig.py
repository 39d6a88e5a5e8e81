"""The forløb detail's lean read path answers exactly what the DRF serializer answers.

The detail GET is the integrators' hottest read: it is serialised by hand from one query
(forløb, deadlines and history together) instead of through DRF field objects per row. The answer must
stay byte-for-byte the documented one: these tests compare it with ``ForloebDetailSerializer``'s output
for a rich forløb (deadlines open, closed and extended, a long history with data), as an API client
and as a caseworker (with the transition rules evaluated), and pin the query count.
"""

import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from cases.api.auth import KlientPrincipal
from cases.api.serializers import ForloebDetailSerializer
from cases.models import ApiKlient, Forloeb, Frist, FristStatus
from tests import factories
from tests.api_hjaelp import api_klient

pytestmark = pytest.mark.django_db
URL = "/api/v1/forloeb/"


def _gammel(fl, user) -> dict:
    """The answer as the DRF serializer builds it (the contract)."""
    request = APIRequestFactory().get(f"{URL}{fl.pk}/")
    request.user = user
    obj = Forloeb.objects.select_related("borger", "team", "sagsbehandler").prefetch_related("historik").get(pk=fl.pk)
    data = ForloebDetailSerializer(obj, context={"request": request}).data
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def rig(team, sagsbehandler):
    """A forløb far down its path: many deadlines (open, closed), a history with data."""
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    forbillede = fl.frister.first()
    for i in range(20):  # the bench's 20 deadlines per forløb: open, extended, closed, overdue
        Frist.objects.create(
            forloeb=fl, kommune_id=forbillede.kommune_id, team_id=forbillede.team_id, art=f"ekstra_{i}",
            reference=f"ref-{i}" if i % 3 else "", definition=forbillede.definition, start_haendelse="brev_sendt",
            start_dato=factories.dag(i), forfald=factories.dag(i + 10), gaeldende_forfald=factories.dag(i + 10 + i % 4),
            type=forbillede.type, ansvar=forbillede.ansvar, lovgrundlag="LAS § 1", forklaring=f"Forklaring {i} æøå",
            status=[FristStatus.AABEN, FristStatus.FORLAENGET, FristStatus.OVERSKREDET, FristStatus.OVERHOLDT][i % 4],
            lukket_dato=factories.dag(i + 5) if i % 4 == 3 else None, lukket_af="brev_sendt" if i % 4 == 3 else "",
        )  # fmt: skip
    assert fl.historik.count() >= 3
    return fl


def test_detalje_som_api_klient_er_praecis_serializerens_svar(rig, team):
    c, k = api_klient(team, "forloeb:read")
    svar = c.get(f"{URL}{rig.pk}/")
    assert svar.status_code == 200, svar.content
    assert svar.json() == _gammel(rig, KlientPrincipal(k))
    assert list(svar.json()) == list(_gammel(rig, KlientPrincipal(k)))  # the same key order too


def test_detalje_som_sagsbehandler_er_praecis_serializerens_svar(rig, sagsbehandler):
    c = APIClient()
    c.force_authenticate(sagsbehandler)
    svar = c.get(f"{URL}{rig.pk}/")
    assert svar.status_code == 200, svar.content
    forventet = _gammel(rig, sagsbehandler)
    assert forventet["tilladte_overgange"], "the caseworker sees the transitions with their rules"
    assert svar.json() == forventet


@pytest.mark.parametrize("tilstand", ["aktivitetsparat", "rehabiliteringsteam", "afsluttet"])
def test_detalje_i_andre_tilstande_er_serializerens_svar(team, sagsbehandler, tilstand):
    fl = factories.forloeb_i(tilstand, team=team, sagsbehandler=sagsbehandler)
    c = APIClient()
    c.force_authenticate(sagsbehandler)
    assert c.get(f"{URL}{fl.pk}/").json() == _gammel(fl, sagsbehandler)


def test_detalje_som_api_klient_koster_faa_forespoergsler(rig, team, monkeypatch):
    # The transition rules' own queries (they depend on the state) are not the read path's.
    monkeypatch.setattr("cases.api.detalje.tilladte_overgange", lambda fl, user: [])
    c, _ = api_klient(team, "forloeb:read")
    c.get(f"{URL}{rig.pk}/")  # the token's last-use stamp is written on the first call only
    with CaptureQueriesContext(connection) as q:
        assert c.get(f"{URL}{rig.pk}/").status_code == 200
    sql = [x["sql"] for x in q.captured_queries]
    # The token lookup, the forløb with its deadlines and history in one query, the read-audit row.
    assert len(sql) <= 3, "\n".join(sql)


# --- The token lookup is remembered briefly; a revoked token is refused -------------------------------
def _klient_opslag(q) -> int:
    return sum('FROM "cases_apiklient"' in x["sql"] for x in q.captured_queries)


def test_tokenet_slaas_op_een_gang_og_huskes(rig, team):
    c, _ = api_klient(team, "forloeb:read")
    assert c.get(f"{URL}{rig.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as q:
        assert c.get(f"{URL}{rig.pk}/").status_code == 200
    assert _klient_opslag(q) == 0


def test_deaktiveret_klient_afvises_straks_trods_husket_token(rig, team):
    c, k = api_klient(team, "forloeb:read")
    assert c.get(f"{URL}{rig.pk}/").status_code == 200  # remembered now
    k.aktiv = False
    k.save(update_fields=["aktiv"])  # what the command and the admin do
    assert c.get(f"{URL}{rig.pk}/").status_code == 401


def test_mistet_scope_gaelder_straks(rig, team):
    c, k = api_klient(team, "forloeb:read")
    assert c.get(f"{URL}{rig.pk}/").status_code == 200
    k.scopes = ["borgere:read"]
    k.save(update_fields=["scopes"])
    assert c.get(f"{URL}{rig.pk}/").status_code == 403


def test_deaktivering_uden_om_modellen_gaelder_naar_cachetiden_er_gaaet(rig, team, monkeypatch, settings):
    settings.API_TOKEN_CACHE_SEKUNDER = 30
    c, k = api_klient(team, "forloeb:read")
    assert c.get(f"{URL}{rig.pk}/").status_code == 200
    ApiKlient.objects.filter(pk=k.pk).update(aktiv=False)  # a raw UPDATE: no signal reaches the cache
    nu = time.time()
    monkeypatch.setattr("cases.tokencache.time.time", lambda: nu + 29)
    assert c.get(f"{URL}{rig.pk}/").status_code == 200  # within the cache time
    monkeypatch.setattr("cases.tokencache.time.time", lambda: nu + 31)
    assert c.get(f"{URL}{rig.pk}/").status_code == 401


def test_uden_redis_slaas_tokenet_op_hver_gang_og_api_et_svarer(rig, team, settings):
    settings.CACHES = settings.CACHES | {"default": settings.CACHES["default"] | {"LOCATION": "redis://127.0.0.1:1/0"}}
    c, _ = api_klient(team, "forloeb:read")
    for _ in range(2):
        with CaptureQueriesContext(connection) as q:
            assert c.get(f"{URL}{rig.pk}/").status_code == 200
        assert _klient_opslag(q) == 1
