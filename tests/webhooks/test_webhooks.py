"""Webhooks (../shared/API.md "Notifications"): signed deliveries, retried with back-off by Celery,
logged, replayable, never blocking the request that caused the event, never carrying a CPR number.

The receivers are real HTTP servers on 127.0.0.1 run by the test; one test goes through a real
Celery worker and Redis (start_worker), the others call the delivery step directly in sequence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.server
import json
import socket
import threading
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from cases.api.auth import hash_token, ny_token
from cases.models import ApiKlient, OvergangLog, Rolle, Team
from cases.services import forloeb_overgang
from cases.tasks import efter_overgang
from config.celery import app
from infra import cpr as cprlib
from infra.models import AuditEntry
from tests import factories
from webhooks import services as webhooks
from webhooks.models import WebhookAbonnement, WebhookLevering

PROBLEM = "https://sagsforloeb.dk/problemer/"


# --- Helpers -------------------------------------------------------------------------------------
class Modtager:
    """A webhook receiver on 127.0.0.1: answers the given status codes in turn, then ``standard``."""

    def __init__(self, svar=(), standard: int = 200, port: int = 0):
        self.svar = list(svar)
        self.standard = standard
        self.modtaget: list[tuple[dict, bytes]] = []
        modtager = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                modtager.modtaget.append((dict(self.headers), body))
                status = modtager.svar.pop(0) if modtager.svar else modtager.standard
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def modtager():
    startet: list[Modtager] = []

    def start(*svar, standard=200, port=0) -> Modtager:
        m = Modtager(svar, standard=standard, port=port)
        startet.append(m)
        return m

    yield start
    for m in startet:
        m.stop()


def lukket_port() -> int:
    """A port nothing listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ny_klient(kommune, *scopes, navn="Vitas-test") -> tuple[ApiKlient, APIClient]:
    token = ny_token()
    klient = ApiKlient.objects.create(
        navn=navn, kommune=kommune, scopes=list(scopes), token_hash=hash_token(token), token_prefix=token[:8]
    )
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return klient, c


def abonner(c: APIClient, url: str, *haendelser: str) -> dict:
    response = c.post("/api/v1/webhooks/", {"url": url, "haendelser": list(haendelser)}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def problem(response, status, slug=None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    if slug:
        assert body["type"] == PROBLEM + slug
    return body


def verificer(hemmelighed: str, headers: dict, body: bytes) -> bool:
    forventet = "sha256=" + hmac.new(hemmelighed.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Signatur"], forventet)


def vent_paa(predicate, timeout: float = 20.0):
    slut = time.monotonic() + timeout
    while time.monotonic() < slut:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture
def kommune(team):
    return team.jobcenter.kommune


@pytest.fixture
def hurtig(settings):
    settings.WEBHOOK_BACKOFF_SEKUNDER = 0.05
    settings.WEBHOOK_TIMEOUT_SEKUNDER = 2.0
    return settings


# --- Delivery, signature, retries ----------------------------------------------------------------
def test_to_fejl_derefter_leveret_paa_tredje_forsoeg_med_gyldig_signatur(kommune, modtager, hurtig):
    m = modtager(500, 500)
    _, c = ny_klient(kommune, "forloeb:read")
    abonnement = abonner(c, m.url, "forloeb.overgang")
    assert abonnement["hemmelighed"].startswith("whsec_")

    [levering_id] = webhooks.udsend(
        kommune_id=kommune.pk, haendelse="forloeb.overgang", data={"forloeb": "abc", "overgang": "afslut"}
    )
    for forsoeg in (1, 2):
        assert webhooks.lever(levering_id) == "afventer"
        lev = WebhookLevering.objects.get(pk=levering_id)
        assert (lev.forsoeg, lev.sidste_status_kode) == (forsoeg, 500)
        assert "500" in lev.sidste_fejl
        # Exponential back-off: base × 2^(attempt-1) until the next attempt.
        assert lev.naeste_forsoeg is not None
        time.sleep(webhooks.backoff(forsoeg))
    assert webhooks.lever(levering_id) == "leveret"

    lev = WebhookLevering.objects.get(pk=levering_id)
    assert (lev.status, lev.forsoeg, lev.sidste_status_kode, lev.sidste_fejl) == ("leveret", 3, 200, "")
    assert lev.leveret is not None
    assert len(m.modtaget) == 3
    bodies = {body for _, body in m.modtaget}
    assert len(bodies) == 1, "every attempt sends the same bytes"
    headers, body = m.modtaget[-1]
    assert verificer(abonnement["hemmelighed"], headers, body)
    assert not verificer("whsec_forkert", headers, body)
    assert headers["X-Haendelse"] == "forloeb.overgang"
    assert headers["X-Levering-Id"] == str(levering_id)
    payload = json.loads(body)
    assert set(payload) == {"id", "haendelse", "tidspunkt", "data"}
    assert payload["haendelse"] == "forloeb.overgang"
    assert payload["id"] == str(lev.haendelse_id)
    assert payload["data"] == {"forloeb": "abc", "overgang": "afslut"}

    # Safe to run twice: a delivered row is not sent again.
    assert webhooks.lever(levering_id) == "leveret"
    assert len(m.modtaget) == 3


def test_backoff_er_eksponentiel_og_konfigurerbar(settings):
    settings.WEBHOOK_BACKOFF_SEKUNDER = 0.1
    assert [webhooks.backoff(n) for n in (1, 2, 3, 4)] == [0.1, 0.2, 0.4, 0.8]


def test_tidlig_dublet_venter_paa_planlagt_forsoeg(kommune, modtager, settings):
    settings.WEBHOOK_BACKOFF_SEKUNDER = 60
    m = modtager(standard=503)
    _, c = ny_klient(kommune, "forloeb:read")
    abonner(c, m.url, "forloeb.overgang")
    [levering_id] = webhooks.udsend(kommune_id=kommune.pk, haendelse="forloeb.overgang", data={})
    webhooks.lever(levering_id)
    # A redelivered copy of the task before the scheduled retry sends nothing and counts nothing.
    assert webhooks.lever(levering_id) is None
    assert len(m.modtaget) == 1
    assert WebhookLevering.objects.get(pk=levering_id).forsoeg == 1


def test_modtager_nede_for_altid_giver_fejlet_med_sidste_fejl(kommune, hurtig):
    hurtig.WEBHOOK_MAX_FORSOEG = 4
    _, c = ny_klient(kommune, "forloeb:read")
    abonner(c, f"http://127.0.0.1:{lukket_port()}/hook", "forloeb.overgang")
    [levering_id] = webhooks.udsend(kommune_id=kommune.pk, haendelse="forloeb.overgang", data={})
    for _ in range(4):
        webhooks.lever(levering_id)
        time.sleep(webhooks.backoff(4))
    lev = WebhookLevering.objects.get(pk=levering_id)
    assert (lev.status, lev.forsoeg, lev.sidste_status_kode, lev.naeste_forsoeg) == ("fejlet", 4, None, None)
    assert "refused" in lev.sidste_fejl.lower() or "URLError" in lev.sidste_fejl
    # No further attempts once failed.
    assert webhooks.lever(levering_id) == "fejlet"
    assert WebhookLevering.objects.get(pk=levering_id).forsoeg == 4


# --- The whole way: request → commit → worker → receiver, with replay ---------------------------
@pytest.mark.django_db(transaction=True)
def test_rigtig_worker_modtager_nede_fejlet_genafspil_leverer(modtager, hurtig):
    """The transition request returns at once and succeeds with the receiver down; the worker tries
    max times and marks the delivery fejlet; a replay through the API delivers once the receiver is up."""
    hurtig.WEBHOOK_MAX_FORSOEG = 3
    team = factories.TeamFactory()
    kommune = team.jobcenter.kommune
    sagsbehandler = factories.medarbejder(team, Rolle.SAGSBEHANDLER)
    fl = factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    port = lukket_port()
    _, c = ny_klient(kommune, "forloeb:read")
    abonnement = abonner(c, f"http://127.0.0.1:{port}/hook", "forloeb.overgang")

    medarbejder = APIClient()
    medarbejder.force_authenticate(sagsbehandler)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        start = time.monotonic()
        response = medarbejder.post(
            f"/api/v1/forloeb/{fl.pk}/overgange/afslut/", {"aarsag": "flyttet"}, format="json", HTTP_IF_MATCH="*"
        )
        varighed = time.monotonic() - start
        assert response.status_code == 200, response.content
        assert response.json()["tilstand"] == "afsluttet"
        assert varighed < 2.0

        # (The factory's earlier transitions are delivered too: their after-commit tasks were still
        # queued when the subscription was made. Only the request's own transition is followed here.)
        afslut = WebhookLevering.objects.filter(payload__data__overgang="afslut", status="fejlet")
        lev = vent_paa(afslut.first)
        assert lev.forsoeg == 3
        assert lev.sidste_fejl
        log = OvergangLog.objects.get(forloeb=fl, overgang="afslut")
        assert lev.payload["data"] == {
            "forloeb": str(fl.pk),
            "overgang": "afslut",
            "fra": "forberedende_plan",
            "til": "afsluttet",
            "dato": log.dato.isoformat(),
        }

        # The client sees the failure in its log …
        svar = c.get("/api/v1/webhook-leveringer/", {"status": "fejlet"}).json()["results"]
        [raekke] = [r for r in svar if r["id"] == str(lev.pk)]
        assert (raekke["id"], raekke["forsoeg"], raekke["status"]) == (str(lev.pk), 3, "fejlet")
        assert raekke["sidste_fejl"] == lev.sidste_fejl

        # … brings its receiver up, and replays.
        m = modtager(port=port)
        response = c.post(f"/api/v1/webhook-leveringer/{lev.pk}/genafspil/", HTTP_IF_MATCH="*")
        assert response.status_code == 202, response.content
        assert response.json()["status"] == "afventer"
        vent_paa(lambda: WebhookLevering.objects.get(pk=lev.pk).status == "leveret")

    lev.refresh_from_db()
    assert (lev.status, lev.forsoeg, lev.sidste_status_kode) == ("leveret", 1, 200)
    [(headers, body)] = [(h, b) for h, b in m.modtaget if h["X-Levering-Id"] == str(lev.pk)]
    assert verificer(abonnement["hemmelighed"], headers, body)
    assert json.loads(body)["data"]["forloeb"] == str(fl.pk)
    assert cprlib.decrypt(fl.borger.cpr_krypteret) not in body.decode()
    assert AuditEntry.objects.filter(handling=webhooks.AUDIT_GENAFSPIL, subject_id=str(lev.pk)).count() == 1


# --- Routing: kinds, municipalities, scopes -----------------------------------------------------
def test_abonnement_faar_kun_sine_haendelser_og_sin_kommunes(kommune, fremmed_team):
    _, a_overgang = ny_klient(kommune, "forloeb:read", "afgoerelser:read")
    _, a_afgoerelse = ny_klient(kommune, "forloeb:read", "afgoerelser:read")
    _, b_overgang = ny_klient(fremmed_team.jobcenter.kommune, "forloeb:read")
    ab_overgang = abonner(a_overgang, "https://a.example/hook", "forloeb.overgang")
    abonner(a_afgoerelse, "https://a.example/hook2", "afgoerelse.udstedt")
    abonner(b_overgang, "https://b.example/hook", "forloeb.overgang")

    webhooks.udsend(kommune_id=kommune.pk, haendelse="forloeb.overgang", data={"forloeb": "1"})
    assert list(WebhookLevering.objects.values_list("abonnement_id", flat=True)) == [uuid.UUID(ab_overgang["id"])]
    # The other municipality's client sees nothing of it.
    assert b_overgang.get("/api/v1/webhook-leveringer/").json()["results"] == []
    assert len(a_overgang.get("/api/v1/webhook-leveringer/").json()["results"]) == 1
    assert a_afgoerelse.get("/api/v1/webhook-leveringer/").json()["results"] == []


def test_stoppet_abonnement_deaktiveret_klient_eller_mistet_scope_faar_intet(kommune):
    _, c1 = ny_klient(kommune, "forloeb:read")
    k2, c2 = ny_klient(kommune, "forloeb:read")
    k3, c3 = ny_klient(kommune, "forloeb:read")
    ab1 = abonner(c1, "https://1.example/", "forloeb.overgang")
    abonner(c2, "https://2.example/", "forloeb.overgang")
    abonner(c3, "https://3.example/", "forloeb.overgang")
    assert c1.delete(f"/api/v1/webhooks/{ab1['id']}/", HTTP_IF_MATCH="*").status_code == 204
    ApiKlient.objects.filter(pk=k2.pk).update(aktiv=False)
    ApiKlient.objects.filter(pk=k3.pk).update(scopes=["borgere:read"])
    assert webhooks.udsend(kommune_id=kommune.pk, haendelse="forloeb.overgang", data={}) == []


def test_samme_haendelse_to_gange_giver_een_levering(kommune, team, sagsbehandler):
    _, c = ny_klient(kommune, "forloeb:read")
    abonner(c, "https://a.example/hook", "forloeb.overgang")
    fl = factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    log = forloeb_overgang(actor=sagsbehandler, forloeb=fl, overgang="afslut", data={"aarsag": "flyttet"})
    efter_overgang(log.pk)
    efter_overgang(log.pk)  # the task delivered twice
    assert WebhookLevering.objects.filter(haendelse="forloeb.overgang").count() == 1


# --- No CPR, ever --------------------------------------------------------------------------------
def test_ingen_cpr_i_nogen_payload(kommune, team, sagsbehandler):
    _, c = ny_klient(kommune, "forloeb:read", "afgoerelser:read")
    abonner(c, "https://a.example/hook", "forloeb.overgang", "afgoerelse.udstedt")
    fl = factories.forloeb_i("ressourceforloeb", team=team)
    for log in OvergangLog.objects.filter(forloeb=fl):
        efter_overgang(log.pk)
    cpr = cprlib.decrypt(fl.borger.cpr_krypteret)
    webhooks.udsend(kommune_id=kommune.pk, haendelse="forloeb.overgang", data={"note": f"cpr {cpr[:6]}-{cpr[6:]}"})

    leveringer = list(WebhookLevering.objects.all())
    assert {lev.haendelse for lev in leveringer} == {"forloeb.overgang", "afgoerelse.udstedt"}
    afgoerelse = next(lev for lev in leveringer if lev.haendelse == "afgoerelse.udstedt")
    assert afgoerelse.payload["data"]["forloeb"] == str(fl.pk)
    assert set(afgoerelse.payload["data"]) == {"dokument", "type", "forloeb"}
    for lev in leveringer:
        tekst = json.dumps(lev.payload)
        assert cpr not in tekst and f"{cpr[:6]}-{cpr[6:]}" not in tekst
        assert fl.borger.fornavn not in tekst
    assert f"{cpr[:6]}-****" in json.dumps([lev.payload for lev in leveringer])


# --- API -----------------------------------------------------------------------------------------
def test_hemmelighed_vises_kun_ved_oprettelse(kommune):
    _, c = ny_klient(kommune, "forloeb:read")
    oprettet = abonner(c, "https://a.example/hook", "forloeb.overgang", "forloeb.overgang")
    assert oprettet["haendelser"] == ["forloeb.overgang"]
    assert "hemmelighed" not in c.get(f"/api/v1/webhooks/{oprettet['id']}/").json()
    assert "hemmelighed" not in c.get("/api/v1/webhooks/").json()["results"][0]
    entry = AuditEntry.objects.get(handling=webhooks.AUDIT_OPRET)
    assert oprettet["hemmelighed"] not in json.dumps(entry.efter)
    assert WebhookAbonnement.objects.get().hemmelighed == oprettet["hemmelighed"]


@pytest.mark.parametrize(
    ("data", "felt"),
    [
        ({"url": "ftp://a.example/hook", "haendelser": ["forloeb.overgang"]}, "url"),
        ({"url": "file:///etc/passwd", "haendelser": ["forloeb.overgang"]}, "url"),
        ({"url": "https://a.example/hook", "haendelser": ["forloeb.slettet"]}, "haendelser.0"),
        ({"url": "https://a.example/hook", "haendelser": []}, "haendelser"),
        ({"url": "https://a.example/hook", "haendelser": ["afgoerelse.udstedt"]}, "haendelser"),  # no scope
    ],
)
def test_ugyldigt_abonnement_giver_400(kommune, data, felt):
    _, c = ny_klient(kommune, "forloeb:read")
    body = problem(c.post("/api/v1/webhooks/", data, format="json"), 400, "validering")
    assert felt in body["errors"]
    assert not WebhookAbonnement.objects.exists()


def test_slet_stopper_abonnement_men_bevarer_loggen(kommune):
    _, c = ny_klient(kommune, "forloeb:read")
    ab = abonner(c, "https://a.example/hook", "forloeb.overgang")
    [levering_id] = webhooks.udsend(kommune_id=kommune.pk, haendelse="forloeb.overgang", data={})
    problem(c.delete(f"/api/v1/webhooks/{ab['id']}/"), 428, "if-match-mangler")
    etag = c.get(f"/api/v1/webhooks/{ab['id']}/")["ETag"]
    assert c.delete(f"/api/v1/webhooks/{ab['id']}/", HTTP_IF_MATCH=etag).status_code == 204
    problem(c.get(f"/api/v1/webhooks/{ab['id']}/"), 404, "findes-ikke")
    # A pending delivery of a stopped subscription is not sent, but stays visible.
    assert webhooks.lever(levering_id) == "fejlet"
    assert c.get(f"/api/v1/webhook-leveringer/{levering_id}/").json()["status"] == "fejlet"
    problem(
        c.post(f"/api/v1/webhook-leveringer/{levering_id}/genafspil/", HTTP_IF_MATCH="*"), 409, "abonnement-inaktivt"
    )


def integrationsadministrator(team):
    user = factories.medarbejder(team, Rolle.SAGSBEHANDLER)
    user.user_permissions.add(Permission.objects.get(codename="se_leveringslog"))
    return type(user).objects.get(pk=user.pk)  # fresh: no cached permissions


def test_adgang_egen_klient_integrationsadministratorer_kun_laese_andre_404(kommune, team, fremmed_team):
    _, c = ny_klient(kommune, "forloeb:read")
    _, nabo = ny_klient(kommune, "forloeb:read", navn="Nabo")
    _, fremmed = ny_klient(fremmed_team.jobcenter.kommune, "forloeb:read")
    ab = abonner(c, "https://a.example/hook", "forloeb.overgang")
    [levering_id] = webhooks.udsend(kommune_id=kommune.pk, haendelse="forloeb.overgang", data={})

    for other in (nabo, fremmed):
        problem(other.get(f"/api/v1/webhooks/{ab['id']}/"), 404, "findes-ikke")
        problem(other.delete(f"/api/v1/webhooks/{ab['id']}/", HTTP_IF_MATCH="*"), 404, "findes-ikke")
        problem(other.get(f"/api/v1/webhook-leveringer/{levering_id}/"), 404, "findes-ikke")
        problem(
            other.post(f"/api/v1/webhook-leveringer/{levering_id}/genafspil/", HTTP_IF_MATCH="*"), 404, "findes-ikke"
        )
        assert other.get("/api/v1/webhooks/").json()["results"] == []

    support = APIClient()
    admin = integrationsadministrator(team)
    support.force_authenticate(admin)
    [raekke] = support.get("/api/v1/webhooks/").json()["results"]
    assert raekke["id"] == ab["id"] and "hemmelighed" not in raekke
    assert support.get(f"/api/v1/webhook-leveringer/{levering_id}/").status_code == 200
    assert support.get("/api/v1/webhook-leveringer/").status_code == 200
    laesninger = AuditEntry.objects.filter(actor_id=str(admin.pk)).values_list("handling", flat=True)
    assert sorted(laesninger) == ["webhook.liste", "webhook_levering.laes", "webhook_levering.liste"]
    problem(support.post("/api/v1/webhooks/", {"url": "https://x.example", "haendelser": []}, format="json"), 403)
    problem(
        support.post(f"/api/v1/webhook-leveringer/{levering_id}/genafspil/", HTTP_IF_MATCH="*"), 403, "ingen-adgang"
    )
    problem(support.delete(f"/api/v1/webhooks/{ab['id']}/", HTTP_IF_MATCH="*"), 403, "ingen-adgang")

    # Other employees of the municipality do not see the webhooks or the delivery log at all.
    kollega = APIClient()
    kollega.force_authenticate(factories.medarbejder(team, Rolle.TEAMLEDER))
    problem(kollega.get("/api/v1/webhooks/"), 403, "ingen-adgang")
    problem(kollega.get("/api/v1/webhook-leveringer/"), 403, "ingen-adgang")
    problem(kollega.get(f"/api/v1/webhook-leveringer/{levering_id}/"), 403, "ingen-adgang")

    udenfor = APIClient()
    udenfor.force_authenticate(integrationsadministrator(fremmed_team))
    assert udenfor.get("/api/v1/webhooks/").json()["results"] == []
    problem(udenfor.get(f"/api/v1/webhook-leveringer/{levering_id}/"), 404, "findes-ikke")
    problem(APIClient().get("/api/v1/webhooks/"), 401)


def test_ukendte_og_ugyldige_filtre_giver_400(kommune):
    _, c = ny_klient(kommune, "forloeb:read")
    problem(c.get("/api/v1/webhook-leveringer/", {"farve": "blaa"}), 400, "validering")
    problem(c.get("/api/v1/webhook-leveringer/", {"status": "tabt"}), 400, "validering")
    problem(c.get("/api/v1/webhook-leveringer/", {"abonnement": "x"}), 400, "validering")


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "http://example.com/hook",
    ],
)
def test_webhook_til_interne_adresser_afvises_uden_for_udvikling(url, settings):
    settings.WEBHOOK_TILLAD_INTERNE = False
    assert webhooks.adresse_fejl(url)
    status, fejl = webhooks._post(url, b"{}", {})
    assert status is None and fejl  # refused before any connection is made


def test_offentlig_https_adresse_godkendes(settings, monkeypatch):
    settings.WEBHOOK_TILLAD_INTERNE = False
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))])
    assert webhooks.adresse_fejl("https://modtager.example.com/hook") == ""


def test_abonnement_paa_metadata_adressen_afvises_i_api(kommune, settings):
    settings.WEBHOOK_TILLAD_INTERNE = False
    _, c = ny_klient(kommune, "forloeb:read")
    data = {"url": "https://169.254.169.254/latest/meta-data", "haendelser": ["forloeb.overgang"]}
    body = problem(c.post("/api/v1/webhooks/", data, format="json"), 400, "validering")
    assert "internt" in " ".join(body["errors"]["url"])
    assert not WebhookAbonnement.objects.exists()


def test_sweep_sender_frist_overskredet_en_gang_og_kun_til_kommunens_abonnenter(kommune, fremmed_team):
    from cases import frister
    from cases.models import Frist, FristStatus

    _, c = ny_klient(kommune, "forloeb:read")
    abonner(c, "http://127.0.0.1:9/hook", "frist.overskredet")
    _, fremmed = ny_klient(fremmed_team.jobcenter.kommune, "forloeb:read", navn="Anden kommune")
    abonner(fremmed, "http://127.0.0.1:9/hook", "frist.overskredet")
    team = Team.objects.filter(jobcenter__kommune=kommune).first()
    fl = factories.forloeb_i("forberedende_plan", team=team, start=dt.date(2025, 1, 6))
    frister.sweep()
    overskredne = Frist.objects.filter(forloeb=fl, status=FristStatus.OVERSKREDET)
    assert overskredne.exists()
    leveringer = WebhookLevering.objects.filter(haendelse="frist.overskredet")
    assert leveringer.count() == overskredne.count()
    assert {lv.abonnement.klient.kommune_id for lv in leveringer} == {kommune.pk}
    data = leveringer.first().payload["data"]
    assert data["forloeb"] == str(fl.pk) and data["frist"] in {str(f.pk) for f in overskredne}
    frister.sweep()  # a second sweep (or a second worker) sends nothing again
    assert WebhookLevering.objects.filter(haendelse="frist.overskredet").count() == overskredne.count()
