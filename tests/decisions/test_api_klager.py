"""Complaints over the API: register, genvurder, send to Ankestyrelsen, fetch the package, record the
result. Same conventions as the forløb API: problem+json, 404 outside reach, scopes, idempotency.

Cases come from ``byg_sag`` (tests/decisions/test_klager.py): a refusal of fleksjob handed to the
citizen on Monday 13 April 2026, klagefrist Monday 11 May 2026.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest

from cases.models import Frist, FristStatus, Journalnotat
from decisions.models import Dokument, DokumentType, Klage, KlageStatus
from infra import datoer
from infra.models import AuditEntry
from tests import factories
from tests.cases.test_api_auth import bearer, opret_klient
from tests.cases.test_api_forloeb import klient_for, problem
from tests.decisions.test_klager import KLAGEFRIST, Ur, byg_sag, erstatning, tilstand
from tests.factories import dag

URL = "/api/v1/klager/"


@pytest.fixture
def ur(monkeypatch):
    u = Ur(monkeypatch)
    u(factories.START)
    return u


@pytest.fixture
def sag(team, sagsbehandler, ur):
    return byg_sag(team, sagsbehandler, ur)


@pytest.fixture
def api(sagsbehandler):
    return klient_for(sagsbehandler)


def opret(api, afgoerelse, dato: dt.date, **kw):
    body = {"afgoerelse": str(afgoerelse.pk), "modtaget_dato": dato.isoformat(), "kanal": "email"} | kw
    return api.post(URL, body, format="json", HTTP_IF_MATCH="*")


def test_klage_oprettes_med_frister_og_location(sag, api, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    r = opret(api, afgoerelse, dag(50), indhold="Jeg er uenig.")
    assert r.status_code == 201, r.content
    body = r.json()
    assert r["Location"] == f"{URL}{body['id']}/"
    assert body["status"] == "modtaget" and body["for_sent"] is False and body["indhold"] == "Jeg er uenig."
    assert body["afgoerelse"] == str(afgoerelse.pk) and body["forloeb"] == str(fl.pk)
    assert body["ankepakke"] is None and body["genvurdering_brev"] is None
    assert Frist.objects.get(forloeb=fl, art="klagefrist").status == FristStatus.OVERHOLDT
    assert Frist.objects.get(forloeb=fl, art="genvurdering").gaeldende_forfald == dag(50 + 28)


def test_for_sen_klage_modtages_og_markeres(sag, api, ur):
    _, afgoerelse = sag
    ur(KLAGEFRIST + dt.timedelta(days=1))
    r = opret(api, afgoerelse, KLAGEFRIST + dt.timedelta(days=1))
    assert r.status_code == 201 and r.json()["for_sent"] is True


def test_idempotency_key_giver_samme_svar_og_en_klage(sag, api, ur):
    _, afgoerelse = sag
    ur(dag(50))
    body = {"afgoerelse": str(afgoerelse.pk), "modtaget_dato": dag(50).isoformat(), "kanal": "brev"}
    r1 = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="klage-1", HTTP_IF_MATCH="*")
    r2 = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="klage-1", HTTP_IF_MATCH="*")
    assert r1.status_code == r2.status_code == 201
    assert r1.json() == r2.json() and r2["Idempotent-Replay"] == "true"
    assert Klage.objects.count() == 1
    r3 = api.post(URL, body | {"kanal": "telefon"}, format="json", HTTP_IDEMPOTENCY_KEY="klage-1", HTTP_IF_MATCH="*")
    problem(r3, 422, "idempotency-key-genbrugt")


def test_anden_kommunes_afgoerelse_og_klage_giver_404(sag, api, fremmed_team, ur):
    fremmed = factories.medarbejder(fremmed_team)
    fremmed_fl, fremmed_afg = byg_sag(fremmed_team, fremmed, ur)
    ur(dag(50))
    foer = tilstand(fremmed_fl)
    problem(opret(api, fremmed_afg, dag(50)), 404, "findes-ikke")
    assert tilstand(fremmed_fl) == foer
    klage_id = opret(klient_for(fremmed), fremmed_afg, dag(50)).json()["id"]
    problem(api.get(f"{URL}{klage_id}/"), 404, "findes-ikke")
    problem(api.get(f"{URL}{klage_id}/ankepakke/"), 404, "findes-ikke")
    problem(
        api.post(f"{URL}{klage_id}/genvurder/", {"resultat": "fastholdt", "begrundelse": "x"}, HTTP_IF_MATCH="*"), 404
    )
    assert api.get(URL).json()["results"] == []
    assert Klage.objects.get(pk=klage_id).status == KlageStatus.MODTAGET


def test_klage_over_et_brev_giver_409(sag, api, ur):
    fl, _ = sag
    ur(dag(50))
    brev = Dokument.objects.get(forloeb=fl, type=DokumentType.PARTSHOERING)
    body = problem(opret(api, brev, dag(50)), 409, "klage-forkert-status")
    assert "ikke en afgørelse" in body["detail"]
    assert not Klage.objects.exists()


def test_ugyldige_felter_giver_400_med_felter(sag, api):
    _, afgoerelse = sag
    body = problem(opret(api, afgoerelse, dag(50), kanal="brevdue"), 400, "validering")
    assert "kanal" in body["errors"]
    body = problem(opret(api, afgoerelse, datoer.idag() + dt.timedelta(days=3)), 400, "validering")
    assert "modtaget_dato" in body["errors"]
    assert not Klage.objects.exists()


def test_hele_forloebet_genvurder_send_hent_ankepakke_og_resultat(sag, api, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    klage_id = opret(api, afgoerelse, dag(50)).json()["id"]
    problem(api.get(f"{URL}{klage_id}/ankepakke/"), 404, "findes-ikke")

    ur(dag(60))
    r = api.post(
        f"{URL}{klage_id}/genvurder/",
        {"resultat": "fastholdt", "begrundelse": "Fastholdes."},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "fastholdt" and r.json()["genvurdering_brev"]
    assert Dokument.objects.get(pk=r.json()["genvurdering_brev"]).type == DokumentType.GENVURDERING_RESULTAT
    # The list (which finds the letter in its own query) and the detail name the same letter.
    brev = r.json()["genvurdering_brev"]
    assert [k["genvurdering_brev"] for k in api.get(URL).json()["results"] if k["id"] == klage_id] == [brev]
    assert api.get(f"{URL}{klage_id}/").json()["genvurdering_brev"] == brev

    ur(dag(65))
    r = api.post(f"{URL}{klage_id}/send-til-ankestyrelsen/", format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["sendt_til_ankestyrelsen"] == dag(65).isoformat()
    assert body["status"] == "sendt_til_ankestyrelsen" and body["ankepakke"] == f"{URL}{klage_id}/ankepakke/"

    r = api.get(f"{URL}{klage_id}/ankepakke/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip" and r["Cache-Control"] == "no-store"
    assert klage_id in r["Content-Disposition"]
    assert hashlib.sha256(r.content).hexdigest() == body["ankepakke_sha256"]
    assert zipfile.ZipFile(io.BytesIO(r.content)).namelist()[:3] == [
        "00_indeks.txt",
        "01_afgoerelse.pdf",
        "02_klage.txt",
    ]
    assert AuditEntry.objects.filter(handling="klage.ankepakke_hent", subject_id=klage_id).count() == 1

    ur(dag(100))
    r = api.post(
        f"{URL}{klage_id}/ankestyrelsens-resultat/",
        {"resultat": "hjemvist", "dato": dag(100)},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "afgjort" and r.json()["ankestyrelsens_resultat"] == "hjemvist"
    assert Journalnotat.objects.filter(forloeb=fl, overskrift="Ankestyrelsen har hjemvist sagen").exists()


def test_medhold_via_api_kraever_erstattende_afgoerelse(sag, api, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    klage_id = opret(api, afgoerelse, dag(50)).json()["id"]
    ur(dag(90))  # past the 4 weeks of the genvurdering (day 78)
    body = problem(
        api.post(
            f"{URL}{klage_id}/genvurder/",
            {"resultat": "medhold", "begrundelse": "Enig."},
            format="json",
            HTTP_IF_MATCH="*",
        ),
        400,
        "validering",
    )
    assert "ny_afgoerelse" in body["errors"]
    ny = erstatning(fl, afgoerelse, 90)
    r = api.post(
        f"{URL}{klage_id}/genvurder/",
        {"resultat": "medhold", "begrundelse": "Enig.", "ny_afgoerelse": str(ny.pk)},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "medhold" and r.json()["ny_afgoerelse"] == str(ny.pk)
    gv = Frist.objects.get(forloeb=fl, art="genvurdering")
    # genvurderet today (the API records the day of the call): after the 4 weeks from 21 April
    assert (gv.lukket_af, gv.lukket_dato, gv.status) == ("genvurdering_medhold", dag(90), FristStatus.OVERSKREDET)


def test_trin_i_forkert_raekkefoelge_giver_409_og_aendrer_intet(sag, api, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    klage_id = opret(api, afgoerelse, dag(50)).json()["id"]
    ur(dag(60))
    foer = tilstand(fl)
    body = problem(api.post(f"{URL}{klage_id}/send-til-ankestyrelsen/", HTTP_IF_MATCH="*"), 409, "klage-forkert-status")
    assert "fastholdt" in body["detail"]
    r = api.post(
        f"{URL}{klage_id}/ankestyrelsens-resultat/",
        {"resultat": "hjemvist", "dato": dag(60)},
        format="json",
        HTTP_IF_MATCH="*",
    )
    problem(r, 409, "klage-forkert-status")
    assert tilstand(fl) == foer


def test_liste_filtrerer_paa_status_og_forloeb_og_afviser_ukendte_parametre(sag, api, team, sagsbehandler, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    klage_id = opret(api, afgoerelse, dag(50)).json()["id"]
    andet_fl, anden_afg = byg_sag(team, sagsbehandler, ur)
    ur(dag(50))
    anden_id = opret(api, anden_afg, dag(50)).json()["id"]
    api.post(
        f"{URL}{anden_id}/genvurder/",
        {"resultat": "fastholdt", "begrundelse": "Nej."},
        format="json",
        HTTP_IF_MATCH="*",
    )

    assert {k["id"] for k in api.get(URL).json()["results"]} == {klage_id, anden_id}
    assert [k["id"] for k in api.get(URL, {"status": "fastholdt"}).json()["results"]] == [anden_id]
    assert [k["id"] for k in api.get(URL, {"forloeb": str(fl.pk)}).json()["results"]] == [klage_id]
    problem(api.get(URL, {"status": "ukendt"}), 400, "validering")
    problem(api.get(URL, {"forloeb": "ikke-et-uuid"}), 400, "validering")
    problem(api.get(URL, {"cpr": "0101901234"}), 400, "validering")
    assert andet_fl.pk != fl.pk


def test_detalje_skriver_laese_audit(sag, api, sagsbehandler, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    klage_id = opret(api, afgoerelse, dag(50)).json()["id"]
    r = api.get(f"{URL}{klage_id}/")
    assert r.status_code == 200 and r.json()["id"] == klage_id
    entry = AuditEntry.objects.get(handling="klage.laes", subject_id=klage_id)
    assert entry.borger_ids == [fl.borger_id] and entry.actor_id == str(sagsbehandler.pk)


def test_api_klient_skal_have_scope_og_ser_kun_egen_kommune(sag, team, ur):
    _, afgoerelse = sag
    ur(dag(50))
    kode = team.jobcenter.kommune.kommunekode
    _, laeser = opret_klient(kode, "forloeb:read", navn="Laeser")
    _, skriver = opret_klient(kode, "forloeb:read", "forloeb:write", navn="Skriver")
    problem(opret(bearer(laeser), afgoerelse, dag(50)), 403, "mangler-scope")
    assert not Klage.objects.exists()
    r = opret(bearer(skriver), afgoerelse, dag(50))
    assert r.status_code == 201, r.content
    assert bearer(laeser).get(f"{URL}{r.json()['id']}/").status_code == 200
    entry = AuditEntry.objects.get(handling="klage.modtag")
    assert entry.actor_type == "api_client"
