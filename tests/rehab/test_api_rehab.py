"""Rehabilitation over the API as an integrator or the UI uses it. Refusals have their own status and
problem ``type`` and change nothing; what lies outside the caller's reach is 404 (or, when named in
a body, a field error that does not say whether it exists)."""

import datetime as dt
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cases.api.auth import hash_token
from cases.models import ApiKlient, Journalnotat, Rolle
from infra import datoer
from infra.models import AuditEntry
from rehab.models import SEKTIONER, Bilag, Booking, ForberedendeDel, Indstilling, Partshoering
from tests import factories
from tests.factories import forberedende_del_komplet, forloeb_i, moededag

from .conftest import frisk

API = "/api/v1/"
PROBLEM = "https://sagsforloeb.dk/problemer/"


def problem(response, status, slug=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if slug is not None:
        assert body["type"] == PROBLEM + slug
    return body


def klient_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def token_klient(kommune, *scopes) -> APIClient:
    token = "sf_test-" + os.urandom(8).hex()
    ApiKlient.objects.create(navn="Vitas-test", kommune=kommune, scopes=list(scopes), token_hash=hash_token(token))
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return c


def om_dage(n: int) -> dt.date:
    return datoer.idag() + dt.timedelta(days=n)


@pytest.fixture
def plan(team, sagsbehandler):
    return forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)


@pytest.fixture
def klar(plan):
    """Forberedende del complete: ready to be presented."""
    forberedende_del_komplet(plan)
    return plan


@pytest.fixture
def moede(team):
    """A meeting day three weeks from today (the lead time is 14 days)."""
    return moededag(team.jobcenter.kommune, om_dage(21), kapacitet=2)


# --- forberedende dele -----------------------------------------------------------------------------
def test_forberedende_del_oprettes_laeses_og_viser_mangler_og_advarsler(api_client, plan):
    r = api_client.post(f"{API}forberedende-dele/", {"forloeb": str(plan.pk)}, format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 201, r.content
    fd = ForberedendeDel.objects.get(forloeb=plan)
    assert r["Location"] == f"/api/v1/forberedende-dele/{fd.pk}/"
    assert r["ETag"] == f'"{fd.pk}-1"'

    r = api_client.get(f"{API}forberedende-dele/{fd.pk}/")
    body = r.json()
    assert body["manglende_sektioner"] == [label for _, label in SEKTIONER]
    assert body["advarsler"] == ["Helbredstjeklisten har 6 ubesvarede spørgsmål."]
    assert (body["lae265_opfyldt"], body["bilag"]) == (False, [])
    assert AuditEntry.objects.filter(handling="forberedende_del.laes", borger_ids__contains=[plan.borger_id]).exists()

    r = api_client.get(f"{API}forberedende-dele/", {"forloeb": str(plan.pk)})
    assert [d["id"] for d in r.json()["results"]] == [str(fd.pk)]


def test_patch_med_foraeldet_if_match_giver_412_og_aendrer_intet(api_client, klar):
    fd = ForberedendeDel.objects.get(forloeb=klar)
    etag = api_client.get(f"{API}forberedende-dele/{fd.pk}/")["ETag"]
    r = api_client.patch(
        f"{API}forberedende-dele/{fd.pk}/", {"helbred": "Ny vurdering"}, format="json", HTTP_IF_MATCH=etag
    )
    assert r.status_code == 200, r.content
    assert r["ETag"] != etag and r.json()["helbred"] == "Ny vurdering"

    r = api_client.patch(
        f"{API}forberedende-dele/{fd.pk}/", {"helbred": "Overskriver"}, format="json", HTTP_IF_MATCH=etag
    )
    problem(r, 412, "foraeldet")
    fd.refresh_from_db()
    assert fd.helbred == "Ny vurdering"


def test_html_i_et_afsnit_kommer_tilbage_som_ren_tekst_i_json(api_client, klar):
    fd = ForberedendeDel.objects.get(forloeb=klar)
    ondsindet = '<script>alert("x")</script><img src=x onerror=alert(1)> & "citat"'
    r = api_client.patch(
        f"{API}forberedende-dele/{fd.pk}/", {"sociale_forhold": ondsindet}, format="json", HTTP_IF_MATCH="*"
    )
    assert r.status_code == 200, r.content
    r = api_client.get(f"{API}forberedende-dele/{fd.pk}/")
    assert r["Content-Type"] == "application/json"
    assert r.json()["sociale_forhold"] == ondsindet  # data, returned exactly as typed; never interpreted here
    fd.refresh_from_db()
    assert fd.sociale_forhold == ondsindet


def test_fremtidig_dato_og_ukendt_felt_giver_feltfejl(api_client, klar):
    fd = ForberedendeDel.objects.get(forloeb=klar)
    r = api_client.patch(
        f"{API}forberedende-dele/{fd.pk}/",
        {"skrevet_med_borger_dato": om_dage(1).isoformat(), "anbefaling": "fleksjob"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    body = problem(r, 400, "validering")
    assert set(body["errors"]) == {"anbefaling"}  # unknown fields are caught before the service runs
    r = api_client.patch(
        f"{API}forberedende-dele/{fd.pk}/",
        {"skrevet_med_borger_dato": om_dage(1).isoformat()},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert problem(r, 400, "validering")["errors"] == {
        "skrevet_med_borger_dato": ["Datoen kan ikke ligge i fremtiden."]
    }


def test_bilag_som_json_og_som_fil(api_client, klar, settings, tmp_path):
    fd = ForberedendeDel.objects.get(forloeb=klar)
    r = api_client.post(
        f"{API}forberedende-dele/{fd.pk}/bilag/",
        {"type": "leverandoer", "titel": "Praktikrapport", "dokument_dato": "2026-04-01"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 201, r.content
    assert (r.json()["titel"], r.json()["har_fil"]) == ("Praktikrapport", False)

    fil = SimpleUploadedFile("Karen Fiktivsen 010190-1234.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = api_client.post(
        f"{API}forberedende-dele/{fd.pk}/bilag/",
        {"type": "laegelig", "titel": "Speciallægeerklæring", "dokument_dato": "2026-05-01", "fil": fil},
        format="multipart",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 201, r.content
    b = Bilag.objects.get(pk=r.json()["id"])
    assert os.path.basename(b.fil.name) == f"{b.pk}.pdf"  # never the uploaded name (it may hold a CPR)
    assert len(api_client.get(f"{API}forberedende-dele/{fd.pk}/").json()["bilag"]) == 3

    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    r = api_client.post(
        f"{API}forberedende-dele/{fd.pk}/bilag/",
        {"type": "andet", "titel": "X", "dokument_dato": "2026-05-01", "fil": exe},
        format="multipart",
        HTTP_IF_MATCH="*",
    )
    assert set(problem(r, 400, "validering")["errors"]) == {"fil"}
    assert fd.bilag.count() == 3


@pytest.mark.parametrize("hvor", ["andet_team", "fremmed_team"])
def test_andre_teams_og_kommuners_forberedende_del_er_404(request, api_client, hvor):
    fremmed = forloeb_i("forberedende_plan", team=request.getfixturevalue(hvor))
    fd = forberedende_del_komplet(fremmed)
    problem(api_client.get(f"{API}forberedende-dele/{fd.pk}/"), 404, "findes-ikke")
    problem(
        api_client.patch(f"{API}forberedende-dele/{fd.pk}/", {"helbred": "x"}, format="json", HTTP_IF_MATCH="*"), 404
    )
    problem(api_client.post(f"{API}forberedende-dele/{fd.pk}/bilag/", {}, format="json", HTTP_IF_MATCH="*"), 404)
    assert api_client.get(f"{API}forberedende-dele/", {"forloeb": str(fremmed.pk)}).json()["results"] == []

    r = api_client.post(f"{API}forberedende-dele/", {"forloeb": str(fremmed.pk)}, format="json", HTTP_IF_MATCH="*")
    assert problem(r, 400)["errors"] == {"forloeb": ["Forløbet findes ikke eller er uden for din adgang."]}
    assert fremmed.forberedende_dele.count() == 1


def test_ukendt_forespoergselsparameter_giver_400(api_client):
    problem(api_client.get(f"{API}forberedende-dele/", {"borger_cpr": "0101901234"}), 400, "validering")
    problem(api_client.get(f"{API}moededage/", {"fra": "i morgen"}), 400, "validering")


# --- mødedage --------------------------------------------------------------------------------------
def test_moededage_listes_med_ledige_pladser_og_filtreres_paa_dato(api_client, klar, moede, team):
    moededag(team.jobcenter.kommune, om_dage(60))
    klient_for(klar.sagsbehandler).post(
        f"{API}bookinger/", {"forloeb": str(klar.pk), "moededag": str(moede.pk)}, format="json", HTTP_IF_MATCH="*"
    )
    r = api_client.get(f"{API}moededage/", {"fra": om_dage(1).isoformat(), "til": om_dage(30).isoformat()})
    assert r.status_code == 200, r.content
    [dag] = r.json()["results"]
    assert (dag["id"], dag["kapacitet"], dag["ledige_pladser"]) == (str(moede.pk), 2, 1)
    assert {m["omraade"] for m in dag["medlemmer"]} == {"sundhedskoordinator", "beskaeftigelse"}


def test_moededage_oprettes_kun_af_teamleder_eller_moedeleder(api_client, team):
    body = {
        "dato": om_dage(30).isoformat(),
        "kapacitet": 4,
        "sted": "Mødelokale 2",
        "medlemmer": [{"navn": "Sundhedskoordinator Fiktiv", "omraade": "sundhedskoordinator"}],
    }
    problem(api_client.post(f"{API}moededage/", body, format="json", HTTP_IF_MATCH="*"), 403, "ingen-adgang")
    leder = factories.medarbejder(team, Rolle.MOEDELEDER)
    r = klient_for(leder).post(f"{API}moededage/", {**body, "moedeleder": leder.pk}, format="json")
    assert r.status_code == 201, r.content
    assert (r.json()["ledige_pladser"], r.json()["moedeleder"], len(r.json()["medlemmer"])) == (4, leder.pk, 1)
    r = api_client.get(r["Location"])
    assert r.json()["medlemmer"][0]["navn"] == "Sundhedskoordinator Fiktiv"


def test_andre_kommuners_moededage_er_usynlige(api_client, fremmed_team):
    fremmed = moededag(fremmed_team.jobcenter.kommune, om_dage(21))
    problem(api_client.get(f"{API}moededage/{fremmed.pk}/"), 404)
    assert api_client.get(f"{API}moededage/").json()["results"] == []


# --- bookinger -------------------------------------------------------------------------------------
def test_booking_afvises_med_409_og_alle_betingelser_og_intet_bookes(api_client, plan, moede):
    api_client.post(f"{API}forberedende-dele/", {"forloeb": str(plan.pk)}, format="json", HTTP_IF_MATCH="*")
    r = api_client.post(
        f"{API}bookinger/", {"forloeb": str(plan.pk), "moededag": str(moede.pk)}, format="json", HTTP_IF_MATCH="*"
    )
    body = problem(r, 409, "betingelser-ikke-opfyldt")
    assert {b["kode"] for b in body["betingelser"]} == {
        "rehab.forberedende_del_ufuldstaendig",
        "rehab.ikke_skrevet_med_borger",
        "rehab.lae265_mangler",
    }
    assert all(b["besked"] and b["link"] for b in body["betingelser"])
    assert not Booking.objects.filter(forloeb=plan).exists()
    assert frisk(plan).tilstand == "forberedende_plan"


def test_booking_uden_varsel_afvises_med_409(api_client, klar, team):
    naer = moededag(team.jobcenter.kommune, om_dage(10))
    r = api_client.post(
        f"{API}bookinger/", {"forloeb": str(klar.pk), "moededag": str(naer.pk)}, format="json", HTTP_IF_MATCH="*"
    )
    assert [b["kode"] for b in problem(r, 409)["betingelser"]] == ["rehab.moede_varsel"]
    assert not Booking.objects.filter(forloeb=klar).exists()


def test_booking_med_idempotency_key_opretter_en_booking(api_client, klar, moede):
    data = {"forloeb": str(klar.pk), "moededag": str(moede.pk), "tidspunkt": "09:30"}
    r1 = api_client.post(f"{API}bookinger/", data, format="json", HTTP_IDEMPOTENCY_KEY="book-1", HTTP_IF_MATCH="*")
    r2 = api_client.post(f"{API}bookinger/", data, format="json", HTTP_IDEMPOTENCY_KEY="book-1", HTTP_IF_MATCH="*")
    assert (r1.status_code, r2.status_code) == (201, 201), r1.content
    assert r2["Idempotent-Replay"] == "true"
    assert r1.json() == r2.json()
    assert Booking.objects.filter(forloeb=klar).count() == 1
    assert r1.json()["indkaldelse"] is not None and r1.json()["moede_dato"] == moede.dato.isoformat()
    assert frisk(klar).tilstand == "rehabiliteringsteam"

    r3 = api_client.post(
        f"{API}bookinger/", {**data, "tidspunkt": "10:00"}, format="json", HTTP_IDEMPOTENCY_KEY="book-1"
    )
    problem(r3, 422, "idempotency-key-genbrugt")


def test_booket_moede_flyttes_til_en_anden_dag(api_client, klar, moede, team, fremmed_team):
    b = api_client.post(
        f"{API}bookinger/", {"forloeb": str(klar.pk), "moededag": str(moede.pk)}, format="json", HTTP_IF_MATCH="*"
    )
    gammel = b.json()["id"]
    ny_dag = moededag(team.jobcenter.kommune, om_dage(35))
    url = f"{API}bookinger/{gammel}/flyt/"

    body = problem(api_client.post(url, {"moededag": str(ny_dag.pk)}, format="json", HTTP_IF_MATCH="*"), 400)
    assert body["errors"] == {"aarsag": ["Angiv hvorfor mødet flyttes (det står i sagens historik)."]}
    fremmed = moededag(fremmed_team.jobcenter.kommune, om_dage(35))
    body = problem(
        api_client.post(url, {"moededag": str(fremmed.pk), "aarsag": "Syg"}, format="json", HTTP_IF_MATCH="*"), 400
    )
    assert body["errors"] == {"moededag": ["Mødedagen findes ikke."]}
    assert Booking.objects.get(pk=gammel).status == "booket"

    r = api_client.post(
        url, {"moededag": str(ny_dag.pk), "aarsag": "Borgeren er syg."}, format="json", HTTP_IF_MATCH="*"
    )

    assert r.status_code == 201, r.content
    assert r["Location"] == f"/api/v1/bookinger/{r.json()['id']}/"
    assert (r.json()["moede_dato"], r.json()["status"]) == (ny_dag.dato.isoformat(), "booket")
    assert Booking.objects.get(pk=gammel).status == "aflyst"
    assert frisk(klar).rehab_moede_dato == ny_dag.dato
    problem(api_client.post(url, {"moededag": str(moede.pk), "aarsag": "Igen"}, format="json", HTTP_IF_MATCH="*"), 400)


def test_fuldt_booket_moededag_giver_feltfejl(team, moede):
    for _ in range(2):
        fl = forloeb_i("forberedende_plan", team=team)
        forberedende_del_komplet(fl)
        r = klient_for(fl.sagsbehandler).post(
            f"{API}bookinger/", {"forloeb": str(fl.pk), "moededag": str(moede.pk)}, format="json", HTTP_IF_MATCH="*"
        )
        assert r.status_code == 201, r.content
    fl = forloeb_i("forberedende_plan", team=team)
    forberedende_del_komplet(fl)
    r = klient_for(fl.sagsbehandler).post(
        f"{API}bookinger/", {"forloeb": str(fl.pk), "moededag": str(moede.pk)}, format="json", HTTP_IF_MATCH="*"
    )
    assert problem(r, 400, "validering")["errors"] == {
        "moededag": [f"Mødedagen {moede.dato:%d.%m.%Y} er fuldt booket. Vælg en anden dag."]
    }
    assert not Booking.objects.filter(forloeb=fl).exists()


def test_booking_i_andet_teams_forloeb_afvises_uden_at_afsloere_det(api_client, andet_team, moede):
    fremmed = forloeb_i("forberedende_plan", team=andet_team)
    forberedende_del_komplet(fremmed)
    r = api_client.post(
        f"{API}bookinger/", {"forloeb": str(fremmed.pk), "moededag": str(moede.pk)}, format="json", HTTP_IF_MATCH="*"
    )
    assert set(problem(r, 400)["errors"]) == {"forloeb"}
    assert not Booking.objects.filter(forloeb=fremmed).exists()


def test_genforelaeggelse_via_api_kraever_begrundelse(team, moede):
    fl = forloeb_i("indstilling", team=team, udfald="foertidspension")
    c = klient_for(fl.sagsbehandler)
    r = c.post(f"{API}bookinger/", {"forloeb": str(fl.pk), "moededag": str(moede.pk)}, format="json", HTTP_IF_MATCH="*")
    assert set(problem(r, 400)["errors"]) == {"genforelaeg_begrundelse"}
    data = {"forloeb": str(fl.pk), "moededag": str(moede.pk), "genforelaeg_begrundelse": "Kommunen er uenig."}
    assert c.post(f"{API}bookinger/", data, format="json", HTTP_IF_MATCH="*").status_code == 201
    assert frisk(fl).tilstand == "rehabiliteringsteam"


def test_moedet_registreres_som_afholdt(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    b = fl.rehab_bookinger.get()
    medlemmer = list(b.moededag.medlemmer.values_list("pk", flat=True))
    c = klient_for(fl.sagsbehandler)
    r = c.post(
        f"{API}bookinger/{b.pk}/afholdt/",
        {"borger_til_stede": True, "deltagere": [999999]},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert set(problem(r, 400)["errors"]) == {"deltagere"}
    r = c.post(
        f"{API}bookinger/{b.pk}/afholdt/",
        {"borger_til_stede": True, "deltagere": medlemmer, "bisidder_navn": "Datter"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["status"], sorted(r.json()["deltagere"])) == ("afholdt", sorted(medlemmer))


# --- indstillinger ---------------------------------------------------------------------------------
def test_indstilling_uden_indhold_giver_feltfejl_og_med_indhold_flytter_forloebet(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    c = klient_for(fl.sagsbehandler)
    r = c.post(
        f"{API}indstillinger/", {"forloeb": str(fl.pk), "udfald": "foertidspension"}, format="json", HTTP_IF_MATCH="*"
    )
    assert set(problem(r, 400)["errors"]) == {
        "faktorer_beskaeftigelse",
        "faktorer_sociale",
        "faktorer_helbred",
        "faglig_begrundelse",
    }
    assert not Indstilling.objects.filter(forloeb=fl).exists()

    indhold = {f: "Vurderet." for f in ["faktorer_beskaeftigelse", "faktorer_sociale", "faktorer_helbred"]}
    data = {"forloeb": str(fl.pk), "udfald": "foertidspension", "faglig_begrundelse": "Varigt nedsat.", **indhold}
    r = c.post(f"{API}indstillinger/", data, format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 201, r.content
    assert r.json()["udfald"] == "foertidspension" and "klagevejledning" not in r.json()
    assert frisk(fl).tilstand == "indstilling"
    assert c.get(f"{API}indstillinger/", {"forloeb": str(fl.pk)}).json()["results"][0]["id"] == r.json()["id"]


def test_indstilling_i_forkert_tilstand_giver_409(api_client, klar):
    r = api_client.post(
        f"{API}indstillinger/",
        {"forloeb": str(klar.pk), "udfald": "anden_indsats", "anden_indsats_beskrivelse": "Praktik"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    problem(r, 409, "forkert-tilstand")
    assert not Indstilling.objects.filter(forloeb=klar).exists()


# --- partshøringer ---------------------------------------------------------------------------------
def test_partshoering_og_undtagelse_via_api(team):
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")
    c = klient_for(fl.sagsbehandler)
    indstilling = fl.indstillinger.get()
    grundlag = [{"tekst": "Teamet anbefaler fleksjob.", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)}]
    r = c.post(f"{API}partshoeringer/", {"forloeb": str(fl.pk), "grundlag": grundlag}, format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 201, r.content
    ph = r.json()
    assert ph["status"] == "kladde" and ph["brev"]
    assert ph["grundlag"][0]["kilde_titel"] == "Rehabiliteringsteamets indstilling 30.03.2026"

    r = c.post(
        f"{API}partshoeringer/{ph['id']}/svar/",
        {"dato": datoer.idag().isoformat(), "tekst": "Ok"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert set(problem(r, 400)["errors"]) == {"status"}

    r = c.post(
        f"{API}partshoeringer/undtag/",
        {"forloeb": str(fl.pk), "undtagelse": "fvl_19_2_nr1", "begrundelse": ""},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert set(problem(r, 400)["errors"]) == {"begrundelse"}
    r = c.post(
        f"{API}partshoeringer/undtag/",
        {"forloeb": str(fl.pk), "undtagelse": "fvl_19_2_nr1", "begrundelse": "Fuldt medhold."},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "undtaget"
    assert Journalnotat.objects.filter(forloeb=fl, overskrift="Partshøring undladt").exists()


def test_partshoering_med_kilde_fra_andet_forloeb_afvises(team):
    fl = forloeb_i("indstilling", team=team)
    andet = forloeb_i("indstilling", team=team)
    grundlag = [{"tekst": "Fremmed", "kilde_type": "indstilling", "kilde_id": str(andet.indstillinger.get().pk)}]
    r = klient_for(fl.sagsbehandler).post(
        f"{API}partshoeringer/", {"forloeb": str(fl.pk), "grundlag": grundlag}, format="json", HTTP_IF_MATCH="*"
    )
    assert problem(r, 400)["errors"] == {"grundlag.0.kilde_id": ["Kilden skal være et dokument i denne sag."]}
    assert not Partshoering.objects.filter(forloeb=fl).exists()


# --- API clients -----------------------------------------------------------------------------------
def test_api_klient_kraever_skrivescope_og_ser_kun_egen_kommune(klar, moede, fremmed_team):
    kommune = klar.kommune
    laeser = token_klient(kommune, "forloeb:read")
    data = {"forloeb": str(klar.pk), "moededag": str(moede.pk)}
    problem(laeser.post(f"{API}bookinger/", data, format="json", HTTP_IF_MATCH="*"), 403, "mangler-scope")
    assert not Booking.objects.filter(forloeb=klar).exists()
    assert laeser.get(f"{API}moededage/{moede.pk}/").status_code == 200

    skriver = token_klient(kommune, "forloeb:read", "forloeb:write")
    assert skriver.post(f"{API}bookinger/", data, format="json", HTTP_IF_MATCH="*").status_code == 201

    fremmed = token_klient(fremmed_team.jobcenter.kommune, "forloeb:read", "forloeb:write")
    b = Booking.objects.get(forloeb=klar)
    problem(fremmed.get(f"{API}bookinger/{b.pk}/"), 404)
    problem(fremmed.get(f"{API}moededage/{moede.pk}/"), 404)
