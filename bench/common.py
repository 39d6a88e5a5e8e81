"""Shared helpers of the benchmark scripts: Django set-up, timing and set-based row generation.

Benchmarks run against the throw-away PostgreSQL of ``tools/devservices.py exec --profile bench``
(fsync off, like the test profile), never against a database with real citizens.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(settings_module: str = "config.settings.development") -> None:
    """Django with the development settings (DATABASE_URL comes from devservices), migrated."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit(
            "DATABASE_URL is not set: run through 'tools/devservices.py exec --profile bench -- ...' "
            "so the benchmark gets its own throw-away PostgreSQL"
        )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def stopur(resultat: dict, navn: str):
    """Wall time of the block in seconds, stored in ``resultat[navn]``."""
    t0 = time.perf_counter()
    yield
    resultat[navn] = time.perf_counter() - t0


# Neutral values for NOT NULL columns a generator does not care about (Django sets no DB defaults).
_NEUTRAL = {
    "text": "''",
    "character varying": "''",
    "boolean": "false",
    "integer": "0",
    "bigint": "0",
    "smallint": "0",
    "date": "current_date",
    "timestamp with time zone": "now()",
    "jsonb": "'{}'::jsonb",
    "uuid": "gen_random_uuid()",
    "ARRAY": "'{}'",
}


def insert_select(cur, table: str, kolonner: dict[str, str], fra: str, params=None) -> int:
    """``INSERT INTO table (...) SELECT ... FROM fra`` with the given column expressions.

    NOT NULL columns not named are filled with a neutral value, so a column added to a model
    later does not break the benchmark.
    """
    cur.execute(
        """
        SELECT column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = %s
          AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'
        """,
        [table],
    )
    alle = dict(kolonner)
    for navn, typ in cur.fetchall():
        if navn not in alle:
            if typ not in _NEUTRAL:
                raise SystemExit(f"{table}.{navn} ({typ}) is NOT NULL and has no neutral bench value")
            alle[navn] = _NEUTRAL[typ]
    cols = ", ".join(alle)
    exprs = ",\n       ".join(alle.values())
    cur.execute(f"INSERT INTO {table} ({cols})\nSELECT {exprs}\nFROM {fra}", params)
    return cur.rowcount


@contextmanager
def masseindlaesning(cur, tabeller: tuple[str, ...]):
    """A bulk load into ``tabeller`` the way PostgreSQL loads fastest (inside the caller's transaction).

    Every index of the tables that is not a constraint (primary key, unique) is dropped before the
    block and built again after it, sorted in one pass with ample ``maintenance_work_mem``, instead of
    being updated row by row; and ``session_replication_role = replica`` switches off the foreign-key
    triggers, so tens of millions of deferred FK checks do not queue up until COMMIT (the generators
    produce consistent rows by construction: every reference is to a row they generated). At 200,000
    forløb this took the generation from 1,046 s to a fraction (see docs/performance.md).
    """
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(tabeller)],
    )
    indekser = cur.fetchall()
    for navn, _ in indekser:
        cur.execute(f"DROP INDEX {navn}")
    cur.execute("SET LOCAL session_replication_role = replica")
    yield
    cur.execute("SET LOCAL session_replication_role = origin")
    cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cur.execute("SET LOCAL max_parallel_maintenance_workers = 2")
    for _, definition in indekser:
        cur.execute(definition)


def tabelstoerrelse(cur, table: str) -> str:
    cur.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
    return cur.fetchone()[0]
