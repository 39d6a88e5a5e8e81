"""The work queue and the team leader's dashboard in a real browser.

A caseworker's queue is sorted by the nearest deadline with a badge in words; a team leader sees
an overdue case on the dashboard and drills down from the number to the case. Both pages pass
axe and are screenshotted for the README.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.conftest import assert_axe_clean, ingen_konsolfejl, log_ind, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sager(team, sagsbehandler):
    """Three forløb in forberedende plan: the 23-week servicemål overdue, due soon and on track."""
    idag = timezone.localdate()
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
    ingen_konsolfejl(side)
