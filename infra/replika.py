"""Reads that tolerate a little lag go to a read replica; everything else to the primary.

Which requests may read from the replica is a list of URL names (``settings.REPLIKA_VISNINGER``):
the team leader's dashboard and its drill-down and CSV export, and lists (the work queue, the
complaints and agreement queues). For those, and only for a GET or HEAD:

- the router sends ORM reads to ``replica`` (``DATABASE_REPLICA_URL``) unless the primary is in a
  transaction (a read inside a transaction belongs to it) or this request has written already;
- every write goes to ``default``, whatever alias the instance was read from; migrations run only
  there (the replica receives them by streaming replication);
- **read your writes**: a request that changed something (POST, PUT, PATCH, DELETE) sets a cookie
  for ``REPLICA_MAX_LAG`` seconds; while it is there, that browser reads from the primary, so a
  caseworker never misses the change they just made, whichever node serves the next page;
- **lag**: the replica's replay delay is measured (at most every few seconds per process); beyond
  ``REPLICA_MAX_LAG`` seconds, or when the replica cannot be reached, reads go to the primary. Within
  it, a page served from the replica says how old its figures may be (``replika_forsinkelse`` in
  the template context, shown by ``templates/includes/replika.html``).

Files (infra/storage.py), Celery tasks, commands and the API always use the primary: they never pass
through the middleware that allows the replica.
"""

from __future__ import annotations

import contextvars
import logging
import time
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError

logger = logging.getLogger(__name__)

REPLIKA = "replica"
SKREV_COOKIE = "sf_skrev"
MAALING_SEKUNDER = 5.0  # how long one lag measurement is trusted (per process)

LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN NULL
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)
END
"""


class _Tilstand:
    __slots__ = ("brugt", "forsinkelse", "skrevet", "tilladt")

    def __init__(self, tilladt: bool = False):
        self.tilladt = tilladt  # this request may read from the replica
        self.skrevet = False  # ... until it writes
        self.brugt = False  # a query of this request went to the replica
        self.forsinkelse: float | None = None


_tilstand: contextvars.ContextVar[_Tilstand | None] = contextvars.ContextVar("replika", default=None)
_maaling: dict[str, Any] = {"tid": -1e9, "forsinkelse": None}


def har_replika() -> bool:
    return REPLIKA in settings.DATABASES


def forsinkelse(*, frisk: bool = False) -> float | None:
    """The replica's replay delay in seconds (0 when it has replayed everything it received), or
    None when it cannot be reached or is not a standby. Measured at most every ``MAALING_SEKUNDER``."""
    nu = time.monotonic()
    if frisk or nu - _maaling["tid"] > MAALING_SEKUNDER:
        try:
            with connections[REPLIKA].cursor() as cur:
                cur.execute(LAG_SQL)
                (vaerdi,) = cur.fetchone()
            _maaling["forsinkelse"] = None if vaerdi is None else float(vaerdi)
        except DatabaseError as exc:
            logger.warning("read replica unavailable (%s); reading from the primary", type(exc).__name__)
            _maaling["forsinkelse"] = None
            connections[REPLIKA].close()
        _maaling["tid"] = nu
    return _maaling["forsinkelse"]


#: Always read from the primary: who the user is and whether they are still active (a de-provisioned
#: user is locked out at the next request, not after the replica catches up), sessions, login
#: throttling, stored files and idempotency keys.
ALTID_PRIMAER_APPS = {"sessions", "axes", "auth"}
ALTID_PRIMAER_MODELLER = {"infra.LagretFil", "infra.IdempotencyKey"}


def _altid_primaer(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in ALTID_PRIMAER_APPS
        or meta.label in ALTID_PRIMAER_MODELLER
        or meta.label == settings.AUTH_USER_MODEL
    )


class ReplikaRouter:
    def db_for_read(self, model, **hints):
        t = _tilstand.get()
        if t is None or not t.tilladt or t.skrevet or not har_replika() or (model and _altid_primaer(model)):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        lag = forsinkelse()
        if lag is None or lag > settings.REPLICA_MAX_LAG:
            return DEFAULT_DB_ALIAS
        t.brugt, t.forsinkelse = True, max(t.forsinkelse or 0.0, lag)
        return REPLIKA

    def db_for_write(self, model, **hints):
        t = _tilstand.get()
        if t is not None:
            t.skrevet = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows, whichever copy they were read from

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def laeseforbindelse():
    """The connection for raw SQL reads (``with laeseforbindelse().cursor()``), routed like the ORM's
    reads: the replica when this request may use it, otherwise the primary."""
    return connections[ReplikaRouter().db_for_read(None)]


class ReplikaMiddleware:
    """Decides per request whether its reads may use the replica (after URL resolution), and sets the
    read-your-writes cookie after a request that may have written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _tilstand.set(_Tilstand())  # every request starts on the primary, whatever ran before on this thread
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and har_replika():
            response.set_cookie(
                SKREV_COOKIE,
                "1",
                max_age=max(1, int(settings.REPLICA_MAX_LAG)),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        tilladt = (
            har_replika()
            and request.method in ("GET", "HEAD")
            and SKREV_COOKIE not in request.COOKIES
            and match is not None
            and match.view_name in settings.REPLIKA_VISNINGER
        )
        _tilstand.set(_Tilstand(tilladt=tilladt))


def _nulstil(**kwargs) -> None:
    _tilstand.set(None)


request_finished.connect(_nulstil, dispatch_uid="infra.replika.nulstil")  # also after a streamed export


def kontekst(request) -> dict:
    """Template context: how many seconds old a page read from the replica may be (rounded up), when
    the replica is measurably behind; nothing when the page is read from the primary. Decided from
    the request and the measured lag, before the template's own (lazy) queries run."""
    t = _tilstand.get()
    if t is None or not t.tilladt or (t.skrevet and not t.brugt):  # an audit row after the reads is fine
        return {}
    lag = forsinkelse()
    if lag is None or lag < 1 or lag > settings.REPLICA_MAX_LAG:
        return {}
    return {"replika_forsinkelse": int(lag) + 1}
