"""The borgere API: masked CPR, problem+json errors, 404 outside reach, ETag/If-Match."""

import pytest
from rest_framework.test import APIClient

from cases.models import Borger
from infra.models import AuditEntry
from tests import factories

URL = "/api/v1/borgere/"


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def test_opret_borger_svarer_med_maskeret_cpr(api_client, team):
    response = api_client.post(
        URL, {"cpr": "070680-1234", "fornavn": "Ib", "efternavn": "Fiktiv", "team": str(team.pk)}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["cpr_maskeret"] == "070680-****"
    assert "cpr" not in body
    assert "0706801234" not in response.content.decode()
    assert response["ETag"]


def test_ugyldigt_cpr_giver_problem_json_med_feltfejl(api_client, team):
    response = api_client.post(
        URL, {"cpr": "320280-1234", "fornavn": "Ib", "efternavn": "F", "team": str(team.pk)}, format="json"
    )
    body = problem(response, 400)
    assert body["errors"]["cpr"] == ["CPR-nummerets første 6 cifre er ikke en gyldig dato."]
    assert not Borger.objects.exists()


def test_dublet_cpr_giver_problem_json(api_client, team):
    data = {"cpr": "0706801234", "fornavn": "Ib", "efternavn": "F", "team": str(team.pk)}
    assert api_client.post(URL, data, format="json").status_code == 201
    body = problem(api_client.post(URL, data, format="json"), 400)
    assert body["errors"]["cpr"] == ["Borgeren kan ikke oprettes her. Kontakt din teamleder."]
    assert Borger.objects.count() == 1


def test_manglende_felter_og_ugyldig_json(api_client):
    body = problem(api_client.post(URL, {}, format="json"), 400)
    assert {"cpr", "fornavn", "efternavn", "team"} <= set(body["errors"])
    problem(api_client.post(URL, "{ikke json", content_type="application/json"), 400)


def test_liste_viser_kun_egne_teams_og_logger_laesning(api_client, borger, andet_team):
    factories.borger(andet_team, actor=factories.medarbejder(andet_team))
    response = api_client.get(URL)
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [str(borger.pk)]
    assert AuditEntry.objects.filter(handling="borger.liste", borger_ids__contains=[borger.pk]).exists()


def test_ukendt_forespoergselsparameter_giver_400(api_client):
    body = problem(api_client.get(URL, {"cpr": "0706801234"}), 400)
    assert "cpr" in body["errors"]


def test_borger_udenfor_raekkevidde_giver_404(api_client, andet_team, fremmed_team):
    for other_team in (andet_team, fremmed_team):
        other = factories.borger(other_team, actor=factories.medarbejder(other_team))
        problem(api_client.get(f"{URL}{other.pk}/"), 404)
        problem(api_client.patch(f"{URL}{other.pk}/", {"telefon": "1"}, format="json"), 404)
    problem(api_client.get(f"{URL}00000000-0000-0000-0000-000000000000/"), 404)


def test_detalje_logger_laesning_og_har_etag(api_client, borger):
    response = api_client.get(f"{URL}{borger.pk}/")
    assert response.status_code == 200
    assert response.json()["cpr_maskeret"].endswith("-****")
    assert response["ETag"] == f'"{borger.pk}-{borger.version}"'
    assert AuditEntry.objects.filter(handling="borger.laes", borger_ids__contains=[borger.pk]).count() == 1


def test_if_match_forhindrer_tabt_opdatering(api_client, borger):
    etag = api_client.get(f"{URL}{borger.pk}/")["ETag"]
    first = api_client.patch(f"{URL}{borger.pk}/", {"telefon": "11111111"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] != etag
    stale = api_client.patch(f"{URL}{borger.pk}/", {"telefon": "22222222"}, format="json", HTTP_IF_MATCH=etag)
    problem(stale, 412)
    borger.refresh_from_db()
    assert borger.telefon == "11111111"


def test_soegning_paa_cpr_sker_i_body(api_client, borger):
    from infra import cpr as cprlib

    digits = cprlib.decrypt(borger.cpr_krypteret)
    response = api_client.post(f"{URL}soeg/", {"cpr": digits}, format="json")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(borger.pk)]
    assert digits not in response.content.decode()


def test_vis_cpr_kraever_begrundelse(api_client, borger):
    problem(api_client.post(f"{URL}{borger.pk}/vis-cpr/", {}, format="json"), 400)
    response = api_client.post(f"{URL}{borger.pk}/vis-cpr/", {"begrundelse": "Telefonopkald"}, format="json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert len(response.json()["cpr"]) == 11


@pytest.mark.parametrize("method", ["get", "post"])
def test_uautoriseret_giver_problem_json(method, db):
    response = getattr(APIClient(), method)(URL, format="json")
    problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
