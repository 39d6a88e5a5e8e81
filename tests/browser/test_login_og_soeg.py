"""A caseworker logs in, searches by exact CPR and finds the citizen, masked; the pages pass axe."""

import pytest

from tests import factories
from tests.browser.conftest import assert_axe_clean, axe_check, ingen_konsolfejl, log_ind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_soeg_paa_cpr_viser_kun_maskeret_cpr(ny_side, team, sagsbehandler):
    cpr = factories.fiktivt_cpr()
    borger = factories.borger(team, actor=sagsbehandler, cpr=cpr, fornavn="Birte", efternavn="Browsersen")
    side = ny_side()

    side.goto("/login/")
    assert_axe_clean(side, "login")
    log_ind(side, sagsbehandler)

    side.goto("/")
    side.get_by_label("Søg på navn eller CPR-nummer").fill(cpr)
    side.get_by_role("button", name="Søg").click()
    resultat = side.get_by_role("link", name=borger.navn)
    resultat.wait_for()
    indhold = side.content()
    assert cpr not in indhold and cpr.replace("-", "") not in indhold
    assert borger.cpr_maskeret in indhold
    assert cpr.replace("-", "") not in side.url
    assert_axe_clean(side, "borgerlisten")
    ingen_konsolfejl(side)


def test_axe_tjekket_finder_rigtige_fejl(ny_side):
    """The accessibility check is live: a page with an unlabeled field and an image without text fails it."""
    side = ny_side()
    side.goto("/login/")
    side.set_content('<html lang="da"><body><main><img src="x.png"><input type="text"></main></body></html>')
    regler = {v["id"] for v in axe_check(side)}
    assert {"image-alt", "label"} <= regler
