"""The caseworker's citizen pages: what a user sees, what is logged, what never leaks."""

import datetime as dt

import pytest
from django.urls import reverse

from cases import services
from cases import views as case_views
from cases.forms import REDIGER_FELTER
from cases.models import Borger, Paaroerende
from infra import datoer
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

LISTE = reverse("cases:borger_list")
OPRET = reverse("cases:borger_opret")


def detail_url(borger):
    return reverse("cases:borger_detail", args=[borger.pk])


def rediger_url(borger):
    return reverse("cases:borger_rediger", args=[borger.pk])


def cpr_url(borger):
    return reverse("cases:borger_cpr_vis", args=[borger.pk])


def audit_rows(handling, borger, actor):
    return AuditEntry.objects.filter(handling=handling, borger_ids__contains=[borger.pk], actor_id=str(actor.pk))


def assert_no_full_cpr(html: str, digits: str):
    assert digits not in html
    assert f"{digits[:6]}-{digits[6:]}" not in html


@pytest.fixture
def andre(andet_team, fremmed_team):
    return {
        "andet_team": factories.borger(andet_team, fornavn="Anders", efternavn="Andetteam"),
        "fremmed_kommune": factories.borger(fremmed_team, fornavn="Frede", efternavn="Fremmedsen"),
    }


def opret_data(team, **overrides):
    data = {
        "cpr": factories.fiktivt_cpr(),
        "fornavn": "Nanna",
        "efternavn": "Nysen",
        "team": str(team.pk),
        "adresse": "",
        "postnummer": "",
        "by": "",
        "telefon": "",
        "email": "",
        "kontaktkanal": "digital_post",
        "digital_post": "ukendt",
        "tolkesprog": "",
    }
    return data | overrides


def rediger_data(borger, **overrides):
    data = {f: getattr(borger, f) for f in REDIGER_FELTER if f != "team"}
    data = {k: v for k, v in data.items() if v is not False}  # unchecked boxes are not posted
    return data | {"team": str(borger.team_id), "version": borger.version} | overrides


# --- List and search -------------------------------------------------------------------------


def test_liste_viser_maskeret_cpr_og_aldrig_det_fulde(klient, borger, fuldt_cpr):
    response = klient.get(LISTE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Karen Fiktivsen" in html
    assert borger.cpr_maskeret in html
    assert f"{borger.alder()} år" in html
    assert borger.team.navn in html
    assert_no_full_cpr(html, fuldt_cpr(borger))
    assert "Opret borger" in html
    assert response["Cache-Control"].count("no-store") == 1


def test_liste_logges_som_laesning(klient, borger, sagsbehandler):
    klient.get(LISTE)
    assert audit_rows("borger.liste", borger, sagsbehandler).count() == 1


def test_cpr_soegning_er_post_og_viser_aldrig_det_fulde_cpr(klient, borger, sagsbehandler, fuldt_cpr):
    digits = fuldt_cpr(borger)
    factories.borger(borger.team, fornavn="Anden", efternavn="Borger")
    response = klient.post(LISTE, {"q": f"{digits[:6]}-{digits[6:]}"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == LISTE
    assert not response.request.get("QUERY_STRING")
    assert "Karen Fiktivsen" in html
    assert "Anden Borger" not in html
    assert_no_full_cpr(html, digits)
    assert audit_rows("borger.soeg", borger, sagsbehandler).count() == 1


def test_soegeformularen_bruger_post_med_csrf(klient, borger):
    html = klient.get(LISTE).content.decode()
    assert 'method="post"' in html
    assert f'hx-post="{LISTE}"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_htmx_soegning_returnerer_kun_resultatet(klient, borger, fuldt_cpr):
    digits = fuldt_cpr(borger)
    response = klient.post(LISTE, {"q": digits}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Karen Fiktivsen" in html
    assert_no_full_cpr(html, digits)
    assert "HX-Request" in response["Vary"]


def test_navnesoegning_finder_borgeren(klient, borger):
    factories.borger(borger.team, fornavn="Ole", efternavn="Olsen")
    html = klient.post(LISTE, {"q": "fiktiv"}).content.decode()
    assert "Karen Fiktivsen" in html
    assert "Ole Olsen" not in html


def test_liste_begraenses_med_dansk_besked(klient, team, monkeypatch):
    monkeypatch.setattr(case_views, "MAKS_RAEKKER", 2)
    for i in range(3):
        factories.borger(team, fornavn=f"Borger{i}")
    html = klient.get(LISTE).content.decode()
    assert html.count('<td><a href="/borgere/') == 2
    assert "Viser de første 2 borgere. Der er flere" in html


def test_borger_i_andet_team_eller_kommune_vises_ikke(klient, borger, andre, fuldt_cpr):
    html = klient.get(LISTE).content.decode()
    assert "Andetteam" not in html
    assert "Fremmedsen" not in html
    for anden in andre.values():
        html = klient.post(LISTE, {"q": fuldt_cpr(anden)}).content.decode()
        assert anden.efternavn not in html
        assert "Ingen borgere i dine teams matcher søgningen." in html
        html = klient.post(LISTE, {"q": anden.efternavn}).content.decode()
        assert f">{anden.navn}</a>" not in html
        assert "Ingen borgere i dine teams matcher søgningen." in html


@pytest.mark.parametrize("hvem", ["andet_team", "fremmed_kommune"])
def test_borger_i_andet_team_eller_kommune_giver_404(klient, andre, hvem):
    anden = andre[hvem]
    response = klient.get(detail_url(anden))
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()
    assert anden.navn not in response.content.decode()
    assert klient.get(rediger_url(anden)).status_code == 404
    assert klient.post(cpr_url(anden), {"begrundelse": "Nysgerrig"}).status_code == 404
    assert klient.get(reverse("cases:paaroerende_opret", args=[anden.pk])).status_code == 404
    assert not AuditEntry.objects.filter(handling="borger.cpr_vis", borger_ids__contains=[anden.pk]).exists()


# --- Detail and unmasking --------------------------------------------------------------------


def test_detalje_viser_oplysninger_og_logger_laesning(klient, borger, sagsbehandler, fuldt_cpr):
    services.paaroerende_opret(
        actor=sagsbehandler, borger=borger, navn="Bent Bisidder", relation="bisidder",
        samtykke_dato=dt.date(2024, 3, 1), samtykke_omfang="Må deltage i møder i rehabiliteringsteamet",
    )  # fmt: skip
    response = klient.get(detail_url(borger))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Karen Fiktivsen" in html
    assert borger.cpr_maskeret in html
    assert_no_full_cpr(html, fuldt_cpr(borger))
    assert "Bent Bisidder" in html
    assert "Bisidder" in html
    assert "1. marts 2024" in html
    assert "Må deltage i møder i rehabiliteringsteamet" in html
    assert "Vis fuldt CPR-nummer" in html
    assert audit_rows("borger.laes", borger, sagsbehandler).count() == 1


def test_fuldt_cpr_kraever_begrundelse(klient, borger, fuldt_cpr):
    response = klient.post(cpr_url(borger), {"begrundelse": "  "})
    html = response.content.decode()
    assert "Angiv hvorfor du skal se det fulde CPR-nummer." in html
    assert 'data-module="error-summary"' in html
    assert_no_full_cpr(html, fuldt_cpr(borger))
    assert not AuditEntry.objects.filter(handling="borger.cpr_vis").exists()


def test_fuldt_cpr_vises_en_gang_og_logges_med_begrundelse(klient, borger, sagsbehandler, fuldt_cpr):
    digits = fuldt_cpr(borger)
    response = klient.post(cpr_url(borger), {"begrundelse": "Opslag i eIndkomst"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{digits[:6]}-{digits[6:]}" in html
    assert digits not in response.request["PATH_INFO"]
    assert "no-store" in response["Cache-Control"]
    rows = audit_rows("borger.cpr_vis", borger, sagsbehandler)
    assert [r.begrundelse for r in rows] == ["Opslag i eIndkomst"]
    # The next ordinary visit shows it masked again.
    assert_no_full_cpr(klient.get(detail_url(borger)).content.decode(), digits)


def test_fuldt_cpr_kan_ikke_hentes_med_get(klient, borger):
    assert klient.get(cpr_url(borger)).status_code == 405


# --- Create ------------------------------------------------------------------------------------


def test_opret_borger(klient, team, sagsbehandler):
    response = klient.post(OPRET, opret_data(team), follow=True)
    borger = Borger.objects.get(efternavn="Nysen")
    assert response.redirect_chain[-1][0] == detail_url(borger)
    assert "Nanna Nysen er oprettet." in response.content.decode()
    assert audit_rows("borger.opret", borger, sagsbehandler).exists()


def test_opret_med_ugyldigt_cpr_viser_dansk_fejl_og_beholder_navne(klient, team):
    response = klient.post(OPRET, opret_data(team, cpr="311399-1234"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "CPR-nummerets første 6 cifre er ikke en gyldig dato." in html
    assert 'data-module="error-summary"' in html
    assert 'href="#id_cpr"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Nanna"' in html
    assert 'value="Nysen"' in html
    assert not Borger.objects.exists()


def test_opret_med_dublet_cpr_viser_dansk_fejl_og_opretter_intet(klient, borger, team, fuldt_cpr):
    response = klient.post(OPRET, opret_data(team, cpr=fuldt_cpr(borger)))
    html = response.content.decode()
    assert "Borgeren kan ikke oprettes her. Kontakt din teamleder." in html
    assert 'value="Nanna"' in html
    assert Borger.objects.count() == 1


def test_opret_viser_servicens_feltfejl(klient, team):
    response = klient.post(OPRET, opret_data(team, postnummer="12a4", tolk="on", tolkesprog=""))
    html = response.content.decode()
    assert "Postnummeret skal være 4 cifre." in html
    assert "Angiv hvilket sprog der skal tolkes til." in html
    assert 'href="#id_postnummer"' in html
    assert not Borger.objects.exists()


def test_opret_tilbyder_kun_egne_teams(klient, team, andet_team, fremmed_team):
    html = klient.get(OPRET).content.decode()
    assert team.navn in html
    assert andet_team.navn not in html
    assert fremmed_team.navn not in html
    response = klient.post(OPRET, opret_data(andet_team))
    assert "Du kan kun oprette og flytte borgere i dine egne teams." in response.content.decode()
    assert not Borger.objects.exists()


def test_html_i_navn_escapes(klient, team):
    klient.post(OPRET, opret_data(team, fornavn="<script>alert(1)</script>"))
    borger = Borger.objects.get()
    for html in (klient.get(LISTE).content.decode(), klient.get(detail_url(borger)).content.decode()):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Edit ------------------------------------------------------------------------------------


def test_rediger_gemmer_og_logger(klient, borger, sagsbehandler):
    response = klient.post(rediger_url(borger), rediger_data(borger, telefon="12345678"), follow=True)
    assert "Borgerens oplysninger er gemt." in response.content.decode()
    borger.refresh_from_db()
    assert borger.telefon == "12345678"
    assert borger.version == 2
    assert audit_rows("borger.opdater", borger, sagsbehandler).exists()


def test_forsinket_redigering_viser_konflikt_og_aendrer_intet(klient, borger, sagsbehandler):
    gammel = rediger_data(borger, telefon="11111111")
    services.borger_opdater(actor=sagsbehandler, borger=borger, telefon="22222222")  # someone else
    response = klient.post(rediger_url(borger), gammel)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ændret af en anden" in html
    assert 'data-module="error-summary"' in html
    assert 'value="11111111"' in html
    borger.refresh_from_db()
    assert borger.telefon == "22222222"
    assert borger.version == 2


# --- Relatives -------------------------------------------------------------------------------


def test_paaroerende_kraever_samtykke(klient, borger):
    url = reverse("cases:paaroerende_opret", args=[borger.pk])
    response = klient.post(url, {"navn": "Bent", "relation": "paaroerende", "samtykke_omfang": ""})
    html = response.content.decode()
    assert "Pårørende og bisiddere kan kun registreres med borgerens samtykke." in html
    assert "Beskriv hvad borgeren har givet samtykke til." in html
    assert 'value="Bent"' in html
    assert not Paaroerende.objects.exists()


def test_paaroerende_med_fremtidig_samtykkedato_afvises_af_servicen(klient, borger):
    url = reverse("cases:paaroerende_opret", args=[borger.pk])
    fremtid = (datoer.idag() + dt.timedelta(days=3)).isoformat()
    data = {"navn": "Bent", "relation": "bisidder", "samtykke_dato": fremtid, "samtykke_omfang": "Møder"}
    html = klient.post(url, data).content.decode()
    assert "Samtykkedatoen kan ikke ligge i fremtiden." in html
    assert 'href="#id_samtykke_dato"' in html
    assert not Paaroerende.objects.exists()


def test_paaroerende_oprettes_og_vises(klient, borger, sagsbehandler):
    url = reverse("cases:paaroerende_opret", args=[borger.pk])
    data = {"navn": "Bente Bisidder", "relation": "bisidder", "samtykke_dato": "2024-05-02", "samtykke_omfang": "Møder"}
    response = klient.post(url, data, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == detail_url(borger)
    assert "Bente Bisidder er registreret som bisidder." in html
    assert "2. maj 2024" in html
    assert AuditEntry.objects.filter(handling="paaroerende.opret", borger_ids__contains=[borger.pk]).exists()


def test_ny_borger_har_intet_forvalgt_digital_post_men_eget_team(klient, team):
    """Issue 15: no assumed Digital Post status; a caseworker with one team has it chosen."""
    html = klient.get(OPRET).content.decode()
    valg = html.split('name="digital_post"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>Vælg</option>' in valg
    assert f'<option value="{team.pk}" selected>' in html
    data = opret_data(team)
    del data["digital_post"]
    response = klient.post(OPRET, data)
    assert response.status_code == 200 and "Angiv om borgeren er tilmeldt Digital Post" in response.content.decode()
