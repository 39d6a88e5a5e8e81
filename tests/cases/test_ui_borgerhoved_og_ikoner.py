"""Issue 15 polish: one citizen header on every page about a forløb, and no missing icons."""

import re

import pytest
from django.urls import reverse

from cases import services
from tests.browser.conftest import ROOT

pytestmark = pytest.mark.django_db

SKABELONER = sorted((ROOT / "templates").rglob("*.html"))
SPRITE = (ROOT / "static" / "vendor" / "dkfds" / "img" / "all-svg-icons.svg").read_text(encoding="utf-8")


def test_hvert_ikon_findes_i_dkfds_sprite():
    brugte = {navn for s in SKABELONER for navn in re.findall(r'{% ikon "([a-z0-9-]+)"', s.read_text(encoding="utf-8"))}
    assert "download" in brugte
    mangler = sorted(n for n in brugte if f'id="{n}"' not in SPRITE)
    assert mangler == [], f"icons not in the DKFDS sprite (rendered as nothing): {mangler}"


def test_hvert_tilbage_link_har_sin_pil():
    uden = []
    for s in SKABELONER:
        for m in re.finditer(r'class="back-link">(.{0,40})', s.read_text(encoding="utf-8")):
            if not m.group(1).startswith('{% ikon "chevron-left" %}'):
                uden.append(f"{s.relative_to(ROOT)}: {m.group(0)}")
    assert uden == []


@pytest.fixture
def forloeb(borger, sagsbehandler):
    return services.forloeb_opret(actor=sagsbehandler, borger=borger, sagsbehandler=sagsbehandler)


@pytest.mark.parametrize(
    "url",
    [
        lambda fl: reverse("cases:forloeb_overgang", args=[fl.pk, "start_forberedende_plan"]),
        lambda fl: reverse("cases:tilbud", args=[fl.pk]),
        lambda fl: reverse("decisions:dokumenter", args=[fl.pk]),
        lambda fl: reverse("rehab:forberedende_del", args=[fl.pk]),
        lambda fl: reverse("cases:paaroerende_opret", args=[fl.borger_id]),
    ],
    ids=["overgang", "tilbud", "breve", "forberedende-del", "paaroerende"],
)
def test_en_borgerhoved_paa_hver_side_om_forloebet(klient, forloeb, borger, url):
    html = klient.get(url(forloeb)).content.decode()
    assert html.count('class="borger-hoved"') == 1
    hoved = html[html.index('class="back-link"') : html.index("</dl>", html.index('class="borger-hoved"'))]
    assert f"Tilbage til {borger.navn}" in hoved
    assert "all-svg-icons.svg#chevron-left" in hoved
    assert borger.cpr_maskeret in hoved
    if "paaroerende" not in url(forloeb):
        assert "<dt>Fase</dt>" in hoved and forloeb.get_tilstand_display() in hoved
        assert "<dt>Sagsbehandler</dt>" in hoved
    # The variants the pages built themselves are gone.
    for gammel in ("sag-hoved-tekst", "fleksjob-hoved__navn", "rehab-sag", "Forløbets fase", "Aktuel fase"):
        assert gammel not in html
