"""``If-None-Match`` on a detail: 304 without a body when the client's copy is current, and the read
is still in the access log (the client holds the citizen's data and has just confirmed it).

Only where the ETag changes whenever the answer does: a tilbud (its own columns, a new version on
every answer), a journal note (never changed), and the forløb, whose ETag is its version plus a digest
of the answer, because the sweep marks its deadlines overdue without a new version.
"""

import pytest
from rest_framework.test import APIClient

from cases import services
from cases.models import Frist, FristStatus, NotatType
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fl(team, sagsbehandler):
    return factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=sagsbehandler)


@pytest.fixture
def c(sagsbehandler):
    klient = APIClient()
    klient.force_authenticate(sagsbehandler)
    return klient


def _laest(handling: str) -> int:
    return AuditEntry.objects.filter(handling=handling).count()


def test_tilbud_304_naar_kopien_er_aktuel_og_200_efter_svar(c, fl):
    t = services.tilbud_registrer(
        actor=fl.sagsbehandler, forloeb=fl, type="virksomhedspraktik", dato=factories.dag(10), beskrivelse="Praktik."
    )
    url = f"/api/v1/tilbud/{t.pk}/"
    etag = c.get(url)["ETag"]
    foer = _laest("tilbud.laes")
    svar = c.get(url, HTTP_IF_NONE_MATCH=etag)
    assert svar.status_code == 304
    assert svar.content == b""
    assert svar["ETag"] == etag
    assert _laest("tilbud.laes") == foer + 1  # a 304 is a read too
    assert c.get(url, HTTP_IF_NONE_MATCH=f'W/{etag}, "andet"').status_code == 304  # weak comparison, a list
    services.tilbud_besvar(actor=fl.sagsbehandler, tilbud=t, svar="accepteret", svar_dato=factories.dag(12))
    ny = c.get(url, HTTP_IF_NONE_MATCH=etag)
    assert ny.status_code == 200
    assert ny.json()["svar"] == "accepteret"
    assert ny["ETag"] != etag


def test_journalnotat_304_naar_kopien_er_aktuel(c, fl):
    n = services.journalnotat_opret(
        actor=fl.sagsbehandler, forloeb=fl, type=NotatType.values[0], overskrift="Samtale", tekst="Tekst."
    )
    url = f"/api/v1/journalnotater/{n.pk}/"
    etag = c.get(url)["ETag"]
    assert c.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert c.get(url, HTTP_IF_NONE_MATCH='"noget-andet"').status_code == 200


def test_forloeb_304_naar_kopien_er_aktuel(c, fl):
    url = f"/api/v1/forloeb/{fl.pk}/"
    foer = c.get(url)
    laest = _laest("forloeb.laes")
    svar = c.get(url, HTTP_IF_NONE_MATCH=foer["ETag"])
    assert svar.status_code == 304
    assert svar.content == b""
    assert svar["ETag"] == foer["ETag"]
    assert _laest("forloeb.laes") == laest + 1  # a 304 is a read too


def test_forloeb_svarer_fuldt_naar_sweepet_har_aendret_fristerne_uden_ny_version(c, team, sagsbehandler):
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    url = f"/api/v1/forloeb/{fl.pk}/"
    foer = c.get(url)
    Frist.objects.filter(forloeb=fl).update(status=FristStatus.OVERSKREDET)  # what the sweep does
    efter = c.get(url, HTTP_IF_NONE_MATCH=foer["ETag"])
    assert efter.status_code == 200  # the same version, but not the same answer: never a stale 304
    assert efter["ETag"] != foer["ETag"]
    assert efter["ETag"].split(".")[0] == foer["ETag"].split(".")[0]  # ... and the version part is the same
    assert {f["status"] for f in efter.json()["frister"]} == {FristStatus.OVERSKREDET}


def test_forloeb_skrivning_sammenligner_kun_versionen(c, team, sagsbehandler):
    """A deadline the sweep marked overdue since the client's GET is no conflict for a write; a new
    version is. The plain version ETag (``"<id>-<version>"``) still works as If-Match."""
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=sagsbehandler)
    url = f"/api/v1/forloeb/{fl.pk}/"
    etag = c.get(url)["ETag"]
    Frist.objects.filter(forloeb=fl).update(status=FristStatus.OVERSKREDET)
    overgang = f"{url}overgange/start_forberedende_plan/"
    svar = c.post(overgang, {}, format="json", HTTP_IF_MATCH=etag)
    assert svar.status_code == 200, svar.content
    foraeldet = c.post(f"{url}overgange/forelaeg_rehabiliteringsteam/", {}, format="json", HTTP_IF_MATCH=etag)
    assert foraeldet.status_code == 412
    assert c.get(url).json()["tilstand"] == "forberedende_plan"
    gammel_form = f'"{fl.pk}-{svar.json()["version"]}"'
    ok = c.post(f"{url}overgange/forelaeg_rehabiliteringsteam/", {}, format="json", HTTP_IF_MATCH=gammel_form)
    assert ok.status_code != 412, ok.content  # the version is current: the transition's own rules answer


def test_forloeb_svaret_renderes_en_gang_og_etag_er_kroppens(c, fl, monkeypatch):
    """The detail GET renders its answer once, for both the body and the ETag's digest; a write's
    answer carries the ETag the next GET has (so the client's copy after a write is current)."""
    import hashlib

    from rest_framework.renderers import JSONRenderer

    url = f"/api/v1/forloeb/{fl.pk}/"
    kald = []
    original = JSONRenderer.render
    monkeypatch.setattr(JSONRenderer, "render", lambda self, *a, **kw: kald.append(1) or original(self, *a, **kw))
    svar = c.get(url)
    assert svar.status_code == 200 and svar["Content-Type"] == "application/json"
    assert len(kald) == 1
    assert svar["ETag"].endswith(f'.{hashlib.sha256(svar.content).hexdigest()[:16]}"')
    assert svar.json()["id"] == str(fl.pk)

    efter_skrivning = c.post(f"{url}overgange/start_forberedende_plan/", {}, format="json", HTTP_IF_MATCH=svar["ETag"])
    assert efter_skrivning.status_code == 200, efter_skrivning.content
    assert c.get(url, HTTP_IF_NONE_MATCH=efter_skrivning["ETag"]).status_code == 304


def test_forloeb_med_indrykning_har_samme_etag(c, fl):
    """``Accept: application/json; indent=2`` changes the layout, not the answer: the same ETag."""
    url = f"/api/v1/forloeb/{fl.pk}/"
    kompakt = c.get(url)
    indrykket = c.get(url, HTTP_ACCEPT="application/json; indent=2")
    assert indrykket.status_code == 200 and b"\n  " in indrykket.content
    assert indrykket.json() == kompakt.json()
    assert indrykket["ETag"] == kompakt["ETag"]
