"""The forløb and deadline lists' lean read path answers exactly what the DRF serializers answer.

``GET /api/v1/forloeb/`` and ``GET /api/v1/frister/`` read their page as dicts and build the answer
by hand instead of through a model object and DRF field objects per row (issue #14). The answer must
stay the documented one: these tests compare every row of a rich page (forløb in several states, with
and without a caseworker or a next-step date; deadlines of every status, open and closed, national
and municipal rules) with ``ForloebSerializer``'s and ``FristSerializer``'s output, key order included,
as an API client and as a caseworker, on the first page and on a cursor page.
"""

import pytest

from cases.api.serializers import ForloebSerializer, FristSerializer
from cases.models import Forloeb, Frist, FristStatus, User
from tests import factories
from tests.api_hjaelp import alle_sider, klienter, som_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def rig(team, sagsbehandler):
    """Forløb in several states and many deadlines of every status, with the fields that may be empty."""
    forloeb = [
        factories.forloeb_i(t, team=team, sagsbehandler=sagsbehandler)
        for t in ("aktivitetsparat", "rehabiliteringsteam", "indstilling", "afsluttet")
    ]
    Forloeb.objects.filter(pk=forloeb[0].pk).update(sagsbehandler=None)
    Forloeb.objects.filter(pk=forloeb[1].pk).update(
        naeste_skridt="Ring til borgeren æøå", naeste_skridt_dato=factories.dag(3)
    )
    navnloes = factories.medarbejder(team)
    User.objects.filter(pk=navnloes.pk).update(first_name="", last_name="")  # shown by username
    Forloeb.objects.filter(pk=forloeb[2].pk).update(sagsbehandler=navnloes)
    forbillede = Frist.objects.filter(forloeb__in=forloeb).first()
    kommunal = forbillede.definition
    kommunal.pk = None
    kommunal.kommune_id = team.jobcenter.kommune_id
    kommunal.save()
    for i in range(24):
        Frist.objects.create(
            forloeb=forloeb[i % 4], kommune_id=forbillede.kommune_id, team_id=forbillede.team_id, art=f"ekstra_{i}",
            reference=f"ref-{i}" if i % 3 else "", definition=kommunal if i % 5 == 0 else forbillede.definition,
            start_haendelse="brev_sendt", start_dato=factories.dag(i), forfald=factories.dag(i + 10),
            gaeldende_forfald=factories.dag(i + 10 + i % 4), type=forbillede.type, ansvar=["borger", "kommune"][i % 2],
            lovgrundlag="LAS § 1", forklaring=f"Forklaring {i} æøå",
            status=[FristStatus.AABEN, FristStatus.FORLAENGET, FristStatus.OVERSKREDET, FristStatus.OVERHOLDT][i % 4],
            lukket_dato=factories.dag(i + 5) if i % 4 == 3 else None, lukket_af="brev_sendt" if i % 4 == 3 else "",
        )  # fmt: skip
    assert set(Frist.objects.filter(forloeb__in=forloeb).values_list("status", flat=True)) >= set(FristStatus)
    return forloeb


def _forloeb_gammel(ids: list[str]) -> list[dict]:
    objs = Forloeb.objects.select_related("borger", "team", "sagsbehandler").in_bulk(ids)
    return som_json(ForloebSerializer([objs[i] for i in map(_uuid, ids)], many=True).data)


def _frister_gammel(ids: list[str]) -> list[dict]:
    objs = Frist.objects.select_related("definition", "forloeb").in_bulk(ids)
    return som_json(FristSerializer([objs[i] for i in map(_uuid, ids)], many=True).data)


def _uuid(s: str):
    import uuid

    return uuid.UUID(s)


@pytest.mark.parametrize("hvem", ["api_klient", "sagsbehandler"])
def test_forloebslisten_er_praecis_serializerens_svar(rig, team, sagsbehandler, hvem):
    raekker = alle_sider(klienter(team, sagsbehandler, "forloeb:read")[hvem], "/api/v1/forloeb/")
    assert len(raekker) == 4
    forventet = _forloeb_gammel([r["id"] for r in raekker])
    assert raekker == forventet
    assert [list(r) for r in raekker] == [list(r) for r in forventet]  # the same key order too
    assert {r["sagsbehandler_navn"] for r in raekker} >= {"", str(sagsbehandler)}
    assert any(r["naeste_skridt_dato"] for r in raekker)


@pytest.mark.parametrize("hvem", ["api_klient", "sagsbehandler"])
def test_fristlisten_er_praecis_serializerens_svar(rig, team, sagsbehandler, hvem):
    raekker = alle_sider(klienter(team, sagsbehandler, "forloeb:read")[hvem], "/api/v1/frister/")
    assert len(raekker) >= 24
    forventet = _frister_gammel([r["id"] for r in raekker])
    assert raekker == forventet
    assert [list(r) for r in raekker] == [list(r) for r in forventet]
    assert [list(r["regelversion"]) for r in raekker] == [list(r["regelversion"]) for r in forventet]
    assert {r["regelversion"]["kommunal"] for r in raekker} == {True, False}
    assert {r["lukket_dato"] is None for r in raekker} == {True, False}


def test_filtrerede_lister_er_serializerens_svar(rig, team, sagsbehandler):
    c = klienter(team, sagsbehandler, "forloeb:read")["api_klient"]
    frister = c.get("/api/v1/frister/?aaben=false").json()["results"]
    assert frister and all(r["lukket_dato"] for r in frister)
    assert frister == _frister_gammel([r["id"] for r in frister])
    forloeb = c.get("/api/v1/forloeb/?tilstand=afsluttet").json()["results"]
    assert [r["tilstand"] for r in forloeb] == ["afsluttet"]
    assert forloeb == _forloeb_gammel([r["id"] for r in forloeb])
