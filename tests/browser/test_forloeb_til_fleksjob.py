"""The caseworker's whole path in a real browser, from aktivitetsparat to an issued fleksjob decision.

A caseworker logs in, finds a fictitious citizen, starts the forløb and the forberedende plan,
writes the forberedende del with the health checklist and an LÆ 265, books the citizen on a
rehabiliteringsteam meeting, registers the team's indstilling (fleksjob), runs the partshøring,
writes and issues the fleksjob decision, downloads its PDF and sees the deadlines close on the
citizen page. Screenshots of the main pages go to docs/screenshots/.

The partshøring letter is sent by the Celery worker once it has rendered the PDF (a real worker runs
in this process for that step). Only one thing happens outside the browser: the meeting must be
booked at least 14 days ahead, and the indstilling can only be registered from the meeting day, so
the test moves the booked meeting day to today ("the two weeks pass") with the ORM.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from infra import datoer
from tests import factories
from tests.browser.conftest import assert_axe_clean, ingen_konsolfejl, log_ind, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _klik(page, navn) -> None:
    page.get_by_role("button", name=navn).click()
    page.wait_for_load_state("networkidle")


def _ingen_fejlopsummering(page, hvor: str) -> None:
    fejl = page.locator(".alert-error")
    assert fejl.count() == 0, f"{hvor}: {fejl.first.inner_text()}"


def test_sagsbehandler_fra_aktivitetsparat_til_fleksjobafgoerelse(ny_side, team, sagsbehandler):
    from cases.models import Forloeb, Frist, FristStatus
    from rehab.models import SEKTIONER, TJEKLISTE

    idag = datoer.idag()
    moededag = factories.moededag(team.jobcenter.kommune, idag + dt.timedelta(days=21))
    cpr = factories.fiktivt_cpr()
    borger = factories.borger(team, actor=sagsbehandler, cpr=cpr, fornavn="Freja", efternavn="Fleksdottir")
    side = ny_side()
    log_ind(side, sagsbehandler)

    # The citizen page: no forløb yet.
    side.goto(f"/borgere/{borger.pk}/")
    _klik(side, "Start forløb")
    _ingen_fejlopsummering(side, "start forløb")
    fl = Forloeb.objects.get(borger=borger)
    assert fl.tilstand == "aktivitetsparat"

    # Start the forberedende plan: the 23-week servicemål starts.
    side.get_by_role("link", name=re.compile("Start forberedende plan", re.I)).first.click()
    side.wait_for_load_state("networkidle")
    _klik(side, re.compile("Start forberedende plan", re.I))
    _ingen_fejlopsummering(side, "start forberedende plan")
    fl.refresh_from_db()
    assert fl.tilstand == "forberedende_plan"
    assert Frist.objects.filter(forloeb=fl, status=FristStatus.AABEN).exists()

    # The forberedende del (where starting the plan leads): every section, the health checklist,
    # then an LÆ 265.
    assert side.url.endswith(f"/rehab/forloeb/{fl.pk}/forberedende-del/")
    assert_axe_clean(side, "forberedende del")
    side.get_by_label("Dato for samtalen med borgeren").fill(idag.isoformat())
    for _navn, label in SEKTIONER:
        side.get_by_label(label, exact=True).fill(f"{label}: skrevet sammen med borgeren.")
    for _felt, spoergsmaal in TJEKLISTE:
        side.get_by_label(spoergsmaal).select_option("ja")
    _klik(side, "Gem forberedende del")
    _ingen_fejlopsummering(side, "forberedende del")
    side.get_by_label("Bilagstype").select_option("lae265")
    side.get_by_label("Bilagets titel").fill("LÆ 265 fra egen læge")
    side.get_by_label("Dokumentets dato").fill(idag.isoformat())
    _klik(side, "Tilføj bilag")
    _ingen_fejlopsummering(side, "bilag")

    # Book the rehabiliteringsteam meeting: the case is presented to the team.
    side.goto(f"/rehab/forloeb/{fl.pk}/moede/")
    assert_axe_clean(side, "booking")
    side.get_by_label(re.compile(r"\d+ ledige plads")).first.check()
    _klik(side, "Book og forelæg sagen")
    _ingen_fejlopsummering(side, "booking")
    fl.refresh_from_db()
    assert fl.tilstand == "rehabiliteringsteam"

    # Two weeks pass: the meeting day is today.
    moededag.dato = idag
    moededag.save(update_fields=["dato"])
    Forloeb.objects.filter(pk=fl.pk).update(rehab_moede_dato=idag)

    # The team's indstilling: fleksjob.
    side.goto(f"/rehab/forloeb/{fl.pk}/indstilling/")
    assert_axe_clean(side, "indstilling")
    side.get_by_label("Teamets indstilling").select_option("fleksjob")
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
    _klik(side, "Registrér indstilling")
    _ingen_fejlopsummering(side, "indstilling")
    fl.refresh_from_db()
    assert fl.tilstand == "indstilling"

    # Partshøring: the letter lists what the decision will rest on; the citizen answers.
    side.goto(f"/rehab/forloeb/{fl.pk}/partshoering/")
    assert_axe_clean(side, "partshøring")
    side.get_by_label("Punkt 1: oplysning").fill("Rehabiliteringsteamets indstilling om fleksjob.")
    _klik(side, "Opret partshøringsbrev")
    _ingen_fejlopsummering(side, "partshøringsbrev")
    side.get_by_label("Udleveret personligt").check()
    # The letter's PDF is rendered by the Celery worker after commit; the letter goes out when it is
    # stored, and the page (which says so meanwhile) reloads by itself to show the reply deadline.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        _klik(side, "Udsted og send brevet")
        _ingen_fejlopsummering(side, "send partshøring")
        side.get_by_label("Borgerens bemærkninger").wait_for(timeout=30_000)
    assert "Svarfrist" in side.content()
    side.get_by_label("Borgerens bemærkninger").fill("Jeg er enig i indstillingen.")
    _klik(side, "Registrér svar")
    _ingen_fejlopsummering(side, "svar på partshøring")

    # The fleksjob decision: from the citizen page to "Breve og afgørelser".
    side.goto(f"/borgere/{borger.pk}/")
    side.get_by_role("link", name="Breve og afgørelser", exact=True).click()
    side.wait_for_load_state("networkidle")
    assert_axe_clean(side, "breve og afgørelser")
    side.get_by_label("Hvilket brev eller hvilken afgørelse?").select_option(label="Visitation til fleksjob")
    _klik(side, "Opret kladde")
    # The linter lists what is missing before anything is filled in.
    side.get_by_role("heading", name="Før dokumentet kan udstedes").wait_for()
    side.get_by_label("Afgørelsens tekst").fill("Du visiteres til fleksjob, jf. rehabiliteringsteamets indstilling.")
    side.get_by_label("Hovedhensyn i skønnet").fill("Teamets tværfaglige vurdering og borgerens bemærkninger.")
    assert side.get_by_label("lov om en aktiv beskæftigelsesindsats § 116 – Fleksjob").is_checked()  # pre-selected
    assert side.get_by_label("forvaltningsloven §§ 22-24 – Begrundelse").is_checked()
    side.get_by_label("Oplysning 1", exact=True).fill("Arbejdsevnen er varigt og væsentligt nedsat.")
    side.get_by_label("Kilde til oplysning 1").select_option(index=1)
    # The decision states the assessed capacity: issuing it registers the visitation (no second entry).
    side.get_by_label("Vurderet arbejdsevne, timer pr. uge").fill("12,5")
    side.get_by_label("Vurderet arbejdsintensitet (%)").fill("60")
    side.get_by_role("heading", name="Klar til udstedelse").wait_for()
    assert_axe_clean(side, "afgørelseseditoren")
    screenshot(side, "afgoerelse")
    side.get_by_text("Udsted afgørelsen …").click()  # the confirmation step
    _klik(side, "Ja, udsted afgørelsen")
    side.get_by_text("Dokumentet er udstedt").wait_for()
    fl.refresh_from_db()
    assert fl.tilstand == "fleksjob"
    visitation = fl.visitationer.get()
    assert (str(visitation.baseline_timer), visitation.baseline_intensitet) == ("12.5", 60)

    # The PDF is downloadable (rendered by the Celery task or on demand) and carries no CPR.
    side.get_by_role("link", name="Hent PDF").wait_for(timeout=30_000)
    with side.expect_download() as hentet:
        side.get_by_role("link", name="Hent PDF").click()
    download = hentet.value
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert cpr.replace("-", "") not in download.suggested_filename.replace("-", "")
    assert "Fleksdottir" not in download.suggested_filename

    # Back on the citizen page: the path's deadlines are closed, the 23-week servicemål on time.
    side.goto(f"/borgere/{borger.pk}/")
    servicemaal = Frist.objects.get(forloeb=fl, definition__art="servicemaal_afgoerelse")
    assert servicemaal.status != FristStatus.AABEN and servicemaal.rettidig is True
    assert not Frist.objects.filter(
        forloeb=fl, status=FristStatus.AABEN, definition__art="servicemaal_afgoerelse"
    ).exists()
    side.get_by_text(re.compile(r"Lukkede frister \(\d+\)")).click()
    lukkede = side.locator("details").filter(has_text="Lukkede frister")
    assert "rettidigt" in lukkede.inner_text()
    assert_axe_clean(side, "borgersiden")
    screenshot(side, "borgerside")

    # The work queue shows the case in its new stage.
    side.goto("/mine-sager/")
    assert side.get_by_role("link", name=re.compile("Fleksdottir")).count() >= 1
    for sti in ("/notifikationer/", "/afgoerelser/klager/", "/rehab/moeder/", "/fleksjob/aftaler/"):
        side.goto(sti)
        assert_axe_clean(side, sti)
    ingen_konsolfejl(side)
