"""``manage.py db_roller``: create or update the application's database role (cases/db_roller.py).

    manage.py db_roller --app-rolle sagsforloeb_app             # role without login (grant it to a login role)
    DB_APP_PASSWORD=... manage.py db_roller --app-rolle sagsforloeb_app --login

Run it as the owner (the role that ran ``migrate`` and owns the tables), after every ``migrate``;
it is idempotent. The web nodes and workers then use the application role in ``DATABASE_URL``;
``migrate`` and this command keep using the owner. docs/security.md §3.2 explains the roles.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.db_roller import app_rolle_sql, slet_funktion_sql


class Command(BaseCommand):
    help = "Opret eller opdatér applikationens databaserolle (auditloggen kan kun tilføjes til)."

    def add_arguments(self, parser):
        parser.add_argument("--app-rolle", required=True, help="Navnet på applikationens rolle")
        parser.add_argument(
            "--login", action="store_true", help="Rollen kan logge ind (adgangskode fra DB_APP_PASSWORD)"
        )

    def handle(self, *args, app_rolle: str, login: bool = False, **options):
        with connection.cursor() as cur:
            cur.execute("SELECT current_user, current_database()")
            ejer, db = cur.fetchone()
        try:
            statements = app_rolle_sql(
                app_rolle, ejer=ejer, statement_timeout_ms=settings.DATABASE_STATEMENT_TIMEOUT,
                lock_timeout_ms=settings.DATABASE_LOCK_TIMEOUT,
            )  # fmt: skip
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        password = os.environ.get("DB_APP_PASSWORD", "") if login else ""
        if login and not password:
            raise CommandError("--login kræver adgangskoden i DB_APP_PASSWORD.")
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_rolle])
            if not cur.fetchone():
                cur.execute(f"CREATE ROLE {app_rolle} NOLOGIN")
            if login:
                cur.execute(f"ALTER ROLE {app_rolle} LOGIN PASSWORD %s", [password])
            cur.execute(slet_funktion_sql(settings.AUDIT_RETENTION_YEARS))
            for sql in statements:
                cur.execute(sql.replace("{db}", connection.ops.quote_name(db)))
        self.stdout.write(f"Rollen {app_rolle} er klar (ejer: {ejer}).")
