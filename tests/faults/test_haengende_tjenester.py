"""Hung (not dead) services: no request waits on them (issue 13).

A hung Redis (SIGSTOP: the kernel still completes TCP handshakes, nobody ever answers) used to hold
a transition and a decision's issue for minutes, and three such requests took every gunicorn
worker. Now requests only write the transactional outbox (infra/udbakke.py); the after-commit kick
gives up after 0.5 s per socket operation and the relay sends the rows when Redis answers again.

A hung PostgreSQL: a connection attempt that gets no answer gives up after
``DATABASE_CONNECT_TIMEOUT``; a statement stuck behind a lock after ``DATABASE_LOCK_TIMEOUT``
(``statement_timeout`` bounds a slow one). The API answers a clean ``503`` problem+json with
``Retry-After`` instead of hanging. Both run against a real gunicorn.
"""

from __future__ import annotations

import os
import signal
import socket
import time

import psycopg
import pytest
import requests
from django.db import connection
from django.urls import reverse

from cases.api.auth import hash_token, ny_token
from cases.models import ApiKlient, Journalnotat
from infra import udbakke
from infra.models import UdbakkeBesked
from tests import factories
from tests.decisions.hjaelp import kladde

from .hjaelp import redis_klient, url_til_testdatabasen
from .test_postgres_genstart import gunicorn  # noqa: F401 - the fixture
from .test_redis_nede import api, sag  # noqa: F401 - the fixture

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _etag(c, url) -> str:
    r = c.get(url)
    assert r.status_code == 200, r.content
    return r["ETag"]


def test_redis_haenger_overgang_og_udstedelse_svarer_straks_og_udbakken_toemmes_bagefter(sag, client):  # noqa: F811
    fl, ejer, leder = sag
    fl2 = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    d = kladde(fl2)
    pid = int(redis_klient().info("server")["process_id"])
    os.kill(pid, signal.SIGSTOP)
    try:
        c = api(leder)
        url = f"/api/v1/forloeb/{fl.pk}/"
        start = time.monotonic()
        svar = c.post(f"{url}overgange/start_forberedende_plan/", {}, format="json", HTTP_IF_MATCH=_etag(c, url))
        overgang_s = time.monotonic() - start
        assert svar.status_code == 200, svar.content

        c2 = api(fl2.sagsbehandler)
        durl = f"/api/v1/afgoerelser/{d.pk}/"
        start = time.monotonic()
        svar = c2.post(f"{durl}udsted/", format="json", HTTP_IF_MATCH=_etag(c2, durl))
        udsted_s = time.monotonic() - start
        assert svar.status_code == 202, svar.content

        client.force_login(ejer)
        start = time.monotonic()
        assert client.get(reverse("cases:borger_detail", args=[fl.borger_id])).status_code == 200
        side_s = time.monotonic() - start
        print(f"\nRedis hung: transition {overgang_s:.2f} s, issue {udsted_s:.2f} s, citizen page {side_s:.2f} s")
        assert overgang_s < 5 and udsted_s < 5 and side_s < 5
        waiting = set(UdbakkeBesked.objects.filter(sendt__isnull=True).values_list("task", flat=True))
        assert {"cases.efter_overgang", "decisions.render_pdf"} <= waiting
    finally:
        os.kill(pid, signal.SIGCONT)

    assert redis_klient().ping()
    assert udbakke.relay() >= 2  # what beat's relay does on its next tick
    assert not UdbakkeBesked.objects.filter(sendt__isnull=True).exists()
    assert redis_klient().llen("pdf") >= 1


@pytest.fixture
def notat_klient(sag):  # noqa: F811
    fl, _, _ = sag
    token = ny_token()
    ApiKlient.objects.create(
        navn="Journal", kommune=fl.kommune, scopes=["forloeb:read", "forloeb:write"], token_hash=hash_token(token),
        token_prefix=token[:8],
    )  # fmt: skip
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    return fl, s


def _notat(session, base, fl, noegle):
    start = time.monotonic()
    r = session.post(
        f"{base}/api/v1/journalnotater/",
        json={"forloeb": str(fl.pk), "type": "telefon", "overskrift": "Opkald", "tekst": "Opkald."},
        headers={"Idempotency-Key": noegle},
        timeout=30,
    )
    return r, time.monotonic() - start


@pytest.fixture
def kort_laasetid(monkeypatch):
    monkeypatch.setenv("DATABASE_LOCK_TIMEOUT", "1500")
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "3000")


def test_postgres_laas_haenger_api_svarer_503_hurtigt(kort_laasetid, notat_klient, gunicorn):  # noqa: F811
    fl, s = notat_klient
    r, _ = _notat(s, gunicorn, fl, "foer")
    assert r.status_code == 201, r.text
    with psycopg.connect(url_til_testdatabasen()) as blokerer:
        blokerer.execute(f"LOCK TABLE {Journalnotat._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        r, sekunder = _notat(s, gunicorn, fl, "under")
        blokerer.rollback()
    print(f"\nPostgreSQL lock held: {r.status_code} in {sekunder:.2f} s")
    assert r.status_code == 503, r.text
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json()["type"].endswith("utilgaengelig") and r.headers["Retry-After"]
    assert sekunder < 10
    r, _ = _notat(s, gunicorn, fl, "under")  # the client's retry with the same key succeeds
    assert r.status_code == 201, r.text


@pytest.fixture
def doev_postgres(monkeypatch):
    """A "PostgreSQL" that accepts TCP connections and never answers (a hung server)."""
    lytter = socket.socket()
    lytter.bind(("127.0.0.1", 0))
    lytter.listen(64)
    port = lytter.getsockname()[1]
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "2")
    monkeypatch.setattr("tests.faults.test_postgres_genstart.url_til_testdatabasen",
                        lambda: f"postgres://x:y@127.0.0.1:{port}/{connection.settings_dict['NAME']}")  # fmt: skip
    yield
    lytter.close()


def test_postgres_svarer_ikke_api_svarer_503_hurtigt(notat_klient, doev_postgres, gunicorn):  # noqa: F811
    fl, s = notat_klient
    r, sekunder = _notat(s, gunicorn, fl, "doev")
    print(f"\nPostgreSQL not answering: {r.status_code} in {sekunder:.2f} s")
    assert r.status_code == 503, r.text
    assert r.headers["Content-Type"] == "application/problem+json"
    assert sekunder < 10
