"""Reads that tolerate lag come from a streaming replica of the embedded PostgreSQL (make
test-deployment starts it: pg_basebackup + hot standby); writes and read-your-writes never do; and
what a caseworker sees when the replica lags (infra/replika.py)."""

from __future__ import annotations

import time

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from infra import replika
from tests import factories

pytestmark = [pytest.mark.deployment, pytest.mark.django_db(transaction=True, databases=["default", "replica"])]


@pytest.fixture(autouse=True)
def replikaen(settings):
    if "replica" not in settings.DATABASES:
        pytest.fail("run through make test-deployment (tools/devservices.py exec --replica)")
    replika._maaling["tid"] = -1e9
    yield connections["replica"]
    with connections["replica"].cursor() as cur:
        cur.execute("SELECT pg_wal_replay_resume()")
    replika._maaling["tid"] = -1e9


def indhentet() -> None:
    """Wait until the replica has replayed everything the primary committed."""
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cur.fetchone()
    slut = time.monotonic() + 30
    while True:
        with connections["replica"].cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cur.fetchone()[0]:
                return
        assert time.monotonic() < slut, "the replica did not catch up"
        time.sleep(0.05)


def sider(client, url) -> tuple[str, int, int]:
    with CaptureQueriesContext(connections["replica"]) as r, CaptureQueriesContext(connections["default"]) as p:
        svar = client.get(url)
    assert svar.status_code == 200
    replika._maaling["tid"] = -1e9  # measure afresh for the next page
    return svar.content.decode(), len(r), len(p)


def test_dashboard_og_lister_laeser_fra_replikaen_skrivninger_gaar_til_primaeren(team, teamleder, sagsbehandler):
    factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    indhentet()
    leder = Client()
    leder.force_login(teamleder)
    _, fra_replika, fra_primaer = sider(leder, "/dashboard/")
    assert fra_replika > 5  # the dashboard's figures
    _, fra_replika, _ = sider(leder, "/mine-sager/")
    assert fra_replika > 0
    _, fra_replika, _ = sider(leder, "/borgere/" + str(factories.borger(team).pk) + "/")
    assert fra_replika == 0  # the citizen page is edited from: primary only
    # After the browser's own write, its pages read from the primary until the replica has caught up.
    svar = leder.post(f"/forloeb/{factories.forloeb_i('indstilling', team=team).pk}/journalnotat/", {})
    assert replika.SKREV_COOKIE in svar.cookies
    _, fra_replika, fra_primaer = sider(leder, "/dashboard/")
    assert fra_replika == 0 and fra_primaer > 5


def test_naar_replikaen_halter_siger_siden_det_og_for_meget_gaar_til_primaeren(settings, team, sagsbehandler):
    factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    indhentet()
    sb = Client()
    sb.force_login(sagsbehandler)
    side, _, _ = sider(sb, "/mine-sager/")
    assert "læsekopi" not in side  # no lag: no note
    with connections["replica"].cursor() as cur:
        cur.execute("SELECT pg_wal_replay_pause()")
    ny = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    navn = f"/borgere/{ny.borger_id}/"  # the new case's link
    time.sleep(2.2)
    assert replika.forsinkelse(frisk=True) >= 2, "the paused replica should be behind"
    replika._maaling["tid"] = -1e9

    settings.REPLICA_MAX_LAG = 30  # within what is tolerated: the replica answers, and the page says so
    side, fra_replika, _ = sider(sb, "/mine-sager/")
    assert fra_replika > 0 and navn not in side
    assert "hentet fra en læsekopi af databasen og kan være op til" in side

    settings.REPLICA_MAX_LAG = 1  # beyond it: the primary answers, with the new case and without a note
    side, fra_replika, fra_primaer = sider(sb, "/mine-sager/")
    assert fra_replika <= 1 and fra_primaer > 0  # at most the lag measurement itself
    assert navn in side and "læsekopi" not in side


def test_replikaen_kan_ikke_skrives_i_og_migrationer_koerer_kun_paa_primaeren():
    router = replika.ReplikaRouter()
    assert router.allow_migrate("replica", "cases") is False and router.allow_migrate("default", "cases") is True
    with pytest.raises(Exception, match="read-only"), connections["replica"].cursor() as cur:
        cur.execute("CREATE TABLE skal_fejle (id int)")
