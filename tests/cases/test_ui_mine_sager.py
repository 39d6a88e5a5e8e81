"""'Mine sager': the caseworker's work queue, nearest deadline first, with status badges."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from infra import datoer
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

MINE_SAGER = reverse("cases:mine_sager")


def med_plan(team, ejer, *, uger_siden: int, **borger_kw):
    """An open forløb owned by ``ejer`` whose forberedende plan started ``uger_siden`` weeks ago
    (the 23-week servicemål then falls due 23 - uger_siden weeks from today)."""
    b = factories.borger(team, actor=ejer, **borger_kw)
    fl = services.forloeb_opret(actor=ejer, borger=b, sagsbehandler=ejer)
    factories.overgang(
        fl, "start_forberedende_plan", 0, actor=ejer, start=datoer.idag() - dt.timedelta(weeks=uger_siden)
    )
    return fl


def uden_frist(team, ejer, **borger_kw):
    b = factories.borger(team, actor=ejer, **borger_kw)
    return services.forloeb_opret(actor=ejer, borger=b, sagsbehandler=ejer)


def raekker(html: str) -> list[str]:
    tbody = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return tbody.split("<tr>")[1:]


def test_koen_sorteres_efter_naermeste_frist_med_status_i_tekst(client, team, sagsbehandler, fuldt_cpr):
    i_rute = med_plan(team, sagsbehandler, uger_siden=1, fornavn="Ida", efternavn="Irute")
    overskredet = med_plan(team, sagsbehandler, uger_siden=24, fornavn="Otto", efternavn="Overskredet")
    ingen = uden_frist(team, sagsbehandler, fornavn="Ingrid", efternavn="Ingenfrist")
    snart = med_plan(team, sagsbehandler, uger_siden=22, fornavn="Sofie", efternavn="Snartsen")
    client.force_login(sagsbehandler)

    html = client.get(MINE_SAGER).content.decode()

    rows = raekker(html)
    navne = ["Otto Overskredet", "Sofie Snartsen", "Ida Irute", "Ingrid Ingenfrist"]
    assert [next(n for n in navne if n in r) for r in rows] == navne
    assert ">Overskredet</span>" in rows[0]
    assert ">Snart</span>" in rows[1]
    assert ">I rute</span>" in rows[2]
    assert ">Ingen åben frist</span>" in rows[3]
    # Stage, next step (the deadline's text of what to do), masked CPR and the link to the citizen.
    assert "Forberedende plan" in rows[0]
    assert "Se hvad der mangler, før der kan træffes afgørelse" in rows[0]
    assert "Mulige overgange fra fasen: " in rows[3] and "Start forberedende plan" in rows[3]
    # Each next step is a link to its page (issue 15: one click from the list to the work).
    assert f'href="{reverse("cases:forloeb_overgang", args=[ingen.pk, "start_forberedende_plan"])}"' in rows[3]
    assert overskredet.borger.cpr_maskeret in rows[0]
    assert reverse("cases:borger_detail", args=[snart.borger.pk]) in rows[1]
    for fl in (i_rute, overskredet, ingen, snart):
        assert fuldt_cpr(fl.borger) not in html
    # The read of the listed citizens is logged.
    log = AuditEntry.objects.filter(handling="forloeb.liste", actor_id=str(sagsbehandler.pk)).latest("tidspunkt")
    assert set(log.borger_ids) == {fl.borger.pk for fl in (i_rute, overskredet, ingen, snart)}


def test_filter_paa_status_og_fase(client, team, sagsbehandler):
    med_plan(team, sagsbehandler, uger_siden=24, fornavn="Otto", efternavn="Overskredet")
    med_plan(team, sagsbehandler, uger_siden=1, fornavn="Ida", efternavn="Irute")
    uden_frist(team, sagsbehandler, fornavn="Aksel", efternavn="Aktivsen")
    client.force_login(sagsbehandler)

    html = client.get(MINE_SAGER, {"status": "overskredet"}).content.decode()
    assert "Otto Overskredet" in html and "Ida Irute" not in html and "Aksel Aktivsen" not in html

    html = client.get(MINE_SAGER, {"fase": "aktivitetsparat"}).content.decode()
    assert "Aksel Aktivsen" in html and "Otto Overskredet" not in html


def test_kun_egne_sager_og_aldrig_andre_teams(client, team, andet_team, sagsbehandler):
    kollega = factories.medarbejder(team)
    med_plan(team, kollega, uger_siden=24, fornavn="Karl", efternavn="Kollegasen")
    fremmed = factories.medarbejder(andet_team)
    med_plan(andet_team, fremmed, uger_siden=24, fornavn="Frede", efternavn="Fremmed")
    med_plan(team, sagsbehandler, uger_siden=2, fornavn="Mette", efternavn="Minsen")
    client.force_login(sagsbehandler)

    html = client.get(MINE_SAGER, {"visning": "team"}).content.decode()  # ignored for a caseworker

    assert "Mette Minsen" in html
    assert "Karl Kollegasen" not in html
    assert "Frede Fremmed" not in html


def test_teamleder_kan_se_teamets_sager(client, team, andet_team, teamleder, sagsbehandler):
    med_plan(team, sagsbehandler, uger_siden=24, fornavn="Karl", efternavn="Kollegasen")
    fremmed = factories.medarbejder(andet_team)
    med_plan(andet_team, fremmed, uger_siden=24, fornavn="Frede", efternavn="Fremmed")
    client.force_login(teamleder)

    assert "Karl Kollegasen" not in client.get(MINE_SAGER).content.decode()
    html = client.get(MINE_SAGER, {"visning": "team"}).content.decode()
    assert "Karl Kollegasen" in html
    assert "Frede Fremmed" not in html
    assert "Mit teams sager" in html


def _antal_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_antal_queries_vokser_ikke_med_antal_sager(client, team, sagsbehandler, django_assert_max_num_queries):
    client.force_login(sagsbehandler)
    for i in range(5):
        med_plan(team, sagsbehandler, uger_siden=i, efternavn=f"Fem{i}")
    client.get(MINE_SAGER)  # warm up (session, content types)
    fem = _antal_queries(client, MINE_SAGER)
    for i in range(25):
        med_plan(team, sagsbehandler, uger_siden=i % 25, efternavn=f"Tredive{i}")
    with django_assert_max_num_queries(fem):
        response = client.get(MINE_SAGER)
    assert response.content.decode().count("<tr>") == 31  # header + 30 cases
    assert _antal_queries(client, MINE_SAGER) == fem
    assert fem <= 10


def test_overblikkets_maerker_er_filtre(client, team, sagsbehandler):
    """Issue 15: clicking "Overskredet 1" shows that one case (and keeps the phase filter)."""
    med_plan(team, sagsbehandler, uger_siden=24, fornavn="Otto", efternavn="Overskredet")
    med_plan(team, sagsbehandler, uger_siden=1, fornavn="Ida", efternavn="Irute")
    client.force_login(sagsbehandler)
    html = client.get(MINE_SAGER, {"fase": "forberedende_plan"}).content.decode()
    assert 'href="?fase=forberedende_plan&amp;status=overskredet" class="status-filter"' in html
    html = client.get(MINE_SAGER, {"fase": "forberedende_plan", "status": "overskredet"}).content.decode()
    assert 'status=overskredet" class="status-filter" aria-current="true"' in html
    assert "Otto Overskredet" in html and "Ida Irute" not in html
