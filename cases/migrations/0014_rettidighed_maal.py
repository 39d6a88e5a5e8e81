"""The rule catalogue's target for rettidighed (issue 15): the share of the municipality's deadlines
to be met on time. A municipal goal, not law: the national row is a default of 90 % that each
municipality overrides with its own row (the catalogue's usual precedence)."""

import datetime as dt

from django.db import migrations

KODE = "rettidighed_maal_procent"
BESKRIVELSE = (
    "Kommunens mål for rettidighed: hvor stor en andel (i procent) af kommunens frister der skal nås til tiden. "
    "Et kommunalt mål, ikke et lovkrav; standarden er 90 %, og kommunen sætter sit eget mål med en egen række."
)


def opret(apps, schema_editor):
    Regelparameter = apps.get_model("cases", "Regelparameter")
    if not Regelparameter.objects.filter(kode=KODE, kommune__isnull=True).exists():
        Regelparameter.objects.create(
            kode=KODE,
            vaerdi=90,
            type="kommunalt_servicemaal",
            lovgrundlag="Kommunalt mål (ikke lovbestemt)",
            beskrivelse=BESKRIVELSE,
            gyldig_fra=dt.date(2020, 1, 1),
        )


def fjern(apps, schema_editor):
    apps.get_model("cases", "Regelparameter").objects.filter(kode=KODE, kommune__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_notifikation_fristliste")]

    operations = [migrations.RunPython(opret, fjern)]
