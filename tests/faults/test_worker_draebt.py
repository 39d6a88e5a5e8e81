"""A Celery worker killed in the middle of a task (acks late, reject on worker lost): the task is
handed out again and runs again, and the second run adds nothing — one PDF, one notification,
one webhook delivery row.

A real ``celery worker --pool=prefork -c 1`` subprocess on the test database and the real Redis;
it is SIGKILLed while a hook holds the task at a known point (tests/faults/celery_app.py).
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import threading

import pytest

from cases.api.auth import hash_token, ny_token
from cases.models import ApiKlient, Notifikation, Rolle
from cases.services import forloeb_overgang
from decisions import services as afgoerelser
from decisions.models import Dokument
from infra.models import AuditEntry
from tests import factories
from tests.decisions.hjaelp import kladde
from webhooks import services as webhooks
from webhooks.models import WebhookAbonnement, WebhookLevering

from .hjaelp import Worker, toem_koeen, vent_paa

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hold_dir(tmp_path):
    return tmp_path


@pytest.fixture
def workers():
    startet: list[Worker] = []

    def start(hold_dir, hold: str = "") -> Worker:
        if not startet:
            toem_koeen()  # only this test's tasks: not what the factories queued while building data
        w = Worker(hold_dir, hold)
        startet.append(w)
        return w

    yield start
    for w in startet:
        w.stop()


def markoerer(hold_dir, step: str) -> list[int]:
    """The pids that started ``step`` so far, in order."""
    filer = sorted(hold_dir.glob(f"{step}.*"), key=lambda p: int(p.suffix[1:]))
    return [int(p.read_text() or 0) for p in filer]


class Modtager:
    """A webhook receiver whose first request hangs (the worker is killed meanwhile); then 200."""

    def __init__(self):
        self.modtaget: list[dict] = []
        self.slip = threading.Event()
        modtager = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                modtager.modtaget.append({"body": json.loads(body), "levering": self.headers["X-Levering-Id"]})
                if len(modtager.modtaget) == 1:
                    modtager.slip.wait(120)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.slip.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def modtager():
    m = Modtager()
    yield m
    m.stop()


def abonnement(kommune, url: str) -> WebhookAbonnement:
    token = ny_token()
    klient = ApiKlient.objects.create(
        navn="Fagsystem", kommune=kommune, scopes=["forloeb:read"], token_hash=hash_token(token), token_prefix=token[:8]
    )
    return WebhookAbonnement.objects.create(klient=klient, url=url, haendelser=["forloeb.overgang"])


def test_pdf_dannelse_draebt_midt_i_koeres_igen_og_giver_en_pdf(hold_dir, workers):
    """The pool process dies while rendering (row locked, nothing committed): the main process
    sees the worker lost, rejects the message back to the queue, a fresh pool process renders it."""
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    d = kladde(fl)
    worker = workers(hold_dir, "render_pdf")
    afgoerelser.dokument_udsted(actor=fl.sagsbehandler, dokument=d)  # on_commit → render_pdf queued

    (pid,) = vent_paa(lambda: markoerer(hold_dir, "render_pdf"), 120, "the worker never started the PDF")
    os.kill(pid, signal.SIGKILL)  # the pool child, mid-task

    d = vent_paa(
        lambda: Dokument.objects.filter(pk=d.pk).exclude(pdf_sha256="").first(), 180, "the PDF was never rendered"
    )
    pids = markoerer(hold_dir, "render_pdf")
    assert len(pids) == 2 and pids[1] != pid, "the task ran again, in a new pool process"
    assert "WorkerLostError" in worker.tekst()
    assert AuditEntry.objects.filter(handling="dokument.pdf", subject_id=str(d.pk)).count() == 1
    assert d.pdf.name.endswith(f"/{d.pk}.pdf") or d.pdf.name == f"{d.pk}.pdf"
    # A redelivery now (e.g. the visibility timeout handing out a copy) changes nothing.
    sha = d.pdf_sha256
    assert afgoerelser.dokument_render_pdf(d.pk).pdf_sha256 == sha
    assert AuditEntry.objects.filter(handling="dokument.pdf", subject_id=str(d.pk)).count() == 1


def test_hele_workeren_draebt_efter_webhook_foer_notifikation_giver_en_af_hver(hold_dir, workers, modtager):
    """The whole worker (main process too) is SIGKILLed inside ``efter_overgang``, after the webhook
    delivery rows were committed and before the owner's notification: nobody acks or rejects, the
    message stays in Redis' unacked set, and a new worker gets it after the visibility timeout.
    The rerun creates the notification; the delivery row and the notification exist once each."""
    team = factories.TeamFactory()
    ejer = factories.medarbejder(team)
    leder = factories.medarbejder(team, Rolle.TEAMLEDER)
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=ejer)
    abonnement(team.jobcenter.kommune, modtager.url)
    modtager.slip.set()  # this test is about efter_overgang: the receiver answers at once
    foerste = workers(hold_dir, "efter_overgang")
    log = forloeb_overgang(actor=leder, forloeb=fl, overgang="start_forberedende_plan", data={})

    vent_paa(lambda: markoerer(hold_dir, "efter_overgang"), 120, "efter_overgang never ran")
    assert WebhookLevering.objects.count() == 1
    assert not Notifikation.objects.filter(taerskel=f"overgang-{log.pk}").exists()
    foerste.draeb_alt()

    workers(hold_dir, "efter_overgang")  # a new worker restores the unacked message after the visibility timeout
    vent_paa(lambda: Notifikation.objects.filter(taerskel=f"overgang-{log.pk}").exists(), 180, "no rerun")
    assert len(markoerer(hold_dir, "efter_overgang")) == 2
    levering = vent_paa(
        lambda: WebhookLevering.objects.filter(status="leveret").first(), 120, "the webhook was not delivered"
    )
    assert WebhookLevering.objects.count() == 1
    assert Notifikation.objects.filter(modtager=ejer).count() == 1
    assert levering.forsoeg == 1
    assert [m["body"]["id"] for m in modtager.modtaget] == [str(webhooks.haendelse_id("forloeb.overgang", log.pk))]


def test_webhook_levering_draebt_under_post_sendes_igen_med_samme_id(hold_dir, workers, modtager):
    """Killed while the receiver holds the POST: the row's lock and attempt are rolled back, the
    message is rejected back to the queue and sent again. The receiver gets the same event twice
    (at-least-once: HTTP cannot be exactly-once) with the same ``id`` and ``X-Levering-Id`` to
    deduplicate on; the delivery log holds one row, delivered after one counted attempt."""
    team = factories.TeamFactory()
    leder = factories.medarbejder(team, Rolle.TEAMLEDER)
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=factories.medarbejder(team))
    abonnement(team.jobcenter.kommune, modtager.url)
    worker = workers(None)
    forloeb_overgang(actor=leder, forloeb=fl, overgang="start_forberedende_plan", data={})

    vent_paa(lambda: modtager.modtaget, 120, "the receiver never got the POST")
    pids = _pool_boern(worker.proc.pid)
    assert len(pids) == 1, pids
    os.kill(pids[0], signal.SIGKILL)
    modtager.slip.set()

    levering = vent_paa(lambda: WebhookLevering.objects.filter(status="leveret").first(), 180, "not delivered")
    assert WebhookLevering.objects.count() == 1
    assert levering.forsoeg == 1
    assert len(modtager.modtaget) == 2
    assert modtager.modtaget[0] == modtager.modtaget[1], "the same event id and delivery id both times"


def _pool_boern(pid: int) -> list[int]:
    """Pids of the worker's pool processes (children of the main process)."""
    boern = []
    for proc in os.listdir("/proc"):
        if not proc.isdigit():
            continue
        try:
            stat = open(f"/proc/{proc}/stat").read()  # noqa: SIM115
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            boern.append(int(proc))
    return boern
