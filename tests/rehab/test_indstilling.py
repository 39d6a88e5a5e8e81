"""The team's indstilling: the content each outcome requires, udsættelse, genforelæggelse — and that
it is a recommendation, never a decision."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Frist, FristStatus, OvergangLog
from decisions.models import Dokument
from rehab import services as rehab
from rehab.models import Booking
from rehab.rules import KRAV
from tests.factories import INDHOLD, book, dag, forloeb_i, indstil

from .conftest import felter, frisk

UDFALD = ["fleksjob", "foertidspension", "ressourceforloeb", "anden_indsats", "jobafklaringsforloeb", "udsaettelse"]


@pytest.fixture
def i_team(team):
    """A forløb presented to the team; the meeting is on day 28."""
    return forloeb_i("rehabiliteringsteam", team=team)


@pytest.mark.parametrize("udfald", UDFALD)
def test_hvert_udfald_kraever_sit_indhold_og_intet_oprettes_uden(i_team, udfald, uaendret):
    with uaendret(i_team), pytest.raises(ValidationError) as exc:
        rehab.indstilling_registrer(
            actor=i_team.sagsbehandler, forloeb=i_team, udfald=udfald, dato=dag(28), idag=dag(28)
        )
    assert felter(exc) == {felt for felt, _ in KRAV[udfald]}
    assert all(beskeder[0].endswith(".") for beskeder in exc.value.message_dict.values())


@pytest.mark.parametrize("udfald", UDFALD)
def test_et_enkelt_manglende_felt_navngives(i_team, udfald, uaendret):
    sidste, besked = KRAV[udfald][-1]
    with uaendret(i_team), pytest.raises(ValidationError) as exc:
        indstil(i_team, udfald, 28, **{sidste: "  "})
    assert exc.value.message_dict == {sidste: [besked]}


@pytest.mark.parametrize("udfald", ["fleksjob", "foertidspension", "ressourceforloeb", "anden_indsats"])
def test_komplet_indstilling_flytter_forloebet_og_gemmer_indholdet(i_team, udfald):
    ind = indstil(i_team, udfald, 28)
    fl = frisk(i_team)
    assert (fl.tilstand, fl.indstilling_udfald, fl.indstilling_dato) == ("indstilling", udfald, dag(28))
    for felt, _ in KRAV[udfald]:
        assert getattr(ind, felt) == INDHOLD[felt]
    assert Booking.objects.get(pk=ind.booking_id).status == "afholdt"


def test_fleksjob_med_meget_begraenset_arbejdsevne_kraever_begrundelse_for_udvikling(i_team, uaendret):
    with uaendret(i_team), pytest.raises(ValidationError) as exc:
        indstil(i_team, "fleksjob", 28, meget_begraenset_arbejdsevne=True)
    assert felter(exc) == {"udvikling_begrundelse"}
    assert "rimelig periode" in exc.value.message_dict["udvikling_begrundelse"][0]

    ind = indstil(
        i_team, "fleksjob", 28, meget_begraenset_arbejdsevne=True,
        udvikling_begrundelse="Arbejdsevnen er steget fra 2 til 5 timer på et halvt år i praktik.",
    )  # fmt: skip
    assert ind.meget_begraenset_arbejdsevne is True
    assert frisk(i_team).tilstand == "indstilling"


def test_ressourceforloeb_gemmer_indsatser_og_oenske_om_retur(i_team):
    ind = indstil(
        i_team, "ressourceforloeb", 28, indsats_helbred="Smertebehandling", indsats_social="Bostøtte",
        team_oensker_sagen_retur=True,
    )  # fmt: skip
    ind.refresh_from_db()
    assert (ind.indsats_helbred, ind.indsats_social, ind.team_oensker_sagen_retur) == (
        "Smertebehandling",
        "Bostøtte",
        True,
    )


def test_ukendt_udfald_og_ukendt_felt_afvises(i_team, uaendret):
    with uaendret(i_team), pytest.raises(ValidationError) as exc:
        rehab.indstilling_registrer(
            actor=i_team.sagsbehandler, forloeb=i_team, udfald="revalidering", klagevejledning="x", idag=dag(28)
        )
    assert felter(exc) == {"udfald", "klagevejledning"}


def test_udsaettelse_sender_forloebet_tilbage_og_servicemaalet_loeber_videre(i_team):
    servicemaal = Frist.objects.get(forloeb=i_team, art="servicemaal_afgoerelse")
    ind = indstil(i_team, "udsaettelse", 28)
    fl = frisk(i_team)
    assert (fl.tilstand, fl.rehab_moede_dato, fl.indstilling_udfald) == ("forberedende_plan", None, "")
    log = OvergangLog.objects.get(forloeb=fl, overgang="udsaet")
    assert log.data["aarsag"] == ind.udsaettelse_aarsag and log.data["mangler"] == ind.udsaettelse_mangler
    efter = Frist.objects.get(forloeb=fl, art="servicemaal_afgoerelse")
    assert (efter.pk, efter.status, efter.gaeldende_forfald) == (
        servicemaal.pk,
        FristStatus.AABEN,
        servicemaal.gaeldende_forfald,
    )
    assert Booking.objects.get(forloeb=fl).status == "afholdt"

    book(fl, 30, 56)  # presented again when what was missing is there
    fl = frisk(fl)
    assert (fl.tilstand, fl.rehab_moede_dato) == ("rehabiliteringsteam", dag(56))
    assert Frist.objects.get(forloeb=fl, art="servicemaal_afgoerelse").pk == servicemaal.pk


def test_genforelaeggelse_kraever_kommunens_begrundelse(team, uaendret):
    fl = forloeb_i("indstilling", team=team, udfald="foertidspension")
    with uaendret(fl), pytest.raises(ValidationError) as exc:
        book(fl, 30, 50, genforelaeg_begrundelse="   ")
    assert felter(exc) == {"genforelaeg_begrundelse"}

    book(fl, 30, 50, genforelaeg_begrundelse="Kommunen vurderer, at arbejdsevnen kan udvikles i fleksjob.")
    fl = frisk(fl)
    assert (fl.tilstand, fl.genforelagt_dato, fl.rehab_moede_dato) == ("rehabiliteringsteam", dag(30), dag(50))
    log = OvergangLog.objects.get(forloeb=fl, overgang="genforelaeg")
    assert log.data["begrundelse"].startswith("Kommunen vurderer")
    assert Dokument.objects.filter(forloeb=fl, type="indkaldelse_rehabiliteringsmoede").count() == 2


def test_indstilling_er_ikke_en_afgoerelse_ingen_klagefrist_ingen_klagevejledning(i_team):
    dokumenter_foer = set(Dokument.objects.filter(forloeb=i_team).values_list("pk", flat=True))
    indstil(i_team, "foertidspension", 28)
    assert not Frist.objects.filter(forloeb=i_team, art="klagefrist").exists()
    nye = Dokument.objects.filter(forloeb=i_team).exclude(pk__in=dokumenter_foer)
    assert not nye.exists()
    assert not Dokument.objects.filter(forloeb=i_team).exclude(klagevejledning="").exists()
    # The deadline it does start is the municipality's own: the overgang to pension treatment.
    assert Frist.objects.filter(forloeb=i_team, art="overgang_pension", status=FristStatus.AABEN).exists()
