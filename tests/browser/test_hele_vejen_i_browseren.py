"""A fresh citizen from aktivitetsparat to a sent decision, in the browser alone (issue 15).

A mødeleder creates a meeting day; a caseworker creates the citizen, starts the forløb, writes the
forberedende del with an LÆ 265, books the meeting, registers the team's indstilling, runs the
partshøring, writes, issues and sends the decision. Every step is reached by a link or a button
from the page before (the only addresses typed are the login pages); the only thing done outside
the browser is moving the clock (the meeting day must be at least 14 days ahead).

Every page is checked for console errors, CSP violations and axe violations. The walk counts the
user's clicks (buttons, links, radio buttons and check boxes), the options chosen in drop-downs,
the form submits (POST requests, ordinary and htmx) and the page loads (navigations of the main
frame), prints them and writes them to docs/ux-maaling.json.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from cases.models import Rolle
from config.celery import app
from infra import datoer
from tests import factories
from tests.browser.conftest import ROOT, axe_check, log_ind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAALING = ROOT / "docs" / "ux-maaling.json"


class Taeller:
    """What the user did in one browser page: clicks, choices, submits and page loads."""

    def __init__(self, page):
        self.page = page
        self.klik = 0
        self.valg = 0
        self.indsendelser = 0
        self.sideindlaesninger = 0
        self.axe: dict[str, list] = {}
        page.on("request", self._request)
        page.on("framenavigated", self._navigation)

    def _request(self, request) -> None:
        # POSTs of forms, ordinary and htmx; the editor's live lint is not a submit.
        if (
            request.method == "POST"
            and request.resource_type in ("document", "xhr", "fetch")
            and "/lint/" not in request.url
        ):
            self.indsendelser += 1

    def _navigation(self, frame) -> None:
        if frame == self.page.main_frame:
            self.sideindlaesninger += 1
            self._axe()

    def _axe(self) -> None:
        try:
            self.page.wait_for_load_state("load")
            fejl = axe_check(self.page)
        except Exception:  # noqa: BLE001 - a page that navigates away while axe runs is checked on its next load
            return
        if fejl:
            self.axe[self.page.url] = fejl

    def log_ind(self, user) -> None:
        log_ind(self.page, user)
        self.klik += 1  # "Log ind" (the two fields are typed)

    def klik_paa(self, locator) -> None:
        self.klik += 1
        locator.click()
        self.page.wait_for_load_state("networkidle")

    def knap(self, navn, **kw) -> None:
        self.klik_paa(self.page.get_by_role("button", name=navn, **kw).first)

    def link(self, navn, **kw) -> None:
        self.klik_paa(self.page.get_by_role("link", name=navn, **kw).first)

    def vaelg(self, label, **kw) -> None:
        self.valg += 1
        self.page.get_by_label(label).select_option(**kw)

    def marker(self, locator) -> None:
        self.klik += 1
        locator.check()

    def tjek(self) -> None:
        fejl = self.page.locator(".alert-error")
        assert fejl.count() == 0, f"{self.page.url}: {fejl.first.inner_text()}"
        self._axe()
        assert self.axe == {}, json.dumps(self.axe, indent=2, ensure_ascii=False)
        assert self.page.konsol.fejl == [], self.page.konsol.fejl

    def tal(self) -> dict[str, int]:
        return {
            "klik": self.klik,
            "valg_i_rullelister": self.valg,
            "formularindsendelser": self.indsendelser,
            "sideindlaesninger": self.sideindlaesninger,
        }


@pytest.fixture
def ur():
    """The clock moved forward by whole days while the browser walks (the only shortcut)."""
    rigtig = timezone.now
    forskydning = {"dage": 0}

    def nu():
        return rigtig() + dt.timedelta(days=forskydning["dage"])

    with mock.patch("django.utils.timezone.now", nu):
        yield forskydning


@pytest.fixture
def gem_ved_fejl(request):
    """On failure, keep the pages' HTML and a screenshot in /tmp for the developer."""
    sider = []
    yield sider
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else True:
        for i, page in enumerate(sider):
            try:
                (Path("/tmp") / f"i15-fejl-side-{i}.html").write_text(page.content(), encoding="utf-8")
            except Exception:  # noqa: BLE001 - diagnostics only
                continue


def test_ny_borger_til_sendt_afgoerelse_kun_i_browseren(ny_side, team, sagsbehandler, ur, gem_ved_fejl):
    from cases.models import Forloeb
    from decisions.models import Dokument

    moedeleder = factories.medarbejder(team, Rolle.MOEDELEDER)
    idag = datoer.idag()
    moededag = idag + dt.timedelta(days=21)
    cpr = factories.fiktivt_cpr()

    # The mødeleder creates a meeting day three weeks ahead.
    ml = ny_side()
    ml_t = Taeller(ml)
    ml_t.log_ind(moedeleder)
    ml_t.link("Rehabiliteringsmøder")
    ml.get_by_label("Dato").fill(moededag.isoformat())
    ml.get_by_label("Sted").fill("Jobcentret, mødelokale 2")
    ml.get_by_label("Kapacitet").fill("6")
    ml_t.knap("Opret mødedag")
    ml_t.tjek()

    # The caseworker creates the citizen.
    side = ny_side()
    t = Taeller(side)
    gem_ved_fejl.append(side)
    t.log_ind(sagsbehandler)  # lands on Mine sager, which offers "Opret borger"
    t.link(re.compile("Opret borger"))
    side.get_by_label("CPR-nummer").fill(cpr)
    side.get_by_label("Fornavn").fill("Vera")
    side.get_by_label("Efternavn").fill("Vejsen")
    t.vaelg("Digital Post", value="tilmeldt")
    t.knap(re.compile("Opret borger"))
    t.tjek()
    t.knap("Start forløb")
    t.tjek()
    fl = Forloeb.objects.get(borger__efternavn="Vejsen")
    assert fl.tilstand == "aktivitetsparat"

    t.link(re.compile("Start forberedende plan", re.I))
    t.knap(re.compile("Start forberedende plan", re.I))
    t.tjek()
    fl.refresh_from_db()
    assert fl.tilstand == "forberedende_plan"

    # The forberedende del (the page the plan's start leads to): every section, the health
    # checklist, then an LÆ 265.
    from rehab.models import SEKTIONER, TJEKLISTE

    side.get_by_role("heading", name="Rehabiliteringsplanens forberedende del").wait_for()
    side.get_by_label("Dato for samtalen med borgeren").fill(idag.isoformat())
    for _navn, label in SEKTIONER:
        side.get_by_label(label, exact=True).fill(f"{label}: skrevet sammen med borgeren.")
    for _felt, spoergsmaal in TJEKLISTE:
        t.vaelg(spoergsmaal, value="ja")
    # No separate save: "Tilføj bilag" saves what was typed above too.
    t.vaelg("Bilagstype", value="lae265")
    side.get_by_label("Bilagets titel").fill("LÆ 265 fra egen læge")
    side.get_by_label("Dokumentets dato").fill(idag.isoformat())
    t.knap("Tilføj bilag")
    t.tjek()

    # Book the meeting.
    t.link("Book møde i rehabiliteringsteamet")
    t.marker(side.get_by_label(re.compile(r"\d+ ledige plads")).first)
    t.knap("Book og forelæg sagen")
    t.tjek()
    fl.refresh_from_db()
    assert fl.tilstand == "rehabiliteringsteam"
    assert fl.forberedende_dele.get().helbred == "Helbred: skrevet sammen med borgeren."

    # The summons: the booking leads straight to its draft, to issue and send (counted apart too:
    # the walk before issue 15 did not send it).
    foer_indkaldelse = t.tal()
    side.get_by_text("Udsted og send indkaldelsen nu.").wait_for()
    t.klik_paa(side.get_by_text("Udsted brevet …"))
    t.knap("Ja, udsted brevet")
    side.get_by_text("Dokumentet er udstedt").wait_for()
    t.tjek()
    t.marker(side.get_by_label("Digital Post", exact=True))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        t.knap("Send", exact=True)
        side.get_by_text(re.compile("anses for modtaget")).first.wait_for(timeout=30_000)
    t.tjek()
    indkaldelse = {k: v - foer_indkaldelse[k] for k, v in t.tal().items()}

    # Three weeks pass: the meeting is held. The caseworker logs in again.
    ur["dage"] = 21
    idag = datoer.idag()
    t.log_ind(sagsbehandler)  # lands on Mine sager: the row's next step is a link
    t.link("Registrér indstilling: Vera Vejsen")
    t.vaelg("Teamets indstilling", value="fleksjob")
    side.get_by_label("Dato for indstillingen").fill(idag.isoformat())
    for label in (
        "Beskæftigelsesmæssige forhold",
        "Sociale forhold",
        "Helbredsmæssige forhold",
        "Hvorfor arbejde på ordinære vilkår ikke er muligt",
        "Egnede jobtyper og arbejdsfunktioner",
        "Særlige hensyn og støtte i overgangen til job",
    ):
        felt = side.get_by_label(label, exact=True)
        if felt.count() and felt.first.is_visible():
            felt.first.fill(f"{label}: teamets vurdering.")
    t.knap("Registrér indstilling")
    t.tjek()
    fl.refresh_from_db()
    assert fl.tilstand == "indstilling"

    # Partshøring (the page the indstilling leads to).
    side.get_by_role("heading", name="Partshøring").first.wait_for()
    side.get_by_label("Punkt 1: oplysning").fill("Rehabiliteringsteamets indstilling om fleksjob.")
    t.knap("Opret partshøringsbrev")
    t.tjek()
    t.marker(side.get_by_label("Digital Post", exact=True))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        t.knap("Udsted og send brevet")
        side.get_by_label("Borgerens bemærkninger").wait_for(timeout=30_000)
    t.tjek()
    side.get_by_label("Borgerens bemærkninger").fill("Jeg er enig i indstillingen.")
    t.knap("Registrér svar")
    t.tjek()

    # The decision: "Skriv afgørelsen" creates the draft of the type the indstilling points to.
    t.knap("Skriv afgørelsen")
    side.get_by_role("heading", name="Før dokumentet kan udstedes").wait_for()
    side.get_by_label("Afgørelsens tekst").fill("Du visiteres til fleksjob, jf. rehabiliteringsteamets indstilling.")
    side.get_by_label("Hovedhensyn i skønnet").fill("Teamets tværfaglige vurdering og borgerens bemærkninger.")
    # The type's legal basis is selected already.
    assert side.get_by_label("lov om en aktiv beskæftigelsesindsats § 116 – Fleksjob").is_checked()
    assert side.get_by_label("forvaltningsloven §§ 22-24 – Begrundelse").is_checked()
    side.get_by_label("Oplysning 1", exact=True).fill("Arbejdsevnen er varigt og væsentligt nedsat.")
    t.vaelg("Kilde til oplysning 1", index=1)
    side.get_by_label("Vurderet arbejdsevne, timer pr. uge").fill("12,5")
    side.get_by_label("Vurderet arbejdsintensitet (%)").fill("60")
    side.get_by_role("heading", name="Klar til udstedelse").wait_for()
    t.klik_paa(side.get_by_text("Udsted afgørelsen …"))
    t.knap("Ja, udsted afgørelsen")
    side.get_by_text("Dokumentet er udstedt").wait_for()
    t.tjek()
    t.marker(side.get_by_label("Digital Post", exact=True))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        t.knap("Send", exact=True)
        side.get_by_text(re.compile("anses for modtaget")).first.wait_for(timeout=30_000)
    t.tjek()
    fl.refresh_from_db()
    assert fl.tilstand == "fleksjob"
    dok = Dokument.objects.get(forloeb=fl, type="fleksjob_visitation")
    assert dok.status == "afsendt"

    tal = {"sagsbehandler": t.tal(), "moedeleder": ml_t.tal()}
    tal["i_alt"] = {k: t.tal()[k] + ml_t.tal()[k] for k in t.tal()}
    tal["heraf_indkaldelsen"] = indkaldelse
    print(json.dumps(tal, indent=2, ensure_ascii=False))
    MAALING.write_text(json.dumps(tal, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # Clicks and submits are deterministic (page loads may differ by one, see docs/ux-maaling.md).
    # Issue 15 asked for clearly fewer clicks: 35 on the whole walk and 30 like for like (without
    # the summons) before every step led straight to the next.
    assert tal["i_alt"]["klik"] == 29, tal
    assert tal["i_alt"]["klik"] - indkaldelse["klik"] == 25, tal
    assert tal["i_alt"]["formularindsendelser"] == 18, tal


def test_fejlopsummeringen_faar_fokus_efter_en_afvist_indsendelse(ny_side, team, sagsbehandler):
    side = ny_side()
    log_ind(side, sagsbehandler)
    side.get_by_role("link", name="Borgere", exact=True).click()
    side.get_by_role("link", name=re.compile("Opret borger")).first.click()
    side.get_by_role("button", name=re.compile("Opret borger")).click()
    side.wait_for_load_state("networkidle")
    fokus = side.evaluate("document.activeElement.getAttribute('data-module')")
    assert fokus == "error-summary"
    assert side.konsol.fejl == []
