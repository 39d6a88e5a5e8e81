"""The printable meeting summary for the rehabiliteringsteam (issue 15): a PDF with the citizen's
forberedende del, the health documents and the caseworker's assessment, CPR masked, reached from the
forløb's meeting page and the mødeleder's booked list, scoped like the forløb, every read audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Rolle
from infra import datoer
from infra.models import AuditEntry
from rehab.models import Booking, ForberedendeDel
from tests import factories
from tests.decisions.hjaelp import tekst_af
from tests.factories import forberedende_del_komplet, forloeb_i

pytestmark = pytest.mark.django_db


@pytest.fixture
def fl(team, sagsbehandler):
    fl = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
    fd = ForberedendeDel.objects.filter(forloeb=fl).first() or forberedende_del_komplet(fl)
    ForberedendeDel.objects.filter(pk=fd.pk).update(
        borgerens_bemaerkninger="Jeg havde en sag i 2019 (nævnt som 010190-1234 i brevet).", tjek_varig="ja"
    )
    return fl


def _url(fl) -> str:
    return reverse("rehab:moedeoplaeg", args=[fl.pk])


def test_pdf_har_afsnittene_og_kun_maskeret_cpr_og_laesningen_logges(client, sagsbehandler, fl):
    client.force_login(sagsbehandler)
    side = client.get(reverse("rehab:booking", args=[fl.pk])).content.decode()
    assert f'href="{_url(fl)}"' in side and "Mødeoplæg til teamet (PDF)" in side

    r = client.get(_url(fl))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "no-store" in r["Cache-Control"] and fl.borger.efternavn not in r["Content-Disposition"]
    tekst = tekst_af(r.content)
    for afsnit in (
        "Mødeoplæg til rehabiliteringsteamet",
        "Borgerens forberedende del",
        "Job og uddannelse",
        "Borgerens egne bemærkninger",
        "Helbredsdokumenter",
        "LÆ 265 fra egen læge",
        "Sagsbehandlerens vurdering",
        "Forsørgelseshistorik",
        "Helbredstjekliste",
        "Er nedsættelsen varig og væsentlig? Ja",
    ):
        assert afsnit in tekst, afsnit
    assert tekst.index("Borgerens forberedende del") < tekst.index("Helbredsdokumenter")
    assert tekst.index("Helbredsdokumenter") < tekst.index("Sagsbehandlerens vurdering")
    assert fl.borger.navn in tekst and fl.borger.cpr_maskeret in tekst
    assert "010190-1234" not in tekst and "010190-****" in tekst  # typed CPR masked too
    laest = AuditEntry.objects.filter(handling="rehab.moedeoplaeg", borger_ids__contains=[fl.borger_id])
    assert laest.count() == 1 and laest.get().actor_id == str(sagsbehandler.pk)


def test_moedelederen_naar_oplaegget_fra_de_bookede_moeder(client, team, fl):
    moedeleder = factories.medarbejder(team, Rolle.MOEDELEDER)
    client.force_login(moedeleder)
    booking = Booking.objects.select_related("moededag").get(forloeb=fl)
    params = {"vis": "tidligere"} if booking.moededag.dato < datoer.idag() else {}
    liste = client.get(reverse("rehab:moeder"), params).content.decode()
    assert f'href="{_url(fl)}"' in liste and "Mødeoplæg (PDF)" in liste
    r = client.get(_url(fl))
    assert r.status_code == 200
    assert AuditEntry.objects.filter(handling="rehab.moedeoplaeg", actor_id=str(moedeleder.pk)).exists()


def test_anden_kommunes_bruger_faar_404_og_intet_logges(client, fremmed_team, fl):
    client.force_login(factories.medarbejder(fremmed_team, Rolle.SAGSBEHANDLER))
    assert client.get(_url(fl)).status_code == 404
    assert not AuditEntry.objects.filter(handling="rehab.moedeoplaeg").exists()
