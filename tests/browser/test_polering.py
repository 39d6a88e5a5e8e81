"""Issue 15 polish in the browser: no empty "Mere" menu after htmx updates, narrative text areas
that are wide and grow with the text, the citizen header and the back link's icon."""

import pytest

from cases import services
from tests import factories
from tests.browser.conftest import assert_axe_clean, ingen_konsolfejl, log_ind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ingen_tom_mere_menu_efter_htmx_opdateringer(ny_side, team, sagsbehandler):
    borger = factories.borger(team, actor=sagsbehandler, fornavn="Mette", efternavn="Menusen")
    side = ny_side()
    side.set_viewport_size({"width": 1366, "height": 768})
    log_ind(side, sagsbehandler)
    side.get_by_role("link", name="Borgere", exact=True).click()
    for _ in range(3):
        side.get_by_label("Søg på navn eller CPR-nummer").fill("Menusen")
        side.get_by_role("button", name="Søg").click()
        side.get_by_role("link", name=borger.navn).wait_for()
        side.wait_for_load_state("networkidle")
    # DKFDS adds one overflow item to the main menu; htmx updates add none, and an empty one never shows.
    assert side.locator(".navigation-menu .more-option").count() == 1
    tomme = side.locator(".navigation-menu .more-option").filter(has=side.locator(".overflow-list:empty"))
    assert tomme.filter(visible=True).count() == 0
    ingen_konsolfejl(side)


def test_forberedende_del_har_brede_tekstfelter_der_vokser(ny_side, team, sagsbehandler):
    borger = factories.borger(team, actor=sagsbehandler, fornavn="Tekla", efternavn="Tekstsen")
    fl = services.forloeb_opret(actor=sagsbehandler, borger=borger, sagsbehandler=sagsbehandler)
    factories.overgang(fl, "start_forberedende_plan", 0, actor=sagsbehandler)
    side = ny_side()
    side.set_viewport_size({"width": 1366, "height": 768})
    log_ind(side, sagsbehandler)
    side.goto(f"/rehab/forloeb/{fl.pk}/forberedende-del/")
    # One citizen header, with the back link's arrow.
    tilbage = side.get_by_role("link", name=f"Tilbage til {borger.navn}")
    assert tilbage.locator("svg use").get_attribute("href").endswith("#chevron-left")
    assert side.locator(".borger-hoved").count() == 1
    felt = side.get_by_label("Helbred", exact=True)
    foer = felt.bounding_box()
    assert foer["width"] >= 600, foer  # wide: not DKFDS's 32rem default
    assert foer["height"] >= 120, foer  # at least five lines
    felt.fill("\n".join(f"Linje {i} om borgerens helbred." for i in range(20)))
    efter = felt.bounding_box()
    assert efter["height"] > foer["height"] + 200, (foer, efter)
    assert_axe_clean(side, "forberedende del")
    ingen_konsolfejl(side)
