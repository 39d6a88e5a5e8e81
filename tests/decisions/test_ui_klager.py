"""Complaints in the caseworker UI: register a complaint against an issued decision, see it in the
list with its genvurdering deadline, and take it through genvurdering, Ankestyrelsen and result."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.defaultfilters import date as datofilter
from django.urls import reverse

from cases.models import Frist
from decisions import services
from decisions.models import Dokument, Klage, KlageStatus
from infra import datoer
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fl(team, sagsbehandler):
    fl = factories.forloeb_i("indstilling", udfald="fleksjob", team=team, sagsbehandler=sagsbehandler)
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    return fl


@pytest.fixture
def afgoerelse(fl) -> Dokument:
    """A fleksjob decision issued and handed to the citizen today (the klagefrist runs)."""
    d = factories.afgoer(fl, "fleksjob_visitation")
    services.dokument_render_pdf(d.pk)
    services.dokument_afsend(actor=fl.sagsbehandler, dokument=d, kanal="udleveret")
    return Dokument.objects.get(pk=d.pk)


@pytest.fixture
def c(client, sagsbehandler):
    client.force_login(sagsbehandler)
    return client


def registrer(c, afgoerelse, **data) -> Klage:
    r = c.post(
        reverse("decisions:klage_opret", args=[afgoerelse.pk]),
        {"modtaget_dato": datoer.idag().isoformat(), "kanal": "telefon", "indhold": "Jeg er uenig."} | data,
    )
    assert r.status_code == 302, r.content.decode()
    k = Klage.objects.get(afgoerelse=afgoerelse)
    assert r["Location"] == reverse("decisions:klage", args=[k.pk])
    return k


def test_klage_registreres_og_vises_i_listen_med_genvurderingsfrist(c, fl, afgoerelse):
    side = c.get(reverse("decisions:dokument", args=[afgoerelse.pk])).content.decode()
    assert reverse("decisions:klage_opret", args=[afgoerelse.pk]) in side and "Registrér klage" in side

    k = registrer(c, afgoerelse)
    assert (k.kanal, k.status, k.for_sent, k.klagens_indhold) == (
        "telefon",
        KlageStatus.MODTAGET,
        False,
        "Jeg er uenig.",
    )
    frist = Frist.objects.get(forloeb=fl, art="genvurdering", reference=str(afgoerelse.pk))

    side = c.get(reverse("decisions:klager")).content.decode()
    assert fl.borger.navn in side and fl.borger.cpr_maskeret in side
    assert datofilter(k.modtaget_dato, "j. F Y") in side
    assert datofilter(frist.gaeldende_forfald, "j. F Y") in side
    assert "Modtaget – genvurderes" in side
    assert AuditEntry.objects.filter(handling="klage.liste", borger_ids__contains=[fl.borger_id]).exists()

    side = c.get(reverse("decisions:klage", args=[k.pk])).content.decode()
    assert "Jeg er uenig." in side and "Registrér genvurdering" in side
    assert reverse("cases:borger_detail", args=[fl.borger_id]) in side and fl.borger.cpr_maskeret in side


def test_ugyldig_klage_giver_fejlopsummering_og_gemmer_intet(c, afgoerelse):
    url = reverse("decisions:klage_opret", args=[afgoerelse.pk])
    imorgen = (datoer.idag() + dt.timedelta(days=1)).isoformat()
    r = c.post(url, {"modtaget_dato": imorgen, "kanal": "", "indhold": "Min klage"})
    side = r.content.decode()
    assert r.status_code == 200 and "Der er problemer med det, du har indtastet" in side
    assert "Vælg hvordan klagen kom ind." in side and "Min klage" in side
    r = c.post(url, {"modtaget_dato": imorgen, "kanal": "brev"})
    assert "Datoen kan ikke ligge i fremtiden." in r.content.decode()
    assert not Klage.objects.exists()


def test_klage_over_et_brev_afvises_paa_dansk(c, fl):
    brev = services.dokument_opret(actor=fl.sagsbehandler, forloeb=fl, type="redegoerelse_forlaenget_sagsbehandling")
    r = c.post(
        reverse("decisions:klage_opret", args=[brev.pk]),
        {"modtaget_dato": datoer.idag().isoformat(), "kanal": "brev"},
    )
    assert r.status_code == 200 and "er et brev, ikke en afgørelse" in r.content.decode()
    assert not Klage.objects.exists()


def test_fastholdt_klage_sendes_til_ankestyrelsen_og_resultatet_registreres(c, fl, afgoerelse):
    k = registrer(c, afgoerelse)
    url = reverse("decisions:klage", args=[k.pk])
    r = c.post(url, {"handling": "genvurder", "resultat": "medhold", "begrundelse": "Borgeren har ret."})
    assert r.status_code == 200 and "Medhold kræver en ny udstedt afgørelse" in r.content.decode()
    assert Klage.objects.get(pk=k.pk).status == KlageStatus.MODTAGET

    r = c.post(url, {"handling": "send"})  # out of order
    assert "Klagen kan ikke sendes til Ankestyrelsen" in r.content.decode()

    r = c.post(url, {"handling": "genvurder", "resultat": "fastholdt", "begrundelse": "Vi fastholder."})
    assert r.status_code == 302
    side = c.get(url).content.decode()
    assert "Fastholdt" in side and "Resultat af genvurdering af din klage" in side  # the letter's draft
    assert c.post(url, {"handling": "send"}).status_code == 302
    k.refresh_from_db()
    assert k.status == KlageStatus.SENDT_TIL_ANKESTYRELSEN and k.ankepakke_sha256

    r = c.post(url, {"handling": "resultat", "resultat": "stadfaestet", "dato": datoer.idag().isoformat()})
    assert r.status_code == 302
    k.refresh_from_db()
    assert k.status == KlageStatus.AFGJORT and k.ankestyrelsens_resultat == "stadfaestet"
    assert "Stadfæstet" in c.get(reverse("decisions:klager")).content.decode()


@pytest.mark.parametrize("hvem", ["andet_team", "fremmed_team"])
def test_andre_teams_og_kommuner_ser_ikke_klager(client, c, afgoerelse, hvem, request):
    k = registrer(c, afgoerelse)
    fremmed = factories.medarbejder(request.getfixturevalue(hvem))
    client.force_login(fremmed)
    assert afgoerelse.forloeb.borger.navn not in client.get(reverse("decisions:klager")).content.decode()
    assert client.get(reverse("decisions:klage", args=[k.pk])).status_code == 404
    assert client.post(reverse("decisions:klage", args=[k.pk]), {"handling": "send"}).status_code == 404
    assert client.get(reverse("decisions:klage_opret", args=[afgoerelse.pk])).status_code == 404
    r = client.post(
        reverse("decisions:klage_opret", args=[afgoerelse.pk]),
        {"modtaget_dato": datoer.idag().isoformat(), "kanal": "brev"},
    )
    assert r.status_code == 404
    assert Klage.objects.count() == 1


def test_medhold_med_ny_afgoerelse_der_erstatter_den_paaklagede(c, fl, afgoerelse):
    k = registrer(c, afgoerelse)
    side = c.get(reverse("decisions:klage", args=[k.pk])).content.decode()
    ny_url = f"{reverse('decisions:dokumenter', args=[fl.pk])}?erstatter={afgoerelse.pk}"
    assert ny_url in side

    side = c.get(ny_url).content.decode()
    assert "Ret en udstedt afgørelse" in side and f'value="{afgoerelse.pk}"' in side
    r = c.post(ny_url, {"type": "fleksjob_visitation", "erstatter": str(afgoerelse.pk)})
    ny = Dokument.objects.get(erstatter=afgoerelse)
    assert r["Location"] == reverse("decisions:dokument", args=[ny.pk])
    services.dokument_opdater(
        actor=fl.sagsbehandler, dokument=ny, tekst="Du visiteres til fleksjob fra en tidligere dato.",
        hovedhensyn="Klagens nye oplysninger.", lovhenvisninger=["lab_116", "fvl_22_24"],
        fakta=[{"tekst": "Borgerens klage.", "kilde_type": "dokument", "kilde_id": str(afgoerelse.pk)}],
    )  # fmt: skip
    ny.refresh_from_db()
    r = c.post(reverse("decisions:dokument", args=[ny.pk]), {"version": ny.version, "titel": ny.titel,
        "tekst": ny.tekst, "hovedhensyn": ny.hovedhensyn, "lovhenvisninger": ["lab_116", "fvl_22_24"],
        "fakta_antal": 1, "faktum_0_tekst": "Borgerens klage.", "faktum_0_kilde": f"dokument:{afgoerelse.pk}",
        "baseline_timer": "12,5", "baseline_intensitet": "60", "handling": "udsted"})  # fmt: skip
    assert r.status_code == 302, r.content.decode()

    url = reverse("decisions:klage", args=[k.pk])
    r = c.post(
        url,
        {"handling": "genvurder", "resultat": "medhold", "begrundelse": "Borgeren har ret.", "ny_afgoerelse": ny.pk},
    )
    assert r.status_code == 302
    k.refresh_from_db()
    assert k.status == KlageStatus.MEDHOLD and k.ny_afgoerelse_id == ny.pk
    side = c.get(reverse("decisions:dokument", args=[afgoerelse.pk])).content.decode()
    assert "Dokumentet er erstattet af" in side and "Registrér klage" not in side
