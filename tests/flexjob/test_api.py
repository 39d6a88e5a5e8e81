"""The fleksjob API: employers, visitations, employments and arbejdsevnevurderinger."""

import datetime as dt
import uuid

import pytest
from rest_framework.test import APIClient

from cases.api.auth import hash_token
from cases.models import ApiKlient
from flexjob.models import Ansaettelse, Arbejdsevnevurdering, Virksomhed
from infra.models import AuditEntry, IdempotencyKey
from tests import factories
from tests.factories import dag

from .conftest import CVR, ansaettelse_til, uden_visitation, virksomhed_til, visitation_af, vurdering_til

pytestmark = pytest.mark.django_db
PROBLEM = "https://sagsforloeb.dk/problemer/"


def problem(r, status, slug=None):
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    body = r.json()
    if slug:
        assert body["type"] == PROBLEM + slug
    return body


@pytest.fixture
def api(fleksjob_forloeb):
    c = APIClient()
    c.force_authenticate(fleksjob_forloeb.sagsbehandler)
    return c


def test_virksomhed_opret_og_list(api, fleksjob_forloeb):
    r = api.post(
        "/api/v1/virksomheder/",
        {"cvr": CVR, "navn": "Fiktiv ApS", "p_nummer": "1234567890"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 201, r.content
    assert r.json()["cvr"] == CVR
    r = api.get("/api/v1/virksomheder/")
    assert [v["cvr"] for v in r.json()["results"]] == [CVR]


def test_virksomhed_ugyldig_cvr_og_p_nummer_er_feltfejl(api):
    r = api.post(
        "/api/v1/virksomheder/", {"cvr": "10150818", "navn": "X", "p_nummer": "12345"}, format="json", HTTP_IF_MATCH="*"
    )
    body = problem(r, 400, "validering")
    assert set(body["errors"]) == {"cvr", "p_nummer"}
    assert not Virksomhed.objects.exists()


def test_visitationen_registreres_naar_afgoerelsen_udstedes(api, fleksjob_forloeb):
    fl = fleksjob_forloeb
    afg = fl.dokumenter.get(type="fleksjob_visitation")
    r = api.get(f"/api/v1/visitationer/?forloeb={fl.pk}")
    [v] = r.json()["results"]
    assert v["afgoerelse"] == str(afg.pk) and v["dato"] == dag(40).isoformat()
    assert (v["baseline_timer"], v["baseline_intensitet"]) == ("12.5", 60)
    assert v["ventetid"]["paa_ledighedsydelse"] is True
    # registering it again by hand is refused: the decision is the visitation
    r = api.post(
        "/api/v1/visitationer/",
        {"forloeb": str(fl.pk), "afgoerelse": str(afg.pk), "baseline_timer": "12.5", "baseline_intensitet": 60},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert "afgoerelse" in problem(r, 400, "validering")["errors"]


def test_flow_visitation_ansaettelse_vurdering(api, fleksjob_forloeb):
    fl = uden_visitation(fleksjob_forloeb)  # a decision issued before issuing registered the visitation
    afg = fl.dokumenter.get(type="fleksjob_visitation")
    r = api.post(
        "/api/v1/visitationer/",
        {"forloeb": str(fl.pk), "afgoerelse": str(afg.pk), "dato": dag(40).isoformat(), "baseline_timer": "12.5",
         "baseline_intensitet": 60},
        format="json", HTTP_IF_MATCH="*"
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert r.json()["ventetid"]["paa_ledighedsydelse"] is True
    v = virksomhed_til(fl)
    body = {"forloeb": str(fl.pk), "virksomhed": str(v.pk), "start": dag(60).isoformat(), "loennede_timer": "12.5",
            "intensitet": 60, "opgaver": "Opvask"}  # fmt: skip
    r = api.post("/api/v1/ansaettelser/", body, format="json", HTTP_IDEMPOTENCY_KEY="a-1", HTTP_IF_MATCH="*")
    assert r.status_code == 201, r.content
    a = r.json()
    assert {f["art"] for f in a["aabne_frister"]} == {
        "fleksjob_arbejdsevne", "fleksjob_opfoelgning_tidlig", "fleksjob_opfoelgning", "fleksjob_status",
    }  # fmt: skip
    r2 = api.post("/api/v1/ansaettelser/", body, format="json", HTTP_IDEMPOTENCY_KEY="a-1", HTTP_IF_MATCH="*")
    assert r2.status_code == 201 and r2["Idempotent-Replay"] == "true"
    assert Ansaettelse.objects.count() == 1
    r = api.post(
        "/api/v1/arbejdsevnevurderinger/",
        {"ansaettelse": a["id"], "timer": "12.5", "intensitet": 60, "job_timer": "15", "opgaver": "Opvask",
         "skaanehensyn": [{"hensyn": "Pauser", "imoedekommet": "Pause hver time"}]},
        format="json", HTTP_IF_MATCH="*"
    )  # fmt: skip
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["effektive_timer"] == "7.50" and d["afviger"] is True
    assert {"arbejdsevne.afvigelse_uden_begrundelse", "arbejdsevne.loen_ikke_bekraeftet"} <= {
        m["kode"] for m in d["mangler"]
    }
    assert [x["kode"] for x in d["advarsler"]] == ["arbejdsevne.progression_mangler"]
    r = api.get(f"/api/v1/arbejdsevnevurderinger/{d['id']}/")
    assert r.status_code == 200
    assert AuditEntry.objects.filter(handling="arbejdsevnevurdering.laes").exists()
    r = api.post(
        f"/api/v1/arbejdsevnevurderinger/{d['id']}/revurder/",
        {"faelles_anmodning": False},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert "faelles_anmodning" in problem(r, 400, "validering")["errors"]


def test_revurder_via_api(api, ansaettelse):
    v1 = vurdering_til(ansaettelse, progression="x")
    from decisions.services import dokument_udsted

    dokument_udsted(actor=ansaettelse.forloeb.sagsbehandler, dokument=v1.dokument, idag=dag(70))
    r = api.post(
        f"/api/v1/arbejdsevnevurderinger/{v1.pk}/revurder/",
        {"faelles_anmodning": True, "timer": "14"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 201, r.content
    assert r.json()["version"] == 2 and r.json()["forrige"] == str(v1.pk)
    assert Arbejdsevnevurdering.objects.count() == 2


@pytest.mark.parametrize(
    "felter, felt",
    [
        ({"loennede_timer": "0"}, "loennede_timer"),
        ({"loennede_timer": "40"}, "loennede_timer"),
        ({"intensitet": 0}, "intensitet"),
        ({"intensitet": 101}, "intensitet"),
        ({"slut": "2026-04-01"}, "slut"),
    ],
)
def test_ansaettelse_ugyldigt_input(api, visitation, felter, felt):
    fl = visitation.forloeb
    v = virksomhed_til(fl)
    body = {"forloeb": str(fl.pk), "virksomhed": str(v.pk), "start": dag(60).isoformat(), "loennede_timer": "12.5"}
    r = api.post(
        "/api/v1/ansaettelser/", body | felter, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), HTTP_IF_MATCH="*"
    )
    assert felt in problem(r, 400, "validering")["errors"]
    assert not Ansaettelse.objects.exists() and not IdempotencyKey.objects.exists()


def test_anden_kommunes_forloeb(api, fremmed_team):
    fremmed = factories.forloeb_i("fleksjob", team=fremmed_team)
    visitation_af(fremmed)
    a = ansaettelse_til(fremmed)
    r = api.post(
        "/api/v1/ansaettelser/",
        {"forloeb": str(fremmed.pk), "virksomhed": str(uuid.uuid4()), "start": "2026-05-01", "loennede_timer": "10"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert "forloeb" in problem(r, 400, "validering")["errors"]
    problem(api.get(f"/api/v1/ansaettelser/{a.pk}/"), 404, "findes-ikke")
    assert api.get("/api/v1/ansaettelser/").json()["results"] == []
    assert Ansaettelse.objects.count() == 1


def test_api_klient_kraever_scope(fleksjob_forloeb):
    token = "flex-test-token-123456789"
    ApiKlient.objects.create(
        navn="Vitas", kommune_id=fleksjob_forloeb.kommune_id, scopes=["forloeb:read"], token_hash=hash_token(token),
        token_prefix=token[:8],
    )  # fmt: skip
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert c.get("/api/v1/ansaettelser/").status_code == 200
    problem(c.post("/api/v1/virksomheder/", {"cvr": CVR, "navn": "X"}, format="json", HTTP_IF_MATCH="*"), 403)


__all__ = ["dt"]


def test_kladde_til_arbejdsevnevurdering_rettes_via_api_som_paa_siden(api, ansaettelse):
    """A draft assessment is editable through the API as on the caseworker's page (PATCH with
    If-Match, the decision text generated again); once issued it answers 409 and a reassessment is
    the way."""
    from decisions.services import dokument_udsted

    v = vurdering_til(ansaettelse, progression="Før")
    url = f"/api/v1/arbejdsevnevurderinger/{v.pk}/"
    problem(api.patch(url, {"progression": "Efter"}, format="json"), 428, "if-match-mangler")
    etag = api.get(url)["ETag"]
    r = api.patch(url, {"progression": "Efter", "opgaver": "Opvask."}, format="json", HTTP_IF_MATCH=etag)
    assert r.status_code == 200, r.content
    assert (r.json()["progression"], r.json()["opgaver"]) == ("Efter", "Opvask.")
    assert "Opvask." in r.json()["tekst"]
    problem(api.patch(url, {"progression": "Igen"}, format="json", HTTP_IF_MATCH=etag), 412, "foraeldet")
    body = problem(api.patch(url, {"intensitet": 101}, format="json", HTTP_IF_MATCH=r["ETag"]), 400, "validering")
    assert "intensitet" in body["errors"]
    assert AuditEntry.objects.filter(handling="fleksjob.arbejdsevnevurdering.opdater", subject_id=str(v.pk)).exists()

    dokument_udsted(actor=ansaettelse.forloeb.sagsbehandler, dokument=v.dokument, idag=dag(70))
    problem(api.patch(url, {"progression": "Sent"}, format="json", HTTP_IF_MATCH="*"), 409, "ikke-kladde")
