"""``/api/v1/afgoerelser/`` as an integrator uses it: draft, change, lint, issue, send, download."""

import hashlib

import pytest
from rest_framework.test import APIClient

from decisions import services
from decisions.models import Dokument
from infra import cpr as cprlib
from infra.models import AuditEntry
from tests import factories
from tests.cases.test_api_auth import bearer, opret_klient
from tests.cases.test_api_forloeb import problem

from .hjaelp import fakta_fra_indstilling, med_digital_post

pytestmark = pytest.mark.django_db
URL = "/api/v1/afgoerelser/"
XSS = '<script>alert(1)</script><img src="file:///etc/passwd">'


@pytest.fixture
def fl(team, sagsbehandler):
    return factories.forloeb_i("indstilling", udfald="ressourceforloeb", team=team, sagsbehandler=sagsbehandler)


@pytest.fixture
def c(sagsbehandler):
    client = APIClient()
    client.force_authenticate(sagsbehandler)
    return client


def body(fl, **felter):
    return {
        "forloeb": str(fl.pk), "type": "fleksjob_afslag", "tekst": f"Afslag {XSS}", "hovedhensyn": "Teamets vurdering.",
        "lovhenvisninger": ["lab_116", "fvl_22_24"], "fakta": fakta_fra_indstilling(fl),
    } | felter  # fmt: skip


def test_opret_kladde_returnerer_teksten_uaendret_som_json(c, fl):
    r = c.post(URL, body(fl), format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 201, r.content
    assert r["Content-Type"] == "application/json"
    data = r.json()
    assert r["Location"] == f"{URL}{data['id']}/" and r["ETag"] == f'"{data["id"]}-1"'
    assert data["tekst"] == f"Afslag {XSS}"  # stored and returned as typed; never rendered as HTML here
    assert data["status"] == "kladde" and data["pdf_status"] == "ikke_udstedt"
    assert [lh["paragraf"] for lh in data["lovhenvisninger"]] == ["§§ 22-24", "§ 116"]
    assert data["fakta"][0]["kilde_titel"].startswith("Rehabiliteringsteamets indstilling")


def test_ukendt_lovhenvisning_og_fremmed_kilde_er_valideringsfejl(c, fl):
    andet = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    foer = Dokument.objects.count()
    r = c.post(URL, body(fl, lovhenvisninger=["findes_ikke"]), format="json", HTTP_IF_MATCH="*")
    assert "lovhenvisninger" in problem(r, 400, "validering")["errors"]
    r = c.post(URL, body(fl, fakta=fakta_fra_indstilling(andet)), format="json", HTTP_IF_MATCH="*")
    assert "fakta.0.kilde_id" in problem(r, 400, "validering")["errors"]
    assert Dokument.objects.count() == foer


def test_liste_filtrerer_og_afviser_ukendte_parametre(c, fl):
    kladder = Dokument.objects.filter(status="kladde").count()
    c.post(URL, body(fl), format="json", HTTP_IF_MATCH="*")
    c.post(URL, body(fl, type="redegoerelse_forlaenget_sagsbehandling"), format="json", HTTP_IF_MATCH="*")
    assert len(c.get(URL, {"forloeb": fl.pk, "type": "redegoerelse_forlaenget_sagsbehandling"}).json()["results"]) == 1
    assert len(c.get(URL, {"forloeb": fl.pk, "type": "fleksjob_afslag"}).json()["results"]) == 1
    assert len(c.get(URL, {"status": "kladde"}).json()["results"]) == kladder + 2
    problem(c.get(URL, {"type": "noget"}), 400, "validering")
    problem(c.get(URL, {"borger_cpr": "x"}), 400, "validering")


def test_patch_kraever_frisk_if_match_og_udstedt_dokument_er_laast(c, fl):
    d = c.post(URL, body(fl), format="json", HTTP_IF_MATCH="*").json()
    url = f"{URL}{d['id']}/"
    problem(c.patch(url, {"titel": "Ny"}, format="json", HTTP_IF_MATCH=f'"{d["id"]}-0"'), 412, "foraeldet")
    r = c.patch(url, {"titel": "Ny"}, format="json", HTTP_IF_MATCH=f'"{d["id"]}-1"')
    assert r.status_code == 200 and r.json()["titel"] == "Ny" and r.json()["version"] == 2
    assert c.post(f"{url}udsted/", HTTP_IF_MATCH="*").status_code == 202
    problem(c.patch(url, {"titel": "Efter"}, format="json", HTTP_IF_MATCH="*"), 409, "ikke-kladde")
    assert Dokument.objects.get(pk=d["id"]).titel == "Ny"


def test_lint_og_udsted_lister_alle_mangler(c, fl):
    d = c.post(URL, body(fl, hovedhensyn="", lovhenvisninger=[], fakta=[]), format="json", HTTP_IF_MATCH="*").json()
    lint = c.get(f"{URL}{d['id']}/lint/").json()
    forventet = {"begrundelse.lovhenvisning_mangler", "begrundelse.hovedhensyn_mangler", "begrundelse.fakta_mangler"}
    assert lint["kan_udstedes"] is False and {m["kode"] for m in lint["mangler"]} >= forventet
    assert all(m["besked"] and m["felt"] for m in lint["mangler"])
    svar = problem(c.post(f"{URL}{d['id']}/udsted/", HTTP_IF_MATCH="*"), 409, "afgoerelse-mangler")
    assert {m["kode"] for m in svar["mangler"]} >= forventet
    assert Dokument.objects.get(pk=d["id"]).status == "kladde"


def test_udsted_afsend_og_hent_pdf(c, fl, sagsbehandler):
    d = c.post(URL, body(fl), format="json", HTTP_IF_MATCH="*").json()
    url = f"{URL}{d['id']}/"
    r = c.post(f"{url}udsted/", HTTP_IF_MATCH="*")
    assert r.status_code == 202 and r.json()["pdf_status"] == "dannes" and r["Location"] == url
    assert c.post(f"{url}udsted/", HTTP_IF_MATCH="*").status_code == 202  # again: same document, no second effect
    problem(c.get(f"{url}pdf/"), 409, "pdf-ikke-klar")
    med_digital_post(fl.borger)
    r = problem(
        c.post(f"{url}afsend/", {"kanal": "digital_post"}, format="json", HTTP_IF_MATCH="*"), 409, "pdf-ikke-klar"
    )
    services.dokument_render_pdf(d["id"])
    r = c.post(f"{url}udsted/", HTTP_IF_MATCH="*")
    assert r.status_code == 200 and r.json()["pdf_status"] == "klar"
    sha = r.json()["pdf_sha256"]
    foerste, anden = c.get(f"{url}pdf/"), c.get(f"{url}pdf/", HTTP_ACCEPT="application/pdf")
    assert foerste.status_code == anden.status_code == 200
    assert foerste.content == anden.content and hashlib.sha256(foerste.content).hexdigest() == sha
    assert foerste["Content-Type"] == "application/pdf"
    assert foerste["ETag"] == f'"{sha}"' and foerste["X-SHA256"] == sha
    assert foerste["Cache-Control"] == "no-store"
    dispo = foerste["Content-Disposition"]
    fuldt = cprlib.decrypt(fl.borger.cpr_krypteret)
    assert dispo == f'attachment; filename="fleksjob_afslag-{d["id"]}.pdf"'
    assert fl.borger.efternavn not in dispo and fuldt[:6] not in dispo
    assert AuditEntry.objects.filter(handling="dokument.pdf_hent", subject_id=d["id"]).count() == 2
    r = c.post(f"{url}afsend/", {"kanal": "digital_post"}, format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 200 and r.json()["status"] == "afsendt"
    assert r.json()["forsendelse"]["kanal"] == "digital_post"
    assert c.get(f"{url}pdf/").content == foerste.content  # sending never changes the PDF
    c.get(url)
    assert AuditEntry.objects.filter(handling="dokument.laes", subject_id=d["id"]).exists()


def test_afsend_uden_digital_post_afvises_paa_dansk(c, fl):
    d = c.post(URL, body(fl), format="json", HTTP_IF_MATCH="*").json()
    c.post(f"{URL}{d['id']}/udsted/", HTTP_IF_MATCH="*")
    services.dokument_render_pdf(d["id"])
    svar = problem(c.post(f"{URL}{d['id']}/afsend/", {"kanal": "digital_post"}, format="json", HTTP_IF_MATCH="*"), 409)
    assert svar["type"].endswith("ingen-digital-post") and "Digital Post" in svar["detail"]
    svar = problem(
        c.post(f"{URL}{d['id']}/afsend/", {"kanal": "fysisk_post"}, format="json", HTTP_IF_MATCH="*"),
        409,
        "ingen-adresse",
    )
    assert "postadresse" in svar["detail"]
    problem(
        c.post(f"{URL}{d['id']}/afsend/", {"kanal": "brevdue"}, format="json", HTTP_IF_MATCH="*"), 400, "validering"
    )
    assert Dokument.objects.get(pk=d["id"]).status == "udstedt"


def test_dokument_uden_for_raekkevidde_er_404(c, fl, fremmed_team):
    d = services.dokument_opret(
        actor=fl.sagsbehandler, forloeb=fl, type="redegoerelse_forlaenget_sagsbehandling", tekst="Brev."
    )
    fremmed = APIClient()
    fremmed.force_authenticate(factories.medarbejder(fremmed_team))
    for r in (
        fremmed.get(f"{URL}{d.pk}/"),
        fremmed.get(f"{URL}{d.pk}/pdf/"),
        fremmed.post(f"{URL}{d.pk}/udsted/", HTTP_IF_MATCH="*"),
    ):
        problem(r, 404, "findes-ikke")
    assert fremmed.get(URL).json()["results"] == []
    r = fremmed.post(URL, body(fl, type="redegoerelse_forlaenget_sagsbehandling"), format="json", HTTP_IF_MATCH="*")
    assert "forloeb" in problem(r, 400, "validering")["errors"]


def test_api_klient_laeser_med_afgoerelser_read_og_skriver_med_forloeb_write(fl):
    kode = fl.kommune.kommunekode
    _, laeser = opret_klient(kode, "afgoerelser:read", navn="Laeser")
    _, skriver = opret_klient(kode, "forloeb:write", navn="Skriver")
    r = bearer(skriver).post(
        URL, body(fl, type="redegoerelse_forlaenget_sagsbehandling"), format="json", HTTP_IF_MATCH="*"
    )
    assert r.status_code == 201, r.content
    assert bearer(laeser).get(f"{URL}{r.json()['id']}/").status_code == 200
    problem(bearer(laeser).post(f"{URL}{r.json()['id']}/udsted/", HTTP_IF_MATCH="*"), 403)
    problem(bearer(skriver).get(URL), 403)
