"""Seed the rule catalogue with the national defaults of DOMAIN.md §3 (effective 2020-01-01,
when LAB was renumbered). Municipal overrides and later versions are added by the jurist in the
admin as new rows with a later gyldig_fra; nothing here is edited in place."""

import datetime as dt

from django.db import migrations

FRA = dt.date(2020, 1, 1)

FRISTER = [
    # art, navn, start, laengde, enhed, slut, bortfald, forlaeng, gentages, lovgrundlag, type, ansvar, rul, varsler, foer
    ("servicemaal_afgoerelse", "Servicemål: afgørelse inden 23 uger", ["forberedende_plan_start"], 23, "uger",
     ["afgoerelse_ressourceforloeb", "afgoerelse_fleksjob", "afgoerelse_foertidspension", "afgoerelse_anden_indsats"],
     ["forberedende_plan_start"], "", False, "kommunens servicemål efter retssikkerhedslovens § 3, stk. 2",
     "kommunalt_servicemaal", "kommune", False, [21, 7], False),
    ("overgang_pension", "Overgang til pensionsreglerne inden 3 uger", ["indstilling_foertidspension", "ansoegning_uden_team"],
     3, "uger", ["overgang"], ["genforelagt"], "", False, "Ankestyrelsens principafgørelse 39-17",
     "lovbestemt", "kommune", False, [7], False),
    ("afgoerelse_pension", "Afgørelse om førtidspension inden 3 måneder", ["overgang"], 3, "maaneder",
     ["afgoerelse_foertidspension"], [], "redegoerelse_sendt", False, "pensionslovens § 21, stk. 1",
     "lovbestemt", "kommune", False, [21, 7], False),
    ("partshoering_svar", "Svarfrist i partshøring", ["partshoering_sendt"], 14, "dage", ["partshoering_besvaret"],
     [], "", False, "forvaltningslovens § 19", "lovbestemt", "borger", False, [], False),
    ("rehab_moede_varsel", "Mødevarsel til rehabiliteringsteamet", [], 14, "dage", [], [], "", False,
     "aftale med regionen (sundhedskoordinatorens forberedelse)", "god_praksis", "kommune", False, [], False),
    ("klagefrist", "Klagefrist", ["afgoerelse_modtaget"], 4, "uger", ["klage_modtaget"], [], "", False,
     "retssikkerhedslovens § 67", "lovbestemt", "borger", True, [], False),
    ("genvurdering", "Genvurdering af klage inden 4 uger", ["klage_modtaget"], 4, "uger",
     ["genvurdering_medhold", "klage_sendt_ankestyrelsen"], [], "", False, "retssikkerhedslovens § 66",
     "lovbestemt", "kommune", False, [7], False),
    ("ressourceforloeb_indsats", "Første indsats i ressourceforløb inden 6 måneder", ["ressourceforloeb_start"], 6,
     "maaneder", ["ressourceforloeb_indsats_startet"], [], "", False, "LAB § 113, stk. 2",
     "lovbestemt", "kommune", False, [21, 7], False),
    ("ressourceforloeb_samtale", "Samtale i ressourceforløb", ["ressourceforloeb_start"], 2, "maaneder",
     ["ressourceforloeb_samtale_holdt"], [], "", True, "LAB kapitel 19 (samtaler i ressourceforløb)",
     "lovbestemt", "kommune", False, [7], False),
    ("foranstaltning_ophoer", "Afgørelse før foranstaltningens ophør", ["foranstaltning_slutdato"], 2, "uger",
     ["afgoerelse_efter_foranstaltning"], [], "", False, "retssikkerhedslovens § 7 a",
     "lovbestemt", "kommune", False, [7], True),
    ("fleksjob_arbejdsevne", "Arbejdsevnevurdering i fleksjob", ["fleksjob_ansaettelse_start"], 4, "uger",
     ["arbejdsevnevurdering_udstedt"], [], "", False, "LAB § 122, stk. 2 (snarest muligt)",
     "god_praksis", "kommune", False, [7], False),
    ("fleksjob_opfoelgning_tidlig", "Tidlig opfølgning i fleksjob", ["fleksjob_ansaettelse_start"], 3, "maaneder",
     ["fleksjob_opfoelgning_holdt"], [], "", False, "LAB kapitel 20 (kommunal praksis: opfølgning efter 3 måneder)",
     "god_praksis", "kommune", False, [7], False),
    ("fleksjob_opfoelgning", "Opfølgning i fleksjob hvert 2½ år", ["fleksjob_ansaettelse_start"], 30, "maaneder",
     ["fleksjob_opfoelgning_holdt"], [], "", True, "LAB kapitel 20", "lovbestemt", "kommune", False, [21, 7], False),
    ("fleksjob_status", "Status i midlertidigt fleksjob efter 4½ år", ["fleksjob_midlertidig_start"], 54, "maaneder",
     ["fleksjob_status_afgoerelse"], [], "", False, "LAB kapitel 20 (første fleksjob er midlertidigt i 5 år)",
     "lovbestemt", "kommune", False, [21, 7], False),
    ("udsaettelse_opfoelgning", "Opfølgning på udsættelse i rehabiliteringsteamet", ["udsat"], 4, "uger",
     ["forelagt_rehabiliteringsteam"], [], "", False, "god praksis: det manglende skaffes, og sagen forelægges igen",
     "god_praksis", "kommune", False, [7], False),
]  # fmt: skip

PARAMETRE = [
    ("ressourceforloeb_lukket_for_nye", False, "lov nr. 1750 af 29/12/2025 (udfasning af ressourceforløb)",
     "Når værdien er sand fra en dato, kan der ikke bevilges ressourceforløb til forløb, hvis forberedende plan "
     "startede fra den dato. Igangværende forløb påvirkes ikke."),
    ("moede_foer_afgoerelse_foertidspension", True, "pensionslovens § 20",
     "Borgeren skal tilbydes et møde med dem, der træffer afgørelsen, før afgørelse om førtidspension."),
    ("post_leveringsdage", 6, "Justitsministeriets vejledning nr. 9533 af 2018",
     "Antal dage efter afsendelse, hvor et fysisk brev regnes for modtaget. Digital Post: samme dag."),
    ("helbredsdokument_max_alder_maaneder", 6, "",
     "Advarsel, når et helbredsdokument i forberedende del er ældre end dette antal måneder."),
]  # fmt: skip

LOVHENVISNINGER = [
    ("fvl_19", "forvaltningsloven", "§ 19", "Partshøring"),
    ("fvl_19_2", "forvaltningsloven", "§ 19, stk. 2", "Undtagelser fra partshøring"),
    ("fvl_22_24", "forvaltningsloven", "§§ 22-24", "Begrundelse"),
    ("fvl_25", "forvaltningsloven", "§ 25", "Klagevejledning"),
    ("rsl_3_2", "retssikkerhedsloven", "§ 3, stk. 2", "Frister for sagsbehandling"),
    ("rsl_7a", "retssikkerhedsloven", "§ 7 a", "Afgørelse før ophør af erhvervsrettet foranstaltning"),
    ("rsl_66", "retssikkerhedsloven", "§ 66", "Genvurdering"),
    ("rsl_67", "retssikkerhedsloven", "§ 67", "Klagefrist"),
    ("pl_16", "lov om social pension", "§ 16", "Betingelser for førtidspension"),
    ("pl_17_2", "lov om social pension", "§ 17, stk. 2", "Borgerens egen ansøgning om førtidspension"),
    ("pl_18_2", "lov om social pension", "§ 18, stk. 2", "Sager der ikke forelægges rehabiliteringsteamet"),
    ("pl_19", "lov om social pension", "§ 19", "Afslag skal angive konkrete arbejdsfunktioner"),
    ("pl_20", "lov om social pension", "§ 20", "Tilbud om møde før afgørelse"),
    ("pl_21", "lov om social pension", "§ 21, stk. 1", "Afgørelse inden 3 måneder"),
    ("lab_113", "lov om en aktiv beskæftigelsesindsats", "§ 113", "Ressourceforløb"),
    ("lab_116", "lov om en aktiv beskæftigelsesindsats", "§ 116", "Fleksjob"),
    ("lab_122", "lov om en aktiv beskæftigelsesindsats", "§ 122, stk. 2", "Konkret vurdering af arbejdsevnen i fleksjob"),
    ("ast_39_17", "Ankestyrelsens principafgørelse", "39-17", "Overgang til pensionsreglerne"),
    ("ast_64_11", "Ankestyrelsens principafgørelse", "64-11", "Udtrykkeligt afslag på fleksjob"),
]  # fmt: skip


def seed(apps, schema_editor):
    FristDefinition = apps.get_model("cases", "FristDefinition")
    Regelparameter = apps.get_model("cases", "Regelparameter")
    Lovhenvisning = apps.get_model("cases", "Lovhenvisning")
    for art, navn, start, laengde, enhed, slut, bortfald, forl, gent, lov, typ, ansvar, rul, varsler, foer in FRISTER:
        FristDefinition.objects.create(
            art=art, navn=navn, start_haendelser=start, laengde=laengde, enhed=enhed, slut_haendelser=slut,
            bortfald_haendelser=bortfald, forlaeng_haendelse=forl, gentages=gent, lovgrundlag=lov, type=typ,
            ansvar=ansvar, rul_til_hverdag=rul, varsler_dage=varsler, foer_start=foer, gyldig_fra=FRA,
        )  # fmt: skip
    for kode, vaerdi, lov, beskrivelse in PARAMETRE:
        Regelparameter.objects.create(
            kode=kode, vaerdi=vaerdi, lovgrundlag=lov, beskrivelse=beskrivelse, gyldig_fra=FRA
        )
    for kode, lov, paragraf, titel in LOVHENVISNINGER:
        Lovhenvisning.objects.create(kode=kode, lov=lov, paragraf=paragraf, titel=titel, gyldig_fra=FRA)


def jurist_gruppe(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Jurist")
    perms = Permission.objects.filter(
        content_type__app_label="cases",
        content_type__model__in=["fristdefinition", "regelparameter", "lovhenvisning"],
    ).exclude(codename__startswith="delete_")
    group.permissions.set(perms)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_forloeb_frister_regler"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(jurist_gruppe, migrations.RunPython.noop),
    ]
