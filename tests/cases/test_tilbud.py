"""Offers made to the citizen and the answers: registered with every error at once, listed and
printable, citable in a decision, in the API, and a refusal shows on the citizen page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services
from cases.models import Tilbud
from decisions import services as decisions
from infra.models import AuditEntry
from tests.factories import dag, forloeb_i

from .test_api_forloeb import problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def fl(team, sagsbehandler):
    return forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)


def test_tilbud_med_alle_fejl_paa_en_gang_og_intet_gemmes(fl):
    with pytest.raises(ValidationError) as e:
        services.tilbud_registrer(
            actor=fl.sagsbehandler, forloeb=fl, type="slik", dato=dag(900), beskrivelse=" ", svar="afslaaet"
        )
    assert set(e.value.message_dict) == {"type", "dato", "beskrivelse", "svar_dato", "begrundelse"}
    assert not Tilbud.objects.exists()


def test_et_nej_kraever_borgerens_begrundelse_og_vises_paa_borgersiden(client, fl):
    t = services.tilbud_registrer(
        actor=fl.sagsbehandler, forloeb=fl, type="virksomhedspraktik", dato=dag(10), beskrivelse="Praktik i Netto."
    )
    with pytest.raises(ValidationError) as e:
        services.tilbud_besvar(actor=fl.sagsbehandler, tilbud=t, svar="afslaaet", svar_dato=dag(12))
    assert set(e.value.message_dict) == {"begrundelse"}
    client.force_login(fl.sagsbehandler)
    side = client.get(reverse("cases:borger_detail", args=[fl.borger_id])).content.decode()
    assert "Borgerens svar på tilbud: Virksomhedspraktik" in side  # what the case waits for
    services.tilbud_besvar(
        actor=fl.sagsbehandler, tilbud=t, svar="afslaaet", svar_dato=dag(12), begrundelse="Rygsmerter ved løft."
    )
    side = client.get(reverse("cases:borger_detail", args=[fl.borger_id])).content.decode()
    assert "Tilbud takket nej til" in side and "Virksomhedspraktik (" in side and "Rygsmerter ved løft." in side
    assert AuditEntry.objects.filter(handling="tilbud.besvar", borger_ids__contains=[fl.borger_id]).exists()


def test_tilbudssiden_registrerer_viser_og_kan_udskrives(client, fl):
    client.force_login(fl.sagsbehandler)
    url = reverse("cases:tilbud", args=[fl.pk])
    r = client.post(url, {"type": "mentor", "dato": dag(5).isoformat(), "beskrivelse": "", "svar": "afslaaet"})
    side = r.content.decode()
    assert r.status_code == 400 and "Beskriv hvad borgeren blev tilbudt." in side
    assert "Skriv borgerens begrundelse for at sige nej" in side and not Tilbud.objects.exists()
    r = client.post(
        url,
        {"type": "mentor", "dato": dag(5).isoformat(), "beskrivelse": "Mentor 2 timer om ugen", "svar": "afslaaet",
         "svar_dato": dag(6).isoformat(), "begrundelse": "Har allerede en kontaktperson."},
    )  # fmt: skip
    assert r.status_code == 302
    udskrift = client.get(reverse("cases:tilbud_udskriv", args=[fl.pk])).content.decode()
    assert "Mentor 2 timer om ugen" in udskrift and "Takket nej" in udskrift and "data-udskriv" in udskrift
    assert fl.borger.cpr_maskeret in udskrift
    assert AuditEntry.objects.filter(handling="tilbud.udskriv").exists()


def test_tilbud_kan_citeres_som_oplysning_i_en_afgoerelse(fl):
    t = services.tilbud_registrer(
        actor=fl.sagsbehandler, forloeb=fl, type="loentilskud", dato=dag(10), beskrivelse="Løntilskud i kommunen",
        svar="afslaaet", svar_dato=dag(11), begrundelse="Vil ikke.",
    )  # fmt: skip
    d = decisions.dokument_opret(
        actor=fl.sagsbehandler, forloeb=fl, type="fleksjob_afslag", tekst="Afslag.",
        fakta=[{"tekst": "Borgeren har sagt nej til løntilskud.", "kilde_type": "tilbud", "kilde_id": str(t.pk)}],
    )  # fmt: skip
    assert d.fakta.get().kilde_titel == f"Tilbud: Løntilskud ({dag(10):%d.%m.%Y}, takket nej)"


def test_tilbud_i_api_et(fl, sagsbehandler):
    c = APIClient()
    c.force_authenticate(sagsbehandler)
    r = c.post("/api/v1/tilbud/", {"forloeb": str(fl.pk), "type": "fleksjob", "dato": dag(20).isoformat()},
               format="json", HTTP_IDEMPOTENCY_KEY="t-1")  # fmt: skip
    assert set(problem(r, 400, "validering")["errors"]) == {"beskrivelse"}
    r = c.post(
        "/api/v1/tilbud/",
        {"forloeb": str(fl.pk), "type": "fleksjob", "dato": dag(20).isoformat(), "beskrivelse": "Job i bageri"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="t-2",
    )
    assert r.status_code == 201, r.content
    t = r.json()
    assert t["svar"] == "afventer" and r["Location"] == f"/api/v1/tilbud/{t['id']}/"
    url = f"/api/v1/tilbud/{t['id']}/besvar/"
    r = c.post(url, {"svar": "afslaaet", "svar_dato": dag(21).isoformat()}, format="json", HTTP_IF_MATCH=r["ETag"])
    assert set(problem(r, 400, "validering")["errors"]) == {"begrundelse"}
    r = c.post(url, {"svar": "afslaaet", "svar_dato": dag(21).isoformat(), "begrundelse": "Vil ikke arbejde om natten."},
               format="json", HTTP_IF_MATCH=c.get(f"/api/v1/tilbud/{t['id']}/")["ETag"])  # fmt: skip
    assert r.status_code == 200 and r.json()["svar"] == "afslaaet", r.content
    assert [
        x["id"] for x in c.get("/api/v1/tilbud/", {"forloeb": str(fl.pk), "svar": "afslaaet"}).json()["results"]
    ] == [t["id"]]
    r = c.post(url, {"svar": "accepteret", "svar_dato": dag(22).isoformat()}, format="json", HTTP_IF_MATCH='"gammel"')
    problem(r, 412, "foraeldet")
