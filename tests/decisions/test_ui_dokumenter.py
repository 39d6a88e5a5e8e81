"""The caseworker's pages for letters and decisions: create a draft, edit it with live lint, preview,
issue (refused with every missing element), download the PDF without a Celery worker, send."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Forloeb
from decisions import lint, services, tasks
from decisions.models import Dokument, DokumentStatus
from infra import cpr as cprlib
from infra import datoer
from infra.models import AuditEntry
from tests import factories

from .hjaelp import kladde, med_digital_post, tekst_af

pytestmark = pytest.mark.django_db

SKRIV = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT")
BEGRUNDELSE_BESKEDER = [
    "Begrundelsen skal henvise til de retsregler",
    "Beskriv de hovedhensyn",
    "Angiv de faktiske oplysninger",
]


@pytest.fixture
def fl(team, sagsbehandler):
    """A forløb with the team's indstilling (fleksjob) and a partshøring answered: ready for the decision."""
    fl = factories.forloeb_i("indstilling", udfald="fleksjob", team=team, sagsbehandler=sagsbehandler)
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    return fl


@pytest.fixture
def c(client, sagsbehandler):
    client.force_login(sagsbehandler)
    return client


def tom_visitation(fl) -> Dokument:
    return kladde(fl, "fleksjob_visitation", tekst="", hovedhensyn="", lovhenvisninger=[], fakta=[])


def formdata(d: Dokument, **felter) -> dict:
    """What the editor posts for the draft: its fields, two fact rows, and the changes given."""
    indstilling = d.forloeb.indstillinger.get()
    data = {
        "version": d.version,
        "fakta_antal": 2,
        "titel": d.titel,
        "tekst": d.tekst,
        "hovedhensyn": d.hovedhensyn,
        "faktum_0_tekst": "",
        "faktum_0_kilde": "",
        "faktum_1_tekst": "",
        "faktum_1_kilde": "",
    }
    if d.type == "fleksjob_visitation":  # the visitation's assessed capacity, as the editor shows it
        data |= {
            "baseline_timer": str((d.data or {}).get("baseline_timer", "")).replace(".", ","),
            "baseline_intensitet": (d.data or {}).get("baseline_intensitet", ""),
        }
    komplet = felter.pop("komplet", False)
    if komplet:
        data |= {
            "tekst": "Du visiteres til fleksjob.",
            "hovedhensyn": "Vi har lagt vægt på teamets tværfaglige vurdering.",
            "lovhenvisninger": ["lab_116", "fvl_22_24"],
            "faktum_0_tekst": "Rehabiliteringsteamet vurderer arbejdsevnen varigt nedsat.",
            "faktum_0_kilde": f"indstilling:{indstilling.pk}",
        }
    return data | felter


def test_opret_tilbyder_kun_typer_der_passer_til_forloebets_fase(c, fl):
    url = reverse("decisions:dokumenter", args=[fl.pk])
    side = c.get(url).content.decode()
    assert "Breve og afgørelser" in side and fl.borger.cpr_maskeret in side and "Indstilling" in side
    assert reverse("cases:borger_detail", args=[fl.borger_id]) in side  # back to the citizen
    assert 'value="fleksjob_visitation"' in side
    assert 'value="foertidspension_tilkendelse"' not in side  # needs pension treatment first
    assert 'value="partshoering"' not in side  # drafted by the partshøring page

    foer = Dokument.objects.count()
    r = c.post(url, {"type": "foertidspension_tilkendelse"})
    assert r.status_code == 200 and "Der er problemer med det, du har indtastet" in r.content.decode()
    assert "passer ikke til forløbets tilstand" in r.content.decode()
    assert Dokument.objects.count() == foer

    r = c.post(url, {"type": "fleksjob_visitation"})
    d = Dokument.objects.get(forloeb=fl, type="fleksjob_visitation")
    assert r.status_code == 302 and r["Location"] == reverse("decisions:dokument", args=[d.pk])
    assert d.status == DokumentStatus.KLADDE
    assert d.titel in c.get(url).content.decode()


def test_editoren_viser_alle_mangler_og_udstedelse_afvises_med_listen(c, fl):
    d = tom_visitation(fl)
    url = reverse("decisions:dokument", args=[d.pk])
    side = c.get(url).content.decode()
    assert "Før dokumentet kan udstedes" in side
    for besked in [*BEGRUNDELSE_BESKEDER, "Skriv afgørelsen/brevets tekst."]:
        assert besked in side
    assert 'href="#id_lovhenvisninger_0"' in side  # each missing element links to its field

    r = c.post(url, formdata(d, handling="udsted", titel="Visitation til fleksjob (udkast)"))
    side = r.content.decode()
    assert r.status_code == 200
    assert "Dokumentet kan ikke udstedes: 4 elementer mangler" in side
    for besked in [*BEGRUNDELSE_BESKEDER, "Skriv afgørelsen/brevets tekst."]:
        assert besked in side
    assert 'value="Visitation til fleksjob (udkast)"' in side  # what the user typed is kept
    d.refresh_from_db()
    assert d.status == DokumentStatus.KLADDE and d.titel == "Visitation til fleksjob"  # nothing saved half-way
    assert Forloeb.objects.get(pk=fl.pk).tilstand == "indstilling"


def test_live_lint_vurderer_det_indtastede_uden_at_gemme(c, fl):
    d = tom_visitation(fl)
    opdateringer = AuditEntry.objects.filter(handling="dokument.opdater").count()
    lint_url = reverse("decisions:dokument_lint", args=[d.pk])

    r = c.post(lint_url, formdata(d, tekst="Du visiteres til fleksjob."), HTTP_HX_REQUEST="true")
    side = r.content.decode()
    assert r.status_code == 200 and "<html" not in side  # a partial
    assert "Skriv afgørelsen/brevets tekst." not in side
    assert all(b in side for b in BEGRUNDELSE_BESKEDER)

    side = c.post(lint_url, formdata(d, komplet=True), HTTP_HX_REQUEST="true").content.decode()
    assert "Dokumentet opfylder alle indholdskrav og kan udstedes." in side

    d2 = Dokument.objects.get(pk=d.pk)
    assert (d2.version, d2.tekst, d2.fakta.count(), d2.lovhenvisninger.count()) == (d.version, "", 0, 0)
    assert AuditEntry.objects.filter(handling="dokument.opdater").count() == opdateringer


def test_live_lint_skriver_intet_heller_ikke_midlertidigt(c, fl):
    """The unsaved input is linted on an unsaved copy: no INSERT, UPDATE, DELETE or savepoint is sent
    (the editor used to save and roll back), and a fact from outside the case is a field error."""
    d = tom_visitation(fl)
    lint_url = reverse("decisions:dokument_lint", args=[d.pk])
    andet = factories.forloeb_i("indstilling", team=fl.team)
    fremmed = f"indstilling:{andet.indstillinger.get().pk}"
    with CaptureQueriesContext(connection) as sql:
        komplet = c.post(lint_url, formdata(d, komplet=True), HTTP_HX_REQUEST="true").content.decode()
        forkert = c.post(lint_url, formdata(d, komplet=True, faktum_0_kilde=fremmed), HTTP_HX_REQUEST="true")
    skrivende = [q["sql"] for q in sql.captured_queries if q["sql"].lstrip().upper().startswith(SKRIV)]
    assert skrivende == []
    assert "Dokumentet opfylder alle indholdskrav og kan udstedes." in komplet
    assert "Angiv de faktiske oplysninger" in forkert.content.decode()  # the saved draft has none


def test_lint_udkast_finder_det_der_mangler_i_det_indtastede(fl):
    d = tom_visitation(fl)
    indstilling = fl.indstillinger.get()
    koder = {m.kode for m in lint.lint_udkast(d, {"tekst": "Du visiteres.", "lovhenvisninger": ["lab_116"]})}
    assert "dokument.tekst_mangler" not in koder and "begrundelse.lovhenvisning_mangler" not in koder
    assert {"begrundelse.hovedhensyn_mangler", "begrundelse.fakta_mangler"} <= koder
    faktum = {"tekst": "Teamets vurdering.", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)}
    data = {"tekst": "Du visiteres.", "hovedhensyn": "Teamets vurdering.", "lovhenvisninger": ["lab_116"]}
    assert lint.lint_udkast(d, data | {"fakta": [faktum]}) == []
    assert services.dokument_udkast_fejl(dokument=d, fakta=[{**faktum, "kilde_id": str(fl.pk)}], ukendt="x") == {
        "fakta.0.kilde_id": "Kilden skal være et dokument i denne sag.",
        "ukendt": "Ukendt felt.",
    }
    d.refresh_from_db()
    assert (d.tekst, d.fakta.count(), d.lovhenvisninger.count()) == ("", 0, 0)


def test_faktum_uden_kilde_giver_feltfejl_og_intet_gemmes(c, fl):
    d = tom_visitation(fl)
    r = c.post(
        reverse("decisions:dokument", args=[d.pk]),
        formdata(d, komplet=True, handling="gem", faktum_1_tekst="Borgeren kan arbejde 10 timer om ugen."),
    )
    side = r.content.decode()
    assert r.status_code == 200
    assert 'href="#id_faktum_1_kilde"' in side and "Vælg det dokument i sagen, oplysningen stammer fra." in side
    assert "Borgeren kan arbejde 10 timer om ugen." in side
    assert Dokument.objects.get(pk=d.pk).version == d.version


def test_gem_med_foraeldet_version_afvises(c, fl):
    d = tom_visitation(fl)
    services.dokument_opdater(actor=fl.sagsbehandler, dokument=d, titel="Ændret af en kollega")
    r = c.post(reverse("decisions:dokument", args=[d.pk]), formdata(d, handling="gem", tekst="Min tekst"))
    side = r.content.decode()
    assert r.status_code == 200 and "ændret af en anden" in side and "Min tekst" in side
    assert Dokument.objects.get(pk=d.pk).titel == "Ændret af en kollega"


def test_komplet_afgoerelse_udstedes_bliver_skrivebeskyttet_og_forloebet_skifter(c, fl):
    d = tom_visitation(fl)
    url = reverse("decisions:dokument", args=[d.pk])
    assert (
        "skifter forløbet fra <strong>indstilling</strong> til <strong>fleksjob</strong>" in c.get(url).content.decode()
    )

    r = c.post(url, formdata(d, komplet=True, handling="udsted"))
    assert r.status_code == 302 and r["Location"] == url
    d.refresh_from_db()
    assert d.status == DokumentStatus.UDSTEDT and d.fakta.count() == 1 and d.lovhenvisninger.count() == 2
    assert Forloeb.objects.get(pk=fl.pk).tilstand == "fleksjob"

    side = c.get(url).content.decode()
    assert "Dokumentet er udstedt" in side and "Klagevejledning" in side
    assert 'name="handling"' not in side and "Gem kladde" not in side  # read-only
    assert "PDF'en dannes" in side and reverse("decisions:dokument_pdf_status", args=[d.pk]) in side

    r = c.post(url, formdata(d, komplet=True, handling="gem", tekst="Ændret bagefter"))
    assert r.status_code == 302
    assert Dokument.objects.get(pk=d.pk).tekst == "Du visiteres til fleksjob."


def test_pdf_hentes_uden_worker_som_vedhaeftet_pdf_uden_cpr_i_filnavnet(c, fl):
    d = factories.afgoer(fl, "fleksjob_visitation")  # issued; the after-commit task never ran
    assert not Dokument.objects.get(pk=d.pk).pdf_sha256
    url = reverse("decisions:dokument_pdf", args=[d.pk])

    r = c.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    dispo = r["Content-Disposition"]
    assert dispo.startswith("attachment;") and dispo.endswith('.pdf"')
    fuldt = cprlib.decrypt(fl.borger.cpr_krypteret)
    filnavn = re.search(r'filename="([^"]+)"', dispo).group(1)
    assert not re.search(r"\d{6}", filnavn.replace(str(d.pk), "")), filnavn
    assert fuldt[:6] not in dispo and fl.borger.efternavn not in dispo
    assert "Klagevejledning" in tekst_af(r.content)
    assert c.get(url).content == r.content  # rendered once, then served as stored
    assert AuditEntry.objects.filter(handling="dokument.pdf_hent", subject_id=str(d.pk)).count() == 2
    assert AuditEntry.objects.filter(handling="dokument.pdf", subject_id=str(d.pk)).count() == 1


def test_pdf_status_viser_fremdrift_og_derefter_link(c, fl):
    d = factories.afgoer(fl, "fleksjob_visitation")
    url = reverse("decisions:dokument_pdf_status", args=[d.pk])
    side = c.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "PDF'en dannes" in side and 'hx-trigger="every' in side
    # No worker picked it up within a few seconds: the poll renders it with the same service.
    Dokument.objects.filter(pk=d.pk).update(udstedt=timezone.now() - dt.timedelta(seconds=30))
    side = c.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Hent PDF" in side and reverse("decisions:dokument_pdf", args=[d.pk]) in side
    assert "hx-trigger" not in side
    assert Dokument.objects.get(pk=d.pk).pdf_sha256


def test_forhaandsvisning_er_maerket_kladde_og_gemmes_ikke(c, fl):
    d = kladde(fl, "fleksjob_visitation", tekst="Du visiteres til fleksjob.")
    r = c.get(reverse("decisions:dokument_forhaandsvisning", args=[d.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert "kladde" in r["Content-Disposition"]
    tekst = tekst_af(r.content)
    assert "KLADDE – ikke udstedt" in tekst and "Du visiteres til fleksjob." in tekst
    assert "Klagevejledning" in tekst
    d.refresh_from_db()
    assert d.status == DokumentStatus.KLADDE and not d.pdf and not d.klagevejledning


def test_udstedt_dokument_sendes_fra_siden_naar_pdfen_er_dannet(c, fl):
    """Sending never renders the PDF in the request: before the PDF exists the send is ordered and
    carried out by the rendering task's work (here the status poll's fallback, no worker running)."""
    d = factories.afgoer(fl, "fleksjob_visitation")  # issued; the after-commit task never ran
    url = reverse("decisions:dokument_afsend", args=[d.pk])
    r = c.post(url, {"kanal": "digital_post"})
    side = r.content.decode()
    assert r.status_code == 200 and "ikke registreret som tilmeldt Digital Post" in side
    d.refresh_from_db()
    assert (d.status, d.afsendelse_kanal) == (DokumentStatus.UDSTEDT, "")
    med_digital_post(fl.borger)
    r = c.post(url, {"kanal": "digital_post"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert (d.status, d.afsendelse_kanal, d.pdf_sha256) == (DokumentStatus.UDSTEDT, "digital_post", "")
    assert not d.forsendelser.exists()
    side = c.get(reverse("decisions:dokument", args=[d.pk])).content.decode()
    assert "Afsendelsen er bestilt (digital post)" in side and "?bestilt=1" in side

    status = reverse("decisions:dokument_pdf_status", args=[d.pk]) + "?bestilt=1"
    assert "HX-Refresh" not in c.get(status, HTTP_HX_REQUEST="true")  # still rendering
    Dokument.objects.filter(pk=d.pk).update(udstedt=timezone.now() - dt.timedelta(seconds=30))
    r = c.get(status, HTTP_HX_REQUEST="true")
    assert r["HX-Refresh"] == "true"
    d.refresh_from_db()
    assert d.status == DokumentStatus.AFSENDT and d.forsendelser.get().kanal == "digital_post"
    assert d.afsendelse_kanal == "" and d.pdf_sha256
    side = c.get(reverse("decisions:dokument", args=[d.pk])).content.decode()
    assert "Send til borgeren" not in side and "Ikke sendt endnu" not in side


def test_dokument_med_faerdig_pdf_sendes_med_det_samme(c, fl):
    d = factories.afgoer(fl, "fleksjob_visitation")
    tasks.render_pdf.apply(args=[str(d.pk)])  # the worker has rendered it
    r = c.post(reverse("decisions:dokument_afsend", args=[d.pk]), {"kanal": "udleveret"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == DokumentStatus.AFSENDT and d.forsendelser.get().kanal == "udleveret"


@pytest.mark.parametrize("hvem", ["andet_team", "fremmed_team"])
def test_andre_teams_og_kommuners_brugere_faar_404(client, fl, hvem, request):
    fremmed = factories.medarbejder(request.getfixturevalue(hvem))
    client.force_login(fremmed)
    kl = tom_visitation(fl)
    udstedt = factories.afgoer(fl, "fleksjob_visitation")
    for url in [
        reverse("decisions:dokumenter", args=[fl.pk]),
        reverse("decisions:dokument", args=[kl.pk]),
        reverse("decisions:dokument_forhaandsvisning", args=[kl.pk]),
        reverse("decisions:dokument_pdf", args=[udstedt.pk]),
        reverse("decisions:dokument_pdf_status", args=[udstedt.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (reverse("decisions:dokumenter", args=[fl.pk]), {"type": "fleksjob_afslag"}),
        (reverse("decisions:dokument", args=[kl.pk]), formdata(kl, handling="gem", titel="Indbrud")),
        (reverse("decisions:dokument_lint", args=[kl.pk]), formdata(kl)),
        (reverse("decisions:dokument_afsend", args=[udstedt.pk]), {"kanal": "udleveret"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert Dokument.objects.get(pk=kl.pk).titel == "Visitation til fleksjob"
    assert not Dokument.objects.filter(forloeb=fl, type="fleksjob_afslag").exists()


def test_afslag_paa_foertidspension_og_redegoerelse_har_deres_egne_felter(c, team, sagsbehandler):
    fl = factories.forloeb_i("foertidspension_behandling", team=team, sagsbehandler=sagsbehandler)
    url = reverse("decisions:dokumenter", args=[fl.pk])
    side = c.get(url).content.decode()
    assert 'value="foertidspension_afslag"' in side and 'value="tilbud_om_moede"' in side
    assert 'value="fleksjob_visitation"' not in side

    c.post(url, {"type": "foertidspension_afslag"})
    d = Dokument.objects.get(forloeb=fl, type="foertidspension_afslag")
    side = c.get(reverse("decisions:dokument", args=[d.pk])).content.decode()
    assert "Konkrete arbejdsfunktioner, borgeren kan varetage" in side and "Et afslag på førtidspension" in side
    r = c.post(
        reverse("decisions:dokument", args=[d.pk]),
        formdata(d, handling="gem", arbejdsfunktioner="Lettere kontorarbejde\n\n  Telefonpasning ", videre="fleksjob")
        | {"sundhedsfaglig_raadgivning": "klinisk_funktion"},
    )
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.arbejdsfunktioner == ["Lettere kontorarbejde", "Telefonpasning"]
    assert d.sundhedsfaglig_raadgivning == "klinisk_funktion" and d.data["videre"] == "fleksjob"
    assert "Et afslag på førtidspension" not in c.get(reverse("decisions:dokument", args=[d.pk])).content.decode()

    c.post(url, {"type": "redegoerelse_forlaenget_sagsbehandling"})
    brev = Dokument.objects.get(forloeb=fl, type="redegoerelse_forlaenget_sagsbehandling")
    brev_url = reverse("decisions:dokument", args=[brev.pk])
    assert "Angiv hvorfor sagen ikke kan afgøres inden fristen." in c.get(brev_url).content.decode()
    ny_dato = (datoer.idag() + dt.timedelta(days=30)).isoformat()
    data = {"version": brev.version, "titel": brev.titel, "tekst": "Vi har brug for mere tid."}
    r = c.post(
        brev_url, data | {"handling": "gem", "aarsag": "Vi venter på en lægeerklæring.", "ny_forventet_dato": ny_dato}
    )
    assert r.status_code == 302
    brev.refresh_from_db()
    assert brev.data == {"aarsag": "Vi venter på en lægeerklæring.", "ny_forventet_dato": ny_dato}
    assert "Dokumentet opfylder alle indholdskrav" in c.get(brev_url).content.decode()
