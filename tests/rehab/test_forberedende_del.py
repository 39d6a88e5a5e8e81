"""The forberedende del: what blocks the presentation to the team, and what only prompts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.models import Regelparameter
from cases.services import OvergangAfvist
from infra import datoer
from infra.fejl import ForaeldetVersion
from rehab import rules
from rehab import services as rehab
from rehab.models import SEKTIONER, TJEKLISTE
from tests.factories import book, dag, forberedende_del_komplet, forloeb_i

from .conftest import felter, frisk, koder


@pytest.fixture
def plan(team, sagsbehandler):
    return forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)


def test_forelaeggelse_afvises_med_alle_mangler_i_forberedende_del_paa_en_gang(plan, uaendret):
    rehab.forberedende_del_opret(actor=plan.sagsbehandler, forloeb=plan)
    with uaendret(plan), pytest.raises(OvergangAfvist) as exc:
        book(plan, 7, 28)
    assert koder(exc) == {
        "rehab.forberedende_del_ufuldstaendig",
        "rehab.ikke_skrevet_med_borger",
        "rehab.lae265_mangler",
    }
    beskeder = " ".join(m.besked for m in exc.value.uopfyldte)
    assert "otte afsnit" in beskeder and "LÆ 265" in beskeder


def test_et_enkelt_tomt_afsnit_blokerer_og_navngives(plan):
    fd = forberedende_del_komplet(plan)
    rehab.forberedende_del_opdater(actor=plan.sagsbehandler, forberedende_del=fd, social_indsats="   ")
    fd.refresh_from_db()
    assert rules.manglende_sektioner(fd) == ["Social indsats"]
    with pytest.raises(OvergangAfvist) as exc:
        book(plan, 7, 28)
    assert koder(exc) == {"rehab.forberedende_del_ufuldstaendig"}


@pytest.mark.parametrize(
    "undtagelse",
    [
        {"egen_ansoegning_eksisterende_dokumentation": True},
        {"laegeattest_undladt_begrundelse": "Borgeren er netop udredt på hospitalet; ny attest tilfører intet."},
    ],
    ids=["egen_ansoegning_paa_foreliggende_grundlag", "begrundet_undladelse"],
)
def test_lae265_kraeves_ikke_ved_egen_ansoegning_eller_begrundet_undladelse(plan, undtagelse):
    fd = forberedende_del_komplet(plan, lae265=False)
    with pytest.raises(OvergangAfvist) as exc:
        book(plan, 7, 28)
    assert koder(exc) == {"rehab.lae265_mangler"}

    rehab.forberedende_del_opdater(actor=plan.sagsbehandler, forberedende_del=fd, **undtagelse)
    book(plan, 7, 28)
    assert frisk(plan).tilstand == "rehabiliteringsteam"


def test_gammelt_helbredsdokument_og_ubesvaret_tjekliste_advarer_men_blokerer_ikke(plan):
    fd = forberedende_del_komplet(plan)
    idag = datoer.idag()
    rehab.bilag_tilfoej(
        actor=plan.sagsbehandler,
        forberedende_del=fd,
        type="laegelig",
        titel="Speciallægeerklæring",
        dokument_dato=datoer.laeg_til(idag, -7, "maaneder"),
        kilde="speciallaege",
    )
    advarsler = rules.advarsler(fd)
    assert any("Speciallægeerklæring" in a and "ældre end 6 måneder" in a for a in advarsler)
    assert f"Helbredstjeklisten har {len(TJEKLISTE)} ubesvarede spørgsmål." in advarsler

    book(plan, 7, 28)  # prompts, not blockers
    assert frisk(plan).tilstand == "rehabiliteringsteam"


def test_kommunens_egen_aldersgraense_for_helbredsdokumenter_gaelder(plan):
    fd = forberedende_del_komplet(plan)
    idag = datoer.idag()
    rehab.bilag_tilfoej(
        actor=plan.sagsbehandler,
        forberedende_del=fd,
        type="lae265",
        titel="LÆ 265 (opdateret)",
        dokument_dato=datoer.laeg_til(idag, -4, "maaneder"),
    )
    assert not any("LÆ 265 (opdateret)" in a for a in rules.advarsler(fd))
    Regelparameter.objects.create(
        kode="helbredsdokument_max_alder_maaneder",
        vaerdi=3,
        kommune=plan.kommune,
        gyldig_fra=dt.date(2020, 1, 1),
        beskrivelse="Kommunens skærpede krav",
    )
    assert any("LÆ 265 (opdateret)" in a and "ældre end 3 måneder" in a for a in rules.advarsler(fd))


def test_besvaret_tjekliste_giver_ingen_advarsel(plan):
    fd = forberedende_del_komplet(plan)
    rehab.forberedende_del_opdater(
        actor=plan.sagsbehandler, forberedende_del=fd, **{navn: "uafklaret" for navn, _ in TJEKLISTE}
    )
    fd.refresh_from_db()
    assert rules.advarsler(fd, idag=dag(7)) == []  # the LÆ 265 from day 0 is fresh on day 7


def test_datoer_i_fremtiden_afvises_og_intet_gemmes(plan, uaendret):
    fd = forberedende_del_komplet(plan)
    imorgen = datoer.idag() + dt.timedelta(days=1)
    with uaendret(plan), pytest.raises(ValidationError) as exc:
        rehab.forberedende_del_opdater(
            actor=plan.sagsbehandler, forberedende_del=fd, skrevet_med_borger_dato=imorgen, helbred="Ny tekst"
        )
    assert felter(exc) == {"skrevet_med_borger_dato"}
    fd.refresh_from_db()
    assert fd.helbred != "Ny tekst"

    with uaendret(plan), pytest.raises(ValidationError) as exc:
        rehab.bilag_tilfoej(
            actor=plan.sagsbehandler, forberedende_del=fd, type="lae265", titel="Fremtidig", dokument_dato=imorgen
        )
    assert felter(exc) == {"dokument_dato"}


def test_ugyldigt_tjeklistesvar_og_ukendt_felt_afvises(plan):
    fd = forberedende_del_komplet(plan)
    with pytest.raises(ValidationError) as exc:
        rehab.forberedende_del_opdater(
            actor=plan.sagsbehandler, forberedende_del=fd, tjek_varig="maaske", anbefaling="Fleksjob"
        )
    assert felter(exc) == {"tjek_varig", "anbefaling"}  # descriptive only: no field for a recommendation


def test_foraeldet_version_afvises(plan):
    fd = forberedende_del_komplet(plan)
    fd.refresh_from_db()
    assert fd.version == 2
    rehab.forberedende_del_opdater(actor=plan.sagsbehandler, forberedende_del=fd, helbred="Første", expected_version=2)
    with pytest.raises(ForaeldetVersion, match="Den forberedende del er ændret af en anden"):
        rehab.forberedende_del_opdater(
            actor=plan.sagsbehandler, forberedende_del=fd, helbred="Anden", expected_version=2
        )
    fd.refresh_from_db()
    assert (fd.helbred, fd.version) == ("Første", 3)


def test_ny_forberedende_del_starter_med_teksten_fra_den_forrige(plan):
    forrige = forberedende_del_komplet(plan)
    forrige.refresh_from_db()
    assert forrige.helbred
    ny = rehab.forberedende_del_opret(actor=plan.sagsbehandler, forloeb=plan)
    for navn, _ in SEKTIONER:
        assert getattr(ny, navn) == getattr(forrige, navn)
    assert ny.skrevet_med_borger_dato is None  # must be written with the citizen again
    assert rules.aktuel_del(plan) == ny


def test_medarbejder_uden_for_teamet_kan_ikke_oprette(plan, andet_team):
    from django.core.exceptions import PermissionDenied

    from tests.factories import medarbejder

    with pytest.raises(PermissionDenied):
        rehab.forberedende_del_opret(actor=medarbejder(andet_team), forloeb=plan)
    assert not plan.forberedende_dele.exists()
