"""The team leader's dashboard: scope, drill-down, export, reassignment and a constant query count."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Rolle, Sagsejerskab
from infra import cpr as cprlib
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def leder_klient(client, teamleder):
    client.force_login(teamleder)
    return client


@pytest.fixture
def overskredet(team, sagsbehandler):
    """A forløb in forberedende plan since 2026-03-02: its 23-week servicemål is long overdue."""
    return factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)


def _frister_tabel(resp):
    return resp.context["paneler"][0]


def test_leder_ser_overskredet_frist_og_drill_down_viser_forloebet(leder_klient, overskredet, sagsbehandler):
    resp = leder_klient.get(reverse("dashboard:dashboard"))
    assert resp.status_code == 200
    panel = _frister_tabel(resp)
    assert panel["navn"] == "frister"
    raekke = next(r for r in panel["tabel"]["raekker"] if r[0]["tekst"] == sagsbehandler.get_full_name())
    overskredet_celle = raekke[3]
    assert overskredet_celle["tekst"] == "1"
    assert 'id="dashboard-data"' in resp.content.decode()

    drill = leder_klient.get(overskredet_celle["link"])
    html = drill.content.decode()
    assert drill.status_code == 200
    assert overskredet.borger.navn in html
    assert overskredet.borger.cpr_maskeret in html
    assert reverse("cases:borger_detail", args=[overskredet.borger.pk]) in html
    assert AuditEntry.objects.filter(
        handling="dashboard.udtraek", borger_ids__contains=[overskredet.borger_id]
    ).exists()


def test_overblikket_foer_panelerne_taeller_som_panelet_og_aabner_de_samme_forloeb(leder_klient, overskredet):
    resp = leder_klient.get(reverse("dashboard:dashboard"))
    html = resp.content.decode()
    assert html.index("dashboard-opsummering") < html.index('id="panel-frister"'), "the strip comes first"
    kort = {k["titel"]: k for k in resp.context["opsummering"]}
    i_alt = _frister_tabel(resp)["tabel"]["sum"]  # I alt: label, i rute, snart, overskredet, total

    overskredne = kort["Overskredne frister nu"]
    assert overskredne["vaerdi"] == i_alt[3]["tekst"] == "1" and overskredne["tone"] == "fejl"
    assert overskredne["link"] == i_alt[3]["link"]  # the same drill-down as the panel's cell
    assert overskredet.borger.navn in leder_klient.get(overskredne["link"]).content.decode()
    assert kort["Udløber inden for 14 dage"]["vaerdi"] == i_alt[2]["tekst"]
    assert "servicemål 23 uger" in kort["Median til afgørelse"]["forklaring"]
    assert any(t.startswith("Rettidighed i ") for t in kort)


def test_risiko_panel_taeller_det_overskredne_forloeb(leder_klient, overskredet):
    resp = leder_klient.get(reverse("dashboard:dashboard"))
    risiko = next(p for p in resp.context["paneler"] if p["navn"] == "risiko")
    assert risiko["tabel"]["sum"][1]["tekst"] == "1"  # "allerede overskredet"


def test_sagsbehandler_faar_403_paa_dansk(client, sagsbehandler, overskredet):
    client.force_login(sagsbehandler)
    for url in (
        reverse("dashboard:dashboard"),
        reverse("dashboard:dashboard_sager") + "?panel=frister",
        reverse("dashboard:dashboard_csv") + "?panel=frister",
        reverse("dashboard:forloeb_tildel", args=[overskredet.pk]),
    ):
        resp = client.get(url)
        assert resp.status_code == 403
        assert "Du har ikke adgang til dashboardet" in resp.content.decode()


def test_anden_kommunes_data_taelles_aldrig(leder_klient, overskredet, fremmed_team):
    fremmed = factories.forloeb_i("forberedende_plan", team=fremmed_team)
    resp = leder_klient.get(reverse("dashboard:dashboard"))
    panel = _frister_tabel(resp)
    assert panel["tabel"]["sum"][3]["tekst"] == "1"  # only our own overdue deadline
    navne = [r[0]["tekst"] for r in panel["tabel"]["raekker"]]
    assert fremmed.sagsbehandler.get_full_name() not in navne
    drill = leder_klient.get(reverse("dashboard:dashboard_sager") + "?panel=frister&status=overskredet")
    html = drill.content.decode()
    assert reverse("cases:borger_detail", args=[overskredet.borger.pk]) in html
    assert reverse("cases:borger_detail", args=[fremmed.borger.pk]) not in html
    # Reassigning another municipality's forløb is a 404.
    assert leder_klient.get(reverse("dashboard:forloeb_tildel", args=[fremmed.pk])).status_code == 404


def _antal_queries(klient) -> int:
    from django.core.cache import cache

    cache.clear()  # the phase-time medians are cached; count the uncached page
    with CaptureQueriesContext(connection) as ctx:
        assert klient.get(reverse("dashboard:dashboard")).status_code == 200
    return len(ctx.captured_queries)


def test_konstant_antal_queries(leder_klient, team, sagsbehandler, django_assert_max_num_queries):
    factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    lille = _antal_queries(leder_klient)
    flere = [factories.medarbejder(team, Rolle.SAGSBEHANDLER) for _ in range(3)]
    for sb in flere:
        factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=sb)
        factories.forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sb)
    stor = _antal_queries(leder_klient)
    assert stor == lille
    with django_assert_max_num_queries(lille):
        leder_klient.get(reverse("dashboard:dashboard"))


def test_csv_har_kun_maskeret_cpr_og_logges(leder_klient, overskredet):
    resp = leder_klient.get(reverse("dashboard:dashboard_csv") + "?panel=frister&status=overskredet")
    assert resp.status_code == 200
    assert resp.streaming
    assert "attachment" in resp["Content-Disposition"]
    indhold = b"".join(resp.streaming_content).decode("utf-8-sig")
    raekker = list(csv.reader(io.StringIO(indhold), delimiter=";"))
    assert raekker[0][1] == "CPR-nummer (maskeret)"
    assert "Fase" in raekker[0] and "Tilstand" not in raekker[0]  # one word for the same thing (issue 15)
    assert len(raekker) == 2
    assert raekker[1][0] == overskredet.borger.navn
    assert raekker[1][1] == overskredet.borger.cpr_maskeret
    fuldt = cprlib.decrypt(overskredet.borger.cpr_krypteret)
    assert fuldt not in indhold and f"{fuldt[:6]}-{fuldt[6:]}" not in indhold
    assert AuditEntry.objects.filter(
        handling="dashboard.eksport", borger_ids__contains=[overskredet.borger_id]
    ).exists()


def test_overdragelse_flytter_ejerskab_og_skriver_notat(leder_klient, overskredet, team):
    ny = factories.medarbejder(team, Rolle.SAGSBEHANDLER)
    url = reverse("dashboard:forloeb_tildel", args=[overskredet.pk])
    assert leder_klient.get(url).status_code == 200

    # Bad input: Danish error summary, what was typed is kept, nothing saved.
    resp = leder_klient.post(url, {"sagsbehandler": ny.pk, "overdragelsesnotat": "  ", "version": overskredet.version})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Der er problemer med det, du har indtastet" in html
    assert "Skriv et overdragelsesnotat" in html
    overskredet.refresh_from_db()
    assert overskredet.sagsbehandler_id != ny.pk

    resp = leder_klient.post(
        url,
        {"sagsbehandler": ny.pk, "overdragelsesnotat": "Borgeren venter på LÆ 265.", "version": overskredet.version},
    )
    assert resp.status_code == 302
    overskredet.refresh_from_db()
    assert overskredet.sagsbehandler_id == ny.pk
    aktiv = Sagsejerskab.objects.get(forloeb=overskredet, til__isnull=True)
    assert aktiv.sagsbehandler_id == ny.pk
    assert aktiv.overdragelsesnotat == "Borgeren venter på LÆ 265."
    assert AuditEntry.objects.filter(handling="forloeb.tildel", subject_id=str(overskredet.pk)).exists()


def test_overdragelsens_liste_viser_hver_kollegas_aabne_forloeb(leder_klient, overskredet, team):
    travl = factories.medarbejder(team, Rolle.SAGSBEHANDLER, first_name="Tove", last_name="Travl")
    for _ in range(2):
        factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=travl)
    factories.forloeb_i("afsluttet", team=team, sagsbehandler=travl)  # a closed case is no load
    ledig = factories.medarbejder(team, Rolle.SAGSBEHANDLER, first_name="Lis", last_name="Ledig")

    html = leder_klient.get(reverse("dashboard:forloeb_tildel", args=[overskredet.pk])).content.decode()
    assert f'<option value="{travl.pk}">Tove Travl (2 åbne forløb)</option>' in html
    assert f'<option value="{ledig.pk}">Lis Ledig (0 åbne forløb)</option>' in html


def test_overdragelse_til_sagsbehandler_uden_for_teamet_afvises(leder_klient, overskredet, andet_team):
    fremmed_sb = factories.medarbejder(andet_team, Rolle.SAGSBEHANDLER)
    url = reverse("dashboard:forloeb_tildel", args=[overskredet.pk])
    resp = leder_klient.post(url, {"sagsbehandler": fremmed_sb.pk, "overdragelsesnotat": "Notat"})
    assert resp.status_code == 200
    assert "medlem af forløbets team" in resp.content.decode()


def test_filter_paa_sagsbehandler_og_team(leder_klient, overskredet, team, sagsbehandler):
    anden = factories.medarbejder(team, Rolle.SAGSBEHANDLER)
    factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=anden)
    alle = leder_klient.get(reverse("dashboard:dashboard"))
    assert _frister_tabel(alle)["tabel"]["sum"][3]["tekst"] == "2"

    en = leder_klient.get(reverse("dashboard:dashboard"), {"sagsbehandler": sagsbehandler.pk})
    panel = _frister_tabel(en)
    assert panel["tabel"]["sum"][3]["tekst"] == "1"
    drill = leder_klient.get(panel["tabel"]["sum"][3]["link"])
    assert overskredet.borger.navn in drill.content.decode()
    assert f"sagsbehandler={sagsbehandler.pk}" in panel["tabel"]["sum"][3]["link"]

    # A team the leader is not in is refused with a Danish message, not silently widened.
    fremmed = factories.TeamFactory(jobcenter=team.jobcenter)
    resp = leder_klient.get(reverse("dashboard:dashboard"), {"team": fremmed.pk})
    assert "Vælg et af dine egne teams." in resp.content.decode()


def test_ugyldigt_udtraek_giver_dansk_fejl(leder_klient):
    resp = leder_klient.get(reverse("dashboard:dashboard_sager") + "?panel=frister&status=drop")
    assert resp.status_code == 400
    assert "Ugyldig værdi" in resp.content.decode()


def test_uger_til_afgoerelse_og_rettidighed(leder_klient, team, sagsbehandler):
    """A fleksjob decision 40 days after the plan started: 5 weeks, servicemål met on time."""
    fl = factories.forloeb_i("fleksjob", team=team, sagsbehandler=sagsbehandler)
    resp = leder_klient.get(reverse("dashboard:dashboard"), {"fra": "2026-01-01", "til": "2026-11-01"})
    paneler = {p["navn"]: p for p in resp.context["paneler"]}
    uger = paneler["uger"]["tabel"]["raekker"]
    assert [(r[0]["tekst"], r[1]["tekst"]) for r in uger] == [("5 uger", "1")]
    assert "100 % inden for 23 uger" in paneler["uger"]["noegletal"]
    drill = leder_klient.get(uger[0][1]["link"])
    assert reverse("cases:borger_detail", args=[fl.borger.pk]) in drill.content.decode()
    servicemaal = next(r for r in paneler["rettidighed"]["tabel"]["raekker"] if r[0]["tekst"].startswith("Servicemål"))
    assert servicemaal[-1]["tekst"] == "100 % (1 af 1)"


def test_fasetider_er_median_fra_historikken_og_caches(team, sagsbehandler, django_assert_num_queries):
    from django.core.cache import cache

    from dashboard import selectors as dashboard
    from infra import datoer

    cache.clear()
    idag = datoer.idag()
    kommune_id = team.jobcenter.kommune_id
    assert dashboard.fasetider(kommune_id, idag) == dashboard.FASETIDER_STANDARD  # no history: the defaults
    cache.clear()
    start = idag - dt.timedelta(days=100)
    for _ in range(3):
        factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler, start=start)
    fp, rt, ind = dashboard.fasetider(kommune_id, idag)
    assert (fp, rt) == (7, 21)  # plan started day 0, presented day 7, indstilling day 28
    with django_assert_num_queries(0):
        assert dashboard.fasetider(kommune_id, idag) == (fp, rt, ind)
