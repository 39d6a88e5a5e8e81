"""Rule catalogue honesty (DOMAIN.md §3, §12; issue 12): every row carries the kind its source
supports, and the servicemål closes on the decisions §3 names.

Corrections of the national defaults seeded by 0004 (``kommune IS NULL``), made in place because
they correct what the seed claimed from the start; the computation of a due date (length, unit,
start) is unchanged, so deadlines computed under these rows keep their explanation:

- the 3-week overgang rests on Ankestyrelsen's practice (principmeddelelse 39-17), not on a statute:
  kind ``praksis``, with the source said in the text; the deadlines already created carry the same
  label correction;
- the servicemål is met by a decision on ressourceforløb, fleksjob or førtidspension (grant or
  refusal); a decision on another effort lapses it (the forløb leaves the track without such a
  decision). A municipality changes this with its own row in the catalogue;
- the cadence of ressourceforløb conversations has no confirmed statutory length: it is the
  municipality's own goal;
- the parameters and legal references get their kinds; the meeting before a førtidspension decision
  (pensionsloven § 20, wording unconfirmed) is kept on as good practice;
- a new parameter: how many days back the first transition of a forløb may be dated without a reason.
"""

import datetime as dt

from django.db import migrations, models

FRA = dt.date(2020, 1, 1)

TYPER = [
    ("lovbestemt", "Lovbestemt"),
    ("kommunalt_servicemaal", "Kommunalt servicemål"),
    ("praksis", "Praksis (Ankestyrelsen)"),
    ("god_praksis", "God praksis"),
]

OVERGANG_LOVGRUNDLAG = "Ankestyrelsens principmeddelelse 39-17 (praksis; fristen på 3 uger står ikke i loven)"
SAMTALE_LOVGRUNDLAG = "kommunens kontaktplan (hyppigheden er ikke fastsat i LAB kapitel 19)"

SERVICEMAAL_SLUT = [
    "afgoerelse_ressourceforloeb",
    "afgoerelse_ressourceforloeb_afslag",
    "afgoerelse_fleksjob",
    "afgoerelse_fleksjob_afslag",
    "afgoerelse_foertidspension",
]
SERVICEMAAL_BORTFALD = ["forberedende_plan_start", "afgoerelse_anden_indsats"]

FRISTER = {
    # art: (type, lovgrundlag or None to keep, beskrivelse)
    "overgang_pension": (
        "praksis",
        OVERGANG_LOVGRUNDLAG,
        "Efter en indstilling om førtidspension skal sagen overgå til behandling efter pensionsreglerne uden "
        "unødigt ophold. Fristen på 3 uger er Ankestyrelsens praksis (principmeddelelse 39-17), ikke en lovregel.",
    ),
    "servicemaal_afgoerelse": (
        "kommunalt_servicemaal",
        None,
        "Kommunens servicemål: afgørelse om ressourceforløb, fleksjob eller førtidspension (bevilling eller afslag) "
        "senest 23 uger efter start på forberedende plan. En afgørelse om anden indsats lader målet bortfalde.",
    ),
    "ressourceforloeb_samtale": (
        "kommunalt_servicemaal",
        SAMTALE_LOVGRUNDLAG,
        "Samtaler i ressourceforløbet efter kommunens kontaktplan.",
    ),
}

PARAMETRE = {
    "ressourceforloeb_lukket_for_nye": ("lovbestemt", None),
    "moede_foer_afgoerelse_foertidspension": (
        "god_praksis",
        "pensionslovens § 20 (ordlyden er ikke bekræftet; reglen holdes slået til)",
    ),
    "post_leveringsdage": ("praksis", None),
    "helbredsdokument_max_alder_maaneder": ("god_praksis", None),
}
PRAKSIS_HENVISNINGER = {"ast_39_17", "ast_64_11"}

NYE_PARAMETRE = [
    (
        "tilbagedatering_max_dage",
        14,
        "god_praksis",
        "",
        "Så mange dage tilbage kan forløbets første overgang dateres uden en begrundelse for tilbagedateringen.",
    ),
]
NYE_LOVHENVISNINGER = [
    ("lab_116_2", "lov om en aktiv beskæftigelsesindsats", "§ 116, stk. 2", "Aktuelt meget begrænset arbejdsevne"),
    ("lab_121", "lov om en aktiv beskæftigelsesindsats", "§ 121, stk. 1", "Skånehensyn i fleksjob"),
    ("lab_kap20", "lov om en aktiv beskæftigelsesindsats", "kapitel 20", "Midlertidigt og permanent fleksjob"),
]


def rettelser(apps, schema_editor):
    FristDefinition = apps.get_model("cases", "FristDefinition")
    Frist = apps.get_model("cases", "Frist")
    Regelparameter = apps.get_model("cases", "Regelparameter")
    Lovhenvisning = apps.get_model("cases", "Lovhenvisning")

    for art, (type_, lovgrundlag, beskrivelse) in FRISTER.items():
        nationale = FristDefinition.objects.filter(art=art, kommune__isnull=True)
        felter = {"type": type_, "beskrivelse": beskrivelse}
        if lovgrundlag:
            felter["lovgrundlag"] = lovgrundlag
        nationale.update(**felter)
        kopi = {"type": type_, **({"lovgrundlag": lovgrundlag} if lovgrundlag else {})}
        Frist.objects.filter(art=art, definition__in=nationale).update(**kopi)
    FristDefinition.objects.filter(art="servicemaal_afgoerelse", kommune__isnull=True).update(
        slut_haendelser=SERVICEMAAL_SLUT, bortfald_haendelser=SERVICEMAAL_BORTFALD
    )

    Regelparameter.objects.filter(type="").update(type="lovbestemt")
    for kode, (type_, lovgrundlag) in PARAMETRE.items():
        felter = {"type": type_, **({"lovgrundlag": lovgrundlag} if lovgrundlag else {})}
        Regelparameter.objects.filter(kode=kode, kommune__isnull=True).update(**felter)
    for kode, vaerdi, type_, lov, beskrivelse in NYE_PARAMETRE:
        if not Regelparameter.objects.filter(kode=kode, kommune__isnull=True).exists():
            Regelparameter.objects.create(
                kode=kode, vaerdi=vaerdi, type=type_, lovgrundlag=lov, beskrivelse=beskrivelse, gyldig_fra=FRA
            )

    Lovhenvisning.objects.update(type="lovbestemt")
    Lovhenvisning.objects.filter(kode__in=PRAKSIS_HENVISNINGER).update(type="praksis")
    for kode, lov, paragraf, titel in NYE_LOVHENVISNINGER:
        if not Lovhenvisning.objects.filter(kode=kode).exists():
            Lovhenvisning.objects.create(
                kode=kode, lov=lov, paragraf=paragraf, titel=titel, type="lovbestemt", gyldig_fra=FRA
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_flyt_til_infra_og_webhooks")]

    operations = [
        migrations.AddField(
            model_name="lovhenvisning",
            name="type",
            field=models.CharField(
                choices=TYPER,
                default="lovbestemt",
                help_text="Lov/bekendtgørelse eller Ankestyrelsens praksis",
                max_length=30,
                verbose_name="type",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="regelparameter",
            name="type",
            field=models.CharField(
                choices=TYPER,
                default="lovbestemt",
                help_text="Hvad reglen hviler på: lov, servicemål, praksis",
                max_length=30,
                verbose_name="type",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="fristdefinition",
            name="type",
            field=models.CharField(choices=TYPER, max_length=30, verbose_name="type"),
        ),
        migrations.RunPython(rettelser, migrations.RunPython.noop),
    ]
