"""The rehab editors as a caseworker uses them: forberedende del, booking, indstilling, partshøring
and the meeting days. Another team's or municipality's forløb is a 404; bad input saves nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Frist, Rolle
from decisions.models import Dokument
from infra import datoer
from infra.models import AuditEntry
from rehab.models import Booking, ForberedendeDel, Indstilling, Partshoering
from tests import factories
from tests.factories import forberedende_del_komplet, forloeb_i, moededag

from .conftest import frisk, worker_danner_pdf

pytestmark = pytest.mark.django_db

SIDER = ["rehab:forberedende_del", "rehab:booking", "rehab:indstilling", "rehab:partshoering"]


@pytest.fixture
def klient(client, sagsbehandler):
    client.force_login(sagsbehandler)
    return client


def url(name, fl):
    return reverse(name, args=[fl.pk])


def html(response) -> str:
    return response.content.decode()


def del_data(fd=None, **overrides):
    from rehab.models import SEKTIONER, TJEKLISTE

    data = {"handling": "gem", "version": fd.version if fd else 0, "del_id": str(fd.pk) if fd else ""}
    data |= {navn: getattr(fd, navn) if fd else "" for navn, _ in SEKTIONER}
    data |= {navn: "" for navn, _ in TJEKLISTE}
    data |= {"skrevet_med_borger_dato": "", "borgerens_bemaerkninger": "", "laegeattest_undladt_begrundelse": ""}
    return data | overrides


@pytest.mark.parametrize("name", SIDER)
def test_siderne_vises_for_eget_team_med_borger_og_fase(klient, team, sagsbehandler, name):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    r = klient.get(url(name, fl))
    assert r.status_code == 200
    side = html(r)
    assert fl.borger.navn in side
    assert fl.borger.cpr_maskeret in side
    assert "Forberedende plan" in side
    assert reverse("cases:borger_detail", args=[fl.borger_id]) in side
    assert (
        AuditEntry.objects.filter(borger_ids__contains=[fl.borger_id], actor_id=str(sagsbehandler.pk))
        .filter(handling__endswith=".laes")
        .exists()
    )


@pytest.mark.parametrize("name", SIDER)
@pytest.mark.parametrize("andet", ["andet_team", "fremmed_team"])
def test_andet_team_eller_kommune_giver_404(klient, request, name, andet):
    fremmed = forloeb_i("forberedende_plan", team=request.getfixturevalue(andet))
    assert klient.get(url(name, fremmed)).status_code == 404
    assert klient.post(url(name, fremmed), {"handling": "gem"}).status_code == 404


def test_forberedende_del_gemmes_som_kladde_og_viser_hvad_der_mangler(klient, team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    r = klient.post(
        url("rehab:forberedende_del", fl),
        del_data(job_uddannelse="Faglært tømrer, 20 år i faget.", tjek_varig="ja"),
    )
    assert r.status_code == 302
    fd = ForberedendeDel.objects.get(forloeb=fl)
    assert (fd.job_uddannelse, fd.tjek_varig, fd.version) == ("Faglært tømrer, 20 år i faget.", "ja", 2)

    side = html(klient.get(url("rehab:forberedende_del", fl)))
    assert "Det mangler, før sagen kan forelægges rehabiliteringsteamet" in side
    assert "Alle otte afsnit i den forberedende del skal være udfyldt." in side
    assert "Lægeattest LÆ 265 mangler" in side
    assert "1 af 8 afsnit udfyldt" in side


def test_ugyldig_forberedende_del_gemmer_intet_og_beholder_input(klient, team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    i_morgen = datoer.idag() + dt.timedelta(days=1)
    r = klient.post(
        url("rehab:forberedende_del", fl),
        del_data(job_uddannelse="Skal ikke gemmes", skrevet_med_borger_dato=i_morgen.isoformat()),
    )
    assert r.status_code == 200
    side = html(r)
    assert "Der er problemer med det, du har indtastet" in side
    assert "Datoen kan ikke ligge i fremtiden." in side
    assert "Skal ikke gemmes" in side
    assert not ForberedendeDel.objects.filter(forloeb=fl).exists()

    r = klient.post(url("rehab:forberedende_del", fl), del_data(tjek_varig="maaske", helbred="Nej"))
    assert "Svar ja, nej eller uafklaret." in html(r)
    assert not ForberedendeDel.objects.filter(forloeb=fl).exists()


def test_foraeldet_version_giver_dansk_besked_og_beholder_input(klient, team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    fd = forberedende_del_komplet(fl)
    gammel = del_data(fd, helbred="Min nye tekst om helbredet")
    from rehab import services

    services.forberedende_del_opdater(actor=sagsbehandler, forberedende_del=fd, helbred="Kollegaens tekst")
    r = klient.post(url("rehab:forberedende_del", fl), gammel)
    assert r.status_code == 200
    side = html(r)
    assert "Den forberedende del er ændret af en anden. Genindlæs og prøv igen." in side
    assert "Min nye tekst om helbredet" in side
    assert ForberedendeDel.objects.get(pk=fd.pk).helbred == "Kollegaens tekst"


def test_bilag_tilfoejes_og_ugyldigt_bilag_gemmer_intet(klient, team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    r = klient.post(url("rehab:forberedende_del", fl), {"handling": "bilag", "bilag-type": "lae265", "bilag-titel": ""})
    assert r.status_code == 200
    assert "Giv bilaget en titel." in html(r) and "Angiv dokumentets dato." in html(r)
    assert not ForberedendeDel.objects.filter(forloeb=fl).exists()

    r = klient.post(
        url("rehab:forberedende_del", fl),
        {
            "handling": "bilag",
            "bilag-type": "lae265",
            "bilag-titel": "LÆ 265 fra egen læge",
            "bilag-dokument_dato": datoer.idag().isoformat(),
            "bilag-kilde": "egen_laege",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("#bilag")
    side = html(klient.get(url("rehab:forberedende_del", fl)))
    assert 'id="bilag"' in side and "LÆ 265 fra egen læge" in side
    assert "Lægeattest LÆ 265 mangler" not in side


def test_booking_forelaegger_sagen_for_rehabiliteringsteamet(klient, team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    forberedende_del_komplet(fl)
    dag = moededag(fl.borger.kommune, datoer.idag() + dt.timedelta(days=21))
    side = html(klient.get(url("rehab:booking", fl)))
    assert "6 ledige pladser" in side

    r = klient.post(url("rehab:booking", fl), {"moededag": str(dag.pk), "tidspunkt": "10:30"})
    assert r.status_code == 302
    fl = frisk(fl)
    assert (fl.tilstand, fl.rehab_moede_dato) == ("rehabiliteringsteam", dag.dato)
    b = Booking.objects.get(forloeb=fl)
    assert (b.moededag, b.tidspunkt) == (dag, dt.time(10, 30))
    # The next step at once: the summons' draft, to issue and send (issue 15).
    indkaldelse = Dokument.objects.get(forloeb=fl, type="indkaldelse_rehabiliteringsmoede")
    assert indkaldelse.status == "kladde"
    assert r["Location"] == reverse("decisions:dokument", args=[indkaldelse.pk])
    assert "Udsted og send indkaldelsen nu." in html(klient.get(r["Location"]))
    side = html(klient.get(url("rehab:booking", fl)))
    assert "er booket til møde i rehabiliteringsteamet" in side and "Rehabiliteringsteam" in side


def test_booket_moede_flyttes_med_aarsag_og_ny_indkaldelse(klient, team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    forberedende_del_komplet(fl)
    foerste = moededag(fl.borger.kommune, datoer.idag() + dt.timedelta(days=21))
    anden = moededag(fl.borger.kommune, datoer.idag() + dt.timedelta(days=35))
    klient.post(url("rehab:booking", fl), {"moededag": str(foerste.pk)})
    side = html(klient.get(url("rehab:booking", fl)))
    assert "Flyt mødet til en anden dag" in side and f'value="{anden.pk}"' in side
    assert f'value="{foerste.pk}"' not in side  # the current day is not offered

    r = klient.post(url("rehab:booking", fl), {"moededag": str(anden.pk)})
    assert r.status_code == 200 and "Angiv hvorfor mødet flyttes." in html(r)
    assert "checked" in html(r) and frisk(fl).rehab_moede_dato == foerste.dato  # kept the choice, saved nothing

    r = klient.post(url("rehab:booking", fl), {"moededag": str(anden.pk), "aarsag": "Borgeren er syg."})
    assert r.status_code == 302
    assert frisk(fl).rehab_moede_dato == anden.dato
    side = html(klient.get(url("rehab:booking", fl)))
    assert "Ny indkaldelse til møde i rehabiliteringsteamet" in side and "aflyst" in side


def test_booking_umulig_viser_danske_grunde_med_links(klient, team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    moededag(fl.borger.kommune, datoer.idag() + dt.timedelta(days=21))
    side = html(klient.get(url("rehab:booking", fl)))
    assert "Sagen kan ikke forelægges rehabiliteringsteamet endnu" in side
    assert "Alle otte afsnit i den forberedende del skal være udfyldt." in side
    assert url("rehab:forberedende_del", fl) + "#bilag" in side
    assert "Book og forelæg sagen" not in side


def test_fuld_moededag_og_kort_varsel_afvises_med_reglens_besked_og_intet_bookes(klient, team, sagsbehandler):
    """The page greys out a day that is full or too close; posted anyway (a stale page, a day that
    filled up meanwhile), the service refuses it with the rule's own message and code, as the API does."""
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    forberedende_del_komplet(fl)
    snart = moededag(fl.borger.kommune, datoer.idag() + dt.timedelta(days=3))
    fuld = moededag(fl.borger.kommune, datoer.idag() + dt.timedelta(days=28), kapacitet=1)
    Booking.objects.create(moededag=fuld, forloeb=forloeb_i("forberedende_plan", team=team))
    side = html(klient.get(url("rehab:booking", fl)))
    assert "kan ikke bookes: for kort varsel" in side and "fuldt booket" in side

    r = klient.post(url("rehab:booking", fl), {"moededag": str(snart.pk)})
    assert r.status_code == 200
    assert 'data-kode="rehab.moede_varsel"' in html(r)
    assert "Mødet i rehabiliteringsteamet skal ligge mindst det fastsatte antal dage fremme" in html(r)
    r = klient.post(url("rehab:booking", fl), {"moededag": str(fuld.pk)})
    assert r.status_code == 200 and f"Mødedagen {fuld.dato:%d.%m.%Y} er fuldt booket." in html(r)
    assert frisk(fl).tilstand == "forberedende_plan" and not Booking.objects.filter(forloeb=fl).exists()


def test_indstilling_registreres_og_mangler_vises_paa_dansk(klient, team, sagsbehandler):
    fl = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
    data = {"udfald": "fleksjob", "dato": fl.rehab_moede_dato.isoformat(), "faktorer_beskaeftigelse": "Kort"}
    r = klient.post(url("rehab:indstilling", fl), data)
    assert r.status_code == 200
    side = html(r)
    assert "Begrund hvorfor borgeren ikke kan arbejde på ordinære vilkår." in side
    assert "Kort" in side
    assert not Indstilling.objects.filter(forloeb=fl).exists() and frisk(fl).tilstand == "rehabiliteringsteam"

    data |= {
        "faktorer_sociale": "Stabilt netværk.",
        "faktorer_helbred": "Kroniske smerter.",
        "hvorfor_ikke_ordinaere_vilkaar": "Kan højst arbejde 12 timer om ugen.",
        "egnede_jobtyper": "Lettere lagerarbejde.",
        "saerlige_hensyn": "Pauser og skånehensyn.",
        "maal": "Hører til ressourceforløb og sendes ikke med",
    }
    r = klient.post(url("rehab:indstilling", fl), data)
    assert r.status_code == 302
    assert r["Location"] == url("rehab:partshoering", fl)  # the next step at once (issue 15)
    ind = Indstilling.objects.get(forloeb=fl)
    assert (ind.udfald, ind.egnede_jobtyper, ind.maal) == ("fleksjob", "Lettere lagerarbejde.", "")
    assert frisk(fl).tilstand == "indstilling"
    assert "Registrerede indstillinger" in html(klient.get(url("rehab:indstilling", fl)))


def test_partshoering_start_send_og_svar(klient, team, sagsbehandler):
    fl = forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    indstilling = fl.indstillinger.get()
    side = html(klient.get(url("rehab:partshoering", fl)))
    assert "Start partshøring" in side and f"indstilling:{indstilling.pk}" in side

    r = klient.post(url("rehab:partshoering", fl), {"handling": "start", "punkt_1": "Teamet anbefaler fleksjob."})
    assert r.status_code == 200 and "Vælg det dokument, oplysningen stammer fra." in html(r)
    assert not Partshoering.objects.filter(forloeb=fl).exists()

    r = klient.post(
        url("rehab:partshoering", fl),
        {"handling": "start", "punkt_1": "Teamet anbefaler fleksjob.", "kilde_1": f"indstilling:{indstilling.pk}"},
    )
    assert r.status_code == 302
    ph = Partshoering.objects.get(forloeb=fl)
    assert ph.status == "kladde"

    r = klient.post(url("rehab:partshoering", fl), {"handling": "send", "send-kanal": "udleveret"})
    assert r.status_code == 302, html(r)
    ph.refresh_from_db()
    assert ph.status == "kladde" and "Brevet sendes" in html(klient.get(url("rehab:partshoering", fl)))
    worker_danner_pdf(ph.brev_id)  # the letter goes out when its PDF is stored
    ph.refresh_from_db()
    assert (
        ph.status == "sendt"
        and ph.svarfrist == Frist.objects.get(forloeb=fl, art="partshoering_svar").gaeldende_forfald
    )

    r = klient.post(url("rehab:partshoering", fl), {"handling": "svar", "svar-dato": "", "svar-tekst": ""})
    assert r.status_code == 200 and "Gengiv borgerens bemærkninger." in html(r)
    r = klient.post(
        url("rehab:partshoering", fl),
        {"handling": "svar", "svar-dato": datoer.idag().isoformat(), "svar-tekst": "Jeg er enig."},
    )
    assert r.status_code == 302
    ph.refresh_from_db()
    assert (ph.status, ph.svar_tekst) == ("besvaret", "Jeg er enig.")


def test_partshoering_undtagelse_kraever_begrundelse(klient, team, sagsbehandler):
    fl = forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    r = klient.post(url("rehab:partshoering", fl), {"handling": "undtag", "undtag-undtagelse": "fvl_19_2_nr1"})
    assert r.status_code == 200 and "Begrund konkret, hvorfor partshøring undlades." in html(r)
    assert not Partshoering.objects.filter(forloeb=fl).exists()
    r = klient.post(
        url("rehab:partshoering", fl),
        {"handling": "undtag", "undtag-undtagelse": "fvl_19_2_nr1", "undtag-begrundelse": "Fuldt medhold."},
    )
    assert r.status_code == 302
    assert Partshoering.objects.get(forloeb=fl).status == "undtaget"


def test_moededage_viser_kapacitet_og_kun_egne_borgere(client, team, andet_team, fremmed_team):
    leder = factories.medarbejder(team, Rolle.TEAMLEDER)
    sb = factories.medarbejder(team, Rolle.SAGSBEHANDLER, first_name="Signe", last_name="Sagsen")
    egen = forloeb_i(
        "rehabiliteringsteam",
        team=team,
        sagsbehandler=sb,
        borger=factories.borger(team, fornavn="Egon", efternavn="Egen"),
    )
    anden = forloeb_i(
        "rehabiliteringsteam", team=andet_team, borger=factories.borger(andet_team, fornavn="Anna", efternavn="Anden")
    )
    fremmed_dag = moededag(fremmed_team.jobcenter.kommune, datoer.idag() + dt.timedelta(days=30))
    dag = egen.rehab_bookinger.get().moededag
    client.force_login(leder)
    side = html(client.get(reverse("rehab:moeder") + "?vis=tidligere"))
    assert dag.dato.strftime("%Y") in side
    assert egen.borger.navn in side
    assert "Sagsbehandler: Signe Sagsen" in side  # labelled, so not read as a second citizen
    assert anden.borger.navn not in side and "1 borger fra andre teams" in side
    assert str(fremmed_dag.pk) not in side

    i_morgen = datoer.idag() + dt.timedelta(days=40)
    r = client.post(
        reverse("rehab:moeder"),
        {"dato": i_morgen.isoformat(), "kapacitet": "0", "medlem_navn_1": "Sundhedskoordinator Fiktiv"},
    )
    assert r.status_code == 200
    assert "Kapaciteten skal være mellem 1 og 30 sager." in html(r) and "Vælg medlemmets område." in html(r)
    r = client.post(
        reverse("rehab:moeder"),
        {
            "dato": i_morgen.isoformat(),
            "kapacitet": "4",
            "sted": "Jobcentret",
            "medlem_navn_1": "Sundhedskoordinator Fiktiv",
            "medlem_omraade_1": "sundhedskoordinator",
        },
    )
    assert r.status_code == 302
    assert "Jobcentret" in html(client.get(reverse("rehab:moeder")))


def test_sagsbehandler_kan_ikke_oprette_moededage(klient):
    assert klient.post(reverse("rehab:moeder"), {"dato": "2030-01-01", "kapacitet": "4"}).status_code == 403


def test_hele_vejen_gennem_formularerne_til_afgoerelse(klient, team, sagsbehandler, monkeypatch):
    """The lead's browser path through these forms: forberedende del (all sections, checklist, LÆ 265),
    booking, indstilling (fleksjob), partshøring (start, send, answer) — then the decision is possible."""
    from rehab.models import SEKTIONER, TJEKLISTE
    from tests.factories import afgoer

    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    idag = datoer.idag()
    data = del_data(skrevet_med_borger_dato=idag.isoformat())
    data |= {navn: f"{label}: skrevet sammen med borgeren." for navn, label in SEKTIONER}
    data |= {navn: "ja" for navn, _ in TJEKLISTE}
    assert klient.post(url("rehab:forberedende_del", fl), data).status_code == 302
    bilag = {
        "handling": "bilag",
        "bilag-type": "lae265",
        "bilag-titel": "LÆ 265",
        "bilag-dokument_dato": idag.isoformat(),
    }
    assert klient.post(url("rehab:forberedende_del", fl), bilag).status_code == 302
    side = html(klient.get(url("rehab:forberedende_del", fl)))
    assert "Den forberedende del er klar til at blive forelagt rehabiliteringsteamet." in side

    dag = moededag(fl.borger.kommune, idag + dt.timedelta(days=21))
    assert klient.post(url("rehab:booking", fl), {"moededag": str(dag.pk)}).status_code == 302
    assert frisk(fl).tilstand == "rehabiliteringsteam"

    # Travel to the meeting day (Django's clock, so every date follows; the caseworker logs in again
    # that morning): the meeting is held, the letter is sent and answered that day.
    from django.utils import timezone

    moedemorgen = dt.datetime.combine(dag.dato, dt.time(8), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moedemorgen)
    klient.force_login(sagsbehandler)
    indstilling = {
        "udfald": "fleksjob",
        "dato": dag.dato.isoformat(),
        "faktorer_beskaeftigelse": "Erfaring som tømrer.",
        "faktorer_sociale": "Stabilt netværk.",
        "faktorer_helbred": "Kroniske rygsmerter.",
        "hvorfor_ikke_ordinaere_vilkaar": "Kan arbejde 12 timer om ugen.",
        "egnede_jobtyper": "Lettere værkstedsarbejde.",
        "saerlige_hensyn": "Pauser, ingen tunge løft.",
    }
    assert klient.post(url("rehab:indstilling", fl), indstilling).status_code == 302
    ind = Indstilling.objects.get(forloeb=fl)
    start = {"handling": "start", "punkt_1": "Teamet anbefaler fleksjob.", "kilde_1": f"indstilling:{ind.pk}"}
    assert klient.post(url("rehab:partshoering", fl), start).status_code == 302
    assert (
        klient.post(url("rehab:partshoering", fl), {"handling": "send", "send-kanal": "udleveret"}).status_code == 302
    )
    worker_danner_pdf(Partshoering.objects.get(forloeb=fl).brev_id)
    svar = {"handling": "svar", "svar-dato": dag.dato.isoformat(), "svar-tekst": "Enig."}
    assert klient.post(url("rehab:partshoering", fl), svar).status_code == 302

    afgoer(frisk(fl), "fleksjob_visitation")
    assert frisk(fl).tilstand == "fleksjob"


def test_genforelaeggelse_kraever_kommunens_begrundelse(klient, team, sagsbehandler):
    fl = forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    dag = moededag(fl.borger.kommune, datoer.idag() + dt.timedelta(days=21))
    side = html(klient.get(url("rehab:booking", fl)))
    assert "Kommunens begrundelse for at genforelægge sagen" in side and "Book og genforelæg sagen" in side

    r = klient.post(url("rehab:booking", fl), {"moededag": str(dag.pk), "genforelaeg_begrundelse": ""})
    assert r.status_code == 200
    assert "Angiv kommunens begrundelse for at være uenig i indstillingen og genforelægge sagen." in html(r)
    assert frisk(fl).tilstand == "indstilling" and not Booking.objects.filter(forloeb=fl, moededag=dag).exists()

    r = klient.post(
        url("rehab:booking", fl),
        {"moededag": str(dag.pk), "genforelaeg_begrundelse": "Kommunen vurderer, at ressourceforløb er bedre."},
    )
    assert r.status_code == 302
    assert frisk(fl).tilstand == "rehabiliteringsteam"


def test_ny_forberedende_del_til_ny_forelaeggelse_kopierer_teksten(klient, team, sagsbehandler):
    fl = forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    side = html(klient.get(url("rehab:forberedende_del", fl)))
    assert "Denne forberedende del er allerede forelagt rehabiliteringsteamet." in side
    assert klient.post(url("rehab:forberedende_del", fl), {"handling": "ny"}).status_code == 302
    nyeste, forrige = ForberedendeDel.objects.filter(forloeb=fl).order_by("-oprettet")
    assert nyeste.helbred == forrige.helbred != ""
    assert "allerede forelagt" not in html(klient.get(url("rehab:forberedende_del", fl)))


def test_tilfoej_bilag_gemmer_ogsaa_den_skrevne_tekst(klient, team, sagsbehandler):
    """Issue 15: text typed in the forberedende del is never lost when "Tilføj bilag" is clicked."""
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    data = del_data(helbred="Skrevet lige før bilaget blev tilføjet")
    bilag = {
        "bilag-type": "lae265",
        "bilag-titel": "LÆ 265 fra egen læge",
        "bilag-dokument_dato": datoer.idag().isoformat(),
        "bilag-kilde": "egen_laege",
    }
    # An invalid bilag: nothing is lost, both are shown again as typed.
    r = klient.post(url("rehab:forberedende_del", fl), {**data, **bilag, "bilag-titel": "", "handling": "bilag"})
    assert r.status_code == 200 and "Skrevet lige før bilaget blev tilføjet" in html(r)
    assert "LÆ 265" in html(r) and "Giv bilaget en titel." in html(r)
    r = klient.post(url("rehab:forberedende_del", fl), {**data, **bilag, "handling": "bilag"})
    assert r.status_code == 302
    fd = ForberedendeDel.objects.get(forloeb=fl)
    assert fd.helbred == "Skrevet lige før bilaget blev tilføjet"
    assert fd.bilag.get().titel == "LÆ 265 fra egen læge"


def test_bilagets_fil_kan_aabnes_fra_siden_og_laesningen_logges(klient, team, sagsbehandler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rehab import services as rehab_services

    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    pdf = b"%PDF-1.4 fiktiv LAE 265"
    b = rehab_services.bilag_tilfoej(
        actor=sagsbehandler,
        forloeb=fl,
        type="lae265",
        titel="LÆ 265",
        dokument_dato=datoer.idag(),
        fil=SimpleUploadedFile("Karen Fiktivsen 010190-1234.pdf", pdf, content_type="application/pdf"),
    )
    side = html(klient.get(url("rehab:forberedende_del", fl)))
    fil_url = reverse("bilag_fil", args=[b.pk])
    assert f'href="{fil_url}"' in side and "Fil vedhæftet" not in side
    r = klient.get(fil_url)
    assert r.status_code == 200 and r.content == pdf
    assert r["Content-Disposition"] == f'inline; filename="bilag-{b.pk}.pdf"'  # viewable, never the uploaded name
    assert AuditEntry.objects.filter(handling="bilag.fil_hent", subject_id=str(b.pk)).exists()


@pytest.mark.parametrize("rolle", ["sagsbehandler", "moedeleder"])
def test_ingen_bookbar_moededag_siger_hvad_man_goer_og_linker_dertil(client, team, sagsbehandler, rolle):
    """Issue 15: "for kort varsel" alone is a dead end; the page says who creates meeting days and links there."""
    bruger = sagsbehandler if rolle == "sagsbehandler" else factories.medarbejder(team, Rolle.MOEDELEDER)
    client.force_login(bruger)
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    forberedende_del_komplet(fl)
    moededag(fl.borger.kommune, datoer.idag() + dt.timedelta(days=6))
    side = html(client.get(url("rehab:booking", fl)))
    assert "Ingen mødedag kan bookes" in side and "Mødedage oprettes af en mødeleder" in side
    link = reverse("rehab:moeder") + ("#opret-titel" if rolle == "moedeleder" else "")
    tekst = "Opret en mødedag" if rolle == "moedeleder" else "Se mødedagene"
    assert f'href="{link}" class="function-link">{tekst}' in side
