"""Benchmark of the team leader's dashboard (``dashboard:dashboard``) at municipality scale.

    .venv/bin/python tools/devservices.py exec --profile bench -- .venv/bin/python bench/dashboard.py --forloeb 50000

Data: ``manage.py demodata``'s generator (:mod:`demo.demodata`) creates the fictitious municipality
"Fjordby Kommune" with its teams, caseworkers, team leaders and N citizens (real encrypted
fictitious CPR numbers); this script then adds, set-based (``INSERT ... SELECT``), one forløb per
citizen spread over the states, ownership history, journal notes, the transition history, the
servicemål and partshøring deadlines (open and closed, some overdue) and rehab meeting days with
bookings. A second run with the same ``--forloeb`` reuses the data (keep it with
``exec --profile bench --data-dir .data/bench``).

Measured (``measure()``): the dashboard's server time as ``teamleder1`` sees it (Django test
client, whole middleware stack, template and JSON rendering; all of that leader's team), p50/p95
over ``--requests`` requests after one warm-up; the number of SQL queries of one request; and as
the baseline the panels' aggregate SQL alone (``dashboard.selectors.hent``), with the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import insert_select, setup_django

LEDER = "teamleder1"


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def generer(n: int, idag: dt.date) -> dict:
    """Fjordby Kommune with ``n`` citizens (demodata) and one forløb each with history (SQL)."""
    from django.db import connection, transaction

    from cases.models import Forloeb, Kommune
    from demo import demodata

    kommune = Kommune.objects.filter(kommunekode="999").first()
    if kommune is not None:
        antal = Forloeb.objects.filter(kommune=kommune).count()
        if antal != n:
            raise SystemExit(f"bench data with {antal:,} forløb exists; use a fresh --data-dir for {n:,}")
        return {"genbrugt": True, "forloeb": antal}
    if Kommune.objects.exists():
        raise SystemExit("the database holds other municipalities; run on the throw-away bench database")
    t0 = time.perf_counter()
    demodata.generate(kommuner=1, borgere=n, seed=demodata.DEFAULT_SEED)
    t_demo = time.perf_counter() - t0
    p = {"idag": idag}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("""CREATE TEMP TABLE bench_sb AS
            SELECT ut.team_id, u.id, row_number() OVER (PARTITION BY ut.team_id ORDER BY u.id) - 1 AS nr,
                   count(*) OVER (PARTITION BY ut.team_id) AS antal
            FROM cases_user u JOIN cases_user_teams ut ON ut.user_id = u.id WHERE u.rolle = 'sagsbehandler'""")
        # b = a fixed pseudo-random bucket 0..99 per citizen; s = days since the plan started.
        cur.execute(
            """CREATE TEMP TABLE bench_b AS
            SELECT b.id AS borger_id, b.team_id, b.kommune_id,
                   (('x' || substr(md5(b.id::text), 1, 8))::bit(32)::int & 2147483647) %% 100 AS b,
                   (('x' || substr(md5(b.id::text), 9, 8))::bit(32)::int & 2147483647) %% 400 AS s,
                   (('x' || substr(md5(b.id::text), 17, 8))::bit(32)::int & 2147483647) AS r
            FROM cases_borger b""",
            p,
        )
        forloeb = insert_select(cur, "cases_forloeb", {
            "id": "md5('bench-fl-' || x.borger_id::text)::uuid", "borger_id": "x.borger_id",
            "kommune_id": "x.kommune_id", "team_id": "x.team_id", "sagsbehandler_id": "sb.id",
            "tilstand": """CASE WHEN x.b < 30 THEN 'forberedende_plan' WHEN x.b < 40 THEN 'rehabiliteringsteam'
                WHEN x.b < 45 THEN 'indstilling' WHEN x.b < 60 THEN 'fleksjob' WHEN x.b < 70 THEN 'ressourceforloeb'
                WHEN x.b < 90 THEN 'aktivitetsparat' ELSE 'afsluttet' END""",
            "version": "1", "oprettet": "now()", "opdateret": "now()",
            "forberedende_plan_start": "CASE WHEN x.b < 70 THEN %(idag)s::date - x.s END",
            "afgoerelse_dato": "CASE WHEN x.b BETWEEN 45 AND 69 "
            "THEN LEAST(%(idag)s::date - x.s + 80 + x.r %% 120, %(idag)s::date) END",
        }, "bench_b x JOIN bench_sb sb ON sb.team_id = x.team_id AND sb.nr = x.r %% sb.antal", p)  # fmt: skip
        cur.execute("CREATE TEMP TABLE bench_fl AS SELECT f.*, x.b, x.s, x.r FROM cases_forloeb f "
                    "JOIN bench_b x ON x.borger_id = f.borger_id")  # fmt: skip
        insert_select(cur, "cases_sagsejerskab", {
            "forloeb_id": "f.id", "sagsbehandler_id": "f.sagsbehandler_id", "fra": "now() - interval '200 days'",
            "til": "CASE WHEN k = 0 AND f.r %% 5 = 0 THEN now() - interval '60 days' END",
            "overdragelsesnotat": "''", "tildelt_af_navn": "'bench'",
        }, "bench_fl f CROSS JOIN generate_series(0, 1) k WHERE k = 1 OR f.r %% 5 = 0", p)  # fmt: skip
        insert_select(cur, "cases_journalnotat", {
            "id": "gen_random_uuid()", "forloeb_id": "f.id", "type": "'notat'", "overskrift": "'Bench-notat'",
            "tekst": "'Fiktivt notat.'", "forfatter_id": "f.sagsbehandler_id",
            "forfatter_navn": "'Bench ' || (f.r + k) %% 4", "oprettet": "now()",
        }, "bench_fl f CROSS JOIN generate_series(0, 2) k WHERE k <= f.r %% 3", p)  # fmt: skip
        # Transition history: plan start, presentation, indstilling, decision (as far as the state goes).
        insert_select(cur, "cases_overganglog", {
            "forloeb_id": "f.id", "overgang": "o.navn", "fra_tilstand": "o.fra", "til_tilstand": "o.til",
            "dato": "%(idag)s::date - f.s + o.dag + f.r %% 20", "tidspunkt": "now()", "actor_type": "'system'",
            "actor_id": "''", "actor_navn": "'bench'", "data": "'{}'::jsonb", "regler": "'{}'::jsonb",
        }, """bench_fl f JOIN (VALUES
                (0, 'start_forberedende_plan', 'aktivitetsparat', 'forberedende_plan', 0, 0),
                (1, 'forelaeg_rehabiliteringsteam', 'forberedende_plan', 'rehabiliteringsteam', 50, 30),
                (2, 'registrer_indstilling', 'rehabiliteringsteam', 'indstilling', 75, 40),
                (3, 'visiter_fleksjob', 'indstilling', 'fleksjob', 100, 45)
            ) AS o(trin, navn, fra, til, dag, min_b) ON f.b < 70 AND f.b >= o.min_b
              AND f.s >= o.dag + f.r %% 20""", p)  # fmt: skip
        defs = {}
        cur.execute("SELECT art, id, type, lovgrundlag FROM cases_fristdefinition WHERE kommune_id IS NULL "
                    "AND art IN ('servicemaal_afgoerelse', 'partshoering_svar', 'overgang_pension')")  # fmt: skip
        for art, did, typ, lov in cur.fetchall():
            defs[art] = (did, typ, lov)
        did, typ, lov = defs["servicemaal_afgoerelse"]
        frister = insert_select(cur, "cases_frist", {
            "id": "gen_random_uuid()", "forloeb_id": "f.id", "kommune_id": "f.kommune_id", "team_id": "f.team_id",
            "art": "'servicemaal_afgoerelse'", "reference": "''", "definition_id": f"'{did}'::uuid",
            "start_haendelse": "'forberedende_plan_start'", "start_dato": "f.forberedende_plan_start",
            "forfald": "f.forberedende_plan_start + 161", "gaeldende_forfald": "f.forberedende_plan_start + 161",
            "type": f"'{typ}'", "ansvar": "'kommune'", "lovgrundlag": f"'{lov}'",
            "forklaring": "'Bench: start på forberedende plan + 23 uger'", "varsler_dage": "'{21,7}'",
            "status": """CASE WHEN f.b >= 45 THEN CASE WHEN f.afgoerelse_dato <= f.forberedende_plan_start + 161
                THEN 'overholdt' ELSE 'overskredet' END
                WHEN f.forberedende_plan_start + 161 < %(idag)s::date THEN 'overskredet' ELSE 'aaben' END""",
            "lukket_dato": "CASE WHEN f.b >= 45 THEN f.afgoerelse_dato END",
            "lukket_af": "CASE WHEN f.b >= 45 THEN 'afgoerelse_fleksjob' ELSE '' END",
        }, "bench_fl f WHERE f.b < 70", p)  # fmt: skip
        did, typ, lov = defs["partshoering_svar"]
        frister += insert_select(cur, "cases_frist", {
            "id": "gen_random_uuid()", "forloeb_id": "f.id", "kommune_id": "f.kommune_id", "team_id": "f.team_id",
            "art": "'partshoering_svar'", "reference": "''", "definition_id": f"'{did}'::uuid",
            "start_haendelse": "'partshoering_sendt'", "start_dato": "%(idag)s::date - f.r %% 30",
            "forfald": "%(idag)s::date - f.r %% 30 + 14", "gaeldende_forfald": "%(idag)s::date - f.r %% 30 + 14",
            "type": f"'{typ}'", "ansvar": "'borger'", "lovgrundlag": f"'{lov}'",
            "forklaring": "'Bench: partshøring + 14 dage'", "varsler_dage": "'{}'", "status": "'aaben'",
        }, "bench_fl f WHERE f.b BETWEEN 40 AND 44", p)  # fmt: skip
        # Meeting days: twice a week for the next 10 weeks, 6 places; bookings for the team stage.
        cur.execute(
            """INSERT INTO rehab_moededag (id, kommune_id, dato, sted, kapacitet, oprettet)
            SELECT gen_random_uuid(), k.id, %(idag)s::date + 3 + d, 'Rådhuset', 6, now()
            FROM cases_kommune k CROSS JOIN generate_series(0, 69) d
            WHERE k.kommunekode = '999' AND extract(isodow FROM %(idag)s::date + 3 + d) IN (2, 4)""",
            p,
        )
        cur.execute("""CREATE TEMP TABLE bench_md AS SELECT id, row_number() OVER (ORDER BY dato) - 1 AS nr
            FROM rehab_moededag""")
        cur.execute("SELECT count(*) FROM bench_md")
        moeder = cur.fetchone()[0]
        insert_select(cur, "rehab_booking", {
            "id": "gen_random_uuid()", "moededag_id": "m.id", "forloeb_id": "f.id", "status": "'booket'",
            "bisidder_navn": "''", "referat": "''", "oprettet": "now()",
        }, """(SELECT f.*, row_number() OVER (ORDER BY f.id) - 1 AS i
                FROM bench_fl f WHERE f.tilstand = 'rehabiliteringsteam') f
            JOIN bench_md m ON m.nr = f.i / 6 WHERE f.i < 6 * %(moeder)s - 30""", p | {"moeder": moeder})  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    return {"genbrugt": False, "forloeb": forloeb, "frister": frister, "demodata_s": t_demo,
            "i_alt_s": time.perf_counter() - t0}  # fmt: skip


def measure(*, requests: int = 20, brugernavn: str = LEDER, params: dict | None = None) -> dict:
    """Server time of the dashboard (p50/p95 ms), its query count, and the aggregate SQL alone."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cases.models import Forloeb, User
    from dashboard import selectors as db
    from dashboard.views import Filtre

    leder = User.objects.get(username=brugernavn)
    client = Client()
    client.force_login(leder)
    url = reverse("dashboard:dashboard")
    params = params or {}
    resp = client.get(url, params)  # warm-up (template loading, plans)
    assert resp.status_code == 200, resp.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, params)
    queries = len(ctx.captured_queries)
    # Baseline: the same aggregate statements straight to the database, interleaved with the
    # requests so that load from other processes hits both alike.
    request = type("R", (), {"user": leder, "GET": params})()
    omfang = Filtre(request).omfang
    sqlparams = omfang.params()
    tider, sql_tider = [], []
    panel_tider: dict[str, list[float]] = {navn: [] for navn in db.PANELER}
    for _ in range(requests):
        t0 = time.perf_counter()
        resp = client.get(url, params)
        tider.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200
        samlet = 0.0
        for navn, panel in db.PANELER.items():
            t0 = time.perf_counter()
            db._rows(panel.agg_sql(), sqlparams)
            ms = (time.perf_counter() - t0) * 1000
            panel_tider[navn].append(ms)
            samlet += ms
        sql_tider.append(samlet)
    i_omfang = Forloeb.objects.filter(team_id__in=omfang.team_ids).count()
    p50, sql50 = statistics.median(tider), statistics.median(sql_tider)
    return {
        "forloeb_i_omfang": i_omfang,
        "requests": requests,
        "p50_ms": p50,
        "p95_ms": _pct(tider, 95),
        "queries": queries,
        "sql_p50_ms": sql50,
        "sql_p95_ms": _pct(sql_tider, 95),
        "ratio": p50 / sql50 if sql50 else float("nan"),
        "panel_statements": len(db.PANELER),
        "panel_p50_ms": {navn: statistics.median(v) for navn, v in panel_tider.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forloeb", type=int, default=50_000, help="forløb (= fictitious citizens), default 50,000")
    parser.add_argument("--requests", type=int, default=20, help="measured requests (default 20)")
    parser.add_argument("--idag", type=dt.date.fromisoformat, default=None, help="today for the generated dates")
    args = parser.parse_args([a for a in (argv if argv is not None else sys.argv[1:]) if a != "dashboard"])

    setup_django()
    from django.test.utils import setup_test_environment

    from infra import datoer

    setup_test_environment()  # the test client's host and a locmem mail backend
    idag = args.idag or datoer.idag()
    g = generer(args.forloeb, idag)
    if g["genbrugt"]:
        print(f"reusing {g['forloeb']:,} bench forløb")
    else:
        print(f"generated {g['forloeb']:,} forløb and {g['frister']:,} deadlines in {g['i_alt_s']:.1f} s "
              f"(demodata {g['demodata_s']:.1f} s)")  # fmt: skip
    r = measure(requests=args.requests)
    print(f"team leader {LEDER}: {r['forloeb_i_omfang']:,} forløb in scope (whole municipality {args.forloeb:,})")
    kolonner = ["forløb", "p50 ms", "p95 ms", "queries", "SQL p50 ms", "SQL p95 ms", "ratio"]
    vaerdier = [f"{args.forloeb:,}", f"{r['p50_ms']:.0f}", f"{r['p95_ms']:.0f}", f"{r['queries']}",
                f"{r['sql_p50_ms']:.0f}", f"{r['sql_p95_ms']:.0f}", f"{r['ratio']:.2f}x"]  # fmt: skip
    bredder = [max(len(a), len(b)) for a, b in zip(kolonner, vaerdier, strict=True)]
    print("panel SQL p50 ms: " + ", ".join(f"{k} {v:.0f}" for k, v in r["panel_p50_ms"].items()))
    print(" | ".join(k.rjust(w) for k, w in zip(kolonner, bredder, strict=True)))
    print(" | ".join(v.rjust(w) for v, w in zip(vaerdier, bredder, strict=True)))
    print(f"({r['requests']} requests after a warm-up; SQL = the {r['panel_statements']} panel statements of "
          f"dashboard.selectors.hent alone; {time.strftime('%Y-%m-%d %H:%M %Z')}; "
          "shared machine, figures under contention)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
