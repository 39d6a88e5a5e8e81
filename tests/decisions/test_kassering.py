"""An abandoned draft correction is discardable: it no longer blocks the next correction. An issued
document, or a draft owned by its own flow, is never discarded here."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from decisions import kassering, services
from decisions.models import Dokument, DokumentStatus
from flexjob import services as flex
from flexjob.models import Arbejdsevnevurdering
from infra.models import AuditEntry
from rehab import services as rehab
from tests import factories
from tests.cases.test_api_forloeb import problem
from tests.flexjob.conftest import ansaettelse_til, vurdering_til

from .hjaelp import fakta_fra_indstilling, kladde, udsted

pytestmark = pytest.mark.django_db


@pytest.fixture
def udstedt(team, sagsbehandler):
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb", team=team, sagsbehandler=sagsbehandler)
    return udsted(kladde(fl), render=False)


def ret(d: Dokument) -> Dokument:
    return services.dokument_opret(
        actor=d.forloeb.sagsbehandler, forloeb=d.forloeb, type=d.type, erstatter=d, tekst="Rettet.",
        fakta=fakta_fra_indstilling(d.forloeb),
    )  # fmt: skip


def test_opgivet_rettelse_kasseres_og_en_ny_rettelse_bliver_mulig(udstedt):
    rettelse = ret(udstedt)
    with pytest.raises(ValidationError) as e:
        ret(udstedt)
    assert "allerede erstattet" in e.value.message_dict["erstatter"][0]
    kassering.dokument_kasser(actor=udstedt.forloeb.sagsbehandler, dokument=rettelse)
    assert not Dokument.objects.filter(pk=rettelse.pk).exists()
    entry = AuditEntry.objects.get(handling="dokument.kasser")
    assert entry.subject_id == str(rettelse.pk) and entry.foer["erstatter"] == str(udstedt.pk)
    ny = ret(udstedt)
    assert ny.erstatter == udstedt


def test_udstedt_dokument_og_partshoeringsbrev_kasseres_ikke(udstedt, team):
    with pytest.raises(services.IkkeKladde):
        kassering.dokument_kasser(actor=udstedt.forloeb.sagsbehandler, dokument=udstedt)
    fl = factories.forloeb_i("indstilling", udfald="fleksjob", team=team)
    punkt = {"tekst": "Teamets vurdering", "kilde_type": "indstilling", "kilde_id": str(fl.indstillinger.get().pk)}
    ph = rehab.partshoering_opret(actor=fl.sagsbehandler, forloeb=fl, grundlag=[punkt])
    with pytest.raises(kassering.KanIkkeKasseres):
        kassering.dokument_kasser(actor=fl.sagsbehandler, dokument=ph.brev)
    assert Dokument.objects.get(pk=ph.brev_id).status == DokumentStatus.KLADDE


def test_opgivet_revurdering_kasseres_med_sin_vurdering_og_en_ny_kan_laves(team):
    fl = factories.forloeb_i("fleksjob", team=team)
    v1 = vurdering_til(ansaettelse_til(fl))
    services.dokument_udsted(actor=fl.sagsbehandler, dokument=v1.dokument, idag=factories.dag(70))
    v2 = flex.arbejdsevnevurdering_revurder(actor=fl.sagsbehandler, forrige=v1, faelles_anmodning=True, timer=14)
    with pytest.raises(ValidationError):
        flex.arbejdsevnevurdering_revurder(actor=fl.sagsbehandler, forrige=v1, faelles_anmodning=True, timer=15)
    kassering.dokument_kasser(actor=fl.sagsbehandler, dokument=v2.dokument)
    assert not Arbejdsevnevurdering.objects.filter(pk=v2.pk).exists()
    v3 = flex.arbejdsevnevurdering_revurder(actor=fl.sagsbehandler, forrige=v1, faelles_anmodning=True, timer=15)
    assert v3.version == 2 and v3.dokument.erstatter == v1.dokument


def test_kassering_i_api_et_og_paa_siden(udstedt, client):
    sb = udstedt.forloeb.sagsbehandler
    c = APIClient()
    c.force_authenticate(sb)
    problem(c.delete(f"/api/v1/afgoerelser/{udstedt.pk}/", HTTP_IF_MATCH="*"), 409, "ikke-kladde")
    rettelse = ret(udstedt)
    problem(c.delete(f"/api/v1/afgoerelser/{rettelse.pk}/", HTTP_IF_MATCH='"gammel"'), 412, "foraeldet")
    r = c.delete(
        f"/api/v1/afgoerelser/{rettelse.pk}/", HTTP_IF_MATCH=c.get(f"/api/v1/afgoerelser/{rettelse.pk}/")["ETag"]
    )
    assert r.status_code == 204 and not Dokument.objects.filter(pk=rettelse.pk).exists()

    anden = ret(udstedt)
    client.force_login(sb)
    side = client.get(reverse("decisions:dokument", args=[anden.pk])).content.decode()
    assert "Kassér kladden" in side and "den oprindelige afgørelse gælder fortsat" in side
    r = client.post(
        reverse("decisions:dokument_kasser", args=[anden.pk]), {"version": anden.version}, HTTP_IF_MATCH="*"
    )
    assert r.status_code == 302 and r["Location"] == reverse("decisions:dokument", args=[udstedt.pk])
    assert not Dokument.objects.filter(pk=anden.pk).exists()
