"""PostgreSQL restarted while an API client keeps writing: the application recovers by itself
and no acknowledged write is lost.

A real gunicorn (2 sync workers, persistent connections with health checks, as in production)
serves the test database; a client thread POSTs journal notes, each with its own
``Idempotency-Key``, while the test restarts the server twice in place: a clean ``fast``
shutdown (what ``pg_ctl restart`` does), then a crash (``immediate``: no checkpoint, WAL
recovery on start). The restarted server runs with ``synchronous_commit=on`` like production:
the test profile's ``synchronous_commit=off`` may lose the last commits in a crash by design.

Checked: every 201 is in the database; every failure was a prompt problem+json 500 (or a refused
connection), never a hang; writes succeed again without restarting gunicorn; and replaying each
failed request with its key leaves exactly one note per key (the client's recipe for the
ambiguous case where the commit happened but the answer was lost).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest
import requests
from django.db import connections

from cases.api.auth import hash_token, ny_token
from cases.models import ApiKlient, Journalnotat
from tests import factories

from .hjaelp import ROOT, PostgresServer, _pdeathsig, url_til_testdatabasen, vent_paa, vent_paa_port

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30  # seconds a request may take before we call it a hang


@pytest.fixture
def gunicorn():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.NamedTemporaryFile(prefix="faults-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    env = dict(os.environ) | {"DATABASE_URL": url_til_testdatabasen(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--timeout", "60", "--graceful-timeout", "5"],
        env=env, cwd=ROOT, start_new_session=True, preexec_fn=_pdeathsig,  # noqa: PLW1509
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    vent_paa_port(port, 120)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    if not os.environ.get("FAULTS_KEEP_LOGS"):
        os.unlink(log.name)


class Skriver(threading.Thread):
    """POSTs journal notes one after another until stopped; remembers every answer."""

    def __init__(self, base: str, token: str, forloeb_id: str):
        super().__init__(daemon=True)
        self.base, self.forloeb_id = base, forloeb_id
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.stop = threading.Event()
        self.svar: list[dict] = []

    def post(self, i: int) -> dict:
        start = time.monotonic()
        resultat = {"i": i, "status": None, "type": "", "id": None, "fejl": ""}
        try:
            r = self.session.post(
                f"{self.base}/api/v1/journalnotater/",
                json={"forloeb": self.forloeb_id, "type": "telefon", "overskrift": f"Notat {i}", "tekst": "Opkald."},
                headers={"Idempotency-Key": f"notat-{i}"},
                timeout=TIMEOUT,
            )
            resultat |= {"status": r.status_code, "type": r.headers.get("Content-Type", "")}
            if r.status_code == 201:
                resultat["id"] = r.json()["id"]
        except requests.RequestException as exc:
            resultat["fejl"] = type(exc).__name__
        resultat["sekunder"] = time.monotonic() - start
        return resultat

    def run(self):
        i = 0
        while not self.stop.is_set():
            self.svar.append(self.post(i))
            i += 1
            time.sleep(0.02)

    def ok_efter(self, n: int) -> int:
        return sum(1 for s in self.svar[n:] if s["status"] == 201)


def test_genstart_under_skrivninger_mister_intet_kvitteret(gunicorn):
    team = factories.TeamFactory()
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=factories.medarbejder(team))
    token = ny_token()
    ApiKlient.objects.create(
        navn="Fagsystem", kommune=team.jobcenter.kommune, scopes=["forloeb:read", "forloeb:write"],
        token_hash=hash_token(token), token_prefix=token[:8],
    )  # fmt: skip
    pg = PostgresServer()
    skriver = Skriver(gunicorn, token, str(fl.pk))
    skriver.start()
    try:
        vent_paa(lambda: skriver.ok_efter(0) >= 5, 120, "no writes succeeded before the restart")
        for mode in ("fast", "immediate"):
            foer = len(skriver.svar)
            pg.stop(mode)
            # Let the client hit the dead server for a moment.
            vent_paa(lambda foer=foer: len(skriver.svar) >= foer + 3, 60, "the client hung while PostgreSQL was down")
            pg.start("-c", "synchronous_commit=on")
            efter = len(skriver.svar)
            vent_paa(lambda efter=efter: skriver.ok_efter(efter) >= 5, 120, f"no recovery after the {mode} restart")
    finally:
        skriver.stop.set()
        skriver.join(TIMEOUT + 10)
        if not pg.koerer():  # a failed step must not leave the rest of the run without a database
            pg.start("-c", "synchronous_commit=on")
    connections.close_all()  # this process' own connection died with the server

    svar = skriver.svar
    kvitteret = [s for s in svar if s["status"] == 201]
    fejlet = [s for s in svar if s["status"] != 201]
    assert fejlet, "the restarts did not hit any request (the test proved nothing)"
    ids = {s["id"] for s in kvitteret}
    assert Journalnotat.objects.filter(pk__in=ids).count() == len(ids) == len(kvitteret), (
        "an acknowledged write was lost"
    )
    for s in fejlet:
        assert s["sekunder"] < TIMEOUT, s
        assert (s["status"] in (500, 503) and s["type"] == "application/problem+json") or s[
            "fejl"
        ] == "ConnectionError", s
    assert all(s["status"] == 201 for s in svar[-5:]), "the application did not recover by itself"

    # The client replays what failed with the same key: one note per key, whatever happened before.
    for s in fejlet:
        assert skriver.post(s["i"])["status"] == 201
    noter = Journalnotat.objects.filter(forloeb=fl)
    assert noter.count() == len(svar)
    assert sorted(noter.values_list("overskrift", flat=True)) == sorted(f"Notat {s['i']}" for s in svar)
    print(
        f"\n{len(svar)} requests: {len(kvitteret)} × 201, failures: {sorted({(s['status'], s['fejl']) for s in fejlet}, key=str)}"
    )
