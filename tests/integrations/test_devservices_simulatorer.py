"""make run and make test start both simulators through tools/devservices.py and point the product
at them (CPR_REGISTER_URL, DIGITAL_POST_URL); stopping the services stops them."""

import importlib.util
import json
import urllib.request

from .conftest import ROOT


def _devservices():
    spec = importlib.util.spec_from_file_location("devservices", ROOT / "tools" / "devservices.py")
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


def test_devservices_starter_og_stopper_simulatorerne(tmp_path, monkeypatch):
    monkeypatch.delenv("CPR_REGISTER_URL", raising=False)
    monkeypatch.delenv("DIGITAL_POST_URL", raising=False)
    ds = _devservices()
    services = ds.Services("test", tmp_path)
    try:
        services.start_simulators()
        cpr_url, dp_url = services.env["CPR_REGISTER_URL"], services.env["DIGITAL_POST_URL"]
        req = urllib.request.Request(
            f"{cpr_url}/personopslag", data=json.dumps({"cpr": "0101801234"}).encode(), method="POST"
        )
        with urllib.request.urlopen(req, timeout=5) as svar:
            assert json.loads(svar.read())["fornavn"] == "Anna"
        req = urllib.request.Request(
            f"{dp_url}/postforespoerg", data=json.dumps({"cpr": "0505801678"}).encode(), method="POST"
        )
        with urllib.request.urlopen(req, timeout=5) as svar:
            assert json.loads(svar.read()) == {"digital_post": False}
        child = services.children[-1]
    finally:
        services.stop_all()
    assert not child.alive()
