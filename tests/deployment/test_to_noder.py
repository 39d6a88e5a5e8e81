"""Two web nodes and two Celery workers that share PostgreSQL and Redis and nothing else: each runs in a
private working directory of its own (its own TMPDIR and HOME too), as on separate machines behind a
load balancer. A case walks across them; afterwards no node has written a file of its own."""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import requests

from decisions.models import Dokument, Klage
from tests import factories
from tests.decisions.hjaelp import kladde
from tests.decisions.test_klager import Ur, byg_sag, fastholdt_klage
from tests.faults.hjaelp import toem_koeen, url_til_testdatabasen
from tests.security.conftest import api_klient

from .conftest import ROOT, Proces, fri_port, vent_paa_port

pytestmark = [pytest.mark.deployment, pytest.mark.django_db(transaction=True)]


class Node:
    def __init__(self, navn: str, argv: list[str], tmp: Path, port: int | None = None):
        self.navn, self.port = navn, port
        self.mappe = tmp / navn
        self.mappe.mkdir()
        env = dict(os.environ) | {
            "DATABASE_URL": url_til_testdatabasen(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "TMPDIR": str(self.mappe),
            "HOME": str(self.mappe),
        }
        self.log = tmp / f"{navn}.log"  # outside the node's directory
        self.proc = Proces(argv, log=self.log, env=env, cwd=self.mappe)
        self.url = f"http://127.0.0.1:{port}" if port else None

    def filer(self) -> list[str]:
        return [str(p.relative_to(self.mappe)) for p in self.mappe.rglob("*") if p.is_file()]


def web(navn: str, tmp: Path) -> Node:
    port = fri_port()
    n = Node(
        navn,
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "2", "--timeout", "60", "--worker-tmp-dir", "/dev/shm"],
        tmp, port,
    )  # fmt: skip
    vent_paa_port(port, n.proc.proc, n.log, timeout=90)
    return n


def worker(navn: str, tmp: Path) -> Node:
    n = Node(
        navn,
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "-c", "1", "--loglevel=INFO",
         "-n", f"{navn}-{uuid.uuid4().hex[:6]}@%h", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        tmp,
    )  # fmt: skip
    slut = time.monotonic() + 120
    while " ready." not in n.proc.tekst():
        assert n.proc.proc.poll() is None and time.monotonic() < slut, n.proc.tekst()[-3000:]
        time.sleep(0.2)
    return n


@pytest.fixture
def noder(tmp_path, monkeypatch):
    toem_koeen()
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.test")
    startet: list[Node] = []
    try:
        for navn, start in (("web-a", web), ("web-b", web), ("worker-1", worker), ("worker-2", worker)):
            startet.append(start(navn, tmp_path))
        yield dict(zip(("a", "b", "w1", "w2"), startet, strict=True))
    finally:
        for n in startet:
            n.proc.stop()


def vent_paa(predicate, timeout: float = 90.0, besked: str = "timed out"):
    slut = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < slut, besked
        time.sleep(0.2)
    return value


def test_en_sag_gaar_paa_tvaers_af_to_webnoder_og_to_workers(noder, team, sagsbehandler, monkeypatch):
    a, b = noder["a"], noder["b"]
    kommune = team.jobcenter.kommune
    _, token = api_klient(kommune, "Fagsystem")
    api = {"Authorization": f"Bearer {token}"}

    # 1. A decision issued through web A is rendered by whichever worker takes it ...
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler, udfald="ressourceforloeb")
    d = kladde(fl)
    r = requests.post(f"{a.url}/api/v1/afgoerelser/{d.pk}/udsted/", headers={**api, "If-Match": "*"}, timeout=60)
    assert r.status_code in (200, 202), r.text
    sha = vent_paa(
        lambda: Dokument.objects.filter(pk=d.pk).values_list("pdf_sha256", flat=True).first(),
        besked="no worker rendered the PDF",
    )
    rendret_af = [w.navn for w in (noder["w1"], noder["w2"]) if sha in w.proc.tekst()]  # the task returns it
    assert len(rendret_af) == 1, rendret_af  # one worker did it, the other did not
    # ... and downloaded byte-identical through web B.
    pdf_b = requests.get(f"{b.url}/api/v1/afgoerelser/{d.pk}/pdf/", headers=api, timeout=60)
    assert pdf_b.status_code == 200 and pdf_b.headers["X-SHA256"] == sha
    assert hashlib.sha256(pdf_b.content).hexdigest() == sha and pdf_b.content.startswith(b"%PDF")
    pdf_a = requests.get(f"{a.url}/api/v1/afgoerelser/{d.pk}/pdf/", headers=api, timeout=60)
    assert pdf_a.content == pdf_b.content

    # 2. An attachment uploaded through web B is opened through web A (a caseworker's browser session).
    ur = Ur(monkeypatch)
    ur(factories.START)
    sag_fl, afgoerelse = byg_sag(team, sagsbehandler, ur)
    fd = sag_fl.forberedende_dele.get()
    indhold = b"%PDF-1.4 speciallaegeerklaering uploadet gennem web B " + uuid.uuid4().bytes
    r = requests.post(
        f"{b.url}/api/v1/forberedende-dele/{fd.pk}/bilag/",
        headers={**api, "If-Match": "*"},
        data={"type": "laegelig", "titel": "Speciallægeerklæring", "dokument_dato": "2026-05-01"},
        files={"fil": ("Karen Fiktivsen.pdf", indhold, "application/pdf")},
        timeout=60,
    )
    assert r.status_code == 201, r.text
    bilag_id = r.json()["id"]
    sagsbehandler.set_password("en-lang-adgangskode-7")
    sagsbehandler.save()
    browser = requests.Session()
    login = browser.get(f"{a.url}/login/", timeout=30)
    csrf = browser.cookies["csrftoken"]
    r = browser.post(
        f"{a.url}/login/",
        data={"username": sagsbehandler.username, "password": "en-lang-adgangskode-7", "csrfmiddlewaretoken": csrf},
        headers={"Referer": login.url},
        timeout=30,
    )
    assert r.status_code == 200 and "/login/" not in r.url, r.url
    fil = browser.get(f"{a.url}/rehab/bilag/{bilag_id}/fil/", timeout=30)
    assert fil.status_code == 200 and fil.content == indhold
    # Opened in the browser (issue 15), under a neutral name: never the citizen's or the file's own name.
    assert fil.headers["Content-Disposition"] == f'inline; filename="bilag-{bilag_id}.pdf"'
    # The session made on A is good on B (sessions live in PostgreSQL, not on a node).
    assert browser.get(f"{b.url}/rehab/bilag/{bilag_id}/fil/", timeout=30).content == indhold

    # 3. The appeal package is built on web A and fetched from web B.
    ur(factories.dag(45))
    klage = fastholdt_klage((sag_fl, afgoerelse), sagsbehandler, ur)
    r = requests.post(
        f"{a.url}/api/v1/klager/{klage.pk}/send-til-ankestyrelsen/",
        headers={**api, "If-Match": "*"},
        json={},
        timeout=120,
    )
    assert r.status_code == 200, r.text
    pakke_sha = Klage.objects.get(pk=klage.pk).ankepakke_sha256
    pakke = requests.get(f"{b.url}/api/v1/klager/{klage.pk}/ankepakke/", headers=api, timeout=60)
    assert pakke.status_code == 200 and hashlib.sha256(pakke.content).hexdigest() == pakke_sha
    with zipfile.ZipFile(io.BytesIO(pakke.content)) as z:
        indhold_i_pakken = [z.read(n) for n in z.namelist()]
    afgoerelse_pdf = requests.get(f"{b.url}/api/v1/afgoerelser/{afgoerelse.pk}/pdf/", headers=api, timeout=60)
    assert afgoerelse_pdf.content in indhold_i_pakken  # the decision complained about, as stored
    assert b"%PDF-1.4 fiktiv speciallaegeerklaering" in indhold_i_pakken  # the attachment it relies on

    # Nothing written to any node's own disk: every file is in the shared storage.
    for n in noder.values():
        assert n.filer() == [], (n.navn, n.filer())
