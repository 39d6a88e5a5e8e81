"""Full CPR numbers never reach an access log (issue 13): runserver's ``django.server`` logger and
gunicorn's access log wrote request lines with their query strings in full."""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.faults.hjaelp import ROOT, _pdeathsig, vent_paa_port

CPR = "0303851234"


def test_django_server_loggeren_maskerer_cpr_i_forespoergselslinjen():
    """What runserver's request handler logs (django.core.servers.basehttp.WSGIRequestHandler)."""
    logger = logging.getLogger("django.server")
    handlers = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)
                and not type(h).__module__.startswith("_pytest")]  # fmt: skip
    assert handlers, "Django's own handler for runserver's request lines"
    streams = []
    for handler in handlers:
        buffer = io.StringIO()
        streams.append((handler, handler.setStream(buffer), buffer))
    try:
        logger.info('"%s" %s %s', f"GET /borgere/?cpr={CPR}&q=030385-1234 HTTP/1.1", "200", "1234")
    finally:
        for handler, old, _ in streams:
            handler.setStream(old)
    tekst = "".join(b.getvalue() for _, _, b in streams)
    assert "030385-****" in tekst
    assert CPR not in tekst and "030385-1234" not in tekst


def test_ogsaa_en_handler_der_kommer_til_senere_faar_kun_maskeret_cpr():
    """Records are masked when they are made, so no handler (configured later, by a library or
    by a logging set-up run again) ever sees the full number."""
    logger = logging.getLogger("tests.ny.bibliotek")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("opslag %s og %s", CPR, "030385-1234")
    finally:
        logger.removeHandler(handler)
    assert buffer.getvalue() == "opslag 030385-**** og 030385-****\n"


def test_gunicorns_adgangslog_maskerer_cpr():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mappe = Path(tempfile.mkdtemp(prefix="gunicorn-log-"))
    adgang, fejl = mappe / "access.log", mappe / "error.log"
    env = dict(os.environ) | {"DJANGO_SETTINGS_MODULE": "config.settings.test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--access-logfile", str(adgang), "--error-logfile", str(fejl)],
        env=env, cwd=ROOT, start_new_session=True, preexec_fn=_pdeathsig,  # noqa: PLW1509
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        vent_paa_port(port, 120)
        requests.get(f"http://127.0.0.1:{port}/static/findes-ikke.css?cpr={CPR}&q=030385-1234", timeout=30)
        deadline = time.monotonic() + 30
        while "findes-ikke" not in (adgang.read_text() if adgang.exists() else "") and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(30)
    tekst = adgang.read_text()
    assert "findes-ikke.css?cpr=030385-****" in tekst, tekst
    assert CPR not in tekst and "030385-1234" not in tekst
    assert CPR not in fejl.read_text()
