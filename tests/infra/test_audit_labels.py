"""Every action the product writes to the audit log has a Danish label in the citizen's extract."""

import re
from pathlib import Path

from infra.audit_labels import HANDLING_LABELS, handling_label

ROOT = Path(__file__).resolve().parents[2]


def test_alle_handlingskoder_har_en_dansk_tekst():
    koder = set()
    for app in ("cases", "rehab", "decisions"):
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            koder |= set(re.findall(r'handling="([a-z_]+\.[a-z_.]+)"', text))
            koder |= set(re.findall(r'^\s+"(klage\.[a-z_]+)",$', text, re.M))
            for prefix in re.findall(r'laes_handling = "([a-z_]+)"', text):
                koder |= {f"{prefix}.laes", f"{prefix}.liste"}
    koder -= {"system.ping", "api_klient.opret", "api_klient.deaktiver", "moededag.opret"}  # no citizen
    assert koder, "the scan found no action codes"
    mangler = sorted(k for k in koder if k not in HANDLING_LABELS)
    assert mangler == []


def test_overgange_faar_en_tekst_med_navnet():
    assert handling_label("forloeb.overgang.visiter_fleksjob") == "Flyttede forløbet videre (visiter fleksjob)"
