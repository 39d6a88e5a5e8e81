"""The API contract (../shared/API.md) where the attack of issue 13 found holes: a lost update is
impossible (If-Match required), a retry is safe (Idempotency-Key on POST /borgere/), every field
error in one pass, never a 500 for bad input, and the least-revealing answer to a duplicate CPR."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from cases.models import Borger, DigitalPostStatus, Kontaktkanal, Notifikation, Rolle
from infra import datoer
from infra.models import AuditEntry
from rehab.models import Moededag
from tests import factories

URL = "/api/v1/borgere/"


def problem(response, status: int, slug: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if slug:
        assert body["type"] == f"https://sagsforloeb.dk/problemer/{slug}"
    return body


def ny_borger(team, cpr: str = "070680-1234", **ekstra) -> dict:
    return {"cpr": cpr, "fornavn": "Ib", "efternavn": "Fiktiv", "team": str(team.pk), **ekstra}


# --- If-Match --------------------------------------------------------------------------------------
def test_patch_uden_if_match_svarer_428_og_aendrer_intet(api_client, borger):
    body = problem(api_client.patch(f"{URL}{borger.pk}/", {"fornavn": "Ny"}, format="json"), 428, "if-match-mangler")
    assert "If-Match" in body["detail"]
    borger.refresh_from_db()
    assert borger.fornavn != "Ny"
    etag = api_client.get(f"{URL}{borger.pk}/")["ETag"]
    r = api_client.patch(f"{URL}{borger.pk}/", {"fornavn": "Ny"}, format="json", HTTP_IF_MATCH=etag)
    assert r.status_code == 200 and r.json()["fornavn"] == "Ny"
    problem(api_client.patch(f"{URL}{borger.pk}/", {"fornavn": "Igen"}, format="json", HTTP_IF_MATCH=etag), 412)


def test_ikke_eksisterende_ressource_er_404_foer_428(api_client):
    problem(api_client.patch(f"{URL}00000000-0000-0000-0000-000000000000/", {}, format="json"), 404)


# --- Idempotency-Key -------------------------------------------------------------------------------
def test_gentaget_opret_borger_med_samme_noegle_giver_det_foerste_201(api_client, team):
    data = ny_borger(team)
    foerste = api_client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="opret-1")
    assert foerste.status_code == 201, foerste.content
    igen = api_client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="opret-1")
    assert igen.status_code == 201 and igen.json() == foerste.json()
    assert igen["Idempotent-Replay"] == "true" and igen["Location"] == foerste["Location"]
    assert Borger.objects.count() == 1
    anden = api_client.post(URL, {**data, "fornavn": "Bo"}, format="json", HTTP_IDEMPOTENCY_KEY="opret-1")
    problem(anden, 422, "idempotency-key-genbrugt")


# --- every field error in one pass -----------------------------------------------------------------
def test_alle_feltfejl_paa_en_gang_ogsaa_cpr(api_client, team):
    data = ny_borger(team, cpr="320280-1234", efternavn="", kontaktkanal="brevdue", postnummer="12")
    body = problem(api_client.post(URL, data, format="json"), 400, "validering")
    assert {"cpr", "efternavn", "kontaktkanal", "postnummer"} <= set(body["errors"]), body["errors"]
    assert body["errors"]["cpr"] == ["CPR-nummerets første 6 cifre er ikke en gyldig dato."]


def test_dublet_cpr_vises_sammen_med_de_andre_feltfejl(api_client, team, borger, fuldt_cpr):
    data = ny_borger(team, cpr=fuldt_cpr(borger), kontaktkanal="brevdue")
    body = problem(api_client.post(URL, data, format="json"), 400, "validering")
    assert set(body["errors"]) == {"cpr", "kontaktkanal"}


# --- a CPR that exists in another team -------------------------------------------------------------
def test_cpr_i_et_andet_team_afsloerer_hverken_team_eller_borger(api_client, team, andet_team, fuldt_cpr):
    leder = factories.medarbejder(team, Rolle.TEAMLEDER)
    fremmed = factories.borger(andet_team, actor=factories.medarbejder(andet_team))
    egen = factories.borger(team, actor=factories.medarbejder(team))
    svar = {}
    for navn, b in (("fremmed", fremmed), ("egen", egen)):
        r = api_client.post(URL, ny_borger(team, cpr=fuldt_cpr(b)), format="json")
        svar[navn] = problem(r, 400, "validering")["errors"]
        assert andet_team.navn not in r.content.decode() and fremmed.efternavn not in r.content.decode()
    assert svar["fremmed"] == svar["egen"] == {"cpr": ["Borgeren kan ikke oprettes her. Kontakt din teamleder."]}
    assert Notifikation.objects.filter(modtager=leder, titel="En borger kunne ikke oprettes").count() == 2
    assert AuditEntry.objects.filter(handling="borger.opret_afvist_dublet").count() == 2
    assert Borger.objects.count() == 2


def test_cpr_i_et_andet_team_samme_svar_i_brugerfladen(klient, team, andet_team, fuldt_cpr):
    fremmed = factories.borger(andet_team, actor=factories.medarbejder(andet_team))
    r = klient.post(
        "/borgere/opret/",
        {
            "cpr": fuldt_cpr(fremmed), "fornavn": "Ib", "efternavn": "Fiktiv", "team": team.pk,
            "kontaktkanal": Kontaktkanal.DIGITAL_POST, "digital_post": DigitalPostStatus.UKENDT,
        },
    )  # fmt: skip
    side = r.content.decode()
    assert "Borgeren kan ikke oprettes her. Kontakt din teamleder." in side
    assert andet_team.navn not in side and fremmed.efternavn not in side


# --- never a 500 for bad input ---------------------------------------------------------------------
def test_samme_moededag_to_gange_er_en_feltfejl(team):
    leder = factories.medarbejder(team, Rolle.TEAMLEDER)
    c = APIClient()
    c.force_login(leder)
    dag = datoer.idag() + dt.timedelta(days=30)
    body = {"dato": dag.isoformat(), "kapacitet": 4, "sted": "Lokale 1", "medlemmer": []}
    assert c.post("/api/v1/moededage/", body, format="json").status_code == 201
    fejl = problem(c.post("/api/v1/moededage/", body, format="json"), 400, "validering")
    assert fejl["errors"]["dato"] == ["Der er allerede en mødedag på denne dato og dette sted."]
    assert Moededag.objects.count() == 1


def test_for_stor_body_svarer_413(api_client, team, settings):
    data = json.dumps(ny_borger(team, adresse="x" * (5 * 1024 * 1024)))
    problem(api_client.post(URL, data, content_type="application/json"), 413, "for-stor")
    assert not Borger.objects.exists()


def test_dybt_indlejret_json_svarer_400(api_client, team):
    data = '{"cpr": ' + "[" * 5000 + "]" * 5000 + "}"
    problem(api_client.post(URL, data, content_type="application/json"), 400)
    problem(api_client.post("/api/v1/borgere/soeg/", data, content_type="application/json"), 400)


@pytest.mark.parametrize("felt", ["indstilling_udfald", "afslutning_aarsag"])
def test_forloeb_uden_vaerdi_svarer_null_ikke_tom_streng(api_client, team, sagsbehandler, felt):
    fl = factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    r = api_client.get(f"/api/v1/forloeb/{fl.pk}/")
    assert r.status_code == 200 and r.json()[felt] is None
