"""The API detail GET in-process: server time and query count of one request, no HTTP server.

Interface for the harness (call inside a set-up Django with bench data, e.g. from ``bench/full.py``):

    from bench.detalje import maal_detalje_inproc
    r = maal_detalje_inproc(stier, token="sf_...")          # as an API client (Bearer token)
    r = maal_detalje_inproc(stier, bruger=user)             # as a caseworker (session; the
                                                            # transition rules are evaluated)
    r == {"cpu_p50_ms", "p50_ms", "p95_ms", "mean_ms", "n", "queries", "status", "loadavg", "hvem"}

``cpu_p50_ms`` is the median CPU time of this process per request (the Python side: framework,
serialising, the client side of the queries), robust on a busy machine; the ``*_ms`` are wall time.

``stier`` are detail paths (``/api/v1/forloeb/<id>/``); the first ``opvarm`` are warm-up requests,
then ``n`` timed requests cycle over the rest. ``queries`` is the query count of one request (after
warm-up). ``loadavg`` is the 1-minute load average when the measurement ended.

The API lists (page 1 at the default page size, 50 rows: forløb, frister, afgørelser, klager, aftaler,
borgere) are measured the same way:

    from bench.detalje import maal_lister_inproc
    maal_lister_inproc(token="sf_...") == {"/api/v1/forloeb/": {...}, "/api/v1/frister/": {...}, ...}

The token's client needs the read scopes of every list (``SCOPES``); the afgørelser, klager and
aftaler rows come from ``bench/kommune_api.py`` (``main`` adds them), and ``/aftaler/`` shows only
the agreements of the client ``kommune_api.sikr`` was given.

Stand-alone (a small generated municipality in the bench profile's throw-away PostgreSQL):

    .venv/bin/python tools/devservices.py exec --profile bench -- .venv/bin/python bench/detalje.py --forloeb 400
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def maal_detalje_inproc(stier: list[str], *, token: str | None = None, bruger=None, n: int = 200,
                        opvarm: int = 5) -> dict:  # fmt: skip
    """p50/p95/mean in ms of ``n`` detail GETs through the Django test client, and the query count."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if (token is None) == (bruger is None):
        raise ValueError("give exactly one of token= or bruger=")
    if len(stier) <= opvarm:
        raise ValueError(f"need more than {opvarm} paths")
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}") if token else Client()
    if bruger is not None:
        c.force_login(bruger)
    for sti in stier[:opvarm]:
        c.get(sti)
    with CaptureQueriesContext(connection) as q:
        svar = c.get(stier[opvarm])
    antal = len(q.captured_queries)
    rest = stier[opvarm:]
    tider, cpu = [], []
    for i in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        c.get(rest[i % len(rest)])
        tider.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    tider.sort()
    return {
        "cpu_p50_ms": statistics.median(cpu),
        "p50_ms": statistics.median(tider),
        "p95_ms": tider[min(len(tider) - 1, int(len(tider) * 0.95))],
        "mean_ms": statistics.fmean(tider),
        "n": n,
        "queries": antal,
        "status": svar.status_code,
        "loadavg": os.getloadavg()[0],
        "hvem": "api_klient" if token else "sagsbehandler",
    }


LISTER = (
    "/api/v1/forloeb/", "/api/v1/frister/", "/api/v1/afgoerelser/", "/api/v1/klager/", "/api/v1/aftaler/",
    "/api/v1/borgere/",
)  # fmt: skip
SCOPES = ["forloeb:read", "borgere:read", "afgoerelser:read", "aftaler:write"]


def maal_lister_inproc(*, token: str | None = None, bruger=None, n: int = 100) -> dict[str, dict]:
    """:func:`maal_detalje_inproc`'s figures for page 1 of each list (the same path repeated)."""
    return {sti: maal_detalje_inproc([sti] * 6, token=token, bruger=bruger, n=n) for sti in LISTER}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forloeb", type=int, default=400, help="size of the generated municipality")
    parser.add_argument("--n", type=int, default=200, help="timed requests")
    args = parser.parse_args(argv)

    from bench.common import setup_django

    setup_django("bench.settings")
    from django.db import connection, transaction

    from bench import kommune, kommune_api
    from cases.api.auth import hash_token, ny_token
    from cases.models import ApiKlient, Forloeb, User
    from infra import datoer

    with connection.cursor() as cur:
        kommune_id = kommune.sikr(cur, args.forloeb, datoer.idag())
    token = ny_token()
    with transaction.atomic():
        klient = ApiKlient.objects.create(navn="Bench detalje", kommune_id=kommune_id, scopes=SCOPES,
                                          token_hash=hash_token(token), token_prefix=token[:8])  # fmt: skip
    with connection.cursor() as cur:
        kommune_api.sikr(cur, klient.pk)  # the afgørelser, klager and aftaler rows (once per database)
    sb = User.objects.get(username="bench-sb-0")
    alle = [
        f"/api/v1/forloeb/{pk}/"
        for pk in Forloeb.objects.filter(kommune_id=kommune_id).values_list("pk", flat=True)[:300]
    ]
    egne = [
        f"/api/v1/forloeb/{pk}/" for pk in Forloeb.objects.filter(sagsbehandler=sb).values_list("pk", flat=True)[:100]
    ]
    for navn, r in (("API client", maal_detalje_inproc(alle, token=token, n=args.n)),
                    ("caseworker", maal_detalje_inproc(egne, bruger=sb, n=args.n))):  # fmt: skip
        _skriv(f"detail GET in-process as {navn}", r)
    for sti, r in maal_lister_inproc(token=token, n=args.n).items():
        _skriv(f"list GET {sti} in-process as API client", r)
    return 0


def _skriv(hvad: str, r: dict) -> None:
    print(f"{hvad}: CPU p50 {r['cpu_p50_ms']:.2f} ms, "
          f"wall p50 {r['p50_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms, "
          f"mean {r['mean_ms']:.2f} ms, {r['queries']} queries, status {r['status']}, "
          f"load average {r['loadavg']:.2f}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
