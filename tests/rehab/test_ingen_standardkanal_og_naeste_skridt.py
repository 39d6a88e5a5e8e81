"""No default delivery channel (issue 15): neither send form pre-selects one, and the services refuse
a missing channel, whichever door it comes through. After the reply the page leads on to the decision."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from decisions import services as decisions_services
from decisions.models import Dokument
from infra import datoer
from rehab import services as rehab
from rehab.models import Partshoering
from tests import factories
from tests.factories import forloeb_i

from .conftest import worker_danner_pdf

API = "/api/v1/"


@pytest.fixture
def ph(team, sagsbehandler) -> Partshoering:
    b = factories.borger(team, actor=sagsbehandler, adresse="Fiktivvej 1", postnummer="9999", by="Testby")
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob", sagsbehandler=sagsbehandler, borger=b)
    punkt = {"tekst": "Teamet anbefaler fleksjob.", "kilde_type": "indstilling", "kilde_id": fl.indstillinger.get().pk}
    return rehab.partshoering_opret(actor=fl.sagsbehandler, forloeb=fl, grundlag=[punkt])


def test_partshoeringens_sendeformular_har_ingen_forvalgt_kanal(klient, ph):
    html = klient.get(reverse("rehab:partshoering", args=[ph.forloeb_id])).content.decode()
    assert 'name="send-kanal"' in html
    assert "checked" not in html.split('name="send-kanal"', 1)[1].split("</fieldset>", 1)[0]
    r = klient.post(reverse("rehab:partshoering", args=[ph.forloeb_id]), {"handling": "send"})
    assert r.status_code == 200 and "Vælg hvordan brevet sendes." in r.content.decode()
    ph.refresh_from_db()
    assert ph.status == "kladde" and Dokument.objects.get(pk=ph.brev_id).status == "kladde"


def test_tjenesterne_afviser_en_manglende_kanal(ph, sagsbehandler):
    with pytest.raises(ValidationError) as exc:
        rehab.partshoering_send(actor=sagsbehandler, partshoering=ph, kanal="")
    assert exc.value.message_dict == {"kanal": ["Vælg hvordan brevet sendes."]}
    assert Dokument.objects.get(pk=ph.brev_id).status == "kladde"  # nothing issued
    brev = decisions_services.dokument_udsted(actor=sagsbehandler, dokument=ph.brev)
    with pytest.raises(ValidationError) as exc:
        decisions_services.dokument_afsend(actor=sagsbehandler, dokument=brev, kanal="")
    assert exc.value.message_dict == {"kanal": ["Vælg hvordan dokumentet sendes til borgeren."]}


def test_api_afviser_afsendelse_uden_kanal(api_client, ph, sagsbehandler):
    brev = decisions_services.dokument_udsted(actor=sagsbehandler, dokument=ph.brev)
    worker_danner_pdf(brev.pk)
    r = api_client.post(f"{API}afgoerelser/{brev.pk}/afsend/", {}, format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 400 and "kanal" in str(r.json())
    r = api_client.post(f"{API}afgoerelser/{brev.pk}/afsend/", {"kanal": ""}, format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 400
    assert Dokument.objects.get(pk=brev.pk).status == "udstedt"


def test_efter_svaret_leder_siden_videre_til_afgoerelsen(klient, ph, sagsbehandler):
    rehab.partshoering_send(actor=sagsbehandler, partshoering=ph, kanal="udleveret")
    worker_danner_pdf(ph.brev_id)
    ph.refresh_from_db()
    assert ph.status == "sendt"
    url = reverse("rehab:partshoering", args=[ph.forloeb_id])
    assert "Skriv afgørelsen" not in klient.get(url).content.decode()  # still waiting for the reply
    rehab.partshoering_svar(actor=sagsbehandler, partshoering=ph, dato=datoer.idag(), tekst="Enig.")
    html = klient.get(url).content.decode()
    dokumenter = reverse("decisions:dokumenter", args=[ph.forloeb_id])
    # One click writes the decision the indstilling points to: the button creates its draft
    # (issue 15: no choice page between); another type is chosen on the decisions page.
    assert f'<form method="post" action="{dokumenter}" class="knaprad">' in html
    assert '<input type="hidden" name="type" value="fleksjob_visitation">' in html
    assert f'<a href="{dokumenter}" class="button button-secondary">Vælg en anden afgørelse</a>' in html
    r = klient.post(dokumenter, {"type": "fleksjob_visitation"})
    kladde = Dokument.objects.get(forloeb_id=ph.forloeb_id, type="fleksjob_visitation")
    assert kladde.status == "kladde"
    assert r.status_code == 302 and r["Location"] == reverse("decisions:dokument", args=[kladde.pk])
    # The decision page still pre-selects a type a link names.
    side = klient.get(f"{dokumenter}?type=fleksjob_visitation").content.decode()
    assert '<option value="fleksjob_visitation" selected>' in side
