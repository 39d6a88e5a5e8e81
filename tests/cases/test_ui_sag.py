"""The forløb on the citizen page: journey, deadlines, actions, transitions, journal notes, inbox."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import path, reverse

from cases import services, views_sag
from cases.models import Forloeb, Journalnotat, Notifikation, NotifikationNiveau, OvergangLog, Tilstand
from infra import datoer
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def detail_url(borger):
    return reverse("cases:borger_detail", args=[borger.pk])


def overgang_url(fl, navn):
    return reverse("cases:forloeb_overgang", args=[fl.pk, navn])


def notat_url(fl):
    return reverse("cases:journalnotat_opret", args=[fl.pk])


def beskeder(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def forloeb(borger, sagsbehandler):
    return services.forloeb_opret(actor=sagsbehandler, borger=borger, sagsbehandler=sagsbehandler)


def start_plan(fl, uger_siden=2):
    factories.overgang(
        fl, "start_forberedende_plan", 0, actor=fl.sagsbehandler, start=datoer.idag() - dt.timedelta(weeks=uger_siden)
    )
    return Forloeb.objects.get(pk=fl.pk)


# --- Journey --------------------------------------------------------------------------------


def test_borger_uden_forloeb_kan_faa_startet_et(klient, borger, sagsbehandler):
    html = klient.get(detail_url(borger)).content.decode()
    assert "Borgeren har ikke et forløb." in html
    opret = reverse("cases:forloeb_opret", args=[borger.pk])
    assert f'action="{opret}"' in html

    response = klient.post(opret)
    assert response.status_code == 302
    fl = Forloeb.objects.get(borger=borger)
    assert fl.sagsbehandler == sagsbehandler and fl.tilstand == Tilstand.AKTIVITETSPARAT

    # A second click gives a friendly message, not a second forløb.
    response = klient.post(opret)
    assert response.status_code == 302
    assert any("allerede et åbent forløb" in b for b in beskeder(response))
    assert Forloeb.objects.filter(borger=borger).count() == 1


def test_forloebet_viser_fase_naeste_skridt_og_fristens_forklaring(klient, forloeb):
    fl = start_plan(forloeb, uger_siden=2)
    frist = fl.frister.get(art="servicemaal_afgoerelse")

    html = klient.get(detail_url(fl.borger)).content.decode()

    forloeb_html = html.split('id="forloeb"', 1)[1].split("Personoplysninger", 1)[0]
    assert "Forberedende plan" in forloeb_html
    # Next step from the deadline definition, with its date.
    assert "Næste skridt" in forloeb_html
    assert "Se hvad der mangler, før der kan træffes afgørelse" in forloeb_html
    assert f"{frist.gaeldende_forfald.day}. " in forloeb_html
    # The deadline with its Danish explanation and legal basis, and a status badge in text.
    assert "Servicemål: afgørelse inden 23 uger" in forloeb_html
    assert frist.forklaring in forloeb_html
    assert "retssikkerhedslovens § 3, stk. 2" in forloeb_html
    assert ">I rute</span>" in forloeb_html
    # Who owns it, the pinned summary and the timeline.
    assert str(fl.sagsbehandler) in forloeb_html
    assert "Sagsresumé" in forloeb_html
    assert "Ny fase: Forberedende plan" in forloeb_html
    # The journey comes before the personal data.
    assert html.index('id="forloeb"') < html.index("Personoplysninger")


def test_uopfyldte_betingelser_listes_med_links(klient, forloeb):
    fl = start_plan(forloeb)
    html = klient.get(detail_url(fl.borger)).content.decode()
    assert "Forelæg for rehabiliteringsteamet – mangler" in html
    assert "Alle otte afsnit i den forberedende del skal være udfyldt." in html
    assert "Lægeattest LÆ 265 mangler" in html
    for section in ("forberedende", "bilag"):
        url, tekst = views_sag.regel_link(section, fl.pk)
        if url:  # the rehab pages are built in parallel; once they exist, the link must be there
            assert f'href="{url}"' in html and tekst in html
    # A transition that is possible now is a button (the form page).
    assert f'href="{overgang_url(fl, "afslut")}"' in html


def _forberedende_del(request, forloeb_pk):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns = [
    path(
        "rehab/",
        __import__("django.urls", fromlist=["include"]).include(
            ([path("<uuid:forloeb_pk>/forberedende/", _forberedende_del, name="forberedende_del")], "rehab")
        ),
    ),
]


def test_regel_links_peger_paa_siden_hvor_det_rettes(settings, forloeb):
    settings.ROOT_URLCONF = __name__
    from cases.rules import UopfyldtBetingelse

    mangler = views_sag.mangler_med_links(
        [UopfyldtBetingelse("a", "Afsnit mangler", "forberedende"), UopfyldtBetingelse("b", "LÆ 265", "bilag"),
         UopfyldtBetingelse("c", "Partshøring", "partshoering"), UopfyldtBetingelse("d", "Uden link", "")],
        forloeb.pk,
    )  # fmt: skip
    assert mangler[0].url == f"/rehab/{forloeb.pk}/forberedende/"
    assert mangler[1].url == f"/rehab/{forloeb.pk}/forberedende/#bilag"
    assert mangler[2].url == ""  # that page does not exist in this URL conf: text without a link
    assert [m.besked for m in mangler] == ["Afsnit mangler", "LÆ 265", "Partshøring", "Uden link"]


# --- Transitions --------------------------------------------------------------------------------


def test_overgang_gennem_ui_skifter_fase_og_vises_i_tidslinjen(klient, forloeb):
    response = klient.get(overgang_url(forloeb, "start_forberedende_plan"))
    html = response.content.decode()
    assert response.status_code == 200
    for navn in ("dato", "egen_ansoegning_foertidspension", "ansoegt_fleksjob"):
        assert f'name="{navn}"' in html
    assert 'name="moede_dato"' not in html

    response = klient.post(
        overgang_url(forloeb, "start_forberedende_plan"),
        {"version": forloeb.version, "dato": datoer.idag().isoformat()},
    )
    assert response.status_code == 302
    # The next step follows at once: the forberedende del, not the citizen page (issue 15).
    assert response["Location"] == reverse("rehab:forberedende_del", args=[forloeb.pk])
    forloeb.refresh_from_db()
    assert forloeb.tilstand == Tilstand.FORBEREDENDE_PLAN
    html = klient.get(response["Location"]).content.decode()
    assert "forløbet er nu i fasen »Forberedende plan«" in html
    html = klient.get(detail_url(forloeb.borger)).content.decode()
    tidslinje = html.split('id="tidslinje"', 1)[1]
    assert "Start forberedende plan" in tidslinje and "Ny fase: Forberedende plan" in tidslinje


def test_ugyldige_data_giver_dansk_fejlopsummering_og_bevarer_input(klient, forloeb):
    fl = start_plan(forloeb)
    response = klient.post(
        overgang_url(fl, "afslut"), {"version": fl.version, "dato": "", "bemaerkning": "Flytter til Aarhus"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer med det, du har indtastet" in html
    assert "Årsag: Feltet skal udfyldes." in html
    assert "Flytter til Aarhus" in html
    fl.refresh_from_db()
    assert fl.tilstand == Tilstand.FORBEREDENDE_PLAN


def test_dobbelt_indsendelse_udfoerer_kun_overgangen_en_gang(klient, forloeb):
    data = {"version": forloeb.version, "dato": datoer.idag().isoformat()}
    url = overgang_url(forloeb, "start_forberedende_plan")
    assert klient.post(url, data).status_code == 302
    response = klient.post(url, data)
    assert response.status_code == 302
    assert any("allerede udført" in b for b in beskeder(response))
    assert OvergangLog.objects.filter(forloeb=forloeb).count() == 1


def test_foraeldet_version_giver_dansk_besked_og_ingen_aendring(klient, forloeb, team):
    fl = start_plan(forloeb)
    gammel = fl.version
    # Someone else changes the case meanwhile (a journal note with a next step bumps the version).
    kollega = factories.medarbejder(team)
    services.journalnotat_opret(
        actor=kollega, forloeb=fl, type="notat", overskrift="Ny plan", tekst="Aftalt", naeste_skridt="Ring"
    )
    response = klient.post(
        overgang_url(fl, "afslut"), {"version": gammel, "dato": datoer.idag().isoformat(), "aarsag": "flyttet"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sagen er ændret af en anden" in html
    fl.refresh_from_db()
    assert fl.tilstand == Tilstand.FORBEREDENDE_PLAN
    assert f'name="version" value="{fl.version}"' in html  # sending again is a deliberate act

    # Another user moved the case on: the transition is no longer possible from the new state.
    factories.overgang(fl, "afslut", 0, actor=kollega, start=datoer.idag(), aarsag="flyttet")
    response = klient.post(
        overgang_url(fl, "afslut"), {"version": gammel, "dato": datoer.idag().isoformat(), "aarsag": "flyttet"}
    )
    assert response.status_code == 302
    assert any("Sagen er ændret af en anden" in b for b in beskeder(response))
    assert OvergangLog.objects.filter(forloeb=fl, overgang="afslut").count() == 1


def test_afvist_overgang_viser_hvad_der_mangler(klient, forloeb):
    fl = start_plan(forloeb)
    moede = datoer.idag() + dt.timedelta(days=30)
    response = klient.post(
        overgang_url(fl, "forelaeg_rehabiliteringsteam"),
        {"version": fl.version, "dato": datoer.idag().isoformat(), "moede_dato": moede.isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Det mangler, før overgangen kan udføres" in html
    assert "Alle otte afsnit i den forberedende del skal være udfyldt." in html
    assert "Book en plads på en mødedag i rehabiliteringsteamet." in html
    fl.refresh_from_db()
    assert fl.tilstand == Tilstand.FORBEREDENDE_PLAN


def test_overgang_fra_forkert_fase_sender_tilbage_med_besked(klient, forloeb):
    response = klient.get(overgang_url(forloeb, "visiter_fleksjob"))
    assert response.status_code == 302
    assert any("kan ikke udføres, når forløbet er i fasen" in b for b in beskeder(response))
    assert klient.get(overgang_url(forloeb, "findes_ikke")).status_code == 404


# --- Journal notes --------------------------------------------------------------------------------


def test_journalnotat_uden_js(klient, forloeb):
    response = klient.post(
        notat_url(forloeb),
        {"type": "telefon", "overskrift": "Samtale om plan", "tekst": "Borgeren ringede.", "naeste_skridt": ""},
    )
    assert response.status_code == 302
    assert Journalnotat.objects.filter(forloeb=forloeb, overskrift="Samtale om plan").exists()
    html = klient.get(response["Location"]).content.decode()
    assert "Samtale om plan" in html.split('id="tidslinje"', 1)[1]


def test_journalnotat_sendt_to_gange_fra_samme_formular_gemmes_en_gang(klient, forloeb):
    side = klient.get(reverse("cases:borger_detail", args=[forloeb.borger_id])).content.decode()
    notat_id = re.search(r'name="notat_id" value="([0-9a-f-]{36})"', side).group(1)
    data = {"notat_id": notat_id, "type": "telefon", "overskrift": "Dobbeltklik", "tekst": "Borgeren ringede."}
    assert klient.post(notat_url(forloeb), data).status_code == 302
    assert klient.post(notat_url(forloeb), data).status_code == 302
    assert Journalnotat.objects.filter(forloeb=forloeb, overskrift="Dobbeltklik").count() == 1
    assert AuditEntry.objects.filter(handling="journalnotat.opret", subject_id=notat_id).count() == 1
    # The next form carries a new id, so the next note is a new note.
    ny_side = klient.get(reverse("cases:borger_detail", args=[forloeb.borger_id])).content.decode()
    assert notat_id not in ny_side


def test_journalnotat_med_htmx_opdaterer_forloebssektionen(klient, forloeb):
    response = klient.post(
        notat_url(forloeb),
        {"type": "notat", "overskrift": "Ny aftale", "tekst": "Vi mødes igen.", "naeste_skridt": "Send LÆ 265"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="forloeb"')
    assert "Journalnotatet er gemt." in html and "Ny aftale" in html
    assert "Send LÆ 265" in html  # now the forløb's next step


def test_journalnotat_med_fejl_bevarer_input(klient, forloeb):
    response = klient.post(notat_url(forloeb), {"type": "notat", "overskrift": "", "tekst": "Kladdetekst"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer med det, du har indtastet" in html
    assert "Overskrift skal udfyldes." in html and "Kladdetekst" in html
    assert not Journalnotat.objects.filter(forloeb=forloeb).exists()


# --- Another team or municipality: 404 everywhere --------------------------------------------------


@pytest.mark.parametrize("hvor", ["andet_team", "fremmed_team"])
def test_andre_teams_forloeb_giver_404(client, hvor, request, sagsbehandler):
    team = request.getfixturevalue(hvor)
    ejer = factories.medarbejder(team)
    b = factories.borger(team, actor=ejer)
    fl = services.forloeb_opret(actor=ejer, borger=b, sagsbehandler=ejer)
    client.force_login(sagsbehandler)

    assert client.get(detail_url(b)).status_code == 404
    assert client.post(reverse("cases:forloeb_opret", args=[b.pk])).status_code == 404
    assert client.get(overgang_url(fl, "start_forberedende_plan")).status_code == 404
    assert client.post(overgang_url(fl, "start_forberedende_plan"), {"version": fl.version}).status_code == 404
    assert client.post(notat_url(fl), {"type": "notat", "overskrift": "x", "tekst": "y"}).status_code == 404
    fl.refresh_from_db()
    assert fl.tilstand == Tilstand.AKTIVITETSPARAT
    assert not Journalnotat.objects.filter(forloeb=fl).exists()
    assert b.navn not in client.get(reverse("cases:mine_sager")).content.decode()


# --- Notifications -------------------------------------------------------------------------------


def _notifikation(modtager, forloeb=None, titel="Frist om 7 dage: Servicemål", niveau=NotifikationNiveau.VARSEL):
    return Notifikation.objects.create(
        modtager=modtager, forloeb=forloeb, niveau=niveau, taerskel=titel[:20], titel=titel, tekst="Forklaring."
    )


def test_notifikationer_vises_nyeste_foerst_og_kan_markeres_laest(klient, sagsbehandler, forloeb):
    gammel = _notifikation(sagsbehandler, forloeb, titel="Første varsel")
    ny = _notifikation(sagsbehandler, forloeb, titel="Frist overskredet: X", niveau=NotifikationNiveau.OVERSKREDET)
    url = reverse("cases:notifikationer")

    html = klient.get(url).content.decode()
    assert html.index("Frist overskredet: X") < html.index("Første varsel")
    assert ">Overskredet</span>" in html and ">Ulæst</span>" in html
    assert detail_url(forloeb.borger) in html
    assert "2 ulæste notifikationer" in html

    response = klient.post(url, {"handling": "laest", "id": ny.pk}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert "»Frist overskredet: X« er markeret som læst." in response.content.decode()
    ny.refresh_from_db()
    gammel.refresh_from_db()
    assert ny.laest is not None and gammel.laest is None

    html = klient.get(url, {"vis": "ulaeste"}).content.decode()
    assert "Første varsel" in html and "Frist overskredet: X" not in html

    klient.post(url, {"handling": "alle"})
    gammel.refresh_from_db()
    assert gammel.laest is not None


def test_andres_notifikationer_kan_hverken_ses_eller_markeres(klient, team):
    kollega = factories.medarbejder(team)
    n = _notifikation(kollega, titel="Kollegaens varsel")
    url = reverse("cases:notifikationer")
    assert "Kollegaens varsel" not in klient.get(url).content.decode()
    assert klient.post(url, {"handling": "laest", "id": n.pk}).status_code == 404
    klient.post(url, {"handling": "alle"})
    n.refresh_from_db()
    assert n.laest is None


# --- A whole forløb on the page; bounded queries --------------------------------------------------


def test_hele_forloebet_i_tidslinjen(client, team):
    fl = factories.forloeb_i("fleksjob", team=team)
    client.force_login(fl.sagsbehandler)
    html = client.get(detail_url(fl.borger)).content.decode()
    tidslinje = html.split('id="tidslinje"', 1)[1]
    for tekst in (
        "Start forberedende plan",
        "Møde i rehabiliteringsteamet",
        "Registrér indstilling",
        "Partshøring sendt",
        "Partshøring besvaret",
        "Visitation til fleksjob",
        "Ny fase: Fleksjob",
    ):
        assert tekst in tidslinje, tekst
    # Newest first: the decision comes before the start of the plan.
    assert tidslinje.index("Ny fase: Fleksjob") < tidslinje.index("Ny fase: Forberedende plan")
    assert "Lukkede frister" in html
    assert "Servicemål: afgørelse inden 23 uger" in html


def test_borgersiden_har_et_fast_antal_queries(client, forloeb, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fl = start_plan(forloeb)
    client.force_login(fl.sagsbehandler)

    def skriv(n):
        for i in range(n):
            services.journalnotat_opret(
                actor=fl.sagsbehandler, forloeb=fl, type="notat", overskrift=f"Notat {i}", tekst="Tekst"
            )

    skriv(2)
    client.get(detail_url(fl.borger))
    with CaptureQueriesContext(connection) as ctx:
        client.get(detail_url(fl.borger))
    faa = len(ctx.captured_queries)
    skriv(20)
    with django_assert_max_num_queries(faa):
        html = client.get(detail_url(fl.borger)).content.decode()
    assert "Notat 19" in html


def _venter_paa(html: str) -> str:
    return html.split("Det venter vi på</dt>", 1)[1].split("</dd>", 1)[0]


def test_det_venter_vi_paa_moede_og_partshoeringssvar(client, team):
    idag = datoer.idag()
    fl = factories.forloeb_i("forberedende_plan", team=team)
    factories.forberedende_del_komplet(fl)
    factories.book(fl, 0, 21, start=idag)
    client.force_login(fl.sagsbehandler)
    venter = _venter_paa(client.get(detail_url(fl.borger)).content.decode())
    assert f"Møde i rehabiliteringsteamet {datoer.dansk_dato(idag + dt.timedelta(days=21))}" in venter

    fl2 = factories.forloeb_i("indstilling", team=team, sagsbehandler=fl.sagsbehandler)
    factories.haendelse(fl2, "partshoering_sendt", 0, start=idag - dt.timedelta(days=2))
    svarfrist = fl2.frister.get(art="partshoering_svar", lukket_dato__isnull=True).gaeldende_forfald
    venter = _venter_paa(client.get(detail_url(fl2.borger)).content.decode())
    assert f"Borgeren: Svarfrist i partshøring (senest {datoer.dansk_dato(svarfrist)})" in venter


def test_det_venter_vi_paa_viser_ikke_moedet_naar_sagen_er_gaaet_videre(client, team):
    """Issue 15: never stale. The team met and the case moved on: the meeting is no longer awaited."""
    idag = datoer.idag()
    fl = factories.forloeb_i("forberedende_plan", team=team)
    factories.forberedende_del_komplet(fl)
    factories.book(fl, 0, 21, start=idag)
    Forloeb.objects.filter(pk=fl.pk).update(tilstand=Tilstand.INDSTILLING)
    client.force_login(fl.sagsbehandler)
    venter = _venter_paa(client.get(detail_url(fl.borger)).content.decode())
    assert "Møde i rehabiliteringsteamet" not in venter


# --- One way per transition, one primary next step (issue 15) ------------------------------------
def test_overgang_med_egen_editor_leder_til_editoren_og_afslut_er_sekundaer(klient, team, sagsbehandler):
    fl = factories.forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
    html = klient.get(detail_url(fl.borger)).content.decode()
    indstilling = reverse("rehab:indstilling", args=[fl.pk])
    # The citizen page's "Registrér indstilling" opens the full indstilling page, not the bare form.
    assert f'href="{indstilling}" class="button button-primary">Registrér indstilling' in html
    assert f'href="{overgang_url(fl, "registrer_indstilling")}"' not in html
    # The bare form's address leads there too.
    response = klient.get(overgang_url(fl, "registrer_indstilling"))
    assert response.status_code == 302 and response["Location"] == indstilling
    # Afslut is a secondary action behind "Andre handlinger", and its page asks for a confirmation.
    assert f'href="{overgang_url(fl, "afslut")}" class="button button-secondary"' in html
    assert len(re.findall(r'<a href="[^"]+" class="button button-primary">', html)) == 1  # one next step
    side = klient.get(overgang_url(fl, "afslut")).content.decode()
    assert "Er du sikker?" in side and "Bekræft: afslut forløbet" in side


def test_naeste_skridt_er_den_konkrete_handling_med_det_der_mangler(klient, forloeb):
    """Issue 15: "Næste skridt" names the concrete action from the state, not a generic hint."""
    fl = start_plan(forloeb)
    html = klient.get(detail_url(fl.borger)).content.decode()
    naeste = html.split("Næste skridt</dt>", 1)[1].split("</dd>", 1)[0]
    booking = reverse("rehab:booking", args=[fl.pk])
    assert f'<a href="{booking}" class="function-link">Forelæg for rehabiliteringsteamet</a>:' in naeste
    assert "Alle otte afsnit i den forberedende del skal være udfyldt." in naeste
