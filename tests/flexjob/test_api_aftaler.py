"""``/api/v1/aftaler/``: intake by an external system (token from ``manage.py opret_api_klient``),
review by the jobcenter, status for the sender (API.md "Agreement intake")."""

import pytest
from rest_framework.test import APIClient

from cases.models import ApiKlient, Frist
from flexjob.models import Aftale, AftaleStatus, Ansaettelse, AnsaettelseKilde, Virksomhed
from infra import cpr as cprlib
from infra.models import AuditEntry, IdempotencyKey
from tests import factories
from tests.cases.test_api_auth import bearer, opret_klient, problem
from tests.factories import dag
from webhooks.models import WebhookAbonnement, WebhookLevering

from .conftest import CVR

pytestmark = pytest.mark.django_db

URL = "/api/v1/aftaler/"


def body(cpr: str, **kw) -> dict:
    return {
        "type": "fleksjob",
        "borger_cpr": cpr,
        "virksomhed_cvr": CVR,
        "virksomhed_p_nummer": "1012345678",
        "virksomhed_navn": "Fiktiv Bageri ApS",
        "virksomhed_kontakt": "Mette Fiktiv, tlf. 12 34 56 78",
        "start": dag(60).isoformat(),
        "slut": None,
        "timer_pr_uge": "12.5",
        "opgaver": "Pakning af brød, opvask.",
        "formaal": "Fast fleksjob i bageriet.",
        "fleksjob_timer": "12.5",
        "fleksjob_intensitet": 60,
        "ekstern_reference": "VITAS-4711",
        "blanket": "AB 325",
        "borger_bekraeftet": f"{dag(55).isoformat()}T10:00:00+01:00",
        "borger_bekraeftet_af": "Borgeren (MitID)",
        "arbejdsgiver_bekraeftet": f"{dag(55).isoformat()}T10:05:00+01:00",
        "arbejdsgiver_bekraeftet_af": "Mette Fiktiv (MitID Erhverv)",
    } | kw


def cpr_af(borger) -> str:
    return cprlib.decrypt(borger.cpr_krypteret)


def session(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def vitas(team):
    _, token = opret_klient(team.jobcenter.kommune.kommunekode, "aftaler:write", navn="Vitas")
    return bearer(token)


def test_hele_flowet_fra_indsendelse_til_frist(team, vitas, visitation):
    fl = visitation.forloeb
    cpr = cpr_af(fl.borger)

    # 1. The external system sends the agreement.
    r = vitas.post(URL, body(cpr), format="json", HTTP_IDEMPOTENCY_KEY="vitas-1", HTTP_IF_MATCH="*")
    assert r.status_code == 201, r.content
    aftale = r.json()
    assert aftale["status"] == "modtaget" and aftale["ansaettelse"] is None
    assert aftale["cpr_maskeret"] == fl.borger.cpr_maskeret
    assert cpr not in r.content.decode() and cpr[6:] not in r.content.decode()
    assert r["Location"] == f"{URL}{aftale['id']}/"

    # 2. The caseworker approves it (no re-keying).
    r = session(fl.sagsbehandler).post(f"{URL}{aftale['id']}/godkend/", format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "godkendt"

    # 3. The employment exists, from the agreement, with the employer.
    a = Ansaettelse.objects.select_related("virksomhed").get(forloeb=fl)
    assert a.kilde == AnsaettelseKilde.AFTALE and str(a.aftale_id) == aftale["id"]
    assert a.virksomhed.cvr == CVR and a.virksomhed.p_nummer == "1012345678"
    assert a.virksomhed.kontaktperson == "Mette Fiktiv, tlf. 12 34 56 78"
    assert r.json()["ansaettelse"] == str(a.pk)

    # 4. The arbejdsevnevurdering deadline is open for the forløb.
    frist = Frist.objects.get(forloeb=fl, art="fleksjob_arbejdsevne")
    assert frist.lukket_dato is None and frist.start_dato == dag(60)

    # 5. The sender reads the status.
    r = vitas.get(f"{URL}{aftale['id']}/")
    assert r.status_code == 200 and r.json()["status"] == "godkendt"
    assert AuditEntry.objects.filter(handling="aftale.laes", actor_type="api_client").exists()


def test_feltfejl_som_problem_json_alle_paa_en_gang(vitas, borger):
    r = vitas.post(
        URL,
        body(
            cpr_af(borger), virksomhed_cvr="10150818", virksomhed_p_nummer="123", timer_pr_uge="0",
            fleksjob_intensitet=101, start="2026-05-01", slut="2026-04-01", fleksjob_timer="abc",
        ),
        format="json", HTTP_IF_MATCH="*"
    )  # fmt: skip
    fejl = problem(r, 400, "validering")["errors"]
    assert set(fejl) == {
        "virksomhed_cvr", "virksomhed_p_nummer", "timer_pr_uge", "fleksjob_intensitet", "slut", "fleksjob_timer",
    }  # fmt: skip
    assert not Aftale.objects.exists()


@pytest.mark.parametrize(
    "aendring, felt",
    [
        ({"virksomhed_cvr": "10150818"}, "virksomhed_cvr"),
        ({"virksomhed_p_nummer": "123456789"}, "virksomhed_p_nummer"),
        ({"timer_pr_uge": "0"}, "timer_pr_uge"),
        ({"timer_pr_uge": "37.5"}, "timer_pr_uge"),
        ({"fleksjob_intensitet": 0}, "fleksjob_intensitet"),
        ({"fleksjob_intensitet": 101}, "fleksjob_intensitet"),
        ({"slut": "2026-04-30"}, "slut"),
        ({"status": "godkendt"}, "status"),  # unknown fields are refused, not ignored
    ],
)
def test_feltfejl_via_api(vitas, borger, aendring, felt):
    r = vitas.post(URL, body(cpr_af(borger), **aendring), format="json")
    assert set(problem(r, 400, "validering")["errors"]) == {felt}
    assert not Aftale.objects.exists()


def test_ukendt_og_fremmed_cpr_kan_ikke_skelnes(vitas, borger, fremmed_team):
    svar = []
    for cpr in (factories.fiktivt_cpr(), cpr_af(factories.borger(fremmed_team))):
        r = vitas.post(URL, body(cpr), format="json", HTTP_IF_MATCH="*")
        fejl = problem(r, 400, "validering")["errors"]
        assert list(fejl) == ["borger_cpr"]
        assert cpr not in r.content.decode()
        svar.append(fejl)
    assert svar[0] == svar[1]
    assert not Aftale.objects.exists()


def test_idempotent_gentagelse_og_genbrugt_noegle(vitas, borger):
    data = body(cpr_af(borger))
    first = vitas.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="k-1", HTTP_IF_MATCH="*")
    again = vitas.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="k-1", HTTP_IF_MATCH="*")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replay"] == "true"
    assert Aftale.objects.count() == 1

    other = vitas.post(
        URL, body(cpr_af(borger), timer_pr_uge="10"), format="json", HTTP_IDEMPOTENCY_KEY="k-1", HTTP_IF_MATCH="*"
    )
    problem(other, 422, "idempotency-key-genbrugt")
    assert Aftale.objects.count() == 1


def test_fejl_huskes_ikke_under_noeglen(vitas, borger):
    r = vitas.post(
        URL, body(cpr_af(borger), virksomhed_cvr="1"), format="json", HTTP_IDEMPOTENCY_KEY="k-2", HTTP_IF_MATCH="*"
    )
    problem(r, 400)
    assert not IdempotencyKey.objects.exists()
    r = vitas.post(URL, body(cpr_af(borger)), format="json", HTTP_IDEMPOTENCY_KEY="k-2", HTTP_IF_MATCH="*")
    assert r.status_code == 201


def test_klienten_kan_ikke_godkende_sin_egen_aftale(vitas, borger):
    aftale_id = vitas.post(URL, body(cpr_af(borger)), format="json", HTTP_IF_MATCH="*").json()["id"]
    problem(vitas.post(f"{URL}{aftale_id}/godkend/", format="json", HTTP_IF_MATCH="*"), 403, "ingen-adgang")
    problem(vitas.post(f"{URL}{aftale_id}/afvis/", {"begrundelse": "x"}, format="json", HTTP_IF_MATCH="*"), 403)
    problem(vitas.post(f"{URL}{aftale_id}/afvis/", {}, format="json", HTTP_IF_MATCH="*"), 403)
    assert Aftale.objects.get().status == AftaleStatus.MODTAGET


def test_afvisning_kraever_begrundelse_og_anden_behandling_giver_409(vitas, borger, sagsbehandler):
    aftale_id = vitas.post(URL, body(cpr_af(borger)), format="json", HTTP_IF_MATCH="*").json()["id"]
    sb = session(sagsbehandler)
    fejl = problem(sb.post(f"{URL}{aftale_id}/afvis/", {}, format="json", HTTP_IF_MATCH="*"), 400, "validering")[
        "errors"
    ]
    assert list(fejl) == ["begrundelse"]
    r = sb.post(
        f"{URL}{aftale_id}/afvis/", {"begrundelse": "Borgeren er ikke visiteret."}, format="json", HTTP_IF_MATCH="*"
    )
    assert r.status_code == 200 and r.json()["status"] == "afvist"

    konflikt = problem(
        sb.post(f"{URL}{aftale_id}/godkend/", format="json", HTTP_IF_MATCH="*"), 409, "allerede-behandlet"
    )
    assert "allerede behandlet" in konflikt["detail"]
    # the sender sees the outcome and the reason
    laest = vitas.get(f"{URL}{aftale_id}/").json()
    assert laest["status"] == "afvist" and laest["afvist_begrundelse"] == "Borgeren er ikke visiteret."


def test_anden_godkendelse_afvises(vitas, visitation):
    fl = visitation.forloeb
    aftale_id = vitas.post(URL, body(cpr_af(fl.borger)), format="json", HTTP_IF_MATCH="*").json()["id"]
    sb = session(fl.sagsbehandler)
    assert sb.post(f"{URL}{aftale_id}/godkend/", format="json", HTTP_IF_MATCH="*").status_code == 200
    problem(sb.post(f"{URL}{aftale_id}/godkend/", format="json", HTTP_IF_MATCH="*"), 409, "allerede-behandlet")
    assert Ansaettelse.objects.filter(forloeb=fl).count() == 1


def test_godkendelse_uden_fleksjobforloeb_giver_409_og_intet_aendres(vitas, borger, sagsbehandler):
    aftale_id = vitas.post(URL, body(cpr_af(borger)), format="json", HTTP_IF_MATCH="*").json()["id"]
    r = session(sagsbehandler).post(f"{URL}{aftale_id}/godkend/", format="json", HTTP_IF_MATCH="*")
    assert "fleksjob" in problem(r, 409, "intet-fleksjob-forloeb")["detail"]
    assert Aftale.objects.get().status == AftaleStatus.MODTAGET
    assert not Virksomhed.objects.exists()


def test_synlighed_og_filtre(team, vitas, borger, sagsbehandler, fremmed_team):
    _, andet_token = opret_klient(team.jobcenter.kommune.kommunekode, "aftaler:write", navn="Andet system")
    anden = bearer(andet_token)
    egen = vitas.post(URL, body(cpr_af(borger)), format="json", HTTP_IF_MATCH="*").json()["id"]
    mentor = anden.post(
        URL,
        body(cpr_af(borger), type="mentor", fleksjob_timer=None, fleksjob_intensitet=None),
        format="json",
        HTTP_IF_MATCH="*",
    ).json()["id"]

    assert [a["id"] for a in vitas.get(URL).json()["results"]] == [egen]
    problem(vitas.get(f"{URL}{mentor}/"), 404)
    sb = session(sagsbehandler)
    assert {a["id"] for a in sb.get(URL).json()["results"]} == {egen, mentor}
    assert [a["id"] for a in sb.get(URL, {"type": "mentor"}).json()["results"]] == [mentor]
    assert sb.get(URL, {"status": "godkendt"}).json()["results"] == []
    problem(sb.get(URL, {"status": "forkert"}), 400)
    problem(sb.get(URL, {"borger_cpr": "x"}), 400)
    # another municipality sees nothing
    fremmed = session(factories.medarbejder(fremmed_team))
    assert fremmed.get(URL).json()["results"] == []
    problem(fremmed.get(f"{URL}{egen}/"), 404)
    problem(fremmed.post(f"{URL}{egen}/godkend/", format="json", HTTP_IF_MATCH="*"), 404)


def test_scope_kraeves(team, borger):
    _, token = opret_klient(team.jobcenter.kommune.kommunekode, "forloeb:read")
    c = bearer(token)
    problem(c.post(URL, body(cpr_af(borger)), format="json", HTTP_IF_MATCH="*"), 403)
    problem(c.get(URL), 403)


def test_webhook_ved_godkendelse(team, vitas, borger, sagsbehandler):
    klient = ApiKlient.objects.get(navn="Vitas")
    WebhookAbonnement.objects.create(
        klient=klient, url="https://vitas.example.invalid/hook", haendelser=["aftale.godkendt", "aftale.afvist"]
    )
    aftale_id = vitas.post(
        URL,
        body(cpr_af(borger), type="mentor", fleksjob_timer=None, fleksjob_intensitet=None),
        format="json",
        HTTP_IF_MATCH="*",
    ).json()["id"]
    assert (
        session(sagsbehandler).post(f"{URL}{aftale_id}/godkend/", format="json", HTTP_IF_MATCH="*").status_code == 200
    )
    levering = WebhookLevering.objects.get()
    assert levering.payload["haendelse"] == "aftale.godkendt"
    assert levering.payload["data"]["aftale"] == aftale_id
    assert cpr_af(borger) not in str(levering.payload)
