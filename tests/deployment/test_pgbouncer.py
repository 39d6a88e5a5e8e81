"""The product through PgBouncer in transaction pooling mode (make test-pgbouncer: Debian's pgbouncer in
front of the embedded PostgreSQL; the rest of that run is a representative part of the suite through it).

In transaction pooling a server connection belongs to the client for one transaction only. What would
break, and what the product does about it:
- server-side (named) cursors that outlive a transaction: ``DISABLE_SERVER_SIDE_CURSORS`` (PGBOUNCER=1);
- prepared statements (PgBouncer 1.18 does not track them): psycopg's ``prepare_threshold=None`` and
  Django's client-side binding cursors: none is ever created;
- session state (SET, session advisory locks, LISTEN): the product uses only transaction-scoped forms
  (``set_config(..., true)``, ``SET CONSTRAINTS``, row locks, ``pg_advisory_xact_lock``), checked below
  in the code and live."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from cases import retention
from infra.models import AuditEntry

pytestmark = pytest.mark.pgbouncer
ROOT = Path(__file__).resolve().parents[2]
APPS = ("infra", "cases", "decisions", "webhooks", "rehab", "flexjob", "dashboard", "demo", "config")


@pytest.fixture(autouse=True)
def gennem_pgbouncer():
    if not os.environ.get("PGBOUNCER_DIRECT_URL"):
        pytest.fail("run through make test-pgbouncer (tools/devservices.py exec --pgbouncer)")


def direkte(**kw) -> psycopg.Connection:
    url = urlsplit(os.environ["PGBOUNCER_DIRECT_URL"])
    return psycopg.connect(
        host=url.hostname, port=url.port, user="postgres", dbname=settings.DATABASES["default"]["NAME"], **kw
    )


def bouncer_admin() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"], port=db["PORT"], user="postgres", dbname="pgbouncer", autocommit=True)


@pytest.mark.django_db
def test_forbindelsen_gaar_gennem_pgbouncer_i_transaktionstilstand():
    assert settings.PGBOUNCER and settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"]
    assert settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] is None
    with connection.cursor() as cur:
        cur.execute("SELECT inet_server_port()")
        (server_port,) = cur.fetchone()
    assert (
        server_port == urlsplit(os.environ["PGBOUNCER_DIRECT_URL"]).port != int(settings.DATABASES["default"]["PORT"])
    )
    with bouncer_admin() as admin:
        config = {row[0]: row[1] for row in admin.execute("SHOW CONFIG").fetchall()}
    assert config["pool_mode"] == "transaction"


@pytest.mark.django_db(transaction=True)
def test_iterator_uden_for_en_transaktion_virker_og_ingen_prepared_statements_oprettes():
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO cases_auditentry (tidspunkt, actor_type, actor_id, actor_navn, handling, subject_type,"
            " subject_id, borger_ids, begrundelse, request_id, kilde)"
            " SELECT now(), 'system', '', 'test', 'system.ping', '', g::text, '{}', '', '', ''"
            " FROM generate_series(1, 3000) g"
        )
    ids = [a.subject_id for a in AuditEntry.objects.filter(handling="system.ping").iterator(chunk_size=100)]
    assert len(ids) == 3000 and len(set(ids)) == 3000  # across many fetches, never "cursor does not exist"
    for _ in range(20):  # psycopg would prepare a statement run this often (prepare_threshold 5)
        assert AuditEntry.objects.filter(handling="system.ping", subject_id="7").count() == 1
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cur.fetchone() == (0,)


@pytest.mark.django_db(transaction=True)
def test_transaktionens_advisory_lock_og_set_local_virker_og_slipper_ved_commit():
    with direkte(autocommit=True) as anden:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(4216)")
            assert anden.execute("SELECT pg_try_advisory_xact_lock(4216)").fetchone() == (False,)
            cur.execute("SET LOCAL statement_timeout = '1234ms'")
            cur.execute("SHOW statement_timeout")
            assert cur.fetchone() == ("1234ms",)
        assert anden.execute("SELECT pg_try_advisory_xact_lock(4216)").fetchone() == (True,)  # released at commit
    with connection.cursor() as cur:
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone() != ("1234ms",)  # SET LOCAL ended with its transaction; nothing leaks to the next


@pytest.mark.django_db(transaction=True)
def test_auditlogssletningens_set_config_gaelder_kun_i_sin_egen_transaktion():
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO cases_auditentry (tidspunkt, actor_type, actor_id, actor_navn, handling, subject_type,"
            " subject_id, borger_ids, begrundelse, request_id, kilde)"
            " VALUES (now() - interval '10 years', 'system', '', 'test', 'borger.laes', '', '', '{}', '', '', ''),"
            " (now(), 'system', '', 'test', 'borger.laes', '', 'ny', '{}', '', '', '')"
        )
    assert retention.slet_audit(retention.timezone.now() - retention.dt.timedelta(days=365)) == 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM cases_auditentry WHERE subject_id = 'ny'")  # the switch did not leak
    assert AuditEntry.objects.filter(subject_id="ny").exists()


@pytest.mark.django_db(transaction=True)
def test_notify_gennem_pgbouncer_naar_en_direkte_lytter():
    with direkte(autocommit=True) as lytter:
        lytter.execute("LISTEN sagsforloeb_test")
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT pg_notify('sagsforloeb_test', 'hej')")
        beskeder = [n.payload for n in lytter.notifies(timeout=5, stop_after=1)]
    assert beskeder == ["hej"]  # a listener must connect directly: LISTEN is session state


def test_koden_bruger_ingen_sessionstilstand():
    """Nothing in the product that a transaction-pooled connection cannot keep: session advisory locks,
    LISTEN, session-level SET, prepared statements, WITH HOLD cursors."""
    forbudt = {
        "session advisory lock": re.compile(r"pg_(try_)?advisory_lock(_shared)?\s*\(", re.I),
        "LISTEN": re.compile(r"""["']\s*LISTEN\s""", re.I),
        "session SET": re.compile(r"""["']\s*SET\s+(?!LOCAL|CONSTRAINTS)[a-z_]+\s*(=|TO)""", re.I),
        "PREPARE": re.compile(r"""["']\s*PREPARE\s""", re.I),
        "WITH HOLD": re.compile(r"WITH\s+HOLD", re.I),
        "prepare=True": re.compile(r"prepare\s*=\s*True"),
    }
    fund = []
    for app in APPS:
        for sti in (ROOT / app).rglob("*.py"):
            tekst = sti.read_text()
            fund += [f"{sti.relative_to(ROOT)}: {navn}" for navn, rx in forbudt.items() if rx.search(tekst)]
    assert fund == []
    # The scan reads code: the audit retention's transaction-scoped set_config (now inside the SECURITY
    # DEFINER function, cases/db_roller.py) is found where it lives.
    assert re.search(r"set_config\([^)]*true\)", (ROOT / "cases" / "db_roller.py").read_text())
