"""Contract tests: the CPR register adapter against the simulator (same HTTP contract as production
through Serviceplatformen's gateway; docs/integrations.md). No CPR number in a URL or a log line."""

import contextlib
import logging

import pytest

from cases import cprregister
from tests import factories

from .conftest import SIM, sim_post


@pytest.fixture
def adapter(simulatorer):
    return cprregister.HttpCprRegister()


def test_opslag_giver_navn_adresse_civilstand(adapter):
    p = adapter.opslag("0101801234")
    assert (p.fornavn, p.efternavn, p.adresse, p.postnummer, p.by) == (
        "Anna", "Testesen", "Prøvevej 1, 2. tv.", "8000", "Aarhus C",
    )  # fmt: skip
    assert p.civilstand == "gift"
    assert p.status == cprregister.PersonStatus.AKTIV
    assert p.adressebeskyttelse is False


def test_beskyttelse_doed_og_udrejst(adapter):
    assert adapter.opslag("0202802345").adressebeskyttelse is True
    doed = adapter.opslag("0303803456")
    assert (doed.status, str(doed.statusdato)) == ("doed", "2026-01-15")
    assert adapter.opslag("0404804567").status == "udrejst"


def test_ukendt_cpr(adapter):
    with pytest.raises(cprregister.UkendtCpr):
        adapter.opslag(factories.fiktivt_cpr())


def test_timeout_er_utilgaengelig(adapter):
    with pytest.raises(cprregister.RegisterUtilgaengelig):
        adapter.opslag(SIM.LANGSOM)


def test_skrald_er_utilgaengelig(adapter):
    with pytest.raises(cprregister.RegisterUtilgaengelig):
        adapter.opslag(SIM.SKRALD)


def test_svar_uden_for_kontrakten_afvises(adapter, simulatorer):
    cpr = factories.fiktivt_cpr()
    sim_post(simulatorer["cpr"], "/_sim/person", {"cpr": cpr, "status": "måske", "fornavn": "X", "efternavn": "Y"})
    with pytest.raises(cprregister.RegisterUtilgaengelig):
        adapter.opslag(cpr)


def test_intet_endepunkt_er_utilgaengelig(settings):
    settings.CPR_REGISTER_URL = ""
    with pytest.raises(cprregister.RegisterUtilgaengelig):
        cprregister.HttpCprRegister().opslag("0101801234")


def test_cpr_aldrig_i_url_eller_log(adapter, monkeypatch, caplog):
    urls = []
    original = cprregister.urllib.request.urlopen

    def spion(request, **kw):
        urls.append(request.full_url)
        return original(request, **kw)

    monkeypatch.setattr(cprregister.urllib.request, "urlopen", spion)
    caplog.set_level(logging.DEBUG)
    for cpr in ("0101801234", SIM.SKRALD, SIM.LANGSOM):
        with contextlib.suppress(cprregister.RegisterFejl):
            adapter.opslag(cpr)
    assert urls and all(u.endswith("/personopslag") for u in urls)
    tekst = caplog.text
    assert "CPR-opslag 070780-****" in tekst  # the outcome is logged, masked
    for cpr in ("0101801234", SIM.SKRALD, SIM.LANGSOM):
        assert cpr not in tekst and cpr[6:] not in tekst
