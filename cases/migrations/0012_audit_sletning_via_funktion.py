"""The audit log's retention delete goes through one SECURITY DEFINER function (cases/db_roller.py),
so the application role needs no DELETE privilege on it (``manage.py db_roller`` grants the rest)."""

from django.conf import settings
from django.db import migrations

from cases.db_roller import SLET_FUNKTION, slet_funktion_sql


def frem(apps, schema_editor):
    schema_editor.execute(slet_funktion_sql(settings.AUDIT_RETENTION_YEARS))


def tilbage(apps, schema_editor):
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {SLET_FUNKTION}(timestamptz, integer)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_cpr_register")]

    operations = [migrations.RunPython(frem, tilbage)]
