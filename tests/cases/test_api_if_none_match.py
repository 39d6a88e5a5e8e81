"""``If-None-Match`` on a detail: 304 without a body when the client's copy is current, and the read
is still in the access log (the client holds the citizen's data and has just confirmed it).

Only where the ETag changes whenever the answer does (a tilbud: its own columns, a new version on
every answer; a journal note: never changed). The forløb's version ETag does not cover its deadlines
(the sweep marks them overdue without a new version), so it always answers in full.
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


def test_forloeb_svarer_altid_fuldt_fordi_versionen_ikke_daekker_fristerne(c, team, sagsbehandler):
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    url = f"/api/v1/forloeb/{fl.pk}/"
    foer = c.get(url)
    Frist.objects.filter(forloeb=fl).update(status=FristStatus.OVERSKREDET)  # what the sweep does
    efter = c.get(url, HTTP_IF_NONE_MATCH=foer["ETag"])
    assert efter["ETag"] == foer["ETag"]  # the same version ...
    assert efter.status_code == 200  # ... but not the same answer: never a 304
    assert {f["status"] for f in efter.json()["frister"]} == {FristStatus.OVERSKREDET}
