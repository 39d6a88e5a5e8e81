"""The forløb's transitions: every success path, and every guard refusing with its code.

Dates are simulated: day N means START + N days (tests.factories), so every rule that looks at
'today' sees a fixed calendar.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from cases import overgange, rules, services
from cases.models import Forloeb, Frist, FristStatus, OvergangLog, Regelparameter, Rolle
from decisions.services import LintFejl
from infra.models import AuditEntry
from tests import factories
from tests.factories import START, afgoer, book, forberedende_del_komplet, forloeb_i, haendelse, indstil, overgang


def frist(fl, art):
    return Frist.objects.filter(forloeb=fl, art=art).order_by("-oprettet").first()


def koder(exc_info):
    fejl = exc_info.value
    return {m.kode for m in (fejl.mangler if isinstance(fejl, LintFejl) else fejl.uopfyldte)}


def frisk(fl):
    return Forloeb.objects.get(pk=fl.pk)


# --- success paths ------------------------------------------------------------------------------
def test_start_forberedende_plan_starter_servicemaalet_og_skriver_historik(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    log = overgang(fl, "start_forberedende_plan", 0)
    fl = frisk(fl)
    assert fl.tilstand == "forberedende_plan"
    assert fl.forberedende_plan_start == START
    assert (log.fra_tilstand, log.til_tilstand, log.actor_navn) == (
        "aktivitetsparat",
        "forberedende_plan",
        fl.sagsbehandler.get_full_name(),
    )
    assert log.data["dato"] == START.isoformat()
    servicemaal = frist(fl, "servicemaal_afgoerelse")
    assert log.regler["fristdefinitioner"] == [str(servicemaal.definition_id)]
    assert servicemaal.gaeldende_forfald == START + dt.timedelta(weeks=23)
    entry = AuditEntry.objects.get(handling="forloeb.overgang.start_forberedende_plan")
    assert entry.borger_ids == [fl.borger_id]
    assert entry.foer == {"tilstand": "aktivitetsparat"} and entry.efter["tilstand"] == "forberedende_plan"


def test_forelaeg_og_indstilling(team):
    fl = forloeb_i("forberedende_plan", team=team)
    forberedende_del_komplet(fl)
    book(fl, 7, 28)
    assert frisk(fl).tilstand == "rehabiliteringsteam"
    assert frisk(fl).rehab_moede_dato == START + dt.timedelta(days=28)
    indstil(fl, "foertidspension", 28)
    fl = frisk(fl)
    assert (fl.tilstand, fl.indstilling_udfald, fl.indstilling_dato) == (
        "indstilling",
        "foertidspension",
        START + dt.timedelta(days=28),
    )
    assert frist(fl, "overgang_pension").forklaring == (
        "Indstilling om førtidspension 30.03.2026 + 3 uger = 20.04.2026, jf. Ankestyrelsens principmeddelelse "
        "39-17 (praksis; fristen på 3 uger står ikke i loven)"
    )
    assert frist(fl, "overgang_pension").type == "praksis"


def test_udsaettelse_sender_sagen_tilbage_og_servicemaalet_loeber_videre(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    servicemaal = frist(fl, "servicemaal_afgoerelse")
    indstil(
        fl,
        "udsaettelse",
        28,
        udsaettelse_aarsag="Mangler speciallægeerklæring",
        udsaettelse_mangler="Erklæring fra psykiatrisk afdeling",
    )
    fl = frisk(fl)
    assert fl.tilstand == "forberedende_plan"
    assert frist(fl, "servicemaal_afgoerelse").pk == servicemaal.pk  # same clock, still running
    assert frist(fl, "servicemaal_afgoerelse").er_aaben
    opfoelgning = frist(fl, "udsaettelse_opfoelgning")
    assert opfoelgning.er_aaben and opfoelgning.gaeldende_forfald == START + dt.timedelta(days=28 + 28)
    book(fl, 35, 56)
    assert frist(fl, "udsaettelse_opfoelgning").status == FristStatus.OVERHOLDT


def test_genforelaeggelse_goer_afgoerelse_imod_indstillingen_mulig(team):
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")
    book(fl, 30, 45, genforelaeg_begrundelse="Kommunen vurderer, at ressourceforløb bør afprøves først")
    assert frisk(fl).tilstand == "rehabiliteringsteam"
    indstil(fl, "fleksjob", 45)  # the team holds its view
    haendelse(fl, "partshoering_sendt", 46)
    haendelse(fl, "partshoering_besvaret", 50)
    afgoer(fl, "ressourceforloeb_bevilling", 55)
    assert frisk(fl).tilstand == "ressourceforloeb"


def test_genforelaeggelse_lader_overgangsfristen_bortfalde(team):
    fl = forloeb_i("indstilling", team=team, udfald="foertidspension")
    book(fl, 30, 50, genforelaeg_begrundelse="Uenig")
    assert frist(fl, "overgang_pension").status == FristStatus.BORTFALDET


@pytest.mark.parametrize(
    ("udfald", "type_", "tilstand", "ny_frist", "servicemaal"),
    [
        (
            "ressourceforloeb", "ressourceforloeb_bevilling", "ressourceforloeb", "ressourceforloeb_indsats",
            FristStatus.OVERHOLDT,
        ),
        ("fleksjob", "fleksjob_visitation", "fleksjob", None, FristStatus.OVERHOLDT),
        # DOMAIN.md §3: the servicemål is met by a decision on ressourceforløb, fleksjob or førtidspension;
        # a decision on another effort ends the track without one, so it lapses.
        ("anden_indsats", "anden_indsats", "aktivitetsparat", None, FristStatus.BORTFALDET),
    ],
)  # fmt: skip
def test_afgoerelse_efter_indstilling_og_partshoering(team, udfald, type_, tilstand, ny_frist, servicemaal):
    fl = forloeb_i("indstilling", team=team, udfald=udfald)
    haendelse(fl, "partshoering_sendt", 29)
    haendelse(fl, "partshoering_besvaret", 35)
    afgoer(fl, type_, 40)
    fl = frisk(fl)
    assert fl.tilstand == tilstand
    assert frist(fl, "servicemaal_afgoerelse").status == servicemaal
    if ny_frist:
        assert frist(fl, ny_frist).er_aaben


def test_afgoerelsesovergang_kraever_den_udstedte_afgoerelse(team):
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")
    haendelse(fl, "partshoering_sendt", 29)
    haendelse(fl, "partshoering_besvaret", 35)
    with pytest.raises(services.OvergangAfvist) as exc:
        overgang(fl, "visiter_fleksjob", 40)
    assert koder(exc) == {"afgoerelse.ikke_udstedt"}


def test_overgang_og_tilkendelse_af_foertidspension(team):
    fl = forloeb_i("foertidspension_behandling", team=team)
    assert frist(fl, "overgang_pension").status == FristStatus.OVERHOLDT
    afg = frist(fl, "afgoerelse_pension")
    assert afg.gaeldende_forfald == dt.date(2026, 7, 6)  # overgang 06.04.2026 + 3 months
    haendelse(fl, "tilbud_om_moede_sendt", 36)
    haendelse(fl, "partshoering_sendt", 37)
    haendelse(fl, "partshoering_besvaret", 45)
    afgoer(fl, "foertidspension_tilkendelse", 50, under_40_begrundelse="Dokumenteret varig nedsættelse")
    fl = frisk(fl)
    assert fl.tilstand == "foertidspension"
    assert frist(fl, "afgoerelse_pension").status == FristStatus.OVERHOLDT


@pytest.mark.parametrize("videre", ["aktivitetsparat", "fleksjob"])
def test_afslag_paa_foertidspension_med_arbejdsfunktion(team, videre):
    fl = forloeb_i("foertidspension_behandling", team=team)
    haendelse(fl, "tilbud_om_moede_sendt", 36)
    haendelse(fl, "partshoering_sendt", 37)
    haendelse(fl, "partshoering_besvaret", 45)
    afgoer(
        fl,
        "foertidspension_afslag",
        50,
        arbejdsfunktioner=["Lettere kontorarbejde i op til 10 timer om ugen"],
        data={"videre": videre},
    )
    assert frisk(fl).tilstand == videre


def test_spring_team_over_aabenbar(team):
    fl = forloeb_i("forberedende_plan", team=team)
    factories.forberedende_del_relevant(fl)
    overgang(fl, "spring_team_over_aabenbar", 10, begrundelse="Fremskreden kræftsygdom", terminalt_syg=True)
    fl = frisk(fl)
    assert (fl.tilstand, fl.overgang_dato) == ("foertidspension_behandling", START + dt.timedelta(days=10))
    assert frist(fl, "afgoerelse_pension").er_aaben


def test_spring_team_over_utvivlsom_kraever_egen_ansoegning_og_lukker_tre_ugers_fristen(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    overgang(fl, "start_forberedende_plan", 0, egen_ansoegning_foertidspension=START.isoformat())
    factories.forberedende_del_relevant(frisk(fl))
    overgang(fl, "spring_team_over_utvivlsom", 12, begrundelse="Borgeren arbejder 30 timer om ugen")
    fl = frisk(fl)
    assert fl.tilstand == "foertidspension_behandling"
    og = frist(fl, "overgang_pension")
    assert (og.start_dato, og.status) == (START, FristStatus.OVERHOLDT)


def test_afslut_fra_aaben_tilstand_lader_frister_bortfalde(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    overgang(fl, "afslut", 20, aarsag="flyttet", bemaerkning="Fraflyttet til anden kommune")
    fl = frisk(fl)
    assert (fl.tilstand, fl.afslutning_aarsag) == ("afsluttet", "flyttet")
    assert not Frist.objects.filter(forloeb=fl, lukket_dato__isnull=True).exists()
    assert frist(fl, "servicemaal_afgoerelse").status == FristStatus.BORTFALDET


@pytest.mark.parametrize("fra", ["ressourceforloeb", "fleksjob"])
def test_ny_forelaeggelse_fra_ressourceforloeb_eller_fleksjob(team, fra):
    fl = forloeb_i(fra, team=team)
    overgang(fl, "start_forberedende_plan", 60)
    fl = frisk(fl)
    assert fl.tilstand == "forberedende_plan"
    assert Frist.objects.filter(forloeb=fl, art="servicemaal_afgoerelse", lukket_dato__isnull=True).count() == 1


def test_afsluttet_forloeb_kan_ikke_bevaege_sig(team):
    fl = forloeb_i("afsluttet", team=team)
    with pytest.raises(services.ForkertTilstand):
        overgang(fl, "start_forberedende_plan", 50)


# --- guards ------------------------------------------------------------------------------------
def test_borger_over_folkepensionsalder_kan_ikke_starte(team):
    ejer = factories.medarbejder(team)
    gammel = factories.borger(team, actor=ejer, cpr=factories.fiktivt_cpr(dt.date(1950, 5, 5)))
    fl = forloeb_i("aktivitetsparat", team=team, borger=gammel, sagsbehandler=ejer)
    with pytest.raises(services.OvergangAfvist) as exc:
        overgang(fl, "start_forberedende_plan", 0)
    assert koder(exc) == {"borger.folkepensionsalder"}
    assert frisk(fl).tilstand == "aktivitetsparat"
    assert not Frist.objects.filter(forloeb=fl).exists()


def test_moede_uden_tilstraekkeligt_varsel_afvises_og_booker_intet(team):
    from rehab.models import Booking

    fl = forloeb_i("forberedende_plan", team=team)
    forberedende_del_komplet(fl)
    with pytest.raises(services.OvergangAfvist) as exc:
        book(fl, 7, 7 + 13)
    assert koder(exc) == {"rehab.moede_varsel"}
    assert not Booking.objects.filter(forloeb=fl).exists()
    book(fl, 7, 7 + 14)
    assert frisk(fl).tilstand == "rehabiliteringsteam"


def test_indstilling_foer_moedet_afvises(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)  # meeting on day 28
    with pytest.raises(services.OvergangAfvist) as exc:
        indstil(fl, "fleksjob", 20)
    assert koder(exc) == {"rehab.moede_ikke_afholdt"}
    assert not fl.indstillinger.exists()


def test_overgang_kraever_indstilling_om_foertidspension(team):
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")
    with pytest.raises(LintFejl) as exc:
        afgoer(fl, "overgang_pension", 35, lovhenvisninger=["ast_39_17"])
    assert koder(exc) == {"indstilling.ikke_foertidspension"}


def test_afgoerelse_imod_indstilling_uden_genforelaeggelse_og_uden_partshoering_lister_begge(team):
    from decisions.models import Dokument

    fl = forloeb_i("indstilling", team=team, udfald="ressourceforloeb")
    with pytest.raises(LintFejl) as exc:
        afgoer(fl, "fleksjob_visitation", 40)
    assert koder(exc) == {"indstilling.afvigelse_uden_genforelaeggelse", "partshoering.mangler"}
    assert frisk(fl).tilstand == "indstilling"
    assert not OvergangLog.objects.filter(forloeb=fl, overgang="visiter_fleksjob").exists()
    assert Dokument.objects.get(forloeb=fl, type="fleksjob_visitation").status == "kladde"


def test_afgoerelse_foer_partshoeringsfristen_afvises(team):
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")
    haendelse(fl, "partshoering_sendt", 29)  # reply deadline day 43
    with pytest.raises(LintFejl) as exc:
        afgoer(fl, "fleksjob_visitation", 40)
    assert koder(exc) == {"partshoering.mangler"}
    afgoer(fl, "fleksjob_visitation", 44)  # the deadline has passed without a reply
    assert frisk(fl).tilstand == "fleksjob"


def test_registreret_undtagelse_fra_partshoering_opfylder_kravet(team):
    from rehab.services import partshoering_undtag

    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")
    partshoering_undtag(
        actor=fl.sagsbehandler,
        forloeb=fl,
        undtagelse="fvl_19_2_nr1",
        begrundelse="Borgeren får fuldt medhold i sin ansøgning om fleksjob",
    )
    afgoer(fl, "fleksjob_visitation", 31)
    assert frisk(fl).tilstand == "fleksjob"


def test_partshoering_foer_indstillingen_taeller_ikke(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    haendelse(fl, "partshoering_sendt", 8)
    haendelse(fl, "partshoering_besvaret", 10)
    indstil(fl, "fleksjob", 28)
    with pytest.raises(LintFejl) as exc:
        afgoer(fl, "fleksjob_visitation", 30)
    assert koder(exc) == {"partshoering.mangler"}


def test_foertidspension_kraever_moedetilbud_partshoering_og_klinisk_funktion(team):
    fl = forloeb_i("foertidspension_behandling", team=team)
    with pytest.raises(LintFejl) as exc:
        afgoer(fl, "foertidspension_tilkendelse", 50, sundhedsfaglig_raadgivning="andet")
    assert {
        "foertidspension.moede_ikke_tilbudt",
        "partshoering.mangler",
        "foertidspension.helbred_ikke_klinisk_funktion",
    } <= koder(exc)


def test_foertidspension_under_40_kraever_saerlig_begrundelse(team):
    ejer = factories.medarbejder(team)
    ung = factories.borger(team, actor=ejer, cpr=factories.fiktivt_cpr(dt.date(1995, 5, 5)))
    fl = forloeb_i("foertidspension_behandling", team=team, borger=ung, sagsbehandler=ejer)
    haendelse(fl, "tilbud_om_moede_sendt", 36)
    haendelse(fl, "partshoering_sendt", 37)
    haendelse(fl, "partshoering_besvaret", 45)
    with pytest.raises(LintFejl) as exc:
        afgoer(fl, "foertidspension_tilkendelse", 50)
    assert koder(exc) == {"foertidspension.under_40_uden_begrundelse"}


def test_afslag_paa_foertidspension_uden_konkret_arbejdsfunktion_afvises(team):
    fl = forloeb_i("foertidspension_behandling", team=team)
    haendelse(fl, "tilbud_om_moede_sendt", 36)
    haendelse(fl, "partshoering_sendt", 37)
    haendelse(fl, "partshoering_besvaret", 45)
    with pytest.raises(LintFejl) as exc:
        afgoer(fl, "foertidspension_afslag", 50, arbejdsfunktioner=["  "])
    assert koder(exc) == {"foertidspension.afslag_uden_arbejdsfunktion"}


def test_aabenbar_kraever_sundhedskoordinator_eller_terminal_sygdom(team):
    fl = forloeb_i("forberedende_plan", team=team)
    factories.forberedende_del_relevant(fl)
    with pytest.raises(services.OvergangAfvist) as exc:
        overgang(fl, "spring_team_over_aabenbar", 10, begrundelse="Svært syg")
    assert koder(exc) == {"aabenbar.grundlag_mangler"}
    overgang(fl, "spring_team_over_aabenbar", 10, begrundelse="Svært syg",
             sundhedskoordinator_udtalelse_dato=(START + dt.timedelta(days=9)).isoformat())  # fmt: skip


def test_utvivlsom_uden_egen_ansoegning_afvises(team):
    fl = forloeb_i("forberedende_plan", team=team)
    factories.forberedende_del_relevant(fl)
    with pytest.raises(services.OvergangAfvist) as exc:
        overgang(fl, "spring_team_over_utvivlsom", 10, begrundelse="Arbejder fuld tid")
    assert koder(exc) == {"utvivlsom.ingen_egen_ansoegning"}


# --- input, roles and the protected state ------------------------------------------------------
def test_ugyldige_data_giver_feltfejl_og_intet_aendres(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    fremtid = (START + dt.timedelta(days=5)).isoformat()
    with pytest.raises(ValidationError) as exc:
        overgang(fl, "start_forberedende_plan", 0, dato=fremtid, hemmeligt_felt="x")
    assert set(exc.value.message_dict) == {"dato", "hemmeligt_felt"}
    with pytest.raises(ValidationError) as exc:
        overgang(fl, "afslut", 0, aarsag="keder_sig")
    assert "aarsag" in exc.value.message_dict
    assert frisk(fl).tilstand == "aktivitetsparat" and frisk(fl).version == fl.version


def test_dato_foer_seneste_haendelse_afvises(team):
    fl = forloeb_i("forberedende_plan", team=team)
    with pytest.raises(ValidationError) as exc:
        overgang(fl, "afslut", 5, aarsag="andet", dato=(START - dt.timedelta(days=1)).isoformat())
    assert "seneste hændelse" in exc.value.message_dict["dato"][0]


def test_ukendt_overgang(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    with pytest.raises(services.UkendtOvergang):
        overgang(fl, "spring_alt_over", 0)


@pytest.mark.parametrize(
    ("rolle", "navn", "tilladt"),
    [
        (Rolle.JURIST, "start_forberedende_plan", False),
        (Rolle.MOEDELEDER, "start_forberedende_plan", False),
        (Rolle.MOEDELEDER, "registrer_indstilling", True),
        (Rolle.TEAMLEDER, "start_forberedende_plan", True),
    ],
)
def test_roller(team, rolle, navn, tilladt):
    assert overgange.SPECS[navn].rolle_maa(factories.medarbejder(team, rolle)) is tilladt
    if not tilladt:
        fl = forloeb_i("aktivitetsparat", team=team)
        with pytest.raises(PermissionDenied):
            overgang(fl, navn, 0, actor=factories.medarbejder(team, rolle))


def test_tilstanden_kan_kun_aendres_gennem_servicen(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    with pytest.raises(TransitionNotAllowed):
        fl.start_forberedende_plan()  # no context: every rule refuses
    with pytest.raises(AttributeError):
        fl.tilstand = "foertidspension"


def test_tilladte_overgange_viser_hvad_der_mangler(team):
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")
    tilladte = {
        t.navn: t for t in services.tilladte_overgange(fl, fl.sagsbehandler, idag=START + dt.timedelta(days=30))
    }
    assert set(tilladte) == {
        "genforelaeg", "overgaa_til_pensionsbehandling", "bevilg_ressourceforloeb", "visiter_fleksjob",
        "anden_indsats", "afslut",
    }  # fmt: skip
    assert not tilladte["visiter_fleksjob"].mulig
    assert [m.kode for m in tilladte["visiter_fleksjob"].mangler] == ["partshoering.mangler", "afgoerelse.ikke_udstedt"]
    assert {m.kode for m in tilladte["bevilg_ressourceforloeb"].mangler} == {
        "indstilling.afvigelse_uden_genforelaeggelse", "partshoering.mangler", "afgoerelse.ikke_udstedt",
    }  # fmt: skip
    assert tilladte["afslut"].mulig
    assert [f.navn for f in tilladte["afslut"].felter] == [
        "dato",
        "aarsag",
        "bemaerkning",
        "tilbagedatering_begrundelse",
    ]
    jurist = factories.UserFactory(kommune=team.jobcenter.kommune, rolle=Rolle.JURIST)
    assert services.tilladte_overgange(fl, jurist) == []


def test_en_regel_flere_overgange_deler_spoerger_databasen_en_gang(team):
    """The partshøring rule guards three decisions from 'indstilling': judged once, shown on all three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")
    idag = START + dt.timedelta(days=30)
    with CaptureQueriesContext(connection) as q:
        tilladte = {t.navn: t for t in services.tilladte_overgange(fl, fl.sagsbehandler, idag=idag)}
    partshoering = [x for x in q.captured_queries if "partshoering_svar" in x["sql"]]
    assert len(partshoering) == 1
    for navn in ("bevilg_ressourceforloeb", "visiter_fleksjob", "anden_indsats"):
        assert "partshoering.mangler" in [m.kode for m in tilladte[navn].mangler]
        assert [m.kode for m in tilladte[navn].mangler] == [
            m.kode for m in rules.uopfyldte(navn, fl, rules.Kontekst(actor=fl.sagsbehandler, dato=idag, idag=idag),
                                            uden_input=True)
        ]  # fmt: skip


def test_andre_apps_kan_tilfoeje_regler(team):
    regel = rules.Regel("test.altid_nej", "Afvist af en regel fra en anden app.", lambda f, k: False)
    rules.register("afslut", regel)
    try:
        fl = forloeb_i("aktivitetsparat", team=team)
        with pytest.raises(services.OvergangAfvist) as exc:
            overgang(fl, "afslut", 0, aarsag="andet")
        assert "test.altid_nej" in koder(exc)
    finally:
        rules.GUARDS["afslut"].remove(regel)


# --- rule versions -----------------------------------------------------------------------------
def test_lukning_af_ressourceforloeb_for_nye_rammer_ikke_igangvaerende(team):
    lukket_fra = START + dt.timedelta(days=10)
    Regelparameter.objects.create(kode="ressourceforloeb_lukket_for_nye", vaerdi=True, gyldig_fra=lukket_fra,
                                  beskrivelse="Ingen nye ressourceforløb")  # fmt: skip
    gammel = forloeb_i("indstilling", team=team, udfald="ressourceforloeb")  # plan started day 0: before
    ny = forloeb_i("indstilling", team=team, udfald="ressourceforloeb", start=lukket_fra)
    for fl, start in ((gammel, START), (ny, lukket_fra)):
        haendelse(fl, "partshoering_sendt", 29, start=start)
        haendelse(fl, "partshoering_besvaret", 35, start=start)
    afgoer(gammel, "ressourceforloeb_bevilling", 40)
    assert frisk(gammel).tilstand == "ressourceforloeb"
    with pytest.raises(LintFejl) as exc:
        afgoer(ny, "ressourceforloeb_bevilling", 40, start=lukket_fra)
    assert koder(exc) == {"ressourceforloeb.lukket_for_nye"}


def test_kommunens_egen_servicemaal_gaar_forud_og_frister_beholder_deres_regelversion(team):
    from cases.models import FristDefinition

    national = FristDefinition.objects.get(art="servicemaal_afgoerelse", kommune__isnull=True)
    foer = forloeb_i("forberedende_plan", team=team)
    eget = FristDefinition.objects.get(pk=national.pk)
    eget.pk = None
    eget.id = __import__("uuid").uuid4()
    eget.kommune = team.jobcenter.kommune
    eget.laengde = 20
    eget.gyldig_fra = START + dt.timedelta(days=1)
    eget.save(force_insert=True)
    efter = forloeb_i("forberedende_plan", team=team, start=START + dt.timedelta(days=2))
    assert frist(foer, "servicemaal_afgoerelse").gaeldende_forfald == START + dt.timedelta(weeks=23)
    assert frist(foer, "servicemaal_afgoerelse").definition_id == national.pk
    ny = frist(efter, "servicemaal_afgoerelse")
    assert ny.gaeldende_forfald == START + dt.timedelta(days=2, weeks=20)
    assert ny.definition_id == eget.pk
    anden_kommune = forloeb_i("forberedende_plan", start=START + dt.timedelta(days=2))
    assert frist(anden_kommune, "servicemaal_afgoerelse").definition_id == national.pk
