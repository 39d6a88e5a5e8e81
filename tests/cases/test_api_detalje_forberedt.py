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
from cases.models import ApiKlient, Forloeb, Rolle
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


# --- the whole detail lookup compiled once per caller scope (forberedt.hent_detalje) --------------
def _orm(user, pk):
    return detalje.med_frister_og_historik(forloeb_for(user)).filter(pk=pk).first()


@pytest.mark.parametrize("hvem", ["api_klient", "sagsbehandler", "jurist"])
def test_opslaget_finder_orm_ens_objekt(team, sagsbehandler, jurist, hvem):
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    user = {"api_klient": KlientPrincipal(_klient(team)), "sagsbehandler": sagsbehandler, "jurist": jurist}[hvem]
    forventet = _orm(user, fl.pk)
    for _ in range(2):  # the first compiles, the second reuses
        faktisk = forberedt.hent_detalje(user, str(fl.pk))
        assert faktisk is not None and faktisk.pk == fl.pk
        felter = [f.attname for f in Forloeb._meta.concrete_fields]
        assert [getattr(faktisk, f) for f in felter] == [getattr(forventet, f) for f in felter]
        assert (
            faktisk.borger.navn == forventet.borger.navn
            and faktisk.borger.cpr_maskeret == forventet.borger.cpr_maskeret
        )
        assert faktisk.sagsbehandler == sagsbehandler and faktisk.team == team
        assert faktisk.frister_json == forventet.frister_json and len(faktisk.frister_json) >= 1
        assert faktisk.historik_json == forventet.historik_json and len(faktisk.historik_json) >= 1


def test_opslaget_holder_scopet(team, andet_team, fremmed_team, sagsbehandler, jurist):
    eget = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    andet = factories.forloeb_i("indstilling", team=andet_team)
    fremmed = factories.forloeb_i("indstilling", team=fremmed_team)
    klient = KlientPrincipal(_klient(team))
    assert forberedt.hent_detalje(sagsbehandler, eget.pk).pk == eget.pk
    assert forberedt.hent_detalje(sagsbehandler, andet.pk) is None  # another team of the municipality
    assert forberedt.hent_detalje(jurist, andet.pk).pk == andet.pk  # a jurist sees the municipality
    assert forberedt.hent_detalje(klient, andet.pk).pk == andet.pk
    kollega = factories.medarbejder(andet_team, Rolle.SAGSBEHANDLER)  # same municipality, other team
    assert forberedt.hent_detalje(kollega, andet.pk).pk == andet.pk
    assert forberedt.hent_detalje(kollega, eget.pk) is None  # not the first caseworker's compiled scope
    for user in (sagsbehandler, jurist, klient):
        assert forberedt.hent_detalje(user, fremmed.pk) is None  # another municipality
        assert forberedt.hent_detalje(user, "ikke-en-uuid") is None


def test_aendret_teammedlemskab_gaelder_straks(team, andet_team, sagsbehandler):
    """Memberships are read by the query, not baked into the compiled SQL."""
    andet = factories.forloeb_i("indstilling", team=andet_team)
    assert forberedt.hent_detalje(sagsbehandler, andet.pk) is None
    andet_team.medlemmer.add(sagsbehandler)
    assert forberedt.hent_detalje(sagsbehandler, andet.pk).pk == andet.pk
    andet_team.medlemmer.remove(sagsbehandler)
    assert forberedt.hent_detalje(sagsbehandler, andet.pk) is None
    c = APIClient()
    c.force_authenticate(sagsbehandler)
    assert c.get(f"{URL}{andet.pk}/").status_code == 404
    assert c.get(f"{URL}ikke-en-uuid/").status_code == 404


def test_detaljen_kompileres_ikke_igen(team, sagsbehandler, monkeypatch):
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    andet = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    c = APIClient()
    c.force_authenticate(sagsbehandler)
    assert c.get(f"{URL}{fl.pk}/").status_code == 200
    from django.db.models.sql import compiler as sqlcompiler

    kald = []
    original = sqlcompiler.SQLCompiler.as_sql
    monkeypatch.setattr(
        sqlcompiler.SQLCompiler,
        "as_sql",
        lambda self, *a, **kw: kald.append(self.query.model) or original(self, *a, **kw),
    )
    svar = c.get(f"{URL}{andet.pk}/")
    assert svar.status_code == 200 and svar.json()["id"] == str(andet.pk) and svar.json()["frister"]
    assert Forloeb not in kald  # the forløb's query was not compiled again
