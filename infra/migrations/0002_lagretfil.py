# Files in PostgreSQL (infra.storage.PostgresStorage). The CHECK constraints tie the stored SHA-256 and
# size to the content (computed by PostgreSQL, whoever inserts), and a trigger refuses UPDATE: a stored
# file never changes; DELETE (retention) is the only way it goes.

from django.db import migrations, models

FORWARD = """
ALTER TABLE infra_lagretfil ALTER COLUMN indhold SET STORAGE EXTERNAL;  -- PDFs and ZIPs are compressed already
ALTER TABLE infra_lagretfil ADD CONSTRAINT lagretfil_sha256_passer CHECK (sha256 = encode(sha256(indhold), 'hex'));
ALTER TABLE infra_lagretfil ADD CONSTRAINT lagretfil_stoerrelse_passer CHECK (stoerrelse = octet_length(indhold));
CREATE OR REPLACE FUNCTION infra_lagretfil_uforanderlig() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Lagrede filer kan ikke ændres (%)', OLD.navn USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER infra_lagretfil_uforanderlig BEFORE UPDATE ON infra_lagretfil
    FOR EACH ROW EXECUTE FUNCTION infra_lagretfil_uforanderlig();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS infra_lagretfil_uforanderlig ON infra_lagretfil;
DROP FUNCTION IF EXISTS infra_lagretfil_uforanderlig();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("infra", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LagretFil",
            fields=[
                (
                    "navn",
                    models.CharField(
                        help_text="Storage name, e.g. dokumenter/2026/04/<id>.pdf",
                        max_length=255,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("indhold", models.BinaryField()),
                ("stoerrelse", models.BigIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("oprettet", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "lagret fil",
                "verbose_name_plural": "lagrede filer",
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
