"""Partshøring end to end: the letter lists what the decision rests on, sending it starts the reply
deadline, and the decision waits for the reply (or the deadline, or a recorded exception)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.models import Frist, FristStatus, Journalnotat
from decisions import services as decisions
from decisions.models import Dokument
from decisions.services import LintFejl
from infra import datoer
from rehab import services as rehab
from rehab.models import Bilag, Partshoering
from tests import factories
from tests.factories import afgoer, forloeb_i

from .conftest import felter, frisk, koder


@pytest.fixture
def indstillet(team):
    """Team recommended fleksjob on day 28; the citizen has a postal address."""
    ejer = factories.medarbejder(team)
    b = factories.borger(team, actor=ejer, adresse="Fiktivvej 1", postnummer="9999", by="Testby")
    return forloeb_i("indstilling", team=team, udfald="fleksjob", sagsbehandler=ejer, borger=b)


def grundlag(fl) -> list[dict]:
    lae265 = Bilag.objects.get(forberedende_del__forloeb=fl, type="lae265")
    indstilling = fl.indstillinger.get()
    return [
        {"tekst": "Lægen vurderer, at du kan arbejde 12 timer om ugen.", "kilde_type": "bilag", "kilde_id": lae265.pk},
        {
            "tekst": "Teamet anbefaler fleksjob med skånehensyn.",
            "kilde_type": "indstilling",
            "kilde_id": str(indstilling.pk),
        },
    ]


def send(ph, kanal: str):
    """Issue the draft letter, render its PDF now (the Celery task does it after commit), send it."""
    brev = decisions.dokument_udsted(actor=ph.forloeb.sagsbehandler, dokument=ph.brev)
    decisions.dokument_render_pdf(brev.pk)
    return decisions.dokument_afsend(actor=ph.forloeb.sagsbehandler, dokument=brev, kanal=kanal)


@pytest.mark.parametrize("kanal", ["udleveret", "fysisk_post"])
def test_partshoering_fra_udkast_til_svarfrist_og_afgoerelse(indstillet, kanal):
    fl = indstillet
    ph = rehab.partshoering_opret(actor=fl.sagsbehandler, forloeb=fl, grundlag=grundlag(fl))
    assert ph.status == "kladde" and ph.indstilling == fl.indstillinger.get()

    brev = Dokument.objects.get(pk=ph.brev_id)
    assert (brev.type, brev.status, brev.er_afgoerelse) == ("partshoering", "kladde", False)
    assert (
        "- Lægen vurderer, at du kan arbejde 12 timer om ugen. "
        "(kilde: Lægeattest LÆ 265: LÆ 265 fra egen læge (02.03.2026))" in brev.tekst
    )
    assert "- Teamet anbefaler fleksjob med skånehensyn. (kilde: Rehabiliteringsteamets indstilling 30.03.2026)" in (
        brev.tekst
    )

    forsendelse = send(ph, kanal)
    idag = datoer.idag()
    ph.refresh_from_db()
    svarfrist = Frist.objects.get(forloeb=fl, art="partshoering_svar")
    assert (ph.status, ph.sendt_dato) == ("sendt", idag)
    assert ph.svarfrist == svarfrist.gaeldende_forfald == idag + dt.timedelta(days=14)
    assert forsendelse.kanal == kanal
    assert not Frist.objects.filter(forloeb=fl, art="klagefrist").exists()  # a letter, not a decision

    # Before the reply (and before the deadline) the municipality cannot decide.
    with pytest.raises(LintFejl) as exc:
        afgoer(fl, "fleksjob_visitation")
    assert koder(exc) == {"partshoering.mangler"}
    assert frisk(fl).tilstand == "indstilling"

    rehab.partshoering_svar(
        actor=fl.sagsbehandler, partshoering=ph, dato=idag, tekst="Jeg er enig, men kun formiddage."
    )
    ph.refresh_from_db()
    assert (ph.status, ph.svar_dato) == ("besvaret", idag)
    assert Frist.objects.get(pk=svarfrist.pk).status == FristStatus.OVERHOLDT

    afgoer(fl, "fleksjob_visitation")
    assert frisk(fl).tilstand == "fleksjob"


def test_afgoerelse_er_mulig_naar_svarfristen_er_udloebet(indstillet):
    fl = indstillet
    ph = rehab.partshoering_opret(actor=fl.sagsbehandler, forloeb=fl, grundlag=grundlag(fl))
    send(ph, "udleveret")
    ph.refresh_from_db()
    dagen_efter = (ph.svarfrist + dt.timedelta(days=1) - factories.START).days
    afgoer(fl, "fleksjob_visitation", dagen_efter)
    assert frisk(fl).tilstand == "fleksjob"


def test_fysisk_post_kraever_adresse_og_intet_sendes_uden(team):
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")  # citizen without address
    ph = rehab.partshoering_opret(actor=fl.sagsbehandler, forloeb=fl, grundlag=grundlag(fl))
    with pytest.raises(decisions.ForsendelseFejl):
        send(ph, "fysisk_post")
    ph.refresh_from_db()
    assert (ph.status, ph.svarfrist) == ("kladde", None)
    assert not Frist.objects.filter(forloeb=fl, art="partshoering_svar").exists()


def test_grundlag_fra_et_andet_forloeb_afvises_og_intet_oprettes(indstillet, team, uaendret):
    andet = forloeb_i("indstilling", team=team)
    fremmed_bilag = Bilag.objects.get(forberedende_del__forloeb=andet, type="lae265")
    punkter = [
        *grundlag(indstillet),
        {"tekst": "Fremmed oplysning", "kilde_type": "bilag", "kilde_id": fremmed_bilag.pk},
    ]
    with uaendret(indstillet), pytest.raises(ValidationError) as exc:
        rehab.partshoering_opret(actor=indstillet.sagsbehandler, forloeb=indstillet, grundlag=punkter)
    assert exc.value.message_dict == {"grundlag.2.kilde_id": ["Kilden skal være et dokument i denne sag."]}


def test_grundlag_skal_have_punkter_med_tekst(indstillet, uaendret):
    with uaendret(indstillet), pytest.raises(ValidationError) as exc:
        rehab.partshoering_opret(actor=indstillet.sagsbehandler, forloeb=indstillet, grundlag=[])
    assert felter(exc) == {"grundlag"}
    punkt = {**grundlag(indstillet)[0], "tekst": " "}
    with uaendret(indstillet), pytest.raises(ValidationError) as exc:
        rehab.partshoering_opret(actor=indstillet.sagsbehandler, forloeb=indstillet, grundlag=[punkt])
    assert felter(exc) == {"grundlag.0.tekst"}


def test_svar_paa_en_partshoering_der_ikke_er_sendt_afvises(indstillet):
    ph = rehab.partshoering_opret(actor=indstillet.sagsbehandler, forloeb=indstillet, grundlag=grundlag(indstillet))
    with pytest.raises(ValidationError) as exc:
        rehab.partshoering_svar(actor=indstillet.sagsbehandler, partshoering=ph, dato=datoer.idag(), tekst="Svar")
    assert felter(exc) == {"status"}
    ph.refresh_from_db()
    assert (ph.status, ph.svar_tekst) == ("kladde", "")


def test_undtagelse_kraever_begrundelse_og_skriver_journalnotat(indstillet, uaendret):
    fl = indstillet
    with uaendret(fl), pytest.raises(ValidationError) as exc:
        rehab.partshoering_undtag(actor=fl.sagsbehandler, forloeb=fl, undtagelse="fvl_19_2_nr1", begrundelse="  ")
    assert felter(exc) == {"begrundelse"}
    assert not Journalnotat.objects.filter(forloeb=fl, overskrift="Partshøring undladt").exists()

    ph = rehab.partshoering_undtag(
        actor=fl.sagsbehandler,
        forloeb=fl,
        undtagelse="fvl_19_2_nr1",
        begrundelse="Borgeren får fuldt medhold i sin ansøgning om fleksjob.",
    )
    assert (ph.status, ph.brev) == ("undtaget", None)
    notat = Journalnotat.objects.get(forloeb=fl, overskrift="Partshøring undladt")
    assert "§ 19, stk. 2, nr. 1" in notat.tekst and "fuldt medhold" in notat.tekst
    assert notat.forfatter == fl.sagsbehandler

    afgoer(fl, "fleksjob_visitation")  # the exception satisfies the partshøring rule
    assert frisk(fl).tilstand == "fleksjob"


def test_ukendt_undtagelse_afvises(indstillet, uaendret):
    with uaendret(indstillet), pytest.raises(ValidationError) as exc:
        rehab.partshoering_undtag(
            actor=indstillet.sagsbehandler, forloeb=indstillet, undtagelse="travlhed", begrundelse="Travlt"
        )
    assert felter(exc) == {"undtagelse"}
    assert not Partshoering.objects.filter(forloeb=indstillet).exists()
