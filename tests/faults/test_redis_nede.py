"""Redis (the Celery broker) unavailable or hung: the web UI and the API keep working.

Requests never publish to the broker themselves: the services write their side effects to the
transactional outbox (infra/udbakke.py) in the change's own transaction, and after commit a kick
with 0.5 s socket timeouts hands them to Redis. When Redis is down (refused) or hung (SIGSTOP: the
kernel still accepts connections, nobody answers) the kick gives up within about a second and the
rows wait; the relay (beat, ``infra.udbakke_relay``) sends them when Redis is back. Deadlines that
fell due while Redis (and so beat) was down are caught by the next ``frist_sweep``, which works
from the table's state, not from missed ticks.

The first test fakes the broker failure (fast, runs in ``make test``); the others stop the real
Redis server (``make faults``).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from cases import tasks
from cases.api.auth import hash_token, ny_token
from cases.models import ApiKlient, Frist, Notifikation, OvergangLog, Rolle
from decisions import services as afgoerelser
from decisions.models import Dokument
from infra import datoer, udbakke
from infra.models import UdbakkeBesked
from tests import factories
from tests.decisions.hjaelp import kladde
from webhooks.models import WebhookAbonnement, WebhookLevering

from .hjaelp import RedisServer, redis_klient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sag():
    team = factories.TeamFactory()
    ejer = factories.medarbejder(team)
    leder = factories.medarbejder(team, Rolle.TEAMLEDER)
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=ejer)
    token = ny_token()
    klient = ApiKlient.objects.create(
        navn="Fagsystem", kommune=team.jobcenter.kommune, scopes=["forloeb:read"], token_hash=hash_token(token),
        token_prefix=token[:8],
    )  # fmt: skip
    WebhookAbonnement.objects.create(klient=klient, url="http://127.0.0.1:9/hook", haendelser=["forloeb.overgang"])
    return fl, ejer, leder


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def overgang_via_api(fl, user):
    start = time.monotonic()
    svar = api(user).post(
        f"/api/v1/forloeb/{fl.pk}/overgange/start_forberedende_plan/", {}, format="json", HTTP_IF_MATCH="*"
    )
    return svar, time.monotonic() - start


def bivirkninger_er_sket(fl, ejer):
    log = OvergangLog.objects.get(forloeb=fl)
    assert Notifikation.objects.filter(modtager=ejer, taerskel=f"overgang-{log.pk}").count() == 1
    levering = WebhookLevering.objects.get()
    assert levering.status == "afventer" and levering.forsoeg == 0  # queued for a worker
    return levering


def venter(task: str) -> int:
    return UdbakkeBesked.objects.filter(task=task, sendt__isnull=True).count()


def test_broker_afviser_overgang_lykkes_og_udbakken_sendes_naar_den_er_tilbage(monkeypatch, sag, client):
    fl, ejer, leder = sag

    def nede(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as m:
        m.setattr(udbakke, "_send", nede)
        svar, _ = overgang_via_api(fl, leder)
        assert svar.status_code == 200, svar.content
        client.force_login(ejer)
        assert client.get(reverse("cases:borger_detail", args=[fl.borger_id])).status_code == 200
        fl2 = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
        d = afgoerelser.dokument_udsted(actor=fl2.sagsbehandler, dokument=kladde(fl2))
        assert d.status == "udstedt"
        # Committed with the changes, not lost, not run in the request:
        assert venter("cases.efter_overgang") >= 1 and venter("decisions.render_pdf") == 1
        assert not Notifikation.objects.filter(modtager=ejer).exists()
        assert not Dokument.objects.get(pk=d.pk).pdf_sha256
        assert udbakke.relay() == 0, "the relay stops at the first broker failure and keeps the rows"

    # The broker is back: the relay hands every row over (here run as the worker would run them).
    assert udbakke.relay(udbakke.koer_i_processen) >= 2
    bivirkninger_er_sket(fl, ejer)
    assert Dokument.objects.get(pk=d.pk).pdf_sha256
    assert not UdbakkeBesked.objects.filter(sendt__isnull=True).exclude(task="cases.lever_webhook").exists()


@pytest.mark.faults
def test_redis_stoppet_ui_virker_og_alt_indhentes_naar_den_er_tilbage(sag, client):
    fl, ejer, leder = sag
    server = RedisServer()
    server.stop()
    try:
        client.force_login(leder)
        assert client.get(reverse("cases:borger_detail", args=[fl.borger_id])).status_code == 200
        assert client.get(reverse("cases:borger_list")).status_code == 200

        svar, sekunder = overgang_via_api(fl, leder)
        assert svar.status_code == 200, svar.content
        assert sekunder < 5, f"the transition took {sekunder:.1f} s with Redis down"
        print(f"\ntransition POST with Redis stopped: {svar.status_code} in {sekunder:.2f} s")

        fl2 = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
        afgoerelser.dokument_udsted(actor=fl2.sagsbehandler, dokument=kladde(fl2))
        assert venter("cases.efter_overgang") >= 1 and venter("decisions.render_pdf") == 1

        # A deadline falls due while Redis (and beat) is down: nothing marks it meanwhile.
        frist = Frist.objects.filter(forloeb=fl, lukket_dato__isnull=True).first()
        Frist.objects.filter(pk=frist.pk).update(gaeldende_forfald=datoer.idag() - dt.timedelta(days=2))
    finally:
        server.start()

    # Redis is back: beat's next ticks run the sweeps (called here as the worker would run them).
    assert redis_klient().ping()
    resultat = tasks.frist_sweep()
    assert resultat["overskredet"] >= 1
    assert Frist.objects.get(pk=frist.pk).status == "overskredet"
    assert Notifikation.objects.filter(frist=frist, modtager=ejer, taerskel="overskredet").count() == 1
    assert tasks.frist_sweep()["overskredet"] == 0, "a second run adds nothing"
    assert Notifikation.objects.filter(frist=frist, taerskel="overskredet").count() == 1
    assert udbakke.relay() >= 2  # the outbox drains into the queues the workers read
    assert not UdbakkeBesked.objects.filter(sendt__isnull=True).exists()
    assert redis_klient().llen("celery") >= 1 and redis_klient().llen("pdf") >= 1
