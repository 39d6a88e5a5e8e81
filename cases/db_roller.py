"""Database roles that make the audit log append-only against the application itself.

Two roles (docs/security.md §3.2):

* the **owner** (migrator): owns every table, the audit trigger and the retention function; runs
  ``manage.py migrate`` and ``manage.py db_roller``. Never the role the web nodes and workers use.
* the **application role**: what ``DATABASE_URL`` of the web nodes and workers logs in as.
  SELECT/INSERT/UPDATE/DELETE on the product's tables, but on ``cases_auditentry`` only SELECT and
  INSERT: no UPDATE, DELETE or TRUNCATE privilege, and, not being the owner, it cannot ALTER,
  DISABLE or DROP the trigger or replace its function. Old audit rows are deleted only through
  :data:`SLET_FUNKTION`, a SECURITY DEFINER function owned by the owner that deletes nothing
  younger than the retention period (``AUDIT_RETENTION_YEARS``, fixed in the function's body).

The SQL is idempotent: the migration creates the function, ``manage.py db_roller`` creates or
updates the application role and its grants (run it after every ``migrate``).
"""

from __future__ import annotations

import re

SLET_FUNKTION = "cases_auditentry_slet"
AUDIT_TABEL = "cases_auditentry"
_NAVN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def slet_funktion_sql(aar: int) -> str:
    """The narrow retention path: deletes at most ``maks`` rows older than both ``foer`` and the
    retention period, and nothing else; runs with the owner's rights (the trigger's switch is set
    only inside it, for its own transaction)."""
    aar = int(aar)
    if aar < 1:
        raise ValueError("AUDIT_RETENTION_YEARS must be at least 1")
    return f"""
CREATE OR REPLACE FUNCTION {SLET_FUNKTION}(foer timestamptz, maks integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    graense timestamptz := LEAST(foer, now() - make_interval(years => {aar}));
    n integer;
BEGIN
    PERFORM set_config('sagsforloeb.audit_retention', 'on', true);
    DELETE FROM public.{AUDIT_TABEL} WHERE id IN (
        SELECT id FROM public.{AUDIT_TABEL} WHERE tidspunkt < graense ORDER BY id LIMIT GREATEST(maks, 0));
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('sagsforloeb.audit_retention', 'off', true);
    RETURN n;
END;
$$;
REVOKE ALL ON FUNCTION {SLET_FUNKTION}(timestamptz, integer) FROM PUBLIC;
"""  # noqa: S608 - an int and constant names, no input


def app_rolle_sql(rolle: str, *, ejer: str, statement_timeout_ms: int, lock_timeout_ms: int) -> list[str]:
    """Statements (run by the owner) that give the application role exactly what it needs."""
    for navn in (rolle, ejer):
        if not _NAVN.match(navn):
            raise ValueError(f"not a plain role name: {navn!r}")
    if rolle == ejer:
        raise ValueError("the application role must not be the owner")
    return [
        f"ALTER ROLE {rolle} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION INHERIT",
        f"REVOKE {ejer} FROM {rolle}",
        f"GRANT CONNECT ON DATABASE {{db}} TO {rolle}",
        f"GRANT USAGE ON SCHEMA public TO {rolle}",
        f"REVOKE CREATE ON SCHEMA public FROM {rolle}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {rolle}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {rolle}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {ejer} IN SCHEMA public"
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {rolle}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {ejer} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {rolle}",
        f"REVOKE ALL ON {AUDIT_TABEL} FROM PUBLIC",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABEL} FROM {rolle}",
        f"GRANT SELECT, INSERT ON {AUDIT_TABEL} TO {rolle}",
        f"GRANT EXECUTE ON FUNCTION {SLET_FUNKTION}(timestamptz, integer) TO {rolle}",
        # Through PgBouncer the connection cannot carry these (config/settings/base.py): the role does.
        f"ALTER ROLE {rolle} SET statement_timeout = {int(statement_timeout_ms)}",
        f"ALTER ROLE {rolle} SET lock_timeout = {int(lock_timeout_ms)}",
    ]
