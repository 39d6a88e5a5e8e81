"""Benchmark of the deadline sweep (``cases.frister.sweep``) against its plain SQL baseline.

    .venv/bin/python tools/devservices.py exec --profile bench -- .venv/bin/python bench/sweep.py --rows 1000000

Generates ~N deadline rows with set-based SQL (``INSERT ... SELECT ... FROM generate_series``) on
~N/20 forløb of fictitious citizens, then measures, on identical data each time:

* first sweep: ``sweep(idag=...)`` when many deadlines have just become overdue (mark + notify + escalate + warn);
* second sweep: the same call again (idempotent: must find nothing to do);
* baseline: the one plain ``UPDATE cases_frist SET status='overskredet' ...`` the sweep cannot beat.

Between runs the marked rows are put back and notifications deleted, then ``VACUUM ANALYZE``.
See bench/README.md for the figures and how to read them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import insert_select, masseindlaesning, setup_django, stopur, tabelstoerrelse

BENCH_KOMMUNE = "Benchkommune (fiktiv)"
FORLOEB_PR_TEAM = 400
SAGSBEHANDLERE_PR_TEAM = 10
FRISTER_PR_FORLOEB = 20

BASELINE = """
UPDATE cases_frist SET status = 'overskredet', overskredet_tidspunkt = now()
WHERE lukket_dato IS NULL AND status IN ('aaben', 'forlaenget') AND gaeldende_forfald < %(idag)s
"""

# Mix per 1000 rows (b = a fixed pseudo-random bucket per row): 85 % closed, 15 % open, of which
# 3 % just overdue (status still 'aaben'), 1 % overdue and already marked by earlier sweeps,
# 0.5 % extended, 2 % inside the 21-day warning window, 8.5 % due later.
FRISTER_FRA = """
(
    SELECT g, b, i,
        CASE WHEN b < 780 THEN 'overholdt' WHEN b < 820 THEN 'bortfaldet' WHEN b < 850 THEN 'overskredet'
             WHEN b < 880 THEN 'aaben' WHEN b < 890 THEN 'overskredet' WHEN b < 895 THEN 'forlaenget'
             ELSE 'aaben' END AS status,
        CASE WHEN b < 850 THEN %(idag)s::date - (30 + g * 31 %% 1500)
             WHEN b < 880 THEN %(idag)s::date - (1 + g %% 90)
             WHEN b < 890 THEN %(idag)s::date - (1 + g %% 365)
             WHEN b < 895 THEN %(idag)s::date + g %% 60
             WHEN b < 915 THEN %(idag)s::date + g %% 22
             ELSE %(idag)s::date + 22 + g %% 700 END AS gf
    FROM (
        SELECT g, ((g::bigint * 7919 + 13) %% 1000)::int AS b, g / %(pr_forloeb)s AS i
        FROM generate_series(0, %(n)s - 1) AS g
    ) s
) x
JOIN (
    SELECT row_number() OVER (ORDER BY art) - 1 AS k, id, art, navn, type, ansvar, lovgrundlag, varsler_dage,
           start_haendelser[1] AS sh
    FROM cases_fristdefinition WHERE kommune_id IS NULL AND cardinality(start_haendelser) > 0
) d ON d.k = x.g %% %(ndef)s
"""


def _uuid(prefix: str, nr: str) -> str:
    return f"md5('bench-{prefix}-' || {nr})::uuid"


def generer(cur, n: int, idag: dt.date) -> dict:
    """Organisation, users, citizens, forløb and N deadlines, all set-based. Returns the sizes."""
    with masseindlaesning(cur, ("cases_borger", "cases_forloeb", "cases_frist")):
        return _generer(cur, n, idag)


def _generer(cur, n: int, idag: dt.date) -> dict:
    from cases.models import Kontaktkanal, Rolle
    from cases.models.borger import DigitalPostStatus

    f = max(1, n // FRISTER_PR_FORLOEB)
    t = max(1, f // FORLOEB_PR_TEAM)
    c = SAGSBEHANDLERE_PR_TEAM
    p = {"n": n, "f": f, "t": t, "c": c, "idag": idag, "pr_forloeb": FRISTER_PR_FORLOEB, "kommune": BENCH_KOMMUNE}
    kommune, jobcenter = "md5('bench-kommune')::uuid", "md5('bench-jobcenter')::uuid"
    insert_select(
        cur, "cases_kommune", {"id": kommune, "navn": "%(kommune)s", "kommunekode": "'998'"}, "(SELECT 1) s", p
    )
    insert_select(cur, "cases_jobcenter", {"id": jobcenter, "kommune_id": kommune, "navn": "'Bench jobcenter'"},
                  "(SELECT 1) s", p)  # fmt: skip
    insert_select(cur, "cases_team", {"id": _uuid("team", "t"), "jobcenter_id": jobcenter,
                  "navn": "'Bench team ' || t", "sagsnorm": "45"}, "generate_series(0, %(t)s - 1) t", p)  # fmt: skip
    bruger = {"password": "'!'", "first_name": "'Bench'", "is_active": "true", "date_joined": "now()",
              "kommune_id": kommune, "email": "''", "telefon": "''"}  # fmt: skip
    insert_select(cur, "cases_user", bruger | {"username": "'bench-sb-' || u", "last_name": "'Sagsbehandler ' || u",
                  "rolle": f"'{Rolle.SAGSBEHANDLER}'"}, "generate_series(0, %(t)s * %(c)s - 1) u", p)  # fmt: skip
    # One team leader per team, two in every third team.
    insert_select(cur, "cases_user", bruger | {"username": "'bench-tl-' || t || '-' || k",
                  "last_name": "'Teamleder ' || t || '-' || k", "rolle": f"'{Rolle.TEAMLEDER}'"},
                  "generate_series(0, %(t)s - 1) t, generate_series(0, 1) k WHERE k = 0 OR t %% 3 = 0", p)  # fmt: skip
    # Caseworker 'bench-sb-<n>' is in team n / c; leader 'bench-tl-<t>-<k>' in team t.
    holdnr = (
        "CASE WHEN username LIKE 'bench-sb-%%' THEN substr(username, 10)::int / %(c)s "
        "ELSE split_part(substr(username, 10), '-', 1)::int END"
    )
    cur.execute(
        f"INSERT INTO cases_user_teams (user_id, team_id) SELECT id, {_uuid('team', holdnr)} "  # noqa: S608 - constant
        "FROM cases_user WHERE username LIKE 'bench-%%'",
        p,
    )
    cur.execute("CREATE TEMP TABLE bench_sb AS SELECT substr(username, 10)::int AS nr, id FROM cases_user "
                "WHERE username LIKE 'bench-sb-%%'")  # fmt: skip
    cur.execute("CREATE UNIQUE INDEX ON bench_sb (nr)")
    insert_select(cur, "cases_borger", {
        "id": _uuid("borger", "i"), "kommune_id": kommune, "team_id": _uuid("team", "i %% %(t)s"),
        # Fictitious bench rows: not a Fernet token, not a real CPR. Decrypting them fails by design.
        "cpr_krypteret": "'bench-fiktiv-' || i", "cpr_hash": "md5('bench-cpr-' || i)",
        "foedselsdato": "date '1965-01-01' + i %% 12000", "fornavn": "'Bench'", "efternavn": "'Fiktiv ' || i",
        "fiktiv": "true", "kontaktkanal": f"'{Kontaktkanal.DIGITAL_POST}'",
        "digital_post": f"'{DigitalPostStatus.UKENDT}'",
        "oprettet": "now()", "opdateret": "now()", "version": "1",
    }, "generate_series(0, %(f)s - 1) i", p)  # fmt: skip
    insert_select(cur, "cases_forloeb", {
        "id": _uuid("forloeb", "i"), "borger_id": _uuid("borger", "i"), "kommune_id": kommune,
        "team_id": _uuid("team", "i %% %(t)s"), "sagsbehandler_id": "sb.id", "tilstand": "'forberedende_plan'",
        "version": "1", "oprettet": "now()", "opdateret": "now()", "forberedende_plan_start": "%(idag)s::date - 100",
    }, "generate_series(0, %(f)s - 1) i JOIN bench_sb sb ON sb.nr = (i %% %(t)s) * %(c)s + (i / %(t)s) %% %(c)s",
       p)  # fmt: skip
    cur.execute(
        "SELECT count(*) FROM cases_fristdefinition WHERE kommune_id IS NULL AND cardinality(start_haendelser) > 0"
    )
    p["ndef"] = cur.fetchone()[0]
    insert_select(cur, "cases_frist", {
        "id": "gen_random_uuid()", "forloeb_id": _uuid("forloeb", "i"), "kommune_id": kommune,
        "team_id": _uuid("team", "i %% %(t)s"), "art": "d.art", "reference": "g::text", "definition_id": "d.id",
        "start_haendelse": "d.sh", "start_dato": "gf - 90",
        "forfald": "CASE WHEN status = 'forlaenget' THEN gf - 30 ELSE gf END", "gaeldende_forfald": "gf",
        "type": "d.type", "ansvar": "d.ansvar", "lovgrundlag": "d.lovgrundlag",
        "forklaring": "'Bench: hændelse ' || to_char(gf - 90, 'DD.MM.YYYY') || ' + 90 dage = ' "
                      "|| to_char(gf, 'DD.MM.YYYY') || ', jf. ' || d.lovgrundlag",
        "varsler_dage": "d.varsler_dage", "status": "status",
        "lukket_dato": "CASE WHEN b < 850 THEN CASE WHEN status = 'overskredet' THEN gf + 1 + g %% 20 "
                       "ELSE gf - g %% 20 END END",
        "lukket_af": "CASE WHEN b < 850 THEN 'bench' ELSE '' END",
        "overskredet_tidspunkt": "CASE WHEN status = 'overskredet' THEN now() - interval '1 day' END",
        "oprettet": "now()",
    }, FRISTER_FRA, p)  # fmt: skip
    return {"forloeb": f, "teams": t}


def _eksisterende(cur) -> int | None:
    cur.execute("SELECT count(*) FROM cases_borger WHERE NOT fiktiv")
    if cur.fetchone()[0]:
        raise SystemExit("this database holds real citizens: the benchmark runs only on a throw-away bench database")
    cur.execute("SELECT 1 FROM cases_kommune WHERE navn = %s", [BENCH_KOMMUNE])
    if not cur.fetchone():
        cur.execute("SELECT count(*) FROM cases_frist")
        if cur.fetchone()[0]:
            raise SystemExit("the database already holds deadlines that are not bench data; use a fresh --data-dir")
        return None
    cur.execute("SELECT count(*) FROM cases_frist")
    return cur.fetchone()[0]


def forbered_nulstilling(cur, idag: dt.date) -> int:
    """Remember the rows a sweep on ``idag`` will mark, so every run can start from the same data.

    The list is taken once per database: a kept bench database (``--keep``) was swept by its earlier
    run, and the list from its pristine data is what resets it."""
    cur.execute("SELECT to_regclass('bench_reset') IS NOT NULL")
    if cur.fetchone()[0]:
        cur.execute("SELECT count(*) FROM bench_reset")
        return cur.fetchone()[0]
    cur.execute(
        "CREATE TABLE bench_reset AS SELECT id, forloeb_id, status FROM cases_frist "
        "WHERE lukket_dato IS NULL AND status IN ('aaben', 'forlaenget') AND gaeldende_forfald < %s",
        [idag],
    )
    cur.execute("ALTER TABLE bench_reset ADD PRIMARY KEY (id)")
    cur.execute("SELECT count(*) FROM bench_reset")
    return cur.fetchone()[0]


def nulstil(cur) -> None:
    cur.execute(
        "UPDATE cases_frist f SET status = r.status, overskredet_tidspunkt = NULL "
        "FROM bench_reset r WHERE f.id = r.id AND f.status <> r.status"
    )
    cur.execute("TRUNCATE cases_notifikation")
    cur.execute("VACUUM ANALYZE cases_frist")
    cur.execute("VACUUM ANALYZE cases_notifikation")
    cur.execute("CHECKPOINT")


def forklar(cur, idag: dt.date, horisont: int) -> None:
    from cases import frister

    params = {"idag": idag, "horisont": horisont, "koersel": "explain", "forloeb": None}
    for navn, sql in (("MARKER_OVERSKREDNE", frister.MARKER_OVERSKREDNE), ("SEND_VARSLER", frister.SEND_VARSLER)):
        cur.execute("BEGIN")
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + frister.sql(sql), params)
        print(f"\n--- EXPLAIN ANALYZE {navn} (idag={idag}, rolled back) ---")
        print("\n".join(r[0] for r in cur.fetchall()))
        cur.execute("ROLLBACK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="number of deadline rows (default 1,000,000)")
    parser.add_argument("--idag", type=dt.date.fromisoformat, default=dt.date(2026, 6, 1), help="the sweep's today")
    parser.add_argument("--repeat", type=int, default=1, help="measure this many times and report the median")
    parser.add_argument("--explain", action="store_true", help="also print EXPLAIN ANALYZE of the sweep's SQL")
    args = parser.parse_args([a for a in (argv if argv is not None else sys.argv[1:]) if a != "sweep"])

    setup_django()
    from django.db import connection

    from cases import frister
    from cases.models import FristDefinition

    tider: dict[str, float] = {}
    with connection.cursor() as cur:
        findes = _eksisterende(cur)
        if findes is None:
            with stopur(tider, "generering"):
                cur.execute("BEGIN")
                stoerrelse = generer(cur, args.rows, args.idag)
                cur.execute("COMMIT")
                cur.execute("VACUUM ANALYZE")
            print(f"generated {args.rows:,} deadlines on {stoerrelse['forloeb']:,} forløb in "
                  f"{stoerrelse['teams']:,} teams in {tider['generering']:.1f} s")  # fmt: skip
        elif findes != args.rows:
            raise SystemExit(f"bench data with {findes:,} deadlines exists; use a fresh --data-dir for {args.rows:,}")
        else:
            print(f"reusing {findes:,} bench deadlines")
        cur.execute("SELECT status, lukket_dato IS NULL, count(*) FROM cases_frist GROUP BY 1, 2 ORDER BY 2, 1")
        print("mix:", ", ".join(f"{s}{'(open)' if aaben else ''}={n:,}" for s, aaben, n in cur.fetchall()))
        ramt = forbered_nulstilling(cur, args.idag)
        print(f"cases_frist {tabelstoerrelse(cur, 'cases_frist')}; {ramt:,} deadlines become overdue on {args.idag}")

        koersler = []
        for _ in range(args.repeat):
            r: dict = {}
            nulstil(cur)
            with stopur(r, "baseline"):
                cur.execute(BASELINE, {"idag": args.idag})
            r["baseline_rows"] = cur.rowcount
            nulstil(cur)
            with stopur(r, "foerste"):
                r["resultat"] = frister.sweep(idag=args.idag)
            with stopur(r, "anden"):
                r["anden_resultat"] = frister.sweep(idag=args.idag)
            assert r["baseline_rows"] == r["resultat"].overskredet == ramt, (r, ramt)
            assert r["anden_resultat"].notifikationer == 0 and r["anden_resultat"].overskredet == 0, r
            koersler.append(r)
            print(f"  run: first {r['foerste']:.2f} s, second {r['anden']:.2f} s, baseline {r['baseline']:.2f} s, "
                  f"{r['resultat']}")  # fmt: skip

        # What a transition adds: the same sweep narrowed to one forløb, on 100 forløb with deadlines
        # that become overdue (bench's 20 deadlines per forløb), each in its own transaction.
        nulstil(cur)
        cur.execute("SELECT DISTINCT forloeb_id FROM bench_reset LIMIT 100")
        et = []
        for (forloeb_id,) in cur.fetchall():
            t0 = time.perf_counter()
            frister.sweep(idag=args.idag, forloeb_id=forloeb_id)
            et.append((time.perf_counter() - t0) * 1000)
        et.sort()
        print(f"per-forløb sweep (run by a transition): p50 {et[len(et) // 2]:.1f} ms, "
              f"p95 {et[int(len(et) * 0.95) - 1]:.1f} ms over {len(et)} forløb")  # fmt: skip

        nulstil(cur)  # leave the data as generated, so a later run with --data-dir finds the same work

        if args.explain:
            horisont = max(max(d) for d in FristDefinition.objects.exclude(varsler_dage=[]).values_list(
                "varsler_dage", flat=True))  # fmt: skip
            nulstil(cur)
            forklar(cur, args.idag, horisont)
            frister.sweep(idag=args.idag)
            print("\n=== second run (everything already marked) ===")
            forklar(cur, args.idag, horisont)
            nulstil(cur)

    def median(key):
        return statistics.median(k[key] for k in koersler)

    foerste, anden, baseline = median("foerste"), median("anden"), median("baseline")
    res = koersler[0]["resultat"]
    kolonner = ["rows", "first sweep s", "second sweep s", "baseline s", "ratio", "notifications"]
    vaerdier = [f"{args.rows:,}", f"{foerste:.2f}", f"{anden:.2f}", f"{baseline:.2f}", f"{foerste / baseline:.1f}x",
                f"{res.notifikationer:,}"]  # fmt: skip
    bredder = [max(len(a), len(b)) for a, b in zip(kolonner, vaerdier, strict=True)]
    print()
    print(" | ".join(k.rjust(w) for k, w in zip(kolonner, bredder, strict=True)))
    print(" | ".join(v.rjust(w) for v, w in zip(vaerdier, bredder, strict=True)))
    naar = time.strftime("%Y-%m-%d %H:%M %Z")
    print(f"(notifications: {res.notifikationer_overskredet:,} overdue, {res.eskaleringer:,} team-leader digests "
          f"listing {res.eskalerede_frister:,} deadlines, {res.varsler:,} warnings; median of {args.repeat} run(s); "
          f"{naar})")  # fmt: skip
    maal = foerste <= 30 and foerste <= 2 * baseline
    print(f"target (≤ 30 s and ≤ 2x baseline at 1,000,000 rows): {'met' if maal else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
