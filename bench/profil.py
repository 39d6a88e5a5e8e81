"""One API detail GET as gunicorn runs it, taken apart: where the milliseconds go, how many SQL
statements and Redis commands one request costs.

The request is a plain WSGI call of ``config.wsgi.application`` under ``bench.settings`` (what a
gunicorn sync worker does for each request, without the socket), with a Bearer token on a generated
municipality. Printed:

* wall p50/mean of the detail and of ``/bench/ping/`` (same middleware stack), and their difference;
* the inclusive wall time per component (middleware, authentication, rate limiter, permission
  checks, object fetch, read audit, answer building, rendering), mean over the timed requests, each
  measured by wrapping the component's function with a clock (nested components are inclusive);
* the SQL statements one request sends, as PostgreSQL logged them (``log_statement = all``:
  BEGIN/COMMIT, ``SET``, the connection health check and everything Django runs), and the Redis
  commands per request (``INFO commandstats`` before and after).

    .venv/bin/python tools/devservices.py exec --profile bench -- .venv/bin/python bench/profil.py
"""

from __future__ import annotations

import argparse
import collections
import functools
import importlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: (module, attribute path, label): the components of the request path that are timed.
KOMPONENTER = [
    ("django.core.handlers.wsgi", "WSGIHandler.__call__", "whole WSGI call"),
    ("django.core.handlers.base", "BaseHandler.get_response", "Django get_response (middleware + view)"),
    ("django.middleware.security", "SecurityMiddleware.process_request", "mw Security (request)"),
    ("django.middleware.security", "SecurityMiddleware.process_response", "mw Security (response)"),
    ("django.contrib.sessions.middleware", "SessionMiddleware.process_request", "mw Session (request)"),
    ("django.contrib.sessions.middleware", "SessionMiddleware.process_response", "mw Session (response)"),
    ("django.middleware.locale", "LocaleMiddleware.process_request", "mw Locale (request)"),
    ("django.middleware.locale", "LocaleMiddleware.process_response", "mw Locale (response)"),
    ("django.middleware.common", "CommonMiddleware.process_request", "mw Common (request)"),
    ("django.middleware.common", "CommonMiddleware.process_response", "mw Common (response)"),
    ("django.middleware.csrf", "CsrfViewMiddleware.process_request", "mw CSRF (request)"),
    ("django.middleware.csrf", "CsrfViewMiddleware.process_view", "mw CSRF (view)"),
    ("django.middleware.csrf", "CsrfViewMiddleware.process_response", "mw CSRF (response)"),
    ("django.contrib.auth.middleware", "AuthenticationMiddleware.process_request", "mw Authentication"),
    ("django.contrib.messages.middleware", "MessageMiddleware.process_request", "mw Messages (request)"),
    ("django.contrib.messages.middleware", "MessageMiddleware.process_response", "mw Messages (response)"),
    ("django.middleware.clickjacking", "XFrameOptionsMiddleware.process_response", "mw XFrameOptions"),
    ("csp.middleware", "CSPMiddleware.process_request", "mw CSP (request)"),
    ("csp.middleware", "CSPMiddleware.process_response", "mw CSP (response)"),
    ("infra.middleware", "RequestContextMiddleware.__call__", "mw RequestContext (incl. everything inside)"),
    ("infra.replika", "ReplikaMiddleware.process_view", "mw Replika (view)"),
    ("cases.sso", "SsoGenbekraeft.__call__", "mw SsoGenbekraeft (incl. inside)"),
    ("axes.middleware", "AxesMiddleware.__call__", "mw Axes (incl. inside)"),
    ("django.urls.resolvers", "URLResolver.resolve", "URL resolving"),
    ("rest_framework.views", "APIView.dispatch", "DRF dispatch (incl. view)"),
    ("rest_framework.views", "APIView.initialize_request", "DRF initialize_request"),
    ("rest_framework.views", "APIView.initial", "DRF initial (negotiation, versioning, auth, perms, throttle)"),
    ("rest_framework.views", "APIView.perform_content_negotiation", "DRF content negotiation"),
    ("rest_framework.views", "APIView.perform_authentication", "DRF authentication (total)"),
    ("cases.api.auth", "BearerTokenAuthentication.authenticate", "Bearer token authentication"),
    ("cases.tokencache", "husket", "token cache GET (Redis)"),
    ("rest_framework.views", "APIView.check_permissions", "DRF permissions (view level)"),
    ("rest_framework.views", "APIView.check_throttles", "DRF throttles"),
    ("infra.api.throttling", "KlientRate._tael", "rate limiter EVALSHA (Redis)"),
    ("cases.api.viewsets", "ForloebViewSet.retrieve", "view retrieve (total)"),
    ("rest_framework.generics", "GenericAPIView.get_object", "get_object (SQL + object perms)"),
    ("cases.api.viewsets", "ForloebViewSet.get_object", "forløb get_object (SQL compiled once per scope)"),
    ("infra.audit", "record_read", "read audit (INSERT)"),
    ("cases.api.viewsets", "ForloebViewSet.detalje_data", "answer built by hand"),
    ("cases.services", "tilladte_overgange", "tilladte_overgange"),
    ("rest_framework.views", "APIView.finalize_response", "DRF finalize_response"),
    ("rest_framework.response", "Response.rendered_content", "rendering (JSON)"),
    (
        "django.db.backends.base.base",
        "BaseDatabaseWrapper.close_if_unusable_or_obsolete",
        "request_started/finished DB",
    ),
    ("django.db", "close_old_connections", "close_old_connections (signal)"),
]


def _tidtag(tider: dict, modul: str, sti: str, navn: str) -> None:
    obj = importlib.import_module(modul)
    *ejere, attr = sti.split(".")
    for e in ejere:
        obj = getattr(obj, e)
    raw = obj.__dict__.get(attr) if isinstance(obj, type) else getattr(obj, attr, None)
    if raw is None:
        return
    if isinstance(raw, property):
        fget = raw.fget

        @functools.wraps(fget)
        def prop(self, _f=fget):
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                return _f(self)
            finally:
                tider[navn].append((time.perf_counter() - t0, time.thread_time() - c0))

        setattr(obj, attr, property(prop))
        return
    if isinstance(raw, staticmethod | classmethod):
        return
    fn = raw

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            return fn(*a, **kw)
        finally:
            tider[navn].append((time.perf_counter() - t0, time.thread_time() - c0))

    setattr(obj, attr, wrapper)
    if not isinstance(obj, type):  # a module-level function: patch the names imported elsewhere too
        for m in list(sys.modules.values()):
            if m is not None and getattr(m, attr, None) is fn:
                setattr(m, attr, wrapper)


def _environ(sti: str, token: str | None) -> dict:
    env = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": sti,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT": "*/*",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if token:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return env


def kald(app, sti: str, token: str | None) -> tuple[str, bytes]:
    """One request as gunicorn's sync worker makes it: call, read the body, close."""
    status = []
    body = app(_environ(sti, token), lambda s, h, exc_info=None: status.append((s, h)))
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return status[0][0], data


def _redis_stat(r) -> dict[str, int]:
    return {k: v["calls"] for k, v in r.info("commandstats").items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forloeb", type=int, default=400, help="size of the generated municipality")
    parser.add_argument("--n", type=int, default=400, help="timed requests")
    parser.add_argument("--uden-komponenter", action="store_true", help="only the wall times, no wrapping")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also cProfile N requests (top 40)")
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    from bench.common import setup_django

    setup_django("bench.settings")
    import redis
    from django.conf import settings
    from django.db import connection, transaction

    from bench import kommune
    from cases.api.auth import hash_token, ny_token
    from cases.models import ApiKlient, Forloeb
    from config.wsgi import application
    from infra import datoer

    with connection.cursor() as cur:
        kommune_id = kommune.sikr(cur, args.forloeb, datoer.idag())
    token = ny_token()
    with transaction.atomic():
        ApiKlient.objects.create(navn="Bench profil", kommune_id=kommune_id, scopes=["forloeb:read"],
                                 token_hash=hash_token(token), token_prefix=token[:8])  # fmt: skip
    stier = [
        f"/api/v1/forloeb/{pk}/" for pk in Forloeb.objects.filter(kommune_id=kommune_id).values_list("pk", flat=True)
    ][:300]
    connection.close()

    def maal(sti_for, n):
        tider, cpu = [], []
        for i in range(n):
            t0, c0 = time.perf_counter(), time.thread_time()
            status, _ = kald(application, sti_for(i), token)
            tider.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
            assert status.startswith("200"), status
        return statistics.median(tider), statistics.fmean(tider), statistics.median(cpu)

    for i in range(30):
        kald(application, stier[i % len(stier)], token)
        kald(application, "/bench/ping/", None)
    ping = maal(lambda i: "/bench/ping/", args.n)
    detalje = maal(lambda i: stier[i % len(stier)], args.n)
    print(f"load average {os.getloadavg()[0]:.2f} (CPU is this thread's time: robust on a busy machine)")
    print(f"ping   wall p50 {ping[0]:.2f} ms, mean {ping[1]:.2f} ms, CPU p50 {ping[2]:.2f} ms")
    print(
        f"detail wall p50 {detalje[0]:.2f} ms, mean {detalje[1]:.2f} ms, CPU p50 {detalje[2]:.2f} ms "
        f"(detail - ping: wall {detalje[0] - ping[0]:.2f} ms, CPU {detalje[2] - ping[2]:.2f} ms)"
    )

    # Redis commands per request
    r = redis.Redis.from_url(settings.REDIS_URL)
    foer = _redis_stat(r)
    for i in range(100):
        kald(application, stier[i % len(stier)], token)
    efter = _redis_stat(r)
    delta = {k: (efter.get(k, 0) - foer.get(k, 0)) / 100 for k in efter}
    print(
        "Redis commands per request (a script's own count too):",
        {k: v for k, v in delta.items() if v and k != "cmdstat_info"},
    )
    rundture = []
    original = redis.Redis.execute_command
    redis.Redis.execute_command = lambda self, *a, **kw: rundture.append(a[0]) or original(self, *a, **kw)
    for i in range(100):
        kald(application, stier[i % len(stier)], token)
    redis.Redis.execute_command = original
    print(f"Redis round trips per request: {len(rundture) / 100:.2f} ({sorted(set(rundture))})")

    # SQL statements of one request, as PostgreSQL saw them
    with connection.cursor() as cur:
        cur.execute("ALTER SYSTEM SET log_statement = 'all'")
        cur.execute("SELECT pg_reload_conf()")
        cur.execute("SELECT current_setting('data_directory')")
        datadir = Path(cur.fetchone()[0])
    connection.close()
    time.sleep(0.5)
    logfil = datadir.parent / "postgres.log"
    start = logfil.stat().st_size if logfil.exists() else 0
    kald(application, stier[1], token)
    kald(application, stier[2], token)  # the second on a warm connection is the one printed
    time.sleep(0.3)
    with connection.cursor() as cur:
        cur.execute("ALTER SYSTEM RESET log_statement")
        cur.execute("SELECT pg_reload_conf()")
    connection.close()
    if logfil.exists():
        with open(logfil, "rb") as f:
            f.seek(start)
            linjer = [ln.decode(errors="replace") for ln in f.read().splitlines() if b"statement:" in ln]
        sql = [ln.split("statement:", 1)[1].strip() for ln in linjer]
        sql = [s for s in sql if "log_statement" not in s and "pg_reload_conf" not in s]
        print(
            f"SQL statements of two requests on one warm connection ({len(sql)}; "
            "the last SELECT 1 is this script's own):"
        )
        for stmt in sql:
            print("   ", stmt[:160])
    else:
        print(f"(no PostgreSQL log at {logfil})")

    if args.cprofile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for i in range(args.cprofile):
            kald(application, stier[i % len(stier)], token)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    if args.uden_komponenter:
        return 0
    tider: dict[str, list[float]] = collections.defaultdict(list)
    for modul, sti, navn in KOMPONENTER:
        try:
            _tidtag(tider, modul, sti, navn)
        except (ImportError, AttributeError) as exc:
            print(f"  (not timed: {navn}: {exc})")
    for i in range(20):
        kald(application, stier[i % len(stier)], token)
    tider.clear()
    for i in range(args.n):
        kald(application, stier[i % len(stier)], token)
    print(
        f"components, inclusive ms per request, wall and this thread's CPU (mean over {args.n}; "
        "the clocks add a little):"
    )
    for _modul, _sti, navn in KOMPONENTER:
        v = tider.get(navn)
        if v:
            vaeg, cpu = sum(t for t, _ in v) * 1000 / args.n, sum(c for _, c in v) * 1000 / args.n
            print(f"  wall {vaeg:7.3f} ms  CPU {cpu:7.3f} ms  {len(v) / args.n:4.1f}x  {navn}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
