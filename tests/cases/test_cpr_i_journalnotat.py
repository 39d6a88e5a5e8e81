"""A CPR number typed into a journal note is shown masked on the citizen page; the full text is
shown only through the explicit, logged unmask action (issue 13: PDFs masked it, the page did not)."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import NotatType
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

FREMMED_CPR = "0303851234"


@pytest.fixture
def notat(team, sagsbehandler):
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=sagsbehandler)
    return services.journalnotat_opret(
        actor=sagsbehandler, forloeb=fl, type=NotatType.TELEFON, overskrift=f"Opkald fra {FREMMED_CPR}",
        tekst=f"Borgerens søn (CPR 030385-1234, også skrevet {FREMMED_CPR}) ringede.",
    )  # fmt: skip


def side(klient, notat) -> str:
    return klient.get(reverse("cases:borger_detail", args=[notat.forloeb.borger_id])).content.decode()


def test_cpr_i_notat_vises_maskeret_paa_borgersiden(klient, notat):
    html = side(klient, notat)
    assert "Borgerens søn (CPR 030385-****, også skrevet 030385-****) ringede." in html
    assert "Opkald fra 030385-****" in html
    assert FREMMED_CPR not in html and "030385-1234" not in html
    assert reverse("cases:journalnotat_umasker", args=[notat.pk]) in html


def test_umaskering_kraever_begrundelse_og_logges(klient, notat, sagsbehandler):
    url = reverse("cases:journalnotat_umasker", args=[notat.pk])
    r = klient.post(url, {"begrundelse": ""}, follow=True)
    assert "Angiv hvorfor du skal se CPR-numrene i notatet." in r.content.decode()
    assert not AuditEntry.objects.filter(handling="journalnotat.cpr_vis").exists()

    r = klient.post(url, {"begrundelse": "Sønnen skal partshøres"})
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    assert "030385-1234" in r.content.decode()
    log = AuditEntry.objects.get(handling="journalnotat.cpr_vis")
    assert log.begrundelse == "Sønnen skal partshøres" and log.actor_id == str(sagsbehandler.pk)
    assert log.borger_ids == [notat.forloeb.borger_id]
    assert klient.get(url).status_code == 405  # never by GET (no unmasking by a link or prefetch)


def test_notat_uden_cpr_har_ingen_umaskering(klient, team, sagsbehandler):
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=sagsbehandler)
    n = services.journalnotat_opret(actor=sagsbehandler, forloeb=fl, type=NotatType.TELEFON, overskrift="X",
                                    tekst="Intet CPR her, kun sag 123456.")  # fmt: skip
    html = side(klient, n)
    assert "kun sag 123456." in html
    assert reverse("cases:journalnotat_umasker", args=[n.pk]) not in html


def test_anden_kommunes_notat_kan_ikke_umaskeres(client, notat, fremmed_team):
    client.force_login(factories.medarbejder(fremmed_team))
    r = client.post(reverse("cases:journalnotat_umasker", args=[notat.pk]), {"begrundelse": "nysgerrig"})
    assert r.status_code == 404
    assert not AuditEntry.objects.filter(handling="journalnotat.cpr_vis").exists()
