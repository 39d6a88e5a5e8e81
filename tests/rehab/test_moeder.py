"""Meeting days, booking (capacity, lead time, summons letter) and the meeting record."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Rolle
from cases.services import OvergangAfvist
from decisions.models import Dokument
from infra import datoer
from infra.models import AuditEntry
from rehab import services as rehab
from rehab.models import Booking, Moededag, Teammedlem
from tests import factories
from tests.factories import book, dag, forberedende_del_komplet, forloeb_i, moededag

from .conftest import felter, frisk, koder


def klar_til_forelaeggelse(team):
    fl = forloeb_i("forberedende_plan", team=team)
    forberedende_del_komplet(fl)
    return fl


def test_fuldt_booket_moededag_afvises_paa_dansk_og_intet_bookes(team, uaendret):
    md = moededag(team.jobcenter.kommune, dag(28), kapacitet=2)
    for _ in range(2):
        fl = klar_til_forelaeggelse(team)
        rehab.moede_book(actor=fl.sagsbehandler, forloeb=fl, moededag=md, idag=dag(7))
    assert rehab.ledige_pladser(md) == 0

    nummer3 = klar_til_forelaeggelse(team)
    with uaendret(nummer3), pytest.raises(ValidationError) as exc:
        rehab.moede_book(actor=nummer3.sagsbehandler, forloeb=nummer3, moededag=md, idag=dag(7))
    assert exc.value.message_dict == {"moededag": ["Mødedagen 30.03.2026 er fuldt booket. Vælg en anden dag."]}
    assert md.bookinger.count() == 2
    assert frisk(nummer3).tilstand == "forberedende_plan"


def test_flyttet_moede_aflyser_den_gamle_booking_frigiver_pladsen_og_skriver_ny_indkaldelse(team):
    md = moededag(team.jobcenter.kommune, dag(28), kapacitet=1)
    ny_dag = moededag(team.jobcenter.kommune, dag(42), kapacitet=1)
    fl = klar_til_forelaeggelse(team)
    b = rehab.moede_book(actor=fl.sagsbehandler, forloeb=fl, moededag=md, idag=dag(7))
    assert rehab.ledige_pladser(md) == 0
    version = frisk(fl).version

    ny = rehab.moede_flyt(
        actor=fl.sagsbehandler, booking=b, moededag=ny_dag, aarsag=" Borgeren er indlagt. ",
        tidspunkt=dt.time(9, 0), idag=dag(10),
    )  # fmt: skip

    assert Booking.objects.get(pk=b.pk).status == "aflyst"
    assert (ny.status, ny.moededag, ny.tidspunkt) == ("booket", ny_dag, dt.time(9, 0))
    assert (rehab.ledige_pladser(md), rehab.ledige_pladser(ny_dag)) == (1, 0)
    fl2 = frisk(fl)
    assert (fl2.tilstand, fl2.rehab_moede_dato, fl2.version) == ("rehabiliteringsteam", dag(42), version + 1)
    brev = Dokument.objects.get(forloeb=fl, type="indkaldelse_rehabiliteringsmoede", data__booking=str(ny.pk))
    assert brev.status == "kladde" and brev.titel == "Ny indkaldelse til møde i rehabiliteringsteamet"
    assert "Mødet den 30.03.2026 er flyttet." in brev.tekst and "13.04.2026 kl. 09.00" in brev.tekst
    entry = AuditEntry.objects.get(handling="moede.flyt")
    assert (entry.begrundelse, entry.foer["moededag"], entry.efter["moededag"]) == (
        "Borgeren er indlagt.", "2026-03-30", "2026-04-13"
    )  # fmt: skip
    # the team's indstilling is registered from the new meeting day, not the old one
    with pytest.raises(OvergangAfvist) as exc:
        factories.indstil(fl2, "anden_indsats", 28)
    assert koder(exc) == {"rehab.moede_ikke_afholdt"}


@pytest.mark.parametrize(
    ("hvad", "felt", "besked"),
    [
        ("uden_aarsag", "aarsag", "Angiv hvorfor mødet flyttes"),
        ("samme_dag", "moededag", "Vælg en anden mødedag"),
        ("kort_varsel", "moededag", "mindst det fastsatte antal dage fremme"),
        ("fortid", "moededag", "ligger i fortiden"),
        ("fuld", "moededag", "fuldt booket"),
        ("anden_kommune", "moededag", "findes ikke"),
        ("afholdt", "status", "Kun et booket møde"),
    ],
)
def test_flytning_afvises_paa_dansk_og_aendrer_intet(team, fremmed_team, uaendret, hvad, felt, besked):
    md = moededag(team.jobcenter.kommune, dag(28))
    fl = klar_til_forelaeggelse(team)
    b = rehab.moede_book(actor=fl.sagsbehandler, forloeb=fl, moededag=md, idag=dag(7))
    idag, aarsag = dag(10), "Borgeren er syg."
    til = {
        "samme_dag": md,
        "kort_varsel": moededag(team.jobcenter.kommune, dag(20)),
        "fortid": moededag(team.jobcenter.kommune, dag(9)),
        "fuld": moededag(team.jobcenter.kommune, dag(42), kapacitet=1),
        "anden_kommune": moededag(fremmed_team.jobcenter.kommune, dag(42)),
    }.get(hvad) or moededag(team.jobcenter.kommune, dag(42))
    if hvad == "uden_aarsag":
        aarsag = "  "
    if hvad == "fuld":
        rehab.moede_book(actor=fl.sagsbehandler, forloeb=klar_til_forelaeggelse(team), moededag=til, idag=dag(7))
    if hvad == "afholdt":
        idag = dag(28)
        Booking.objects.filter(pk=b.pk).update(status="afholdt")
    foer = list(Booking.objects.filter(forloeb=fl).values_list("pk", "status"))

    with uaendret(fl), pytest.raises(ValidationError) as exc:
        rehab.moede_flyt(actor=fl.sagsbehandler, booking=b, moededag=til, aarsag=aarsag, idag=idag)

    assert besked in exc.value.message_dict[felt][0]
    assert list(Booking.objects.filter(forloeb=fl).values_list("pk", "status")) == foer
    assert Dokument.objects.filter(forloeb=fl, type="indkaldelse_rehabiliteringsmoede").count() == 1


def test_moede_uden_varsel_afvises_og_booker_intet_og_skriver_intet_brev(team, uaendret):
    fl = klar_til_forelaeggelse(team)
    with uaendret(fl), pytest.raises(OvergangAfvist) as exc:
        book(fl, 7, 7 + 13)
    assert koder(exc) == {"rehab.moede_varsel"}
    assert not Dokument.objects.filter(forloeb=fl).exists()


def test_booking_forelaegger_sagen_og_opretter_udkast_til_indkaldelse(team):
    fl = klar_til_forelaeggelse(team)
    b = book(fl, 7, 28, tidspunkt=dt.time(10, 30))
    fl = frisk(fl)
    assert (fl.tilstand, fl.rehab_moede_dato) == ("rehabiliteringsteam", dag(28))
    brev = Dokument.objects.get(forloeb=fl, type="indkaldelse_rehabiliteringsmoede")
    assert brev.status == "kladde"
    assert "30.03.2026 kl. 10.30" in brev.tekst and "Rådhuset" in brev.tekst and "bisidder" in brev.tekst
    assert brev.data == {"moededag": str(b.moededag_id), "booking": str(b.pk)}
    assert not brev.er_afgoerelse


def test_moededag_i_fortiden_og_dobbelt_booking_afvises(team, uaendret):
    fl = klar_til_forelaeggelse(team)
    gammel = moededag(team.jobcenter.kommune, dag(5))
    with uaendret(fl), pytest.raises(ValidationError) as exc:
        rehab.moede_book(actor=fl.sagsbehandler, forloeb=fl, moededag=gammel, idag=dag(7))
    assert felter(exc) == {"moededag"}

    book(fl, 7, 28)
    anden = moededag(team.jobcenter.kommune, dag(35))
    with uaendret(fl), pytest.raises(ValidationError) as exc:
        rehab.moede_book(actor=fl.sagsbehandler, forloeb=fl, moededag=anden, idag=dag(8))
    assert "allerede en booket plads" in exc.value.message_dict["moededag"][0]


def test_moededag_i_anden_kommune_kan_ikke_bookes(team, fremmed_team, uaendret):
    fl = klar_til_forelaeggelse(team)
    fremmed = moededag(fremmed_team.jobcenter.kommune, dag(28))
    with uaendret(fl), pytest.raises(ValidationError) as exc:
        rehab.moede_book(actor=fl.sagsbehandler, forloeb=fl, moededag=fremmed, idag=dag(7))
    assert exc.value.message_dict == {"moededag": ["Mødedagen findes ikke."]}


def test_referat_kraever_moededagens_egne_medlemmer(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    b = fl.rehab_bookinger.get()
    egne = list(b.moededag.medlemmer.values_list("pk", flat=True))
    fremmed_dag = moededag(team.jobcenter.kommune, dag(42))
    Teammedlem.objects.create(moededag=fremmed_dag, navn="Socialrådgiver Fiktiv", omraade="social")
    fremmed = fremmed_dag.medlemmer.get(navn="Socialrådgiver Fiktiv").pk

    with pytest.raises(ValidationError) as exc:
        rehab.moede_afholdt(actor=fl.sagsbehandler, booking=b, borger_til_stede=True, deltagere=[*egne, fremmed])
    assert felter(exc) == {"deltagere"}
    b.refresh_from_db()
    assert (b.status, b.borger_til_stede, list(b.deltagere.all())) == ("booket", None, [])

    rehab.moede_afholdt(
        actor=fl.sagsbehandler, booking=b, borger_til_stede=True, deltagere=egne, bisidder_navn=" Datter ",
        referat="Borgeren fortalte selv om sine skånehensyn.",
    )  # fmt: skip
    b.refresh_from_db()
    assert (b.status, b.borger_til_stede, b.bisidder_navn) == ("afholdt", True, "Datter")
    assert sorted(b.deltagere.values_list("pk", flat=True)) == sorted(egne)


def test_moede_i_fremtiden_kan_ikke_faa_referat(team):
    fl = klar_til_forelaeggelse(team)
    idag = datoer.idag()
    md = moededag(team.jobcenter.kommune, idag + dt.timedelta(days=20))
    b = rehab.moede_book(actor=fl.sagsbehandler, forloeb=fl, moededag=md)
    with pytest.raises(ValidationError) as exc:
        rehab.moede_afholdt(actor=fl.sagsbehandler, booking=b, borger_til_stede=True)
    assert exc.value.message_dict == {"moededag": ["Mødet er ikke holdt endnu."]}


@pytest.mark.parametrize("rolle", [Rolle.TEAMLEDER, Rolle.MOEDELEDER])
def test_teamleder_og_moedeleder_opretter_moededage_med_medlemmer(team, rolle):
    actor = factories.medarbejder(team, rolle)
    md = rehab.moededag_opret(
        actor=actor,
        dato=datoer.idag() + dt.timedelta(days=30),
        kapacitet=5,
        sted="Jobcentret, mødelokale 2",
        medlemmer=[("Sundhedskoordinator Fiktiv", "sundhedskoordinator"), ("Konsulent Fiktiv", "beskaeftigelse")],
    )
    assert (md.kommune_id, md.kapacitet, md.medlemmer.count()) == (team.jobcenter.kommune_id, 5, 2)


@pytest.mark.parametrize("rolle", [Rolle.SAGSBEHANDLER, Rolle.JURIST])
def test_andre_roller_kan_ikke_oprette_moededage(team, rolle):
    actor = factories.medarbejder(team, rolle)
    with pytest.raises(PermissionDenied):
        rehab.moededag_opret(actor=actor, dato=datoer.idag() + dt.timedelta(days=30), kapacitet=5)
    assert not Moededag.objects.exists()


def test_moededag_valideres_samlet(team, teamleder):
    with pytest.raises(ValidationError) as exc:
        rehab.moededag_opret(
            actor=teamleder, dato=datoer.idag() - dt.timedelta(days=1), kapacitet=0, medlemmer=[("", "social")]
        )
    assert felter(exc) == {"dato", "kapacitet", "medlemmer.0"}
    assert not Moededag.objects.exists()
