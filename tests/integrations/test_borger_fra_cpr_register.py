"""Citizens from the CPR register: created from a look-up (UI and API), never blocked by a register
that times out or answers garbage (typed, unverified), refreshed on demand and nightly, changes kept
as history, and a death or emigration raises a task for the caseworker."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Borger, Notifikation, RegisterAendringType
from cases.tasks import cpr_register_opdatering
from infra.models import AuditEntry
from tests import factories

from .conftest import SIM, sim_post

pytestmark = pytest.mark.django_db


def test_api_opslag_og_opret_fra_register(api_client, team, simulatorer):
    svar = api_client.post("/api/v1/borgere/cpr-opslag/", {"cpr": "010180-1234"}, format="json")
    assert svar.status_code == 200, svar.content
    assert svar.json()["fornavn"] == "Anna" and svar.json()["adresse"] == "Prøvevej 1, 2. tv."
    assert AuditEntry.objects.filter(handling="borger.cpr_opslag", efter__cpr="010180-****").exists()
    svar = api_client.post(
        "/api/v1/borgere/", {"cpr": "0101801234", "team": team.pk, "fra_register": True}, format="json"
    )
    assert svar.status_code == 201, svar.content
    data = svar.json()
    assert (data["fornavn"], data["by"], data["civilstand"]) == ("Anna", "Aarhus C", "gift")
    assert data["kilder"]["adresse"] == "register" and data["verificeret"] is True
    assert data["register_opdateret"]


def test_register_der_ikke_svarer_blokerer_ikke_oprettelse(api_client, team, simulatorer):
    for cpr in (SIM.LANGSOM, SIM.SKRALD):
        svar = api_client.post("/api/v1/borgere/cpr-opslag/", {"cpr": cpr}, format="json")
        assert svar.status_code == 503
        assert svar.json()["type"].endswith("/cpr-register-utilgaengeligt")
        svar = api_client.post(
            "/api/v1/borgere/",
            {"cpr": cpr, "team": team.pk, "fra_register": True, "fornavn": "Tastet", "efternavn": "Ind"},
            format="json",
        )
        assert svar.status_code == 201, svar.content
        data = svar.json()
        assert data["fornavn"] == "Tastet" and data["verificeret"] is False
        assert data["kilder"] == {} and "svarede ikke" in data["register_fejl"]
        Borger.objects.filter(pk=data["id"]).delete()


def test_ukendt_cpr_afvises_ved_opslag(api_client, simulatorer):
    svar = api_client.post("/api/v1/borgere/cpr-opslag/", {"cpr": factories.fiktivt_cpr()}, format="json")
    assert svar.status_code == 422 and svar.json()["type"].endswith("/cpr-ukendt")


def test_ui_opslag_udfylder_formularen_og_opretter(klient, team, simulatorer):
    side = klient.post(reverse("cases:borger_opret"), {"cpr": "0101801234", "team": team.pk, "handling": "opslag"})
    html = side.content.decode()
    assert side.status_code == 200 and 'value="Testesen"' in html and "hentet fra CPR-registeret" in html
    svar = klient.post(
        reverse("cases:borger_opret"),
        {"cpr": "0101801234", "team": team.pk, "fra_register": "1", "fornavn": "Anna", "efternavn": "Testesen",
         "kontaktkanal": "digital_post", "digital_post": "tilmeldt"},
    )  # fmt: skip
    assert svar.status_code == 302, svar.content.decode()[:2000]
    borger = Borger.objects.get(efternavn="Testesen", kommune=team.jobcenter.kommune)
    side = klient.get(reverse("cases:borger_detail", args=[borger.pk])).content.decode()
    assert "Fra CPR-registeret" in side and "Senest hentet" in side and "gift" in side


def test_ui_register_nede_siger_det_og_tastet_borger_er_ikke_verificeret(klient, team, simulatorer):
    side = klient.post(reverse("cases:borger_opret"), {"cpr": SIM.SKRALD, "team": team.pk, "handling": "opslag"})
    assert "CPR-registeret kunne ikke svare" in side.content.decode()
    borger = factories.borger(team, cpr=SIM.SKRALD)
    side = klient.get(reverse("cases:borger_detail", args=[borger.pk])).content.decode()
    assert "Indtastet (ikke verificeret)" in side


def test_opdatering_gemmer_historik_og_doedsfald_giver_opgave(sagsbehandler, team, simulatorer, api_client):
    cpr = factories.fiktivt_cpr()
    sim_post(simulatorer["cpr"], "/_sim/person", {"cpr": cpr, "fornavn": "Ib", "efternavn": "Flyttesen"})
    borger = services.borger_opret(actor=sagsbehandler, team=team, cpr=cpr, fra_register=True)
    fl = services.forloeb_opret(actor=sagsbehandler, borger=borger)
    sim_post(
        simulatorer["cpr"],
        "/_sim/person",
        {"cpr": cpr, "adresse": {"vejnavn_husnummer": "Nyvej 2", "postnummer": "8200", "by": "Aarhus N"},
         "status": "doed", "statusdato": "2026-02-01"},
    )  # fmt: skip
    svar = api_client.post(f"/api/v1/borgere/{borger.pk}/opdater-fra-register/", HTTP_IF_MATCH="*")
    assert svar.status_code == 200, svar.content
    assert svar.json()["by"] == "Aarhus N" and svar.json()["doed_dato"] == "2026-02-01"
    historik = api_client.get(f"/api/v1/borgere/{borger.pk}/registerhistorik/").json()
    typer = {h["type"] for h in historik}
    assert {RegisterAendringType.ADRESSE, RegisterAendringType.DOED} <= typer
    adr = next(h for h in historik if h["type"] == "adresse")
    assert adr["efter"] == "Nyvej 2, 8200 Aarhus N"
    opgave = Notifikation.objects.get(forloeb=fl, titel__startswith="CPR-registeret: borgeren er død")
    assert opgave.modtager_id == sagsbehandler.pk
    # A second refresh changes nothing and raises no second task.
    api_client.post(f"/api/v1/borgere/{borger.pk}/opdater-fra-register/", HTTP_IF_MATCH="*")
    assert Notifikation.objects.filter(titel__startswith="CPR-registeret").count() == 1


def test_natlig_opdatering_af_aabne_forloeb_fortsaetter_ved_fejl(sagsbehandler, team, simulatorer):
    cpr = factories.fiktivt_cpr()
    sim_post(simulatorer["cpr"], "/_sim/person", {"cpr": cpr, "fornavn": "Ulla", "efternavn": "Rejse"})
    rejser = services.borger_opret(actor=sagsbehandler, team=team, cpr=cpr, fra_register=True)
    nede = factories.borger(team, cpr=SIM.SKRALD)
    for b in (rejser, nede):
        services.forloeb_opret(actor=sagsbehandler, borger=b)
    sim_post(simulatorer["cpr"], "/_sim/person", {"cpr": cpr, "status": "udrejst", "statusdato": "2026-03-01"})
    resultat = cpr_register_opdatering()
    assert resultat["opdateret"] >= 1 and resultat["fejl"] >= 1
    rejser.refresh_from_db()
    nede.refresh_from_db()
    assert str(rejser.udrejst_dato) == "2026-03-01"
    assert nede.register_fejl == "CPR-registeret svarede ikke."
    assert Notifikation.objects.filter(titel__startswith="CPR-registeret: borgeren er udrejst").exists()


def test_tastet_rettelse_goer_faktum_indtastet(sagsbehandler, team, simulatorer):
    borger = services.borger_opret(actor=sagsbehandler, team=team, cpr="0101801234", fra_register=True)
    borger = services.borger_opdater(actor=sagsbehandler, borger=borger, adresse="Andenvej 9")
    assert borger.kilde("adresse") == "indtastet" and borger.kilde("fornavn") == "register"


def test_ui_ukendt_cpr_siges_uden_andre_fejl(klient, team, simulatorer):
    side = klient.post(
        reverse("cases:borger_opret"), {"cpr": factories.fiktivt_cpr(), "team": team.pk, "handling": "opslag"}
    ).content.decode()
    assert "findes ikke i CPR-registeret" in side and "Fornavn skal udfyldes" not in side
