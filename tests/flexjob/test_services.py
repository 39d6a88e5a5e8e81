"""Fleksjob use cases: employers, visitation/ledighedsydelse, employments, arbejdsevnevurdering, deadlines."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Frist, Haendelse
from decisions import services as decisions
from decisions.services import LintFejl
from flexjob import rules, selectors, services
from flexjob.models import Ansaettelse, Arbejdsevnevurdering, Ledighedsydelse, Virksomhed, Visitation
from infra import datoer
from tests import factories
from tests.factories import dag

from .conftest import CVR, ansaettelse_til, besvar, fleksjob_med, virksomhed_til, visitation_af, vurdering_til

pytestmark = pytest.mark.django_db


def koder(exc: LintFejl) -> set[str]:
    return {m.kode for m in exc.mangler}


def udsted(v, paa_dag=70):
    return decisions.dokument_udsted(actor=v.ansaettelse.forloeb.sagsbehandler, dokument=v.dokument, idag=dag(paa_dag))


def frist(fl, art):
    return Frist.objects.filter(forloeb=fl, art=art).order_by("start_dato", "pk")


# --- Rules -----------------------------------------------------------------------------------
@pytest.mark.parametrize("cvr", ["10150817", "12345674", "35954716"])
def test_cvr_gyldig(cvr):
    assert rules.cvr_gyldig(cvr)


@pytest.mark.parametrize(
    "cvr", ["10150818", "12345675", "1234567", "123456789", "1015081a", "", "01234567", "１０１５０８１７"]
)
def test_cvr_ugyldig(cvr):
    assert not rules.cvr_gyldig(cvr)


@pytest.mark.parametrize(
    "p, ok", [("1234567890", True), ("123456789", False), ("12345678901", False), ("12345678a0", False)]
)
def test_p_nummer_laengde(p, ok):
    assert rules.p_nummer_gyldig(p) is ok


@pytest.mark.parametrize(
    "timer, intensitet, forventet",
    [
        (Decimal("12.5"), 60, Decimal("7.50")),
        (Decimal("37"), 100, Decimal("37.00")),
        (Decimal("7.3"), 33, Decimal("2.41")),
    ],
)
def test_effektive_timer(timer, intensitet, forventet):
    assert rules.effektive_timer(timer, intensitet) == forventet


# --- Employers -------------------------------------------------------------------------------
def test_virksomhed_find_eller_opret_genbruger(fleksjob_forloeb):
    v1 = virksomhed_til(fleksjob_forloeb, p_nummer="1234567890")
    v2 = virksomhed_til(fleksjob_forloeb, p_nummer="1234567890", navn="Andet navn")
    assert v1 == v2 and Virksomhed.objects.count() == 1


def test_virksomhed_ugyldig_cvr_og_p_nummer(fleksjob_forloeb):
    with pytest.raises(ValidationError) as e:
        virksomhed_til(fleksjob_forloeb, cvr="10150818", p_nummer="123")
    assert set(e.value.message_dict) == {"cvr", "p_nummer"}
    assert "CVR" in e.value.message_dict["cvr"][0]
    assert not Virksomhed.objects.exists()


# --- Visitation and ledighedsydelse ----------------------------------------------------------
def test_visitation_aabner_ledighedsydelse_og_ventetid(team):
    v = visitation_af(fleksjob_med({"ledighedsydelse_fra": dag(41).isoformat()}, team=team))
    p = v.ledighedsperioder.get()
    assert p.start == dag(41) and p.slut is None
    vt = selectors.ventetid(v, paa=dag(51))
    assert vt.aktuel_dage == 10 and vt.samlet_dage == 10 and vt.paa_ledighedsydelse


def test_ledighedsydelse_slutter_ved_ansaettelse_og_ventetid(visitation):
    fl = visitation.forloeb
    ansaettelse_til(fl, start=dag(70))
    p = Ledighedsydelse.objects.get(visitation=visitation)
    assert p.slut == dag(70)
    vt = selectors.ventetid(visitation, paa=dag(100))
    assert vt.aktuel_dage == 0 and vt.samlet_dage == 30 and not vt.paa_ledighedsydelse


def test_visitation_kraever_udstedt_visitationsafgoerelse(fleksjob_forloeb):
    andet = factories.forloeb_i("fleksjob")
    with pytest.raises(ValidationError) as e:
        services.visitation_opret(
            actor=fleksjob_forloeb.sagsbehandler, forloeb=fleksjob_forloeb,
            afgoerelse=andet.dokumenter.get(type="fleksjob_visitation"), baseline_timer=10, baseline_intensitet=50,
        )  # fmt: skip
    assert "afgoerelse" in e.value.message_dict
    assert not Visitation.objects.filter(forloeb=fleksjob_forloeb).exclude(afgoerelse__forloeb=fleksjob_forloeb)


def test_permanent_fleksjob_afvises_under_40(team):
    ung = factories.borger(team, cpr=factories.fiktivt_cpr(dt.date(1995, 5, 5)))
    fl = factories.forloeb_i("indstilling", team=team, borger=ung, udfald="fleksjob")
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    with pytest.raises(LintFejl) as e:
        factories.afgoer(fl, "fleksjob_visitation", 40, visitation={"permanent": True})
    assert koder(e.value) == {"visitation.permanent_under_40"}
    assert "40 år" in e.value.mangler[0].besked
    assert not Visitation.objects.exists() and not Ledighedsydelse.objects.exists()


def test_permanent_fleksjob_kraever_tidligere_midlertidigt(team):
    aeldre = factories.borger(team, cpr=factories.fiktivt_cpr(dt.date(1970, 5, 5)))
    fl = factories.forloeb_i("indstilling", team=team, borger=aeldre, udfald="fleksjob")
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    with pytest.raises(LintFejl) as e:
        factories.afgoer(fl, "fleksjob_visitation", 40, visitation={"permanent": True})
    assert koder(e.value) == {"visitation.permanent_uden_midlertidigt"}


def test_permanent_fleksjob_efter_midlertidigt_fra_40(team):
    aeldre = factories.borger(team, cpr=factories.fiktivt_cpr(dt.date(1970, 5, 5)))
    fl = factories.forloeb_i("fleksjob", team=team, borger=aeldre)
    foerste = ansaettelse_til(fl, start=dag(45))
    assert foerste.midlertidig
    # a new visitation decision after the temporary job (a replacing decision): issuing it registers it
    foerste_afg = fl.dokumenter.get(type="fleksjob_visitation")
    ny = factories.afgoer(
        fl, "fleksjob_visitation", 80, erstatter=foerste_afg,
        visitation={"baseline_timer": "15", "baseline_intensitet": 70, "permanent": True},
    )  # fmt: skip
    v2 = Visitation.objects.get(afgoerelse=ny)
    assert v2.permanent and v2.dato == dag(80) and v2.baseline_timer == Decimal("15")
    anden = ansaettelse_til(fl, start=dag(90))
    assert not anden.midlertidig and anden.visitation == v2
    assert frist(fl, "fleksjob_status").count() == 1


# --- Employments -----------------------------------------------------------------------------
def test_ansaettelse_starter_frister(visitation):
    fl = visitation.forloeb
    a = ansaettelse_til(fl, start=dag(60))
    assert frist(fl, "fleksjob_arbejdsevne").get().gaeldende_forfald == dag(60 + 28)
    assert frist(fl, "fleksjob_opfoelgning_tidlig").get().gaeldende_forfald == datoer.laeg_til(dag(60), 3, "maaneder")
    assert frist(fl, "fleksjob_opfoelgning").get().gaeldende_forfald == datoer.laeg_til(dag(60), 30, "maaneder")
    status = frist(fl, "fleksjob_status").get()
    assert status.gaeldende_forfald == datoer.laeg_til(dag(60), 54, "maaneder") == dt.date(2030, 11, 1)
    assert a.midlertidig
    assert Haendelse.objects.filter(forloeb=fl, kode="fleksjob_midlertidig_start").count() == 1


def test_anden_ansaettelse_starter_ikke_ny_statusfrist(visitation):
    fl = visitation.forloeb
    ansaettelse_til(fl, start=dag(60), slut=dag(90))
    ansaettelse_til(fl, start=dag(100))
    assert frist(fl, "fleksjob_status").count() == 1
    assert frist(fl, "fleksjob_arbejdsevne").count() == 2


def test_opfoelgninger_gentages(ansaettelse, monkeypatch):
    fl = ansaettelse.forloeb
    tre_mdr = datoer.laeg_til(dag(60), 3, "maaneder")
    monkeypatch.setattr(datoer, "idag", lambda: dt.date(2030, 1, 1))
    services.opfoelgning_holdt(actor=fl.sagsbehandler, ansaettelse=ansaettelse, dato=tre_mdr, referat="Det går godt.")
    tidlig = frist(fl, "fleksjob_opfoelgning_tidlig").get()
    assert tidlig.status == "overholdt"
    loebende = list(frist(fl, "fleksjob_opfoelgning"))
    assert [f.status for f in loebende] == ["overholdt", "aaben"]
    assert loebende[1].gaeldende_forfald == datoer.laeg_til(tre_mdr, 30, "maaneder")
    naeste = datoer.laeg_til(tre_mdr, 30, "maaneder")
    monkeypatch.setattr(datoer, "idag", lambda: naeste)
    services.opfoelgning_holdt(actor=fl.sagsbehandler, ansaettelse=ansaettelse, dato=naeste, referat="Status.")
    assert [f.status for f in frist(fl, "fleksjob_opfoelgning")] == ["overholdt", "overholdt", "aaben"]


def test_opfoelgning_kraever_referat(ansaettelse):
    with pytest.raises(ValidationError) as e:
        services.opfoelgning_holdt(
            actor=ansaettelse.forloeb.sagsbehandler, ansaettelse=ansaettelse, dato=dag(61), referat=" "
        )
    assert "referat" in e.value.message_dict


@pytest.mark.parametrize(
    "felter, felt",
    [
        ({"loennede_timer": 0}, "loennede_timer"),
        ({"loennede_timer": Decimal("-1")}, "loennede_timer"),
        ({"loennede_timer": Decimal("37.5")}, "loennede_timer"),
        ({"intensitet": 0}, "intensitet"),
        ({"intensitet": 101}, "intensitet"),
        ({"slut": dag(59)}, "slut"),
    ],
)
def test_ansaettelse_ugyldigt_input(visitation, felter, felt):
    fl = visitation.forloeb
    with pytest.raises(ValidationError) as e:
        ansaettelse_til(fl, start=dag(60), **felter)
    assert felt in e.value.message_dict
    assert not Ansaettelse.objects.exists() and not Frist.objects.filter(art__startswith="fleksjob").exists()
    assert Ledighedsydelse.objects.get().slut is None


def test_over_37_timer_med_begrundelse(visitation):
    a = ansaettelse_til(visitation.forloeb, loennede_timer=Decimal("38"), timer_begrundelse="Aftalt med overenskomst.")
    assert a.loennede_timer == Decimal("38.0")


def test_ansaettelse_virksomhed_fra_anden_kommune(visitation, fremmed_team):
    fremmed = factories.forloeb_i("fleksjob", team=fremmed_team)
    v = virksomhed_til(fremmed)
    with pytest.raises(ValidationError) as e:
        ansaettelse_til(visitation.forloeb, virksomhed=v)
    assert "virksomhed" in e.value.message_dict
    assert not Ansaettelse.objects.exists()


def test_ansaettelse_i_anden_kommunes_forloeb_afvises(visitation, fremmed_team):
    fremmed_medarbejder = factories.medarbejder(fremmed_team)
    with pytest.raises(PermissionDenied):
        services.ansaettelse_opret(
            actor=fremmed_medarbejder, forloeb=visitation.forloeb, virksomhed=virksomhed_til(visitation.forloeb),
            start=dag(60), loennede_timer=10,
        )  # fmt: skip
    assert not Ansaettelse.objects.exists()


def test_ansaettelse_kraever_visitation(team):
    # In fleksjob without a visitation: a refused førtidspension continuing as fleksjob.
    fl = factories.forloeb_i("foertidspension_behandling", team=team)
    factories.haendelse(fl, "tilbud_om_moede_sendt", 36)
    factories.haendelse(fl, "partshoering_sendt", 37)
    factories.haendelse(fl, "partshoering_besvaret", 45)
    factories.afgoer(
        fl, "foertidspension_afslag", 50, arbejdsfunktioner=["Let kontorarbejde"], data={"videre": "fleksjob"}
    )
    fl.refresh_from_db()
    assert fl.tilstand == "fleksjob" and not Visitation.objects.filter(forloeb=fl).exists()
    with pytest.raises(ValidationError) as e:
        ansaettelse_til(fl)
    assert "forloeb" in e.value.message_dict


def _med_virksomhed(fl, **kw):
    kw.setdefault("cvr", CVR)
    kw.setdefault("navn", "Fiktiv Bageri ApS")
    kw.setdefault("start", dag(60))
    kw.setdefault("loennede_timer", Decimal("12.5"))
    kw.setdefault("intensitet", 60)
    return services.ansaettelse_med_virksomhed_opret(actor=fl.sagsbehandler, forloeb=fl, **kw)


def test_ansaettelse_med_ny_virksomhed_opretter_begge_i_en_handling(visitation):
    fl = visitation.forloeb
    a = _med_virksomhed(fl, p_nummer="1234567890", kontaktperson="Kontakt Fiktiv")
    v = Virksomhed.objects.get(kommune_id=fl.kommune_id, cvr=CVR)
    assert (a.virksomhed, v.navn, v.p_nummer, v.kontaktperson) == (
        v,
        "Fiktiv Bageri ApS",
        "1234567890",
        "Kontakt Fiktiv",
    )
    assert frist(fl, "fleksjob_arbejdsevne").get().reference == f"ansaettelse:{a.pk}"


def test_ansaettelse_der_afvises_efterlader_ingen_ny_virksomhed_og_alle_fejl_vises(visitation):
    fl = visitation.forloeb
    with pytest.raises(ValidationError) as exc:
        _med_virksomhed(fl, cvr="10150818", loennede_timer=Decimal("40"))  # bad CVR and too many hours
    assert {"cvr", "loennede_timer"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        _med_virksomhed(fl, start=dag(10))  # valid employer, employment before the visitation
    assert set(exc.value.message_dict) == {"start"}
    assert not Virksomhed.objects.filter(kommune_id=fl.kommune_id).exists()
    assert not Ansaettelse.objects.filter(forloeb=fl).exists()


def test_ansaettelse_hos_kendt_virksomhed_uden_navn_genbruger_virksomheden(visitation):
    fl = visitation.forloeb
    kendt = virksomhed_til(fl, navn="Kendt Bageri ApS")
    a = _med_virksomhed(fl, navn="")
    assert a.virksomhed == kendt and Virksomhed.objects.filter(kommune_id=fl.kommune_id).count() == 1
    assert Virksomhed.objects.get(pk=kendt.pk).navn == "Kendt Bageri ApS"


# --- Arbejdsevnevurdering --------------------------------------------------------------------
def test_vurdering_tekst_og_effektive_timer(ansaettelse):
    v = vurdering_til(ansaettelse, timer=Decimal("12.5"), intensitet=60)
    assert v.effektive_timer == Decimal("7.50")
    assert not v.afviger
    t = v.dokument.tekst
    assert "12,5 timer" in t and "60 %" in t and "7,5 effektive timer" in t
    assert "Ingen tunge løft: Kollega løfter" in t
    assert v.baseline_timer == Decimal("12.5") and v.job_timer == Decimal("12.5") and v.job_intensitet == 60


def test_udstedelse_lukker_arbejdsevnefrist(ansaettelse):
    fl = ansaettelse.forloeb
    v = vurdering_til(ansaettelse, progression="Forventes at kunne øge til 15 timer.")
    d = udsted(v, 70)
    assert d.status == "udstedt"
    f = frist(fl, "fleksjob_arbejdsevne").get()
    assert f.status == "overholdt" and f.lukket_dato == dag(70)


def test_udstedelse_lukker_kun_den_vurderede_ansaettelses_frist(visitation):
    fl = visitation.forloeb
    foerste = ansaettelse_til(fl, start=dag(60), slut=dag(90))
    anden = ansaettelse_til(fl, start=dag(100))
    udsted(vurdering_til(anden), 110)
    lukket = {f.reference: f.status for f in frist(fl, "fleksjob_arbejdsevne")}
    assert lukket == {f"ansaettelse:{anden.pk}": "overholdt", f"ansaettelse:{foerste.pk}": "aaben"}


@pytest.mark.parametrize(
    "afvigelse",
    [
        {"job_timer": Decimal("15")},
        {"job_timer": Decimal("10")},
        {"job_intensitet": 70},
        {"job_intensitet": 50},
    ],
)
def test_afvigelse_kraever_begrundelse_begge_veje(ansaettelse, afvigelse):
    v = vurdering_til(ansaettelse, timer=Decimal("12.5"), intensitet=60, progression="x", **afvigelse)
    assert v.afviger
    with pytest.raises(LintFejl) as e:
        udsted(v)
    assert "arbejdsevne.afvigelse_uden_begrundelse" in koder(e.value)
    v = services.arbejdsevnevurdering_opdater(
        actor=ansaettelse.forloeb.sagsbehandler, vurdering=v, afvigelse_begrundelse="Arbejdsgiver tilpasser opgaverne."
    )
    assert "Arbejdsgiver tilpasser opgaverne" in v.dokument.tekst
    assert udsted(v).status == "udstedt"


@pytest.mark.parametrize(
    "felter, kode",
    [
        ({"timer": Decimal("0")}, "arbejdsevne.timer_ugyldige"),
        (
            {"timer": Decimal("38"), "job_timer": Decimal("38"), "afvigelse_begrundelse": "x"},
            "arbejdsevne.timer_ugyldige",
        ),
        ({"opgaver": " "}, "arbejdsevne.opgaver_mangler"),
        ({"skaanehensyn": [{"hensyn": "Pauser", "imoedekommet": ""}]}, "arbejdsevne.skaanehensyn_uden_imoedekommelse"),
    ],
)
def test_indholdsregler_afviser_udstedelse(ansaettelse, felter, kode):
    ansaettelse.opgaver = ""
    v = vurdering_til(ansaettelse, progression="x", **felter)
    with pytest.raises(LintFejl) as e:
        udsted(v)
    assert kode in koder(e.value)


def test_intensitet_uden_for_interval_afvises(ansaettelse):
    for i in (0, 101):
        with pytest.raises(ValidationError) as e:
            vurdering_til(ansaettelse, intensitet=i)
        assert "intensitet" in e.value.message_dict
    assert not Arbejdsevnevurdering.objects.exists()


def test_over_37_timer_med_begrundelse_kan_udstedes(ansaettelse):
    v = vurdering_til(
        ansaettelse, timer=Decimal("38"), job_timer=Decimal("38"), intensitet=60, progression="x",
        timer_begrundelse="Fuld tid efter overenskomst.", afvigelse_begrundelse="Jobbet er tilpasset.",
    )  # fmt: skip
    assert udsted(v).status == "udstedt"


def test_progression_kraeves_ved_meget_begraenset(team):
    fl = fleksjob_med({"meget_begraenset": True, "baseline_timer": "15", "baseline_intensitet": 80}, team=team)
    a = ansaettelse_til(fl, loennede_timer=Decimal("15"), intensitet=80)
    v = vurdering_til(a)
    with pytest.raises(LintFejl) as e:
        udsted(v)
    # the hard rule (LAB § 116, stk. 2) and the prompt's answer ("no progression") both refuse it
    assert koder(e.value) == {"arbejdsevne.progression_mangler", "arbejdsevne.progression_116_stk_2"}
    v = services.arbejdsevnevurdering_opdater(
        actor=fl.sagsbehandler, vurdering=v, progression="Forventet progression til 20 timer.",
        milepaele=[{"dato": "2026-09-01", "beskrivelse": "Op til 17 timer"}],
    )  # fmt: skip
    assert "2026-09-01: Op til 17 timer" in v.dokument.tekst
    besvar(v, progression="ja")
    assert udsted(v).status == "udstedt"


def test_progression_kun_advarsel_under_10_effektive_timer(ansaettelse):
    v = vurdering_til(ansaettelse)  # 12.5 × 60 % = 7.5 effective hours, not very limited
    assert [a["kode"] for a in services.advarsler(v)] == ["arbejdsevne.progression_mangler"]
    assert udsted(v).status == "udstedt"


def test_ingen_advarsel_fra_10_effektive_timer(team):
    fl = fleksjob_med({"baseline_timer": "20", "baseline_intensitet": 50}, team=team)
    a = ansaettelse_til(fl, loennede_timer=Decimal("20"), intensitet=50)
    assert services.advarsler(vurdering_til(a)) == []


def test_revurdering_versioneres(ansaettelse):
    fl = ansaettelse.forloeb
    v1 = vurdering_til(ansaettelse, progression="x")
    udsted(v1)
    with pytest.raises(ValidationError) as e:
        services.arbejdsevnevurdering_revurder(actor=fl.sagsbehandler, forrige=v1, faelles_anmodning=False)
    assert "faelles_anmodning" in e.value.message_dict
    assert Arbejdsevnevurdering.objects.count() == 1
    v2 = services.arbejdsevnevurdering_revurder(
        actor=fl.sagsbehandler, forrige=v1, faelles_anmodning=True, timer=Decimal("15"), intensitet=70,
        afvigelse_begrundelse="Jobbet fastholdes, mens timerne øges gradvist.",
    )  # fmt: skip
    assert v2.version == 2 and v2.forrige == v1 and v2.faelles_anmodning
    assert v2.dokument.erstatter == v1.dokument
    assert v2.skaanehensyn == v1.skaanehensyn and v2.opgaver == v1.opgaver
    besvar(v2)  # the new decision takes its own position on the prompts
    udsted(v2, 200)
    v1.refresh_from_db()
    v1.dokument.refresh_from_db()
    assert v1.dokument.status == "udstedt" and v1.dokument.erstattet_af == v2.dokument
    assert list(ansaettelse.vurderinger.values_list("version", flat=True)) == [2, 1]
    with pytest.raises(ValidationError):
        services.arbejdsevnevurdering_revurder(actor=fl.sagsbehandler, forrige=v1, faelles_anmodning=True)


def test_anden_vurdering_uden_revurdering_afvises(ansaettelse):
    vurdering_til(ansaettelse)
    with pytest.raises(ValidationError) as e:
        vurdering_til(ansaettelse)
    assert "ansaettelse" in e.value.message_dict


__all__ = ["CVR"]
