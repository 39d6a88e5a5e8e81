"""The visitation decision is the visitation (no second entry, right ledighedsydelse figures); the
4½-year status decision closes its deadline; an agreement needs both parties' confirmations before
it becomes an employment; earlier grants are structured facts a decision can cite."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from cases.api.auth import KlientPrincipal
from cases.models import Frist
from dashboard import selectors as dashboard
from decisions import services as decisions
from decisions.services import LintFejl
from flexjob import aftaler, services
from flexjob.models import Aftale, AftaleStatus, Ansaettelse, Bevilling, Ledighedsydelse, Visitation
from infra import cpr as cprlib
from infra import datoer
from tests import factories
from tests.cases.test_api_forloeb import problem
from tests.decisions.hjaelp import pdf_tekst
from tests.factories import dag
from tests.security.conftest import api_klient

from .conftest import ansaettelse_til

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(sagsbehandler):
    c = APIClient()
    c.force_authenticate(sagsbehandler)
    return c


@pytest.fixture
def klar(team, sagsbehandler):
    """Indstilling on fleksjob, partshøring answered: the visitation decision can be issued (day 40)."""
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler, udfald="fleksjob")
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    return fl


# --- the visitation decision is the visitation ---------------------------------------------------
def test_udstedt_visitationsafgoerelse_registrerer_visitationen_og_ledighedsydelsen(klar):
    d = factories.afgoer(klar, "fleksjob_visitation", 40, visitation={"meget_begraenset": True})
    v = Visitation.objects.get(forloeb=klar)
    assert (v.afgoerelse, v.dato, v.baseline_timer, v.baseline_intensitet) == (d, dag(40), Decimal("12.5"), 60)
    assert v.meget_begraenset and not v.permanent
    assert Ledighedsydelse.objects.get(visitation=v).start == dag(40)


def test_visitationsafgoerelse_uden_vurderet_arbejdsevne_kan_ikke_udstedes_og_intet_registreres(klar):
    with pytest.raises(LintFejl) as e:
        factories.afgoer(klar, "fleksjob_visitation", 40, data={"baseline_timer": "0", "baseline_intensitet": "abc"})
    assert {m.kode for m in e.value.mangler} == {"visitation.timer_ugyldige", "visitation.intensitet_ugyldig"}
    assert {m.felt for m in e.value.mangler} == {"data.baseline_timer", "data.baseline_intensitet"}
    assert not Visitation.objects.exists() and klar.dokumenter.get(type="fleksjob_visitation").status == "kladde"


def test_visitationen_via_api_et_og_ledighedsydelsen_taeller_paa_dashboardet(api, klar, team):
    r = api.post(
        "/api/v1/afgoerelser/",
        {
            "forloeb": str(klar.pk), "type": "fleksjob_visitation", "tekst": "Du visiteres til fleksjob.",
            "hovedhensyn": "Teamets vurdering.", "lovhenvisninger": ["lab_116", "fvl_22_24"],
            "fakta": [{"tekst": "Teamets indstilling.", "kilde_type": "indstilling",
                       "kilde_id": str(klar.indstillinger.get().pk)}],
        },
        format="json", HTTP_IF_MATCH="*"
    )  # fmt: skip
    d = r.json()
    r = api.post(f"/api/v1/afgoerelser/{d['id']}/udsted/", format="json", HTTP_IF_MATCH=r["ETag"])
    assert {m["kode"] for m in problem(r, 409, "afgoerelse-mangler")["mangler"]} == {
        "visitation.timer_ugyldige", "visitation.intensitet_ugyldig",
    }  # fmt: skip
    r = api.patch(
        f"/api/v1/afgoerelser/{d['id']}/", {"data": {"baseline_timer": "10", "baseline_intensitet": 50}},
        format="json", HTTP_IF_MATCH=api.get(f"/api/v1/afgoerelser/{d['id']}/")["ETag"],
    )  # fmt: skip
    r = api.post(f"/api/v1/afgoerelser/{d['id']}/udsted/", format="json", HTTP_IF_MATCH=r["ETag"])
    assert r.status_code in (200, 202), r.content
    [v] = api.get(f"/api/v1/visitationer/?forloeb={klar.pk}").json()["results"]
    assert (v["afgoerelse"], v["baseline_timer"], v["ventetid"]["paa_ledighedsydelse"]) == (d["id"], "10.0", True)
    idag = datoer.idag()  # issued over the API today: the ledighedsydelse runs from today
    omfang = dashboard.Omfang(
        kommune_id=klar.kommune_id, team_ids=(team.pk,), sagsbehandler_id=None, fra=dag(0), til=idag, idag=idag
    )
    assert sum(r["antal"] for r in dashboard.hent(omfang)["ledighed"]) == 1
    assert "Du visiteres til fleksjob." in pdf_tekst(decisions.dokument_render_pdf(d["id"]))


# --- the 4½-year status decision -----------------------------------------------------------------
def test_statusafgoerelsen_lukker_fristen_efter_4_aar_og_et_halvt(team):
    aeldre = factories.borger(team, cpr=factories.fiktivt_cpr(dt.date(1970, 5, 5)))
    fl = factories.forloeb_i("fleksjob", team=team, borger=aeldre)
    ansaettelse_til(fl, start=dag(60))
    frist = Frist.objects.get(forloeb=fl, art="fleksjob_status")
    assert frist.er_aaben
    with pytest.raises(LintFejl) as e:
        factories.afgoer(fl, "fleksjob_status", 70)
    assert {m.kode for m in e.value.mangler} == {"fleksjob.status_udfald_mangler"}
    d = factories.afgoer(fl, "fleksjob_status", 71, data={"status_udfald": "permanent"})
    frist.refresh_from_db()
    assert (frist.status, frist.lukket_af) == ("overholdt", "fleksjob_status_afgoerelse")
    assert "Permanent fleksjob" in pdf_tekst(decisions.dokument_render_pdf(d.pk))


def test_permanent_status_kraever_40_aar(team):
    ung = factories.borger(team, cpr=factories.fiktivt_cpr(dt.date(1995, 5, 5)))
    fl = factories.forloeb_i("fleksjob", team=team, borger=ung)
    with pytest.raises(LintFejl) as e:
        factories.afgoer(fl, "fleksjob_status", 70, data={"status_udfald": "permanent"})
    assert {m.kode for m in e.value.mangler} == {"fleksjob.permanent_under_40"}


# --- agreements: reference and both confirmations ------------------------------------------------
def _aftale(fl, **kw):
    klient, _ = api_klient(fl.kommune, "VITAS")
    data = {
        "type": "fleksjob", "borger_cpr": cprlib.decrypt(fl.borger.cpr_krypteret), "virksomhed_cvr": "10150817",
        "virksomhed_navn": "Fiktiv Bageri ApS", "start": dag(60), "timer_pr_uge": Decimal("12.5"),
        "opgaver": "Pakning af brød.", "formaal": "Fleksjob.", "fleksjob_timer": Decimal("12.5"),
        "fleksjob_intensitet": 60, "ekstern_reference": "VITAS-123", "blanket": "AB 325",
    } | kw  # fmt: skip
    return aftaler.aftale_modtag(actor=KlientPrincipal(klient), **data), KlientPrincipal(klient)


def test_fleksjobaftale_uden_begge_bekraeftelser_bliver_ikke_til_en_ansaettelse(team):
    fl = factories.forloeb_i("fleksjob", team=team)
    aftale, klient = _aftale(fl)
    assert (aftale.ekstern_reference, aftale.blanket) == ("VITAS-123", "AB 325")
    with pytest.raises(aftaler.AftaleFejl) as e:
        aftaler.aftale_godkend(actor=fl.sagsbehandler, aftale=aftale)
    assert e.value.kode == "mangler-bekraeftelse"
    assert e.value.grunde == ["Borgeren har ikke bekræftet aftalen.", "Arbejdsgiveren har ikke bekræftet aftalen."]
    assert not Ansaettelse.objects.exists() and Aftale.objects.get().status == AftaleStatus.MODTAGET
    aftaler.aftale_bekraeft(actor=klient, aftale=aftale, part="borger", af="Borgeren (MitID)")
    with pytest.raises(aftaler.AftaleFejl) as e:
        aftaler.aftale_godkend(actor=fl.sagsbehandler, aftale=aftale)
    assert e.value.grunde == ["Arbejdsgiveren har ikke bekræftet aftalen."]
    aftaler.aftale_bekraeft(actor=fl.sagsbehandler, aftale=aftale, part="arbejdsgiver", af="Underskrevet AB 325")
    aftale = aftaler.aftale_godkend(actor=fl.sagsbehandler, aftale=Aftale.objects.get())
    assert aftale.status == AftaleStatus.GODKENDT and Ansaettelse.objects.get().aftale == aftale
    assert aftale.arbejdsgiver_bekraeftet_af == "Underskrevet AB 325"


def test_bekraeftelse_kraever_hvem_og_ikke_fremtid(team):
    fl = factories.forloeb_i("fleksjob", team=team)
    with pytest.raises(ValidationError) as e:
        _aftale(fl, borger_bekraeftet=timezone.now() + dt.timedelta(days=2))
    assert set(e.value.message_dict) == {"borger_bekraeftet", "borger_bekraeftet_af"}
    aftale, klient = _aftale(fl)
    with pytest.raises(ValidationError) as e:
        aftaler.aftale_bekraeft(actor=klient, aftale=aftale, part="naboen", af=" ")
    assert set(e.value.message_dict) == {"part", "af"}


def test_aftalens_bekraeftelser_i_api_et(team, fleksjob_forloeb):
    fl = fleksjob_forloeb
    _, token = api_klient(fl.kommune, "VITAS")
    vitas = APIClient()
    vitas.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {
        "type": "fleksjob", "borger_cpr": cprlib.decrypt(fl.borger.cpr_krypteret), "virksomhed_cvr": "10150817",
        "virksomhed_navn": "Fiktiv Bageri ApS", "start": dag(60).isoformat(), "timer_pr_uge": "12.5",
        "opgaver": "Pakning.", "formaal": "Fleksjob.", "fleksjob_timer": "12.5", "fleksjob_intensitet": 60,
        "ekstern_reference": "VITAS-9", "blanket": "AB 325", "borger_bekraeftet": "2026-04-20T10:00:00+02:00",
    }  # fmt: skip
    r = vitas.post("/api/v1/aftaler/", body, format="json", HTTP_IDEMPOTENCY_KEY="v-9", HTTP_IF_MATCH="*")
    assert problem(r, 400, "validering")["errors"] == {
        "borger_bekraeftet_af": ["Angiv hvem der bekræftede på vegne af borgeren."]
    }
    r = vitas.post("/api/v1/aftaler/", body | {"borger_bekraeftet_af": "Borgeren (MitID)"}, format="json",
                   HTTP_IDEMPOTENCY_KEY="v-10", HTTP_IF_MATCH="*")  # fmt: skip
    aftale = r.json()
    assert (aftale["ekstern_reference"], aftale["blanket"], aftale["bekraeftet"]) == ("VITAS-9", "AB 325", False)
    assert aftale["borger_bekraeftet_af"] == "Borgeren (MitID)" and aftale["arbejdsgiver_bekraeftet"] is None
    sb = APIClient()
    sb.force_authenticate(fl.sagsbehandler)
    r = sb.post(f"/api/v1/aftaler/{aftale['id']}/godkend/", format="json", HTTP_IF_MATCH="*")
    assert problem(r, 409, "mangler-bekraeftelse")["grunde"] == ["Arbejdsgiveren har ikke bekræftet aftalen."]
    r = vitas.post(f"/api/v1/aftaler/{aftale['id']}/bekraeft/", {"part": "arbejdsgiver", "af": "Bageriet (MitID)"},
                   format="json", HTTP_IF_MATCH="*")  # fmt: skip
    assert r.status_code == 200 and r.json()["bekraeftet"] is True, r.content
    r = sb.post(f"/api/v1/aftaler/{aftale['id']}/godkend/", format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 200 and r.json()["ansaettelse"], r.content


# --- earlier grants ---------------------------------------------------------------------------
def test_tidligere_bevilling_registreres_med_alle_fejl_paa_en_gang_og_kan_citeres(team, fleksjob_forloeb, api):
    fl = fleksjob_forloeb
    with pytest.raises(ValidationError) as e:
        services.bevilling_registrer(
            actor=fl.sagsbehandler, borger=fl.borger, type="ukendt", dato=dag(500), beskrivelse=" ", bevilget_af=""
        )
    assert set(e.value.message_dict) == {"type", "dato", "beskrivelse", "bevilget_af"}
    assert not Bevilling.objects.exists()
    r = api.post(
        "/api/v1/bevillinger/",
        {"borger": str(fl.borger_id), "type": "personlig_assistance", "dato": dag(10).isoformat(),
         "beskrivelse": "5 timer om ugen", "bevilget_af": "Jobcentret"},
        format="json", HTTP_IDEMPOTENCY_KEY="b-1", HTTP_IF_MATCH="*"
    )  # fmt: skip
    assert r.status_code == 201, r.content
    b = r.json()
    assert api.get(f"/api/v1/bevillinger/?borger={fl.borger_id}").json()["results"][0]["id"] == b["id"]
    # A fact of a decision may cite it.
    d = decisions.dokument_opret(
        actor=fl.sagsbehandler, forloeb=fl, type="fleksjob_afslag", tekst="x",
        fakta=[{"tekst": "Borgeren har personlig assistance.", "kilde_type": "bevilling", "kilde_id": b["id"]}],
    )  # fmt: skip
    assert d.fakta.get().kilde_titel == f"Tidligere bevilling: Personlig assistance ({dag(10):%d.%m.%Y})"
