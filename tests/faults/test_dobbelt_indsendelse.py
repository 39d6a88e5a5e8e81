"""Double submits from the UI and duplicate side-effect runs at the same moment: exactly one effect.

Extends tests/cases/test_concurrency.py (services and API) to the HTML form (the same POST sent
twice, one after the other and at the same instant) and to two workers running the same
side-effect task or webhook delivery at once. Real PostgreSQL connections, committed for real.
"""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from cases import tasks
from cases.api.auth import hash_token, ny_token
from cases.models import ApiKlient, Forloeb, Frist, Notifikation, OvergangLog, Rolle
from cases.services import forloeb_overgang
from infra.models import AuditEntry
from tests import factories
from tests.samtidighed import samtidigt
from webhooks import services as webhooks
from webhooks.models import WebhookAbonnement, WebhookLevering

pytestmark = [pytest.mark.django_db(transaction=True)]

OVERGANG = "start_forberedende_plan"


@pytest.fixture
def sag():
    team = factories.TeamFactory()
    ejer = factories.medarbejder(team)
    return factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=ejer), ejer


def url(fl) -> str:
    return reverse("cases:forloeb_overgang", args=[fl.pk, OVERGANG])


def browser(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def en_effekt(fl) -> None:
    assert OvergangLog.objects.filter(forloeb=fl).count() == 1
    assert AuditEntry.objects.filter(handling=f"forloeb.overgang.{OVERGANG}", subject_id=str(fl.pk)).count() == 1
    assert Frist.objects.filter(forloeb=fl, art="servicemaal_afgoerelse").count() == 1
    fl = Forloeb.objects.get(pk=fl.pk)
    assert (fl.tilstand, fl.version) == ("forberedende_plan", 2)


def beskeder(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_samme_formular_sendt_to_gange_giver_en_overgang_og_besked_om_at_den_er_udfoert(sag):
    fl, ejer = sag
    c = browser(ejer)
    foerste = c.post(url(fl), {"version": fl.version})
    anden = c.post(url(fl), {"version": fl.version})  # back button / re-submit: the same version
    assert foerste.status_code == anden.status_code == 302
    assert foerste["Location"] == anden["Location"]
    assert any("allerede udført" in b for b in beskeder(anden)), beskeder(anden)
    en_effekt(fl)


def test_dobbeltklik_to_samtidige_posts_giver_en_overgang_og_ingen_fejlside(sag, langsom_frist_motor):
    fl, ejer = sag
    a, b = browser(ejer), browser(ejer)
    svar = [
        v
        for _, v in samtidigt(
            lambda: a.post(url(fl), {"version": fl.version}), lambda: b.post(url(fl), {"version": fl.version})
        )
    ]
    assert [getattr(s, "status_code", s) for s in svar] == [302, 302]
    alle = beskeder(svar[0]) + beskeder(svar[1])
    assert sum("allerede udført" in m for m in alle) == 1, alle
    en_effekt(fl)


def test_to_kolleger_samme_formular_samtidig_den_anden_faar_at_vide_hvorfor(sag, langsom_frist_motor):
    fl, ejer = sag
    kollega = factories.medarbejder(fl.team)
    a, b = browser(ejer), browser(kollega)
    svar = [
        v
        for _, v in samtidigt(
            lambda: a.post(url(fl), {"version": fl.version}), lambda: b.post(url(fl), {"version": fl.version})
        )
    ]
    assert [getattr(s, "status_code", s) for s in svar] == [302, 302]
    alle = beskeder(svar[0]) + beskeder(svar[1])
    assert sum("ændret af en anden" in m for m in alle) == 1, alle
    en_effekt(fl)


def test_to_workers_koerer_samme_efter_overgang_samtidigt_en_notifikation_en_levering(sag):
    """acks_late + a visibility timeout can hand the same message to two workers at once."""
    fl, ejer = sag
    leder = factories.medarbejder(fl.team, Rolle.TEAMLEDER)
    token = ny_token()
    klient = ApiKlient.objects.create(
        navn="Fagsystem", kommune=fl.team.jobcenter.kommune, scopes=["forloeb:read"], token_hash=hash_token(token),
        token_prefix=token[:8],
    )  # fmt: skip
    WebhookAbonnement.objects.create(klient=klient, url="http://127.0.0.1:9/hook", haendelser=["forloeb.overgang"])
    log = forloeb_overgang(actor=leder, forloeb=fl, overgang=OVERGANG, data={})  # its own task ran in-process
    Notifikation.objects.all().delete()
    WebhookLevering.objects.all().delete()

    svar = [v for _, v in samtidigt(*[lambda: tasks.efter_overgang(log.pk)] * 3)]
    assert not any(isinstance(s, Exception) for s in svar), svar
    assert Notifikation.objects.filter(modtager=ejer, taerskel=f"overgang-{log.pk}").count() == 1
    assert WebhookLevering.objects.count() == 1


def _raekken_er_laast(levering_id) -> bool:
    """Whether another connection finds the delivery row locked (asked while the POST is in flight)."""
    try:
        with transaction.atomic():
            WebhookLevering.objects.select_for_update(nowait=True).get(pk=levering_id)
        return False
    except DatabaseError:
        return True
    finally:
        connection.close()


def test_to_workers_leverer_samme_webhook_samtidigt_modtageren_faar_et_kald(sag):
    fl, _ = sag
    modtaget, laast = [], []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            modtaget.append(self.headers["X-Levering-Id"])
            time.sleep(0.5)  # the second worker arrives while the first is sending
            laast.append(_raekken_er_laast(self.headers["X-Levering-Id"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        token = ny_token()
        klient = ApiKlient.objects.create(
            navn="Fagsystem", kommune=fl.team.jobcenter.kommune, scopes=["forloeb:read"],
            token_hash=hash_token(token), token_prefix=token[:8],
        )  # fmt: skip
        abonnement = WebhookAbonnement.objects.create(
            klient=klient, url=f"http://127.0.0.1:{server.server_address[1]}/hook", haendelser=["forloeb.overgang"]
        )
        levering = WebhookLevering.objects.create(
            abonnement=abonnement, haendelse="forloeb.overgang", haendelse_id=webhooks.haendelse_id("test", 1),
            payload={"id": "x"},
        )  # fmt: skip
        svar = [v for _, v in samtidigt(*[lambda: webhooks.lever(levering.pk)] * 3)]
    finally:
        server.shutdown()
        server.server_close()
    # One sent; the others skipped the row while it was being leased (None), found the lease
    # (LAAST: the task looks again when it runs out) or, if later, found it delivered.
    assert svar.count("leveret") >= 1 and set(svar) <= {None, "leveret", webhooks.LAAST}, svar
    assert modtaget == [str(levering.pk)]
    assert laast == [False], "no row lock is held while the receiver has the POST"
    levering.refresh_from_db()
    assert (levering.status, levering.forsoeg) == ("leveret", 1)
