"""The audit log is append-only against the application's own database role (issue 13).

The test creates the application role the documented way (``manage.py db_roller``, as the owner),
connects to the real test database as that role and tries every bypass the attack found or that
a role with table rights could try. Each must fail; the retention path deletes only rows older
than the retention period.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases import retention
from infra.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _indsaet(tidspunkt: dt.datetime, handling: str) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO cases_auditentry (tidspunkt, actor_type, actor_id, actor_navn, handling, subject_type,"
            " subject_id, borger_ids, begrundelse, request_id, kilde)"
            " VALUES (%s, 'system', '', 'test', %s, '', '', '{}', '', '', '')",
            [tidspunkt, handling],
        )


@pytest.fixture
def app_rolle(monkeypatch):
    """The application role, created by the documented command; a psycopg connection as it."""
    navn = f"sf_app_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("DB_APP_PASSWORD", "fiktiv-adgangskode")
    call_command("db_roller", app_rolle=navn, login=True)
    call_command("db_roller", app_rolle=navn, login=True)  # idempotent
    parts = urlsplit(os.environ["DATABASE_URL"])
    url = urlunsplit(
        parts._replace(netloc=f"{navn}:fiktiv-adgangskode@{parts.hostname}:{parts.port}",
                       path="/" + connection.settings_dict["NAME"])
    )  # fmt: skip
    conn = psycopg.connect(url, autocommit=True)
    try:
        yield conn
    finally:
        conn.close()
        with connection.cursor() as cur:
            cur.execute(f"DROP OWNED BY {navn}")
            cur.execute(f"DROP ROLE {navn}")


@pytest.fixture
def raekker():
    nu = timezone.now()
    _indsaet(nu - dt.timedelta(days=6 * 366), "gammel")
    _indsaet(nu - dt.timedelta(days=30), "ny")


def _afvist(conn, sql: str) -> str:
    with pytest.raises(psycopg.Error) as info, conn.transaction():
        conn.execute(sql)
    return str(info.value)


BYPASSES = [
    "TRUNCATE cases_auditentry",
    "DELETE FROM cases_auditentry",
    "UPDATE cases_auditentry SET handling = 'skjult'",
    "ALTER TABLE cases_auditentry DISABLE TRIGGER cases_auditentry_append_only",
    "ALTER TABLE cases_auditentry DISABLE TRIGGER ALL",
    "DROP TRIGGER cases_auditentry_append_only ON cases_auditentry",
    "CREATE OR REPLACE FUNCTION cases_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql"
    " AS $$ BEGIN RETURN OLD; END $$",
    "DROP TABLE cases_auditentry",
    "ALTER TABLE cases_auditentry RENAME TO cases_auditentry_gammel",
    "SET session_replication_role = replica",
    "CREATE OR REPLACE FUNCTION cases_auditentry_slet(foer timestamptz, maks integer) RETURNS integer"
    " LANGUAGE sql AS $$ SELECT 0 $$",
]


@pytest.mark.parametrize("sql", BYPASSES)
def test_applikationsrollen_kan_ikke_omgaa_auditloggen(app_rolle, raekker, sql):
    fejl = _afvist(app_rolle, sql)
    assert "permission denied" in fejl or "must be owner" in fejl or "append-only" in fejl, fejl
    assert set(AuditEntry.objects.values_list("handling", flat=True)) == {"gammel", "ny"}


def test_guc_kontakten_hjaelper_ikke_applikationsrollen(app_rolle, raekker):
    with pytest.raises(psycopg.Error, match="permission denied"), app_rolle.transaction():
        app_rolle.execute("SELECT set_config('sagsforloeb.audit_retention', 'on', true)")
        app_rolle.execute("DELETE FROM cases_auditentry")
    assert AuditEntry.objects.count() == 2


def test_sletning_kun_gennem_funktionen_og_kun_gamle_raekker(app_rolle, raekker):
    # Even asked to delete everything up to tomorrow, the function keeps what is within the period.
    n = app_rolle.execute("SELECT cases_auditentry_slet(now() + interval '1 day', 1000)").fetchone()[0]
    assert n == 1
    assert list(AuditEntry.objects.values_list("handling", flat=True)) == ["ny"]


def test_applikationsrollen_kan_arbejde_normalt(app_rolle):
    app_rolle.execute(
        "INSERT INTO cases_auditentry (tidspunkt, actor_type, actor_id, actor_navn, handling, subject_type,"
        " subject_id, borger_ids, begrundelse, request_id, kilde)"
        " VALUES (now(), 'system', '', 'app', 'borger.laes', '', '', '{}', '', '', '')"
    )
    assert app_rolle.execute("SELECT count(*) FROM cases_auditentry").fetchone()[0] == 1
    app_rolle.execute("UPDATE cases_borger SET telefon = telefon")  # ordinary tables: full DML
    assert app_rolle.execute("SHOW statement_timeout").fetchone()[0] != "0"


def test_retentionsjobbet_bruger_funktionen(raekker):
    assert retention.slet_audit(timezone.now()) == 1
    assert list(AuditEntry.objects.values_list("handling", flat=True)) == ["ny"]
