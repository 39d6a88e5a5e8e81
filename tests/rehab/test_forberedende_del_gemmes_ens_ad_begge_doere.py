"""The forberedende del is saved one way (``rehab.services.forberedende_del_opdater``), whichever door
is used: the page's first save creates the del in the same transaction, a stale version is refused,
and only the forløb's current del changes (an older one is what the team saw at an earlier
presentation) — on the page and over the API alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from infra.fejl import ForaeldetVersion
from infra.models import AuditEntry
from rehab import services as rehab
from rehab.models import ForberedendeDel
from rehab.services.forberedende_del import AFLOEST, STALE
from tests.factories import forberedende_del_komplet, forloeb_i

from .test_ui_rehab import del_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(team, sagsbehandler):
    return forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)


def test_foerste_gem_opretter_delen_i_samme_handling_og_afvises_hvis_en_anden_naaede_foerst(plan, klient):
    url = reverse("rehab:forberedende_del", args=[plan.pk])
    r = klient.post(url, del_data(helbred="Ondt i ryggen."), HTTP_IF_MATCH="*")
    assert r.status_code == 302
    fd = ForberedendeDel.objects.get(forloeb=plan)
    assert (fd.helbred, fd.version) == ("Ondt i ryggen.", 2)
    handlinger = list(
        AuditEntry.objects.filter(subject_id=str(fd.pk)).order_by("id").values_list("handling", flat=True)
    )
    assert handlinger == ["forberedende_del.opret", "forberedende_del.opdater"]

    # A second page loaded before the first save (version 0) may not start another del.
    r = klient.post(url, del_data(helbred="Fra en gammel fane."), HTTP_IF_MATCH="*")
    assert r.status_code == 200 and STALE in r.content.decode()
    assert ForberedendeDel.objects.filter(forloeb=plan).count() == 1
    assert ForberedendeDel.objects.get(pk=fd.pk).helbred == "Ondt i ryggen."
    with pytest.raises(ForaeldetVersion) as exc:
        rehab.forberedende_del_opdater(actor=plan.sagsbehandler, forloeb=plan, helbred="Service")
    assert str(exc.value) == STALE


def test_kun_den_aktuelle_forberedende_del_kan_aendres_paa_siden_og_i_api_et(plan, klient, api_client):
    forberedende_del_komplet(plan)
    tidligere = ForberedendeDel.objects.get(forloeb=plan)  # the del the team saw
    aktuel = rehab.forberedende_del_opret(actor=plan.sagsbehandler, forloeb=plan)  # a new presentation
    helbred = tidligere.helbred

    with pytest.raises(ForaeldetVersion) as exc:
        rehab.forberedende_del_opdater(actor=plan.sagsbehandler, forberedende_del=tidligere, helbred="Ændret")
    assert str(exc.value) == AFLOEST

    r = api_client.patch(
        f"/api/v1/forberedende-dele/{tidligere.pk}/", {"helbred": "Ændret"}, format="json", HTTP_IF_MATCH="*"
    )
    assert r.status_code == 412 and r.json()["detail"] == AFLOEST

    r = klient.post(
        reverse("rehab:forberedende_del", args=[plan.pk]), del_data(tidligere, helbred="Ændret"), HTTP_IF_MATCH="*"
    )
    assert r.status_code == 200 and AFLOEST in r.content.decode()
    assert ForberedendeDel.objects.get(pk=tidligere.pk).helbred == helbred

    r = api_client.patch(
        f"/api/v1/forberedende-dele/{aktuel.pk}/", {"helbred": "Ny vurdering"}, format="json", HTTP_IF_MATCH="*"
    )
    assert r.status_code == 200 and r.json()["helbred"] == "Ny vurdering"
    r = klient.post(
        reverse("rehab:forberedende_del", args=[plan.pk]),
        del_data(ForberedendeDel.objects.get(pk=aktuel.pk)),
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 302
