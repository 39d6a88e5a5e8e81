"""A full scenario with every logger at DEBUG (SQL included): the citizens' CPR numbers never appear
in a log record, in a requested URL or redirect, or in an e-mail's subject or body.

Scenario: a citizen created in the UI and one through the API (CPR in the POST body), CPR search in
the UI and the API, full CPR shown on request, a forløb through forberedende del, meeting,
indstilling, partshøring, an issued decision with its PDF and a complaint (tests/security/conftest
``byg_lejer``), an agreement received with the CPR, pages and PDFs fetched, the deadline sweep
and the notification e-mails.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.signals import request_started
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from cases import frister, tasks
from cases.models import Borger, Rolle
from decisions.models import Dokument
from infra import cpr as cprlib
from infra.models import LagretFil
from tests import factories

from .conftest import api_klient, byg_lejer

pytestmark = pytest.mark.django_db


class Opsamler(logging.Handler):
    """Keeps every record's rendered message and traceback, before any filter has masked it."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.linjer: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tekst = record.getMessage()
        except Exception:  # noqa: BLE001
            tekst = f"{record.msg} {record.args}"
        if record.exc_info:
            tekst += "\n" + logging.Formatter().formatException(record.exc_info)
        self.linjer.append(f"{record.name}: {tekst}")


# Loggers the settings pin above DEBUG for privacy; the pin is part of what is tested.
# django.template at DEBUG dumps the whole template context on a failed lookup (incl. a shown CPR).
FASTLAAST = {"django.template"}


@pytest.fixture
def alt_logges(settings):
    """Every logger at DEBUG, SQL statements logged, a raw handler on the root logger."""
    opsamler = Opsamler()
    root = logging.getLogger()
    gamle = {name: lg.level for name, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)}
    gammel_root = root.level
    for name in gamle:
        if name not in FASTLAAST:
            logging.getLogger(name).setLevel(logging.DEBUG)
    for name in FASTLAAST:
        logging.getLogger(name).setLevel(settings.LOGGING["loggers"][name]["level"])
    root.setLevel(logging.DEBUG)
    root.addHandler(opsamler)
    connection.force_debug_cursor = True
    try:
        yield opsamler
    finally:
        connection.force_debug_cursor = False
        root.removeHandler(opsamler)
        root.setLevel(gammel_root)
        for name, level in gamle.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def urls():
    """Every requested path + query string."""
    seen: list[str] = []

    def _rec(sender, environ=None, **kw):
        if environ:
            seen.append(f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}")

    request_started.connect(_rec, weak=False)
    yield seen
    request_started.disconnect(_rec)


def former(cpr: str) -> list[str]:
    return [cpr, f"{cpr[:6]}-{cpr[6:]}", f"{cpr[:6]} {cpr[6:]}"]


def test_cpr_optraeder_aldrig_i_log_url_eller_mail(
    team, ur, settings, tmp_path, alt_logges, urls, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    sb = factories.medarbejder(team, Rolle.SAGSBEHANDLER, email="sb@kommune.invalid")
    factories.medarbejder(team, Rolle.TEAMLEDER, email="leder@kommune.invalid")  # receives escalations
    klient, token = api_klient(team.jobcenter.kommune, "Fagsystem")
    ui = Client(raise_request_exception=False)
    ui.force_login(sb)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    svar = []

    # 1. A citizen created in the UI (hyphenated CPR typed in the form).
    cpr_ui = factories.fiktivt_cpr(dt.date(1969, 6, 21))
    r = ui.post(
        "/borgere/opret/",
        {
            "cpr": f"{cpr_ui[:6]}-{cpr_ui[6:]}",
            "fornavn": "Ulla",
            "efternavn": "Uifiktiv",
            "team": str(team.pk),
            "kontaktkanal": "digital_post",
            "digital_post": "ukendt",
        },
    )
    svar.append(r)
    assert r.status_code == 302, r.context["form"].errors if r.context else r.status_code
    b_ui = Borger.objects.get(efternavn="Uifiktiv")
    # ... a typo'd CPR (invalid date) is refused without being logged either.
    svar.append(ui.post("/borgere/opret/", {"cpr": "3102691234", "fornavn": "X", "efternavn": "Y", "team": team.pk}))

    # 2. A citizen created through the API, the CPR in the POST body.
    cpr_api = factories.fiktivt_cpr(dt.date(1975, 8, 30))
    r = api.post(
        "/api/v1/borgere/",
        {"cpr": cpr_api, "fornavn": "Anders", "efternavn": "Apifiktiv", "team": str(team.pk)},
        format="json",
    )
    svar.append(r)
    assert r.status_code == 201, r.content
    # A duplicate is refused (409/400) - the error must not log the CPR either.
    svar.append(
        api.post(
            "/api/v1/borgere/",
            {"cpr": cpr_api, "fornavn": "Anders", "efternavn": "Apifiktiv", "team": str(team.pk)},
            format="json",
        )
    )

    # 3. Searches by CPR: UI (POST form) and API (POST body); the full CPR shown on request.
    for cpr in (cpr_ui, cpr_api):
        for q in former(cpr):
            r = ui.post("/", {"q": q})
            svar.append(r)
            assert r.status_code == 200
            r = api.post("/api/v1/borgere/soeg/", {"cpr": q}, format="json")
            svar.append(r)
            assert r.status_code == 200 and r.json()["results"], r.content
    r = ui.post(f"/borgere/{b_ui.pk}/cpr/", {"begrundelse": "Opslag i eIndkomst"})
    svar.append(r)
    r = api.post(f"/api/v1/borgere/{b_ui.pk}/vis-cpr/", {"begrundelse": "Opslag i eIndkomst"}, format="json")
    assert r.status_code == 200 and r.json()["cpr"].replace("-", "") == cpr_ui

    # 4. The whole journey (forberedende del → meeting → indstilling → partshøring → decision + PDF
    #    → complaint; fleksjob, employment, vurdering, agreement received with the CPR).
    with django_capture_on_commit_callbacks(execute=True):
        lejer = byg_lejer("Logfri", team, ur, klient, dt.date(1980, 2, 14))
    ur.reset()
    cprs = [cpr_ui, cpr_api, *lejer.cprs()]

    # 5. Pages and documents fetched in the UI and the API.
    for b in Borger.objects.filter(team=team):
        svar.append(ui.get(f"/borgere/{b.pk}/"))
        svar.append(api.get(f"/api/v1/borgere/{b.pk}/"))
    for d in Dokument.objects.filter(forloeb__team=team):
        svar.append(api.get(f"/api/v1/afgoerelser/{d.pk}/"))
        svar.append(api.get(f"/api/v1/afgoerelser/{d.pk}/pdf/"))
    for navn in ("/", "/mine-sager/", "/notifikationer/", "/afgoerelser/klager/", "/fleksjob/aftaler/"):
        svar.append(ui.get(navn))
    for navn in ("/api/v1/forloeb/", "/api/v1/frister/", "/api/v1/aftaler/", "/api/v1/klager/"):
        svar.append(api.get(navn))

    # 6. The deadline sweep far in the future, and the notification e-mails.
    lejer.sagsbehandler.email = "sagsbehandler@kommune.invalid"
    lejer.sagsbehandler.save(update_fields=["email"])
    frister.sweep(idag=dt.date(2027, 6, 1))
    tasks.send_notifikationsmails()

    # --- verdict ---------------------------------------------------------------------------
    logtekst = "\n".join(alt_logges.linjer + [r.getMessage() for r in caplog.records])
    assert "SELECT" in logtekst, "SQL was not logged: the capture is not working"
    assert len(alt_logges.linjer) > 100
    filnavne = list(LagretFil.objects.values_list("navn", flat=True))  # PDFs, attachments, appeal packages
    fund = []
    for cpr in cprs:
        for form in former(cpr):
            for linje in logtekst.splitlines():
                if form in linje:
                    fund.append(f"log: {linje[:300]}")
            for url in urls:
                if form in url:
                    fund.append(f"url: {url}")
            for r in svar:
                if form in r.get("Location", ""):
                    fund.append(f"redirect: {r['Location']}")
            for m in mail.outbox:
                if form in m.subject or form in m.body:
                    fund.append(f"mail to {m.to}: {m.subject}")
            fund += [f"stored file name: {navn}" for navn in filnavne if form in navn]
    assert len(urls) > 30
    assert {n.split("/")[0] for n in filnavne} >= {"dokumenter", "bilag"}, filnavne
    assert mail.outbox, "no notification e-mail was sent: the mail check would be vacuous"
    assert not fund, "CPR found:\n" + "\n".join(dict.fromkeys(fund))
    assert all(cprlib.parse(c) for c in cprs)
