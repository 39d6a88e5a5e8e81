"""The work queue and the team leader's dashboard in a real browser.

A caseworker's queue is sorted by the nearest deadline with a badge in words; a team leader sees
an overdue case on the dashboard and drills down from the number to the case. Both pages pass
axe and are screenshotted for the README.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from cases.models import Rolle
from infra import datoer
from tests import factories
from tests.browser.conftest import assert_axe_clean, ingen_konsolfejl, log_ind, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sager(team, sagsbehandler):
    """Three forløb in forberedende plan: the 23-week servicemål overdue, due soon and on track."""
    idag = datoer.idag()
    navne = {"overskredet": ("Otto", "Overskredsen"), "snart": ("Sara", "Snartsen"), "i_rute": ("Ida", "Rutesen")}
    dage = {"overskredet": 200, "snart": 155, "i_rute": 30}
    sager = {}
    for noegle, (fornavn, efternavn) in navne.items():
        b = factories.borger(team, actor=sagsbehandler, fornavn=fornavn, efternavn=efternavn)
        sager[noegle] = factories.forloeb_i(
            "forberedende_plan",
            team=team,
            sagsbehandler=sagsbehandler,
            borger=b,
            start=idag - dt.timedelta(days=dage[noegle]),
        )
    return sager


def test_mine_sager_sorteret_efter_naermeste_frist_med_status_i_ord(ny_side, team, sagsbehandler):
    _sager(team, sagsbehandler)
    side = ny_side()
    log_ind(side, sagsbehandler)
    side.goto("/mine-sager/")
    raekker = side.locator("tbody tr")
    tekster = [raekker.nth(i).inner_text() for i in range(raekker.count())]
    assert [t.split("\n")[0] for t in tekster[:3]] == ["Otto Overskredsen", "Sara Snartsen", "Ida Rutesen"]
    assert "Overskredet" in tekster[0] and "Snart" in tekster[1] and "I rute" in tekster[2]
    assert_axe_clean(side, "mine sager")
    screenshot(side, "mine-sager")
    # On a phone the rows become cards with their column names, not a table to scroll sideways.
    side.set_viewport_size({"width": 390, "height": 844})
    side.wait_for_timeout(200)
    assert side.locator("table.mine-sager").bounding_box()["width"] <= 390
    assert side.evaluate("document.documentElement.scrollWidth") <= 390
    foerste = side.locator("tbody tr").first.locator("td").nth(2)
    assert side.evaluate("e => getComputedStyle(e, '::before').content", foerste.element_handle()) == '"Fase"'
    ingen_konsolfejl(side)


def test_teamleder_ser_overskredet_sag_paa_dashboard_og_borer_ned_til_den(ny_side, team, sagsbehandler):
    sager = _sager(team, sagsbehandler)
    teamleder = factories.medarbejder(team, Rolle.TEAMLEDER)
    overskredet = sager["overskredet"]
    side = ny_side()
    log_ind(side, teamleder)
    side.goto("/dashboard/")
    panel = side.locator("#panel-frister")
    raekke = panel.locator("tbody tr").filter(has_text=sagsbehandler.get_full_name())
    kolonner = [t.strip() for t in panel.locator("thead th").all_inner_texts()]
    celle = raekke.locator("th, td").nth(kolonner.index("Overskredet"))
    assert celle.inner_text().strip() == "1"
    side.wait_for_function("document.querySelectorAll('canvas[data-graf]').length > 0")
    assert_axe_clean(side, "dashboard")
    side.set_viewport_size({"width": 1280, "height": 1700})
    side.wait_for_timeout(500)  # charts resize to the new viewport
    screenshot(side, "dashboard")

    celle.get_by_role("link").click()
    side.wait_for_load_state("networkidle")
    udtraek = side.locator("main").inner_text()
    assert "Snartsen" not in udtraek and "Rutesen" not in udtraek
    # The CSV the browser saves (streamed with a progress bar) keeps the BOM Danish Excel needs.
    with side.expect_download() as hentet:
        side.get_by_role("link", name=re.compile("Eksportér .* som CSV")).click()
    csv = Path(hentet.value.path()).read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf"), csv[:20]
    side.get_by_role("link", name=overskredet.borger.navn, exact=True).click()
    side.wait_for_load_state("networkidle")
    assert side.url.endswith(f"/borgere/{overskredet.borger.pk}/")
    assert side.get_by_role("heading", name=overskredet.borger.navn, level=1).is_visible()
    ingen_konsolfejl(side)


def test_rettidighedstabellen_holder_sig_inden_for_siden_paa_laptop_og_telefon(ny_side, team, sagsbehandler):
    """Twelve months and the whole period: at 1366 px the table fits its panel (no sideways run off the
    page); at 390 px each kind of deadline is a card with the month named before each figure (issue 15)."""
    _sager(team, sagsbehandler)  # the overdue servicemål fell due in the period: a rettidighed row
    teamleder = factories.medarbejder(team, Rolle.TEAMLEDER)
    side = ny_side()
    side.set_viewport_size({"width": 1366, "height": 768})
    log_ind(side, teamleder)
    side.goto("/dashboard/")
    panel = side.locator("#panel-rettidighed")
    tabel = panel.locator("table")
    assert tabel.locator("thead th").count() == 14  # Fristart, twelve months, Hele perioden
    panel_kasse, tabel_kasse = panel.bounding_box(), tabel.bounding_box()
    assert tabel_kasse["x"] + tabel_kasse["width"] <= panel_kasse["x"] + panel_kasse["width"] + 1
    assert side.evaluate("document.documentElement.scrollWidth") <= 1366
    assert side.evaluate("e => e.scrollWidth <= e.clientWidth + 1", tabel.element_handle())

    side.set_viewport_size({"width": 390, "height": 844})
    side.wait_for_timeout(200)
    assert side.evaluate("document.documentElement.scrollWidth") <= 390
    assert tabel.bounding_box()["width"] <= 390
    foerste = tabel.locator("tbody tr").first.locator("td").first
    titel = side.evaluate("e => getComputedStyle(e, '::before').content", foerste.element_handle())
    assert re.fullmatch(r'"[a-z]{3} \d{4}"', titel), titel
    assert_axe_clean(side, "dashboard på telefon")
    ingen_konsolfejl(side)
