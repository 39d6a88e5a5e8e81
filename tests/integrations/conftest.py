"""The national services' simulators (tools/simulatorer.py) for the contract tests.

``make test`` starts them through tools/devservices.py and sets ``CPR_REGISTER_URL`` and
``DIGITAL_POST_URL``; a bare ``pytest`` starts them here, in this process. Nothing leaves 127.0.0.1.
"""

import importlib.util
import json
import os
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _simulatorer():
    spec = importlib.util.spec_from_file_location("simulatorer", ROOT / "tools" / "simulatorer.py")
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


SIM = _simulatorer()


@pytest.fixture(scope="session")
def simulator_urls():
    cpr, dp = os.environ.get("CPR_REGISTER_URL"), os.environ.get("DIGITAL_POST_URL")
    if cpr and dp:
        yield {"cpr": cpr, "digitalpost": dp}
        return
    servere = SIM.start(langsom=5)
    yield {
        f"{n}": f"http://127.0.0.1:{s.server_address[1]}" for n, s in zip(("cpr", "digitalpost"), servere, strict=True)
    }
    for s in servere:
        s.shutdown()


@pytest.fixture
def simulatorer(settings, simulator_urls):
    """Point the adapters at the simulators (short timeouts: the slow CPR answers after 5 s)."""
    settings.CPR_REGISTER_URL = simulator_urls["cpr"]
    settings.CPR_REGISTER_ADAPTER = "cases.cprregister.HttpCprRegister"
    settings.CPR_REGISTER_TIMEOUT = 0.5
    settings.DIGITAL_POST_URL = simulator_urls["digitalpost"]
    settings.DIGITAL_POST_ADAPTER = "decisions.digitalpost_http.HttpDigitalPost"
    settings.DIGITAL_POST_TIMEOUT = 0.5
    return simulator_urls


def sim_post(base: str, path: str, data: dict) -> dict:
    """Change the simulated world (a test's own fictitious person or recipient)."""
    req = urllib.request.Request(
        base + path, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(req, timeout=5) as svar:
        return json.loads(svar.read())
