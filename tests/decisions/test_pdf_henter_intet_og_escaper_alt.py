"""The PDF renderer reads no local file and opens no connection; everything typed renders as text."""

import socket
import urllib.request

import pytest

from cases.services import journalnotat_opret
from decisions import pdf
from tests import factories

from .hjaelp import kladde, pdf_tekst, udsted

pytestmark = pytest.mark.django_db

FIL = '<img src="file:///etc/passwd">'
NET = '<img src="http://example.invalid/x.png">'
SCRIPT = "<script>alert('x')</script><b>fed</b>"


@pytest.fixture
def ingen_adgang(monkeypatch):
    """Any file read through urllib, any socket connection or any fetch attempt is recorded and refused."""
    forsoeg: list = []

    def afvis(navn):
        def _afvis(*args, **kwargs):
            forsoeg.append((navn, args[1:2]))
            raise AssertionError(f"{navn} called during PDF rendering")

        return _afvis

    monkeypatch.setattr(socket.socket, "connect", afvis("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", afvis("socket.create_connection"))
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", afvis("urllib.open"))
    original = pdf.IngenHentning.fetch

    def fetch(self, url, headers=None):
        forsoeg.append(("fetch", url))
        return original(self, url, headers)

    monkeypatch.setattr(pdf.IngenHentning, "fetch", fetch)
    return forsoeg


def test_img_i_journalnotat_og_faktum_bliver_tekst_og_intet_hentes(ingen_adgang):
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    notat = journalnotat_opret(
        actor=fl.sagsbehandler, forloeb=fl, type="samtale", overskrift=f"Notat {FIL}", tekst="Indhold."
    )
    d = udsted(
        kladde(
            fl,
            tekst=f"Afgørelse {SCRIPT}",
            hovedhensyn=f"Hensyn {NET}",
            fakta=[
                {"tekst": f"Faktum {FIL}", "kilde_type": "journalnotat", "kilde_id": str(notat.pk)},
                {"tekst": f"Faktum {NET}", "kilde_type": "journalnotat", "kilde_id": str(notat.pk)},
            ],
        )
    )
    tekst = pdf_tekst(d)
    assert ingen_adgang == []  # escaped markup never even reaches the fetcher
    assert f"Faktum {FIL}" in tekst
    assert f"Faktum {NET}" in tekst
    assert f"Hensyn {NET}" in tekst
    assert f"Journalnotat: Notat {FIL}" in tekst
    assert f"Afgørelse {SCRIPT}" in tekst  # script and bold tags are shown, not interpreted
    assert "root:" not in tekst  # nothing of /etc/passwd


def test_html_i_skabelonen_henter_alligevel_intet(ingen_adgang):
    """Second wall: markup that reaches the renderer unescaped still fetches nothing (and does not crash)."""
    data = pdf.render_html(
        f"<html><head><link rel=stylesheet href='http://example.invalid/a.css'>"
        f"<style>@import url(file:///etc/hosts); body {{ background: url(data:image/png;base64,iVBORw0KGgo=) }}"
        f"</style></head><body><p>Hej</p>{FIL}{NET}<iframe src='file:///etc/passwd'></iframe></body></html>"
    )
    assert data.startswith(b"%PDF")
    hentet = [url for navn, url in ingen_adgang if navn == "fetch"]
    assert set(hentet) >= {"file:///etc/passwd", "http://example.invalid/x.png", "http://example.invalid/a.css"}
    assert [navn for navn, _ in ingen_adgang if navn != "fetch"] == []  # refused before any file or socket
    assert b"root:" not in data


def test_et_cpr_skrevet_i_et_faktum_eller_en_notatoverskrift_maskeres_i_pdfen():
    fl = factories.forloeb_i("indstilling", udfald="fleksjob")
    cpr = "0101701234"
    notat = journalnotat_opret(
        actor=fl.sagsbehandler,
        forloeb=fl,
        type="telefon",
        overskrift=f"Opkald vedr. {cpr[:6]}-{cpr[6:]}",
        tekst="Borgeren ringede.",
    )
    d = kladde(
        fl,
        fakta=[
            {
                "tekst": f"Borgeren med CPR {cpr} har oplyst smerter.",
                "kilde_type": "journalnotat",
                "kilde_id": str(notat.pk),
            }
        ],
    )
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    tekst = pdf_tekst(udsted(d))
    assert cpr not in tekst.replace("-", "").replace(" ", "")
    assert "010170-****" in tekst
