"""Deadlines: created, explained and closed by the right events; the date arithmetic."""

import datetime as dt

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from cases import frister
from cases.models import Frist, FristDefinition, FristStatus
from infra import datoer
from tests.factories import START, afgoer, forloeb_i, haendelse


def aaben(fl, art):
    return Frist.objects.get(forloeb=fl, art=art, lukket_dato__isnull=True)


def seneste(fl, art):
    return Frist.objects.filter(forloeb=fl, art=art).latest("oprettet")


def test_servicemaal_23_uger_forklaret_og_lukket_af_afgoerelsen(team):
    fl = forloeb_i("forberedende_plan", team=team)
    f = aaben(fl, "servicemaal_afgoerelse")
    assert (f.start_dato, f.gaeldende_forfald, f.type, f.ansvar) == (
        START,
        dt.date(2026, 8, 10),
        "kommunalt_servicemaal",
        "kommune",
    )
    assert f.forklaring == (
        "Start på forberedende plan 02.03.2026 + 23 uger = 10.08.2026, "
        "jf. kommunens servicemål efter retssikkerhedslovens § 3, stk. 2"
    )
    assert f.varsler_dage == [21, 7]


def test_overgang_tre_uger_efter_indstilling_om_foertidspension(team):
    fl = forloeb_i("indstilling", team=team, udfald="foertidspension")
    f = aaben(fl, "overgang_pension")
    assert f.gaeldende_forfald == dt.date(2026, 3, 30) + dt.timedelta(weeks=3)
    afgoer(fl, "overgang_pension", 35, lovhenvisninger=["ast_39_17"])
    f.refresh_from_db()
    assert (f.status, f.lukket_af) == (FristStatus.OVERHOLDT, "overgang")


def test_overgang_efter_tre_uger_lukkes_som_overskredet(team):
    fl = forloeb_i("indstilling", team=team, udfald="foertidspension")
    afgoer(fl, "overgang_pension", 28 + 22, lovhenvisninger=["ast_39_17"])
    f = seneste(fl, "overgang_pension")
    assert f.status == FristStatus.OVERSKREDET and f.lukket_dato is not None and f.rettidig is False


def test_tre_maaneders_afgoerelse_fra_overgangsdatoen_ender_paa_maanedens_sidste_dag(team):
    fl = forloeb_i("indstilling", team=team, udfald="foertidspension", start=dt.date(2025, 12, 1))
    afgoer(fl, "overgang_pension", 61, start=dt.date(2025, 12, 1), lovhenvisninger=["ast_39_17"])  # 31.01.2026
    f = aaben(fl, "afgoerelse_pension")
    assert f.start_dato == dt.date(2026, 1, 31)
    assert f.gaeldende_forfald == dt.date(2026, 4, 30)  # no 31 April: the month's last day
    assert "31.01.2026 + 3 måneder = 30.04.2026, jf. pensionslovens § 21, stk. 1" in f.forklaring


def test_redegoerelse_forlaenger_afgoerelsesfristen(team):
    fl = forloeb_i("foertidspension_behandling", team=team)
    haendelse(fl, "redegoerelse_sendt", 80, ny_forventet_dato=dt.date(2026, 8, 31))
    f = aaben(fl, "afgoerelse_pension")
    assert (f.status, f.forfald, f.gaeldende_forfald) == (
        FristStatus.FORLAENGET,
        dt.date(2026, 7, 6),
        dt.date(2026, 8, 31),
    )
    assert "Forlænget 21.05.2026 til 31.08.2026" in f.forklaring


def test_partshoering_svarfrist_14_dage_lukkes_af_svaret(team):
    fl = forloeb_i("indstilling", team=team)
    haendelse(fl, "partshoering_sendt", 29)
    f = aaben(fl, "partshoering_svar")
    assert (f.gaeldende_forfald, f.ansvar) == (START + dt.timedelta(days=43), "borger")
    assert f.forklaring == "Partshøring sendt 31.03.2026 + 14 dage = 14.04.2026, jf. forvaltningslovens § 19"
    haendelse(fl, "partshoering_besvaret", 35)
    f.refresh_from_db()
    assert (f.status, f.lukket_dato) == (FristStatus.OVERHOLDT, START + dt.timedelta(days=35))


def test_klagefrist_flyttes_til_naeste_hverdag_men_kommunens_frister_flyttes_ikke(team):
    fl = forloeb_i("fleksjob", team=team)
    # Received 09.03.2026 + 4 weeks = 06.04.2026, Easter Monday → Tuesday 07.04.2026.
    haendelse(fl, "afgoerelse_modtaget", 7)
    klage = aaben(fl, "klagefrist")
    assert klage.gaeldende_forfald == dt.date(2026, 4, 7)
    assert "= 06.04.2026 (Anden påskedag), flyttet til næste hverdag 07.04.2026" in klage.forklaring
    # The servicemål of a plan started on a Sunday ends on a Sunday and stays there.
    fl2 = forloeb_i("forberedende_plan", team=team, start=dt.date(2026, 3, 1))
    assert aaben(fl2, "servicemaal_afgoerelse").gaeldende_forfald == dt.date(2026, 8, 9)  # a Sunday


def test_klage_lukker_klagefristen_og_starter_genvurderingen(team):
    fl = forloeb_i("fleksjob", team=team)
    haendelse(fl, "afgoerelse_modtaget", 41)
    haendelse(fl, "klage_modtaget", 50)
    assert seneste(fl, "klagefrist").status == FristStatus.OVERHOLDT
    genv = aaben(fl, "genvurdering")
    assert genv.gaeldende_forfald == START + dt.timedelta(days=50, weeks=4)
    haendelse(fl, "klage_sendt_ankestyrelsen", 70)
    assert seneste(fl, "genvurdering").status == FristStatus.OVERHOLDT


def test_ressourceforloeb_samtale_gentages(team):
    fl = forloeb_i("ressourceforloeb", team=team)  # started day 40 = 11.04.2026
    assert aaben(fl, "ressourceforloeb_samtale").gaeldende_forfald == dt.date(2026, 6, 11)
    haendelse(fl, "ressourceforloeb_samtale_holdt", 80)  # 21.05.2026
    assert aaben(fl, "ressourceforloeb_samtale").gaeldende_forfald == dt.date(2026, 7, 21)
    assert Frist.objects.filter(forloeb=fl, art="ressourceforloeb_samtale").count() == 2


def test_foranstaltning_afgoerelse_to_uger_foer_ophoer(team):
    fl = forloeb_i("ressourceforloeb", team=team)
    haendelse(fl, "foranstaltning_slutdato", 60)  # 01.05.2026 (a date known in advance)
    f = aaben(fl, "foranstaltning_ophoer")
    assert f.gaeldende_forfald == dt.date(2026, 4, 17)
    assert f.forklaring.startswith("Foranstaltningens ophør 01.05.2026 − 2 uger = 17.04.2026")


def test_fleksjob_status_efter_4_5_aar_og_opfoelgning(team):
    fl = forloeb_i("fleksjob", team=team)
    haendelse(fl, "fleksjob_ansaettelse_start", 50)  # 21.04.2026
    haendelse(fl, "fleksjob_midlertidig_start", 50)
    assert aaben(fl, "fleksjob_status").gaeldende_forfald == dt.date(2030, 10, 21)
    assert "+ 4½ år" in aaben(fl, "fleksjob_status").forklaring
    assert aaben(fl, "fleksjob_opfoelgning_tidlig").gaeldende_forfald == dt.date(2026, 7, 21)
    assert aaben(fl, "fleksjob_opfoelgning").gaeldende_forfald == dt.date(2028, 10, 21)


def test_samme_haendelse_to_gange_giver_ikke_dobbelte_frister(team):
    fl = forloeb_i("fleksjob", team=team)
    haendelse(fl, "fleksjob_midlertidig_start", 50)
    haendelse(fl, "fleksjob_midlertidig_start", 51)
    assert Frist.objects.filter(forloeb=fl, art="fleksjob_status").count() == 1


# --- date arithmetic, against an independent computation ---------------------------------------
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))
DK = holidays.Denmark(years=range(2000, 2070))


@given(start=dates, n=st.integers(0, 130))
def test_uger_ender_paa_samme_ugedag(start, n):
    result = datoer.laeg_til(start, n, "uger")
    assert result.weekday() == start.weekday()
    assert (result - start).days == 7 * n


@given(start=dates, n=st.integers(-60, 60))
def test_maaneder_samme_dag_eller_maanedens_sidste(start, n):
    assert datoer.laeg_til(start, n, "maaneder") == start + relativedelta(months=n)


@given(start=dates, n=st.integers(0, 400))
def test_dage(start, n):
    assert datoer.laeg_til(start, n, "dage") == start + dt.timedelta(days=n)


def _naeste_hverdag_uafhaengigt(d: dt.date) -> dt.date:
    while d.weekday() >= 5 or d in DK:
        d += dt.timedelta(days=1)
    return d


@pytest.mark.django_db
@given(
    start=dates,
    art=st.sampled_from(["klagefrist", "servicemaal_afgoerelse", "afgoerelse_pension", "partshoering_svar"]),
)
def test_kun_regler_med_flyt_til_hverdag_flytter_fristen(start, art):
    definition = FristDefinition.objects.get(art=art, kommune__isnull=True)
    forfald, forklaring = frister.beregn(
        definition, start, definition.start_haendelser[0] if definition.start_haendelser else "x"
    )
    raa = {
        "dage": start + dt.timedelta(days=definition.laengde),
        "uger": start + dt.timedelta(weeks=definition.laengde),
        "maaneder": start + relativedelta(months=definition.laengde),
    }[definition.enhed]
    if definition.rul_til_hverdag:
        assert forfald == _naeste_hverdag_uafhaengigt(raa)
        assert ("flyttet til næste hverdag" in forklaring) == (forfald != raa)
    else:
        assert forfald == raa
        assert "flyttet" not in forklaring
    assert forfald.strftime("%d.%m.%Y") in forklaring


def test_store_bededag_er_ikke_helligdag_fra_2024():
    assert datoer.er_helligdag(dt.date(2023, 5, 5))
    assert not datoer.er_helligdag(dt.date(2024, 4, 26))
    assert datoer.naeste_hverdag(dt.date(2026, 12, 25)) == dt.date(2026, 12, 28)
