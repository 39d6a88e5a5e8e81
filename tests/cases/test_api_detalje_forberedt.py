"""The forløb detail's deadline and history sub-selects are compiled once per process.

Building and compiling the two ``ArraySubquery`` expressions was about half of the detail GET's
Python time; ``cases.api.forberedt`` compiles them the first time and reuses the SQL. These tests
pin that the reused SQL is the ORM description's, that it reads the same rows within each caller's
scope, and that a later request does not build the expressions again.
"""

import pytest
from rest_framework.test import APIClient

from cases.api import detalje, forberedt
from cases.api.auth import KlientPrincipal, hash_token, ny_token
from cases.models import ApiKlient, Forloeb
from cases.selectors import forloeb_for
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/forloeb/"


def _klient(team) -> ApiKlient:
    token = ny_token()
    return ApiKlient.objects.create(
        navn="Vitas", kommune=team.jobcenter.kommune, scopes=["forloeb:read"], token_hash=hash_token(token),
        token_prefix=token[:8],
    )  # fmt: skip


def test_forberedt_sql_er_orm_beskrivelsens():
    orm = detalje.med_frister_og_historik(Forloeb.objects.all()).query
    compiler = orm.get_compiler(using="default")
    sql, _ = forberedt.med_frister_og_historik(Forloeb.objects.all()).query.sql_with_params()
    for navn in forberedt.NAVNE:
        delsql, _ = compiler.compile(orm.annotations[navn])
        assert delsql in sql


@pytest.mark.parametrize("hvem", ["api_klient", "sagsbehandler"])
def test_forberedt_laeser_de_samme_raekker_i_kaldets_scope(team, sagsbehandler, hvem):
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    user = KlientPrincipal(_klient(team)) if hvem == "api_klient" else sagsbehandler
    qs = forloeb_for(user).filter(pk=fl.pk)
    forventet = detalje.med_frister_og_historik(qs).get()
    faktisk = forberedt.med_frister_og_historik(qs).get()
    assert faktisk.frister_json == forventet.frister_json and len(faktisk.frister_json) >= 1
    assert faktisk.historik_json == forventet.historik_json and len(faktisk.historik_json) >= 1


def test_andet_teams_forloeb_er_stadig_404(team, andet_team, sagsbehandler):
    fremmed = factories.forloeb_i("indstilling", team=andet_team)
    c = APIClient()
    c.force_authenticate(sagsbehandler)
    assert c.get(f"{URL}{fremmed.pk}/").status_code == 404


def test_udtrykkene_bygges_ikke_igen_ved_naeste_request(team, sagsbehandler, monkeypatch):
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    c = APIClient()
    c.force_authenticate(sagsbehandler)
    assert c.get(f"{URL}{fl.pk}/").status_code == 200  # compiled now (or earlier in this process)
    kald = []
    original = detalje.ArraySubquery
    monkeypatch.setattr(detalje, "ArraySubquery", lambda *a, **kw: kald.append(1) or original(*a, **kw))
    svar = c.get(f"{URL}{fl.pk}/")
    assert svar.status_code == 200 and svar.json()["frister"] and svar.json()["historik"]
    assert kald == []
