"""The API measured from outside (``make bench`` parts ``lists`` and ``api``), issue 14.

Every figure goes through gunicorn (``bench.settings``, ``--gunicorn-workers`` sync workers) on
127.0.0.1 and sits next to two baselines of the same run and the same concurrency:

* ``/bench/ping/`` — the cheapest Django response through the same server and middleware;
* the request's own SQL — captured from one in-process request (``CaptureQueriesContext``, test
  client, ``bench.settings``) and replayed with psycopg by as many threads as there are clients
  (``bench/belastning.py``).

``lists``: every list of the API (forløb, frister, afgørelser, klager, aftaler, borgere), page 1, the
documented filter combinations that select differently, and a deep cursor page (``next`` followed
``--deep-pages`` times), each at 1 and 16 clients (``--list-clients``). Target per row: median
≤ 20 ms at 1 client and ≤ 120 ms at 16 clients, no errors (a timeout is an error).

``api``: the forløb detail at 1/8/16 clients (``--detail-clients``), its best throughput (target
≥ 300 req/s), p99 at a fixed 150 req/s offered (open loop, target ≤ 50 ms), and a caseworker's
citizen page (the UI, session login, the transition rules evaluated) at 1 client.
"""

from __future__ import annotations

import os
import statistics
import time
import traceback
from urllib.parse import urlsplit

from bench import belastning
from bench.full import Resultat, fmt, ms, na

LIST_C1_MS, LIST_CN_MS = 20.0, 120.0
INGEN = " (no request completed within the duration: slower than that, or timed out)"
DETALJE_RPS, DETALJE_P99_MS, DETALJE_RATE = 300.0, 50.0, 150.0


def _sti(url: str) -> str:
    d = urlsplit(url)
    return d.path + (f"?{d.query}" if d.query else "")


def _fang(k, client, sti: str) -> dict:
    """One in-process request: status, duration, its SQL (replayable) and the next page's path."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as q:
        svar = client.get(sti)
    varighed = time.perf_counter() - t0
    naeste, antal = None, None
    if svar.status_code == 200 and svar.get("Content-Type", "").startswith("application/json"):
        data = svar.json()
        if isinstance(data, dict):
            naeste = _sti(data["next"]) if data.get("next") else None
            antal = len(data.get("results", []))
    return {"status": svar.status_code, "sek": varighed, "sql": belastning.replaybar(q.captured_queries),
            "queries": len(q.captured_queries), "naeste": naeste, "antal": antal,
            "body": svar.content[:200]}  # fmt: skip


def _id(cur, sql: str, params=()) -> str:
    cur.execute(sql, params)
    row = cur.fetchone()
    return str(row[0]) if row else "00000000-0000-0000-0000-000000000000"


def liste_stier(k) -> list[tuple[str, str, bool]]:
    """(label, path, follow-the-cursor) for every list and filter combination measured."""
    from django.db import connection

    kid = k.kommune_id
    with connection.cursor() as cur:
        team = _id(cur, "SELECT team_id FROM cases_forloeb WHERE sagsbehandler_id = %s LIMIT 1", [k.sb0.pk])
        fl = _id(cur, "SELECT forloeb_id FROM decisions_dokument WHERE kommune_id = %s "
                      "ORDER BY md5(id::text) LIMIT 1", [kid])  # fmt: skip
    idag, sb = k.idag.isoformat(), k.sb0.pk
    return [
        ("forløb", "/api/v1/forloeb/", True),
        ("forløb ?tilstand=", "/api/v1/forloeb/?tilstand=forberedende_plan", False),
        ("forløb ?tilstand=&team=", f"/api/v1/forloeb/?tilstand=forberedende_plan&team={team}", False),
        ("forløb ?sagsbehandler=", f"/api/v1/forloeb/?sagsbehandler={sb}", False),
        ("frister", "/api/v1/frister/", True),
        ("frister ?status=aaben&forfald_foer=", f"/api/v1/frister/?status=aaben&forfald_foer={idag}", True),
        ("frister ?aaben=true", "/api/v1/frister/?aaben=true", False),
        ("frister ?team=&status=aaben", f"/api/v1/frister/?team={team}&status=aaben", False),
        ("frister ?sagsbehandler=&aaben=true", f"/api/v1/frister/?sagsbehandler={sb}&aaben=true", False),
        ("frister ?forloeb=", f"/api/v1/frister/?forloeb={fl}", False),
        ("afgørelser", "/api/v1/afgoerelser/", True),
        ("afgørelser ?status=udstedt", "/api/v1/afgoerelser/?status=udstedt", False),
        ("afgørelser ?type=", "/api/v1/afgoerelser/?type=fleksjob_visitation", False),
        ("afgørelser ?forloeb=", f"/api/v1/afgoerelser/?forloeb={fl}", False),
        ("klager", "/api/v1/klager/", True),
        ("klager ?status=modtaget", "/api/v1/klager/?status=modtaget", False),
        ("aftaler", "/api/v1/aftaler/", True),
        ("aftaler ?status=modtaget", "/api/v1/aftaler/?status=modtaget", False),
        ("aftaler ?type=fleksjob", "/api/v1/aftaler/?type=fleksjob", False),
        ("borgere", "/api/v1/borgere/", True),
        ("borgere ?team=", f"/api/v1/borgere/?team={team}", False),
    ]


def _dyb(client, k, sti: str, fang_foerste: dict) -> tuple[str | None, str]:
    """The path of page ``--deep-pages + 1`` (or the last page reached, with the reason)."""
    naeste, side = fang_foerste["naeste"], 1
    while naeste and side < k.args.deep_pages:
        t0 = time.perf_counter()
        svar = client.get(naeste)
        if svar.status_code != 200:
            return None, f"page {side + 1} answered {svar.status_code}"
        if time.perf_counter() - t0 > k.args.timeout:
            return None, f"page {side + 1} took > {k.args.timeout} s"
        nxt = svar.json().get("next")
        if not nxt:
            break
        naeste, side = _sti(nxt), side + 1
    if not naeste:
        return None, "a single page"
    return naeste, f"page {side + 1}"


class Baselines:
    """Ping through the server at each concurrency, measured once per server session."""

    def __init__(self, server, k):
        self.server, self.k, self.ping = server, k, {}

    def __call__(self, klienter: int) -> dict:
        if klienter not in self.ping:
            self.ping[klienter] = self.server.last(["/bench/ping/"], {}, self.k.args.list_duration, klienter)
        return self.ping[klienter]


def _m(r: dict, felt: str = "p50") -> str:
    return fmt(r.get(felt), "ms") if r and r.get(felt) is not None else "n/a"


def _raekke(k, server, base, label: str, sti: str, fangst: dict, headers: dict, note: str) -> tuple[list, list]:  # noqa: PLR0917
    """Resultat rows (one per concurrency) and the list table's row for one path."""
    dsn = os.environ["DATABASE_URL"]
    res, cells = [], {}
    for c in k.args.list_clients:
        if cells and not any(celle[0]["n"] for celle in cells.values()):
            # Nothing completed with fewer clients: more would only queue work the next figure waits for.
            res.append(na(f"list {label} c{c} p50", f"skipped: no request completed at c{min(cells)}",
                          f"p50 ≤ {LIST_CN_MS:.0f} ms"))  # fmt: skip
            continue
        http = server.last([sti], headers, k.args.list_duration, c, timeout=k.args.timeout)
        sql = belastning.sql_replay(dsn, fangst["sql"], c, k.args.sql_duration, timeout=k.args.timeout)
        ping = base(c)
        graense = LIST_C1_MS if c == 1 else LIST_CN_MS
        ok = http["p50"] is not None and http["p50"] <= graense and http["fejl"] == 0
        res.append(Resultat(
            f"list {label} c{c} p50", f"GET {sti[:60]}", http["p50"], "ms", f"its SQL ×{c} threads p50",
            sql["p50"], f"p50 ≤ {graense:.0f} ms", ok,
            f"{http['rps']:,.0f} req/s; ping p50 {_m(ping)}; {fangst['queries']} queries; "
            f"errors {http['fejl']}/{http['n']}{INGEN if not http['n'] else ''}; {note}".strip("; "),
        ))  # fmt: skip
        cells[c] = (http, sql, ping, ok)
    return res, [label, cells, fangst["queries"], note]


def liste_tabel(k, rows: list) -> str:
    cs = k.args.list_clients
    kol = ["list (page 1 unless noted)", *(f"p50 c{c}" for c in cs), f"req/s c{cs[-1]}",
           *(f"ping c{c}" for c in cs), *(f"SQL c{c}" for c in cs), "queries", "errors", "result"]  # fmt: skip
    linjer = []
    for label, cells, queries, note in rows:
        if not cells:
            linjer.append([label, *(["n/a"] * (len(kol) - 2)), "n/a: " + note])
            continue
        tom = ({"p50": None, "rps": 0, "fejl": 0}, {}, {}, False)
        celle = {c: cells.get(c, tom) for c in cs}
        fejl = sum(celle[c][0]["fejl"] for c in cs)
        linjer.append([
            label, *(_m(celle[c][0]) for c in cs), f"{celle[cs[-1]][0]['rps']:,.0f}",
            *(_m(celle[c][2]) for c in cs), *(_m(celle[c][1]) for c in cs), str(queries), str(fejl),
            "pass" if all(celle[c][3] for c in cs) else "MISS",
        ])  # fmt: skip
    bredder = [max(len(h), *(len(r[i]) for r in linjer)) for i, h in enumerate(kol)]
    ud = ["| " + " | ".join(h.ljust(w) for h, w in zip(kol, bredder, strict=True)) + " |",
          "|" + "|".join("-" * (w + 2) for w in bredder) + "|"]  # fmt: skip
    ud += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, bredder, strict=True)) + " |" for r in linjer]
    return "\n".join(ud)


def maal_lister(k) -> list[Resultat]:
    from django.db import connection
    from django.test import Client

    from bench import kommune_api
    from cases.models import ApiKlient

    token = k.token()
    klient = ApiKlient.objects.get(token_prefix=token[:8], navn="Bench")
    with connection.cursor() as cur:
        t0 = time.perf_counter()
        antal = kommune_api.sikr(cur, klient.pk)
        print(f"  list data: {antal} ({time.perf_counter() - t0:.1f} s)", flush=True)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    headers = {"Authorization": f"Bearer {token}"}
    maalinger = []  # (label, path, capture, note)
    for label, sti, dyb in liste_stier(k):
        try:
            client.get(sti)  # warm-up (imports, plans, caches)
            fangst = _fang(k, client, sti)
        except Exception as exc:  # noqa: BLE001 - another branch's list may be broken: report it
            traceback.print_exc()
            maalinger.append((label, sti, None, f"in-process GET failed: {exc!r}"[:150]))
            continue
        if fangst["status"] != 200:
            maalinger.append((label, sti, None, f"answered {fangst['status']}: {fangst['body']!r}"[:150]))
            continue
        maalinger.append((label, sti, fangst, f"{fangst['antal']} rows, in-process {ms(fangst['sek']):.0f} ms"))
        if dyb:
            dyb_sti, hvor = _dyb(client, k, sti, fangst)
            if dyb_sti is None:
                maalinger.append((f"{label} deep cursor page", sti, None, hvor))
                continue
            dyb_fangst = _fang(k, client, dyb_sti)
            maalinger.append((f"{label} {hvor} via cursor", dyb_sti, dyb_fangst, f"{dyb_fangst['antal']} rows"))
    resultater, rows = [], []
    with belastning.Server(k.args.tmp, k.args.gunicorn_workers, timeout=max(30, int(k.args.timeout) * 3)) as server:
        base = Baselines(server, k)
        server.last(["/api/v1/forloeb/"], headers, 2, 2, timeout=k.args.timeout)  # warm every worker
        for c in k.args.list_clients:
            base(c)
        for label, sti, fangst, note in maalinger:
            if fangst is None:
                resultater.append(na(f"list {label}", note, f"p50 ≤ {LIST_C1_MS:.0f}/{LIST_CN_MS:.0f} ms"))
                rows.append([label, {}, 0, note])
                continue
            t0 = time.perf_counter()
            res, row = _raekke(k, server, base, label, sti, fangst, headers, note)
            resultater += res
            rows.append(row)
            print(f"  {label}: " + ", ".join(f"{r.maaling.rsplit(' ', 2)[1]} {fmt(r.vaerdi, 'ms')} "
                                             f"(SQL {fmt(r.baseline, 'ms')})" for r in res)
                  + f" ({time.perf_counter() - t0:.0f} s)", flush=True)  # fmt: skip
        note = f"{server.vaerktoej}, {k.args.list_duration} s per figure, SQL replay {k.args.sql_duration} s"
    k.tabeller.append(f"API lists ({note}; target p50 ≤ {LIST_C1_MS:.0f} ms at c1 and ≤ {LIST_CN_MS:.0f} ms "
                      f"at c{k.args.list_clients[-1]}, no errors):\n" + liste_tabel(k, rows))  # fmt: skip
    return resultater


# --- detail ------------------------------------------------------------------------------------------
def _ui_session(k) -> tuple[dict, str, dict] | None:
    """A caseworker's session cookie and the citizen page of one of their forløb, with its capture."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    with connection.cursor() as cur:
        borger = _id(cur, "SELECT borger_id FROM cases_forloeb WHERE sagsbehandler_id = %s "
                          "AND tilstand = 'forberedende_plan' ORDER BY id LIMIT 1", [k.sb0.pk])  # fmt: skip
    c = Client()
    c.force_login(k.sb0)
    sti = reverse("cases:borger_detail", args=[borger])
    for _ in range(3):
        c.get(sti)
    fangst = _fang(k, c, sti)
    if fangst["status"] != 200:
        return None
    cookie = c.cookies[settings.SESSION_COOKIE_NAME].value
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}, sti, fangst


def maal_detalje(k) -> list[Resultat]:
    from django.db import connection
    from django.test import Client

    token = k.token()
    headers = {"Authorization": f"Bearer {token}"}
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM cases_forloeb WHERE kommune_id = %s ORDER BY md5(id::text) LIMIT 2000",
                    [k.kommune_id])  # fmt: skip
        stier = [f"/api/v1/forloeb/{r[0]}/" for r in cur.fetchall()]
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for sti in stier[:5]:
        c.get(sti)
    fangst = _fang(k, c, stier[5])
    if fangst["status"] != 200:
        return [na("API forløb detail GET", f"GET {stier[5]} answered {fangst['status']}: {fangst['body']!r}")]
    enkelt = []
    for sti in stier[6:46]:
        t0 = time.perf_counter()
        c.get(sti)
        enkelt.append(time.perf_counter() - t0)
    inproc = f"in-process p50 {ms(statistics.median(enkelt)):.1f} ms, {fangst['queries']} queries"
    ui = _ui_session(k)
    dsn = os.environ["DATABASE_URL"]
    d = k.args.duration
    res: list[Resultat] = []
    with belastning.Server(k.args.tmp, k.args.gunicorn_workers) as server:
        server.last(stier, headers, 3, 2)  # warm-up: imports, connections, caches in every worker
        server.last(["/bench/ping/"], {}, 1, 2)
        bedst = None
        for n in k.args.detail_clients:
            api = server.last(stier, headers, d, n)
            ping = server.last(["/bench/ping/"], {}, d, n)
            sql = belastning.sql_replay(dsn, fangst["sql"], n, k.args.sql_duration)
            print(f"  detail c{n}: p50 {_m(api)} p99 {_m(api, 'p99')} {api['rps']:,.0f} req/s; ping {_m(ping)} "
                  f"{ping['rps']:,.0f} req/s; SQL {_m(sql)} {sql['rps']:,.0f} /s", flush=True)  # fmt: skip
            res.append(Resultat(
                f"API forløb detail GET c{n} p50", f"p99 {_m(api, 'p99')}", api["p50"], "ms",
                f"its SQL ×{n} threads p50", sql["p50"], "", None,
                f"{api['rps']:,.0f} req/s (ping {ping['rps']:,.0f} req/s, p50 {_m(ping)}; SQL {sql['rps']:,.0f}/s); "
                f"errors {api['fejl']}/{api['n']}",
            ))  # fmt: skip
            if bedst is None or api["rps"] > bedst[1]["rps"]:
                bedst = (n, api, ping)
        n, api, ping = bedst
        res.insert(0, Resultat(
            "API forløb detail GET throughput", f"best of c{'/c'.join(map(str, k.args.detail_clients))}: c{n}",
            api["rps"], "req/s", f"minimal Django view c{n}", ping["rps"], f"≥ {DETALJE_RPS:.0f} req/s",
            api["rps"] >= DETALJE_RPS and api["fejl"] == 0,
            f"{server.vaerktoej}, {k.args.gunicorn_workers} gunicorn workers, {d} s; errors {api['fejl']}; {inproc}",
        ))  # fmt: skip
        rate = k.args.detail_rate
        aaben = belastning.aaben_loekke(server.port, stier, headers, rate, k.args.rate_duration)
        server.toem()
        ping_aaben = belastning.aaben_loekke(server.port, ["/bench/ping/"], {}, rate, k.args.rate_duration)
        server.toem()
        print(
            f"  detail at {rate:.0f} req/s offered: p50 {_m(aaben)} p99 {_m(aaben, 'p99')} "
            f"({aaben['n']} answered, {aaben['fejl']} errors); ping p99 {_m(ping_aaben, 'p99')}",
            flush=True,
        )
        res.append(Resultat(
            f"API forløb detail GET p99 at {rate:.0f} req/s offered", f"p50 {_m(aaben)}", aaben["p99"], "ms",
            f"minimal Django view p99 at {rate:.0f} req/s", ping_aaben["p99"], f"p99 ≤ {DETALJE_P99_MS:.0f} ms",
            aaben["p99"] is not None and aaben["p99"] <= DETALJE_P99_MS and aaben["fejl"] == 0,
            f"open loop, latency from the scheduled time; {aaben['n']:,} answered ({aaben['rps']:,.0f} req/s), "
            f"errors {aaben['fejl']}; {k.args.rate_duration} s",
        ))  # fmt: skip
        if ui is None:
            res.append(na("caseworker citizen page c1 p50", "the UI page did not answer 200 in-process"))
        else:
            cookie, ui_sti, ui_fangst = ui
            side = server.last([ui_sti], cookie, d, 1)
            sql = belastning.sql_replay(dsn, ui_fangst["sql"], 1, k.args.sql_duration)
            ping1 = server.last(["/bench/ping/"], {}, d, 1)
            res.append(Resultat(
                "caseworker citizen page c1 p50", "GET /borgere/<id>/ (session, transition rules)", side["p50"], "ms",
                "its SQL replayed p50", sql["p50"], "", None,
                f"p99 {_m(side, 'p99')}, {side['rps']:,.0f} req/s; ping p50 {_m(ping1)}; "
                f"{ui_fangst['queries']} queries; errors {side['fejl']}/{side['n']}",
            ))  # fmt: skip
    return res
