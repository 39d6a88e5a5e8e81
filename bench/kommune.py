"""A whole fictitious municipality at scale, generated with set-based SQL (``make bench``).

For ``--forloeb N`` (default 50,000), all in one municipality "Benchkommune (fiktiv)" (kommunekode 998):

* N citizens (``fiktiv``; bench CPR placeholders, see bench/README.md) and one forløb each, spread over
  every state: 15 % aktivitetsparat, 25 % forberedende plan, 5 % rehabiliteringsteam, 5 % indstilling,
  3 % behandling efter pensionsreglerne, 15 % ressourceforløb, 12 % fleksjob, 5 % førtidspension,
  15 % afsluttet; plan start, meeting, indstilling and decision dates consistent with the state;
* N/400 teams with 10 caseworkers (2 % of forløb unowned) and one team leader each (two in every third
  team); caseworker ``bench-sb-0`` owns exactly 200 open forløb (the "mine sager" case);
* 20 deadlines per forløb (1,000,000 at 50k) on the catalogue's real definitions: closed ones in the
  past (92 % overholdt, 5 % bortfaldet, 3 % overskredet), open ones only on open forløb (2-4 each, one
  per kind; 20 % just overdue, 7 % overdue and already marked, 3 % extended, 13 % in the warning window,
  57 % later), so the sweep finds ~20 % of the open deadlines newly overdue on the bench's "today";
* 40 audit rows per forløb (2,000,000 at 50k): 70 % reads, 30 % changes, by the owner, over two years;
* the transition history and events that led to each state, one active ownership per owned forløb
  (and an earlier one for 20 %), 2 journal notes per forløb;
* rehab meeting days (Tuesdays and Thursdays for ten weeks, one room per 2,500 forløb, 6 places) with
  the forløb in the rehabiliteringsteam state booked onto them, 5 per day, as long as places last.

Rows are pseudo-random but deterministic (``hashtext`` of the row number), so two runs of the same
size generate the same data.
"""

from __future__ import annotations

import datetime as dt

from bench.common import insert_select, masseindlaesning

BENCH_KOMMUNE = "Benchkommune (fiktiv)"
FORLOEB_PR_TEAM = 400
SAGSBEHANDLERE_PR_TEAM = 10
FRISTER_PR_FORLOEB = 20
AUDIT_PR_FORLOEB = 40
MINE_SAGER = 200  # open forløb of caseworker bench-sb-0

# State by bucket (0..99) of hashtext('s' || i).
TILSTANDE = [
    (15, "aktivitetsparat"),
    (40, "forberedende_plan"),
    (45, "rehabiliteringsteam"),
    (50, "indstilling"),
    (53, "foertidspension_behandling"),
    (68, "ressourceforloeb"),
    (80, "fleksjob"),
    (85, "foertidspension"),
    (100, "afsluttet"),
]

# The transitions that led to each state (history + events), in order.
STIER = {
    "forberedende_plan": ["start_forberedende_plan"],
    "rehabiliteringsteam": ["start_forberedende_plan", "forelaeg_rehabiliteringsteam"],
    "indstilling": ["start_forberedende_plan", "forelaeg_rehabiliteringsteam", "registrer_indstilling"],
    "foertidspension_behandling": [
        "start_forberedende_plan", "forelaeg_rehabiliteringsteam", "registrer_indstilling",
        "overgaa_til_pensionsbehandling",
    ],
    "ressourceforloeb": [
        "start_forberedende_plan", "forelaeg_rehabiliteringsteam", "registrer_indstilling", "bevilg_ressourceforloeb",
    ],
    "fleksjob": [
        "start_forberedende_plan", "forelaeg_rehabiliteringsteam", "registrer_indstilling", "visiter_fleksjob",
    ],
    "foertidspension": [
        "start_forberedende_plan", "forelaeg_rehabiliteringsteam", "registrer_indstilling",
        "overgaa_til_pensionsbehandling", "tilkend_foertidspension",
    ],
    "afsluttet": ["start_forberedende_plan", "afslut"],
}  # fmt: skip
MAAL = {
    "start_forberedende_plan": "forberedende_plan",
    "forelaeg_rehabiliteringsteam": "rehabiliteringsteam",
    "registrer_indstilling": "indstilling",
    "overgaa_til_pensionsbehandling": "foertidspension_behandling",
    "bevilg_ressourceforloeb": "ressourceforloeb",
    "visiter_fleksjob": "fleksjob",
    "tilkend_foertidspension": "foertidspension",
    "afslut": "afsluttet",
}
HAENDELSE = {
    "start_forberedende_plan": "forberedende_plan_start",
    "forelaeg_rehabiliteringsteam": "forelagt_rehabiliteringsteam",
    "registrer_indstilling": "indstilling",
    "overgaa_til_pensionsbehandling": "overgang",
    "bevilg_ressourceforloeb": "ressourceforloeb_start",
    "visiter_fleksjob": "afgoerelse_modtaget",
    "tilkend_foertidspension": "afgoerelse_modtaget",
    "afslut": "afsluttet",
}

READS = [
    "forloeb.laes",
    "borger.laes",
    "forloeb.liste",
    "borger.soeg",
    "frist.liste",
    "journalnotat.liste",
    "dokument.laes",
]
CHANGES = ["journalnotat.opret", "forloeb.haendelse.partshoering_sendt", "forloeb.overgang.start_forberedende_plan",
           "forloeb.tildel", "borger.opdater", "dokument.opret", "forloeb.haendelse.tilbud_om_moede_sendt"]  # fmt: skip


def _uuid(prefix: str, nr: str) -> str:
    return f"md5('bench-{prefix}-' || {nr})::uuid"


def _h(salt: str, expr: str, mod: int) -> str:
    """A deterministic pseudo-random bucket 0..mod-1 of a row number."""
    return f"(abs(hashtext('{salt}' || {expr})) %% {mod})"


def _tilstand_case(expr: str) -> str:
    parts = " ".join(f"WHEN {expr} < {graense} THEN '{navn}'" for graense, navn in TILSTANDE)
    return f"CASE {parts} END"


def eksisterende(cur) -> int | None:
    """Number of bench forløb already generated (None: fresh database). Refuses real citizens."""
    cur.execute("SELECT count(*) FROM cases_borger WHERE NOT fiktiv")
    if cur.fetchone()[0]:
        raise SystemExit("this database holds real citizens: the benchmark runs only on a throw-away bench database")
    cur.execute("SELECT id FROM cases_kommune WHERE navn = %s", [BENCH_KOMMUNE])
    row = cur.fetchone()
    if not row:
        cur.execute("SELECT count(*) FROM cases_forloeb")
        if cur.fetchone()[0]:
            raise SystemExit("the database already holds forløb that are not bench data; use a fresh --data-dir")
        return None
    cur.execute("SELECT count(*) FROM cases_borger WHERE kommune_id = %s", [row[0]])
    return cur.fetchone()[0]


STORE_TABELLER = (
    "cases_borger", "cases_forloeb", "cases_sagsejerskab", "cases_overganglog", "cases_haendelse",
    "cases_journalnotat", "cases_frist", "cases_auditentry", "rehab_moededag", "rehab_booking",
)  # fmt: skip


def sikr(cur, n: int, idag: dt.date):
    """The bench municipality's id, generating ``n`` forløb first when the database has none (a small
    bench's set-up; ``make bench`` itself times and reports the generation)."""
    if eksisterende(cur) is None:
        cur.execute("BEGIN")
        generer(cur, n, idag)
        cur.execute("COMMIT")
        cur.execute("VACUUM ANALYZE")
    cur.execute("SELECT id FROM cases_kommune WHERE kommunekode = '998'")
    return cur.fetchone()[0]


def generer(cur, n: int, idag: dt.date) -> dict:
    """Generate the municipality (call inside a transaction). Returns the row counts."""
    with masseindlaesning(cur, STORE_TABELLER):
        return _generer(cur, n, idag)


def _generer(cur, n: int, idag: dt.date) -> dict:
    from cases.models import Kontaktkanal, Rolle
    from cases.models.borger import DigitalPostStatus

    t = max(1, n // FORLOEB_PR_TEAM)
    c = SAGSBEHANDLERE_PR_TEAM
    p = {"n": n, "t": t, "c": c, "idag": idag, "kommune": BENCH_KOMMUNE}
    kommune, jobcenter = "md5('bench-kommune')::uuid", "md5('bench-jobcenter')::uuid"
    one = "(SELECT 1) s"
    insert_select(cur, "cases_kommune", {"id": kommune, "navn": "%(kommune)s", "kommunekode": "'998'"}, one, p)
    insert_select(cur, "cases_jobcenter", {"id": jobcenter, "kommune_id": kommune, "navn": "'Jobcenter Benchby'",
                  "adresse": "'Rådhuspladsen 1, 9980 Benchby'"}, one, p)  # fmt: skip
    insert_select(cur, "cases_team", {"id": _uuid("team", "t"), "jobcenter_id": jobcenter,
                  "navn": "'Bench team ' || t", "sagsnorm": "45"}, "generate_series(0, %(t)s - 1) t", p)  # fmt: skip
    bruger = {"password": "'!'", "first_name": "'Bench'", "is_active": "true", "date_joined": "now()",
              "kommune_id": kommune, "email": "''", "telefon": "''"}  # fmt: skip
    insert_select(cur, "cases_user", bruger | {"username": "'bench-sb-' || u", "last_name": "'Sagsbehandler ' || u",
                  "rolle": f"'{Rolle.SAGSBEHANDLER}'"}, "generate_series(0, %(t)s * %(c)s - 1) u", p)  # fmt: skip
    insert_select(cur, "cases_user", bruger | {"username": "'bench-tl-' || t || '-' || k",
                  "last_name": "'Teamleder ' || t || '-' || k", "rolle": f"'{Rolle.TEAMLEDER}'"},
                  "generate_series(0, %(t)s - 1) t, generate_series(0, 1) k WHERE k = 0 OR t %% 3 = 0", p)  # fmt: skip
    holdnr = (
        "CASE WHEN username LIKE 'bench-sb-%%' THEN substr(username, 10)::int / %(c)s "
        "ELSE split_part(substr(username, 10), '-', 1)::int END"
    )
    cur.execute(
        f"INSERT INTO cases_user_teams (user_id, team_id) SELECT id, {_uuid('team', holdnr)} "  # noqa: S608 - constant
        "FROM cases_user WHERE username LIKE 'bench-%%'",
        p,
    )
    cur.execute("DROP TABLE IF EXISTS bench_sb")
    cur.execute("CREATE TEMP TABLE bench_sb AS SELECT substr(username, 10)::int AS nr, id, "
                "first_name || ' ' || last_name AS navn FROM cases_user WHERE username LIKE 'bench-sb-%%'")  # fmt: skip
    cur.execute("CREATE UNIQUE INDEX ON bench_sb (nr)")

    insert_select(cur, "cases_borger", {
        "id": _uuid("borger", "i"), "kommune_id": kommune, "team_id": _uuid("team", "i %% %(t)s"),
        # Fictitious bench rows: not a Fernet token, not a real CPR. Decrypting them fails by design.
        "cpr_krypteret": "'bench-fiktiv-' || i", "cpr_hash": "md5('bench-cpr-' || i)",
        "foedselsdato": "date '1965-01-01' + i %% 12000",
        "fornavn": "(ARRAY['Anne','Mette','Peter','Lars','Sofie','Jens','Hanne','Mads','Ida','Søren'])"
                   f"[1 + {_h('f', 'i', 10)}]",
        "efternavn": "(ARRAY['Nielsen','Jensen','Hansen','Pedersen','Andersen','Larsen','Holm','Lund'])"
                     f"[1 + {_h('e', 'i', 8)}] || ' ' || i",
        "adresse": "'Benchvej ' || (1 + i %% 120)", "postnummer": "'9980'", "by": "'Benchby'",
        "fiktiv": "true", "kontaktkanal": f"'{Kontaktkanal.DIGITAL_POST}'",
        "digital_post": f"'{DigitalPostStatus.TILMELDT}'", "oprettet": "now()", "opdateret": "now()", "version": "1",
    }, "generate_series(0, %(n)s - 1) i", p)  # fmt: skip

    # Forløb: state by bucket, dates consistent with the state (start of the plan up to ~2 years ago).
    cur.execute("DROP TABLE IF EXISTS bench_fl")
    cur.execute(
        f"""
        CREATE TEMP TABLE bench_fl AS
        SELECT i, {_tilstand_case(_h("s", "i", 100))} AS tilstand,
               %(idag)s::date - (20 + {_h("d", "i", 700)}) AS start,
               CASE WHEN {_h("u", "i", 50)} = 0 THEN NULL
                    ELSE (i %% %(t)s) * %(c)s + (i / %(t)s) %% %(c)s END AS sb_nr
        FROM generate_series(0, %(n)s - 1) i
        """,  # noqa: S608 - constants only
        p,
    )
    cur.execute("CREATE UNIQUE INDEX ON bench_fl (i)")
    besluttet = "('ressourceforloeb','fleksjob','foertidspension','foertidspension_behandling','afsluttet')"
    insert_select(cur, "cases_forloeb", {
        "id": _uuid("forloeb", "x.i"), "borger_id": _uuid("borger", "x.i"), "kommune_id": kommune,
        "team_id": _uuid("team", "x.i %% %(t)s"), "sagsbehandler_id": "sb.id", "tilstand": "x.tilstand",
        "version": "2 + x.i %% 5", "oprettet": "now() - (x.i %% 900) * interval '1 day'", "opdateret": "now()",
        "forberedende_plan_start": "CASE WHEN x.tilstand <> 'aktivitetsparat' THEN x.start END",
        "rehab_moede_dato": "CASE WHEN x.tilstand NOT IN ('aktivitetsparat','forberedende_plan') THEN x.start + 60 END",
        "indstilling_dato": "CASE WHEN x.tilstand NOT IN ('aktivitetsparat','forberedende_plan','rehabiliteringsteam',"
                            "'afsluttet') THEN x.start + 60 END",
        "indstilling_udfald": "CASE x.tilstand WHEN 'ressourceforloeb' THEN 'ressourceforloeb' WHEN 'fleksjob' "
                              "THEN 'fleksjob' WHEN 'foertidspension' THEN 'foertidspension' WHEN "
                              "'foertidspension_behandling' THEN 'foertidspension' WHEN 'indstilling' THEN 'fleksjob' "
                              "ELSE '' END",
        "afgoerelse_dato": f"CASE WHEN x.tilstand IN {besluttet} AND x.tilstand <> 'afsluttet' "
                           f"THEN least(%(idag)s::date, x.start + 70 + {_h('a', 'x.i', 120)}) END",
        "afslutning_aarsag": "CASE WHEN x.tilstand = 'afsluttet' THEN 'ordinaert_arbejde' ELSE '' END",
        "afsluttet_dato": "CASE WHEN x.tilstand = 'afsluttet' THEN least(%(idag)s::date, x.start + 90) END",
        "naeste_skridt": "CASE WHEN x.tilstand <> 'afsluttet' THEN 'Opfølgende samtale' ELSE '' END",
        "naeste_skridt_dato": f"CASE WHEN x.tilstand <> 'afsluttet' "
                              f"THEN %(idag)s::date - 10 + {_h('n', 'x.i', 60)} END",
    }, "bench_fl x LEFT JOIN bench_sb sb ON sb.nr = x.sb_nr", p)  # fmt: skip

    # Caseworker bench-sb-0 owns exactly MINE_SAGER open forløb (of team 0), nothing else.
    cur.execute("SELECT id FROM cases_user WHERE username IN ('bench-sb-0', 'bench-sb-1') ORDER BY username")
    sb0, sb1 = (r[0] for r in cur.fetchall())
    cur.execute("UPDATE cases_forloeb SET sagsbehandler_id = %s WHERE sagsbehandler_id = %s", [sb1, sb0])
    cur.execute(
        "UPDATE cases_forloeb SET sagsbehandler_id = %s WHERE id IN (SELECT id FROM cases_forloeb "
        "WHERE team_id = md5('bench-team-0')::uuid AND tilstand <> 'afsluttet' ORDER BY id LIMIT %s)",
        [sb0, MINE_SAGER],
    )
    cur.execute("UPDATE bench_sb SET id = id")  # keep the temp table for the audit rows below

    insert_select(cur, "cases_sagsejerskab", {
        "forloeb_id": "f.id", "sagsbehandler_id": "f.sagsbehandler_id", "fra": "f.oprettet", "til": "NULL",
        "overdragelsesnotat": "''", "tildelt_af_navn": "'Bench Teamleder'",
    }, "cases_forloeb f WHERE f.sagsbehandler_id IS NOT NULL AND f.kommune_id = md5('bench-kommune')::uuid",
       p)  # fmt: skip
    insert_select(cur, "cases_sagsejerskab", {
        "forloeb_id": "f.id", "sagsbehandler_id": "f.sagsbehandler_id", "fra": "f.oprettet - interval '200 days'",
        "til": "f.oprettet", "overdragelsesnotat": "'Overdraget ved omfordeling (bench)'",
        "tildelt_af_navn": "'Bench Teamleder'",
    }, f"cases_forloeb f WHERE f.sagsbehandler_id IS NOT NULL AND {_h('o', 'f.id::text', 5)} = 0 "
       "AND f.kommune_id = md5('bench-kommune')::uuid", p)  # fmt: skip

    # History and events that led to each state.
    cur.execute("DROP TABLE IF EXISTS bench_sti")
    cur.execute("CREATE TEMP TABLE bench_sti (tilstand text, nr int, overgang text, fra text, til text, kode text)")
    rows = []
    for tilstand, sti in STIER.items():
        fra = "aktivitetsparat"
        for nr, overgang in enumerate(sti):
            rows.append((tilstand, nr, overgang, fra, MAAL[overgang], HAENDELSE[overgang]))
            fra = MAAL[overgang]
    cur.executemany("INSERT INTO bench_sti VALUES (%s, %s, %s, %s, %s, %s)", rows)
    fra_hist = "bench_fl x JOIN bench_sti s ON s.tilstand = x.tilstand LEFT JOIN bench_sb sb ON sb.nr = x.sb_nr"
    insert_select(cur, "cases_overganglog", {
        "forloeb_id": _uuid("forloeb", "x.i"), "overgang": "s.overgang", "fra_tilstand": "s.fra",
        "til_tilstand": "s.til", "dato": "least(%(idag)s::date, x.start + s.nr * 30)",
        "tidspunkt": "least(%(idag)s::date, x.start + s.nr * 30) + interval '10 hours'", "actor_type": "'user'",
        "actor_id": "coalesce(sb.id::text, '')", "actor_navn": "coalesce(sb.navn, 'Bench Teamleder')",
        "data": "'{}'::jsonb", "regler": "'{}'::jsonb",
    }, fra_hist, p)  # fmt: skip
    insert_select(cur, "cases_haendelse", {
        "forloeb_id": _uuid("forloeb", "x.i"), "kode": "s.kode", "dato": "least(%(idag)s::date, x.start + s.nr * 30)",
        "data": "'{}'::jsonb", "tidspunkt": "least(%(idag)s::date, x.start + s.nr * 30) + interval '10 hours'",
        "actor_navn": "coalesce(sb.navn, 'Bench Teamleder')",
    }, fra_hist, p)  # fmt: skip
    insert_select(cur, "cases_journalnotat", {
        "id": "gen_random_uuid()", "forloeb_id": _uuid("forloeb", "x.i"), "type": "(ARRAY['samtale','telefon'])[1 + k]",
        "overskrift": "'Samtale om forløbet'", "tekst": "'Bench: fiktivt notat om samtalen med borgeren.'",
        "naeste_skridt": "''", "forfatter_id": "sb.id", "forfatter_navn": "coalesce(sb.navn, 'Bench')",
        "oprettet": "now() - (x.i %% 300 + k * 20) * interval '1 day'",
    }, "bench_fl x CROSS JOIN generate_series(0, 1) k LEFT JOIN bench_sb sb ON sb.nr = x.sb_nr", p)  # fmt: skip

    # Deadlines: 20 per forløb; the last 2-4 open on open forløb, one per kind.
    cur.execute(
        "SELECT count(DISTINCT art) FROM cases_fristdefinition "
        "WHERE kommune_id IS NULL AND cardinality(start_haendelser) > 0"
    )
    p["ndef"] = cur.fetchone()[0]
    p["pr"] = FRISTER_PR_FORLOEB
    aaben = (
        "(x.tilstand <> 'afsluttet' AND j >= %(pr)s - "
        "CASE WHEN x.tilstand = 'aktivitetsparat' THEN i %% 2 ELSE 2 + i %% 3 END)"
    )
    frister_fra = f"""
    (
        SELECT g, i, j, b, x.tilstand, {aaben} AS aaben,
            CASE WHEN NOT {aaben}
                 THEN CASE WHEN b < 920 THEN 'overholdt' WHEN b < 970 THEN 'bortfaldet' ELSE 'overskredet' END
                 WHEN b < 200 THEN 'aaben' WHEN b < 270 THEN 'overskredet' WHEN b < 300 THEN 'forlaenget'
                 ELSE 'aaben' END AS status,
            CASE WHEN NOT {aaben} THEN %(idag)s::date - (30 + g * 31 %% 1500)
                 WHEN b < 200 THEN %(idag)s::date - (1 + g %% 90)
                 WHEN b < 270 THEN %(idag)s::date - (1 + g %% 365)
                 WHEN b < 300 THEN %(idag)s::date + g %% 60
                 WHEN b < 430 THEN %(idag)s::date + g %% 22
                 ELSE %(idag)s::date + 22 + g %% 700 END AS gf
        FROM (
            SELECT g, g / %(pr)s AS i, g %% %(pr)s AS j, {_h("b", "g", 1000)} AS b
            FROM generate_series(0, %(n)s * %(pr)s - 1) AS g
        ) r JOIN bench_fl x USING (i)
    ) x
    JOIN (
        SELECT row_number() OVER (ORDER BY art) - 1 AS k, id, art, type, ansvar, lovgrundlag, varsler_dage,
               start_haendelser[1] AS sh
        FROM (SELECT DISTINCT ON (art) * FROM cases_fristdefinition
              WHERE kommune_id IS NULL AND cardinality(start_haendelser) > 0 ORDER BY art, id) d0
    ) d ON d.k = (x.i + x.j) %% %(ndef)s
    """  # noqa: S608 - constants only
    insert_select(cur, "cases_frist", {
        "id": "gen_random_uuid()", "forloeb_id": _uuid("forloeb", "i"), "kommune_id": kommune,
        "team_id": _uuid("team", "i %% %(t)s"), "art": "d.art", "reference": "''", "definition_id": "d.id",
        "start_haendelse": "d.sh", "start_dato": "gf - 90",
        "forfald": "CASE WHEN status = 'forlaenget' THEN gf - 30 ELSE gf END", "gaeldende_forfald": "gf",
        "type": "d.type", "ansvar": "d.ansvar", "lovgrundlag": "d.lovgrundlag",
        "forklaring": "'Bench: hændelse ' || to_char(gf - 90, 'DD.MM.YYYY') || ' + 90 dage = ' "
                      "|| to_char(gf, 'DD.MM.YYYY') || ', jf. ' || d.lovgrundlag",
        "varsler_dage": "d.varsler_dage", "status": "status",
        "lukket_dato": "CASE WHEN NOT aaben THEN CASE WHEN status = 'overskredet' THEN gf + 1 + g %% 20 "
                       "ELSE gf - g %% 20 END END",
        "lukket_af": "CASE WHEN NOT aaben THEN 'bench' ELSE '' END",
        "overskredet_tidspunkt": "CASE WHEN status = 'overskredet' THEN now() - interval '1 day' END",
        "oprettet": "now()",
    }, frister_fra, p)  # fmt: skip

    # Audit: 40 rows per forløb by its owner over two years; 70 % reads.
    p["apr"] = AUDIT_PR_FORLOEB
    p["reads"], p["changes"] = READS, CHANGES
    insert_select(cur, "cases_auditentry", {
        "tidspunkt": f"now() - ({_h('t', 'g', 730 * 24)}) * interval '1 hour'", "actor_type": "'user'",
        "actor_id": "coalesce(sb.id::text, '')", "actor_navn": "coalesce(sb.navn, 'Bench Teamleder')",
        "handling": f"CASE WHEN a.b < 70 THEN (%(reads)s::text[])[1 + a.g %% {len(READS)}] "
                    f"ELSE (%(changes)s::text[])[1 + a.g %% {len(CHANGES)}] END",
        "subject_type": "'cases.forloeb'", "subject_id": _uuid("forloeb", "a.i") + "::text",
        "kommune_id": kommune, "borger_ids": f"ARRAY[{_uuid('borger', 'a.i')}]",
        "foer": "NULL", "efter": "CASE WHEN a.b >= 70 THEN jsonb_build_object('tilstand', x.tilstand) END",
        "begrundelse": "''", "request_id": "''", "kilde": "'/bench/'",
    }, f"(SELECT g, g / %(apr)s AS i, {_h('a', 'g', 100)} AS b FROM generate_series(0, %(n)s * %(apr)s - 1) g) a "  # noqa: S608
       "JOIN bench_fl x ON x.i = a.i LEFT JOIN bench_sb sb ON sb.nr = x.sb_nr", p)  # fmt: skip

    # Rehab meetings: two days a week for ten weeks, one room per 2,500 forløb, 6 places each;
    # the forløb waiting in the rehabiliteringsteam state are booked onto them in order (80 % fill).
    p["rum"] = max(1, n // 2500)
    insert_select(cur, "rehab_moededag", {
        "id": "gen_random_uuid()", "kommune_id": kommune, "dato": "%(idag)s::date + 3 + d",
        "sted": "'Rådhuset, mødelokale ' || (r + 1)", "kapacitet": "6", "oprettet": "now()",
    }, "generate_series(0, 69) d, generate_series(0, %(rum)s - 1) r "
       "WHERE extract(isodow FROM %(idag)s::date + 3 + d) IN (2, 4)", p)  # fmt: skip
    cur.execute("DROP TABLE IF EXISTS bench_md")
    cur.execute("CREATE TEMP TABLE bench_md AS SELECT id, row_number() OVER (ORDER BY dato, sted) - 1 AS nr "
                "FROM rehab_moededag WHERE kommune_id = md5('bench-kommune')::uuid")  # fmt: skip
    insert_select(cur, "rehab_booking", {
        "id": "gen_random_uuid()", "moededag_id": "m.id", "forloeb_id": _uuid("forloeb", "x.i"),
        "status": "'booket'", "bisidder_navn": "''", "referat": "''", "oprettet": "now()",
    }, "(SELECT i, row_number() OVER (ORDER BY i) - 1 AS k FROM bench_fl WHERE tilstand = 'rehabiliteringsteam') x "
       "JOIN bench_md m ON m.nr = x.k / 5", p)  # fmt: skip

    ud = {}
    for tabel in ("cases_forloeb", "cases_frist", "cases_auditentry", "cases_overganglog", "cases_journalnotat"):
        cur.execute(f"SELECT count(*) FROM {tabel}")  # noqa: S608 - constant table names
        ud[tabel] = cur.fetchone()[0]
    ud["teams"] = t
    return ud
