"""Name and address protection: the address is hidden in the UI, the API and every letter/PDF, and
every view of it is audited (a protected citizen's letters go through the protected channel)."""

import pytest
from django.urls import reverse

from cases import services
from decisions import services as dok
from infra.models import AuditEntry
from tests import factories
from tests.decisions.hjaelp import kladde, pdf_tekst, udsted

pytestmark = pytest.mark.django_db
ADRESSE = "Lukket Allé 7"


@pytest.fixture
def beskyttet(sagsbehandler, team, simulatorer):
    borger = services.borger_opret(actor=sagsbehandler, team=team, cpr="0202802345", fra_register=True)
    assert borger.adressebeskyttelse and borger.adresse == ADRESSE  # kept, never shown
    return borger


def test_ui_viser_ikke_adressen_og_visning_logges(klient, beskyttet):
    side = klient.get(reverse("cases:borger_detail", args=[beskyttet.pk])).content.decode()
    assert ADRESSE not in side and "2100" not in side and "Navne- og adressebeskyttelse" in side
    rediger = klient.get(reverse("cases:borger_rediger", args=[beskyttet.pk])).content.decode()
    assert ADRESSE not in rediger and 'name="adresse"' not in rediger
    uden = klient.post(reverse("cases:borger_adresse_vis", args=[beskyttet.pk]), {"begrundelse": ""})
    assert uden.status_code == 400 and ADRESSE not in uden.content.decode()
    vist = klient.post(reverse("cases:borger_adresse_vis", args=[beskyttet.pk]), {"begrundelse": "Hjemmebesøg aftalt"})
    assert ADRESSE in vist.content.decode() and "no-store" in vist["Cache-Control"]
    row = AuditEntry.objects.get(handling="borger.beskyttet_adresse_vis")
    assert row.begrundelse == "Hjemmebesøg aftalt" and row.borger_ids == [beskyttet.pk]


def test_api_udelader_adressen_og_visning_logges(api_client, beskyttet):
    data = api_client.get(f"/api/v1/borgere/{beskyttet.pk}/").json()
    assert (data["adresse"], data["postnummer"], data["by"], data["adressebeskyttelse"]) == ("", "", "", True)
    liste = api_client.get("/api/v1/borgere/").content.decode()
    soeg = api_client.post("/api/v1/borgere/soeg/", {"navn": "Skjultsen"}, format="json").content.decode()
    opslag = api_client.post("/api/v1/borgere/cpr-opslag/", {"cpr": "0202802345"}, format="json").json()
    for tekst in (liste, soeg, str(opslag)):
        assert ADRESSE not in tekst
    assert opslag["adressebeskyttelse"] is True
    assert api_client.post(f"/api/v1/borgere/{beskyttet.pk}/vis-adresse/", {}, format="json").status_code == 400
    svar = api_client.post(f"/api/v1/borgere/{beskyttet.pk}/vis-adresse/", {"begrundelse": "Brev"}, format="json")
    assert svar.json()["adresse"] == ADRESSE
    assert AuditEntry.objects.filter(handling="borger.beskyttet_adresse_vis", borger_ids=[beskyttet.pk]).count() == 1
    assert not AuditEntry.objects.filter(efter__icontains=ADRESSE).exists()


def test_pdf_udskriver_aldrig_adressen(beskyttet, sagsbehandler):
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    fl.borger.__class__.objects.filter(pk=fl.borger_id).update(
        adressebeskyttelse=True, adresse=ADRESSE, postnummer="2100", by="København Ø"
    )
    d = udsted(kladde(fl))
    tekst = pdf_tekst(d)
    assert ADRESSE not in tekst and "2100" not in tekst
    assert "Navne- og adressebeskyttet" in tekst
    # Physical post to a protected citizen is allowed (the protected channel), marked as such.
    f = dok.dokument_afsend(actor=fl.sagsbehandler, dokument=d, kanal="fysisk_post")
    assert f.beskyttet is True
