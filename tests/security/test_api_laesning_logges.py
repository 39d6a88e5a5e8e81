"""Every API resource that lists or shows citizens' data writes the read to the audit log.

The viewsets are DISCOVERED from the URLconf: one that has ``list`` or ``retrieve`` must read
through ``AuditedReadMixin`` (with its action-code prefix) or be listed in ``UDEN_BORGERDATA`` with
the reason, so a new resource cannot slip in unaudited.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from rest_framework import status
from rest_framework.test import APIClient

from infra.api.mixins import AuditedReadMixin
from infra.models import AuditEntry
from tests import factories

from .conftest import api_klient

UDEN_BORGERDATA: dict[str, str] = {
    "MoededagViewSet": "the rehabilitation team's meeting days: capacity and members, no citizen",
    "VirksomhedViewSet": "employers (CVR, name, contact), no citizen",
    "WebhookAbonnementViewSet": "an API client's own subscriptions, no citizen",
    "WebhookLeveringViewSet": "deliveries carry ids and masked values only; no citizen is read",
}


def _api_viewsets() -> dict[str, type]:
    found = {}

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns)
            elif (cls := getattr(p.callback, "cls", None)) and getattr(p.callback, "actions", None):
                found[cls.__name__] = cls

    walk(get_resolver().url_patterns)
    return found


VIEWSETS = _api_viewsets()


def test_opdagelsen_finder_api_ets_viewsets():
    assert {"BorgerViewSet", "ForloebViewSet", "AfgoerelseViewSet", "KlageViewSet", "AftaleViewSet"} <= set(VIEWSETS)
    assert len(VIEWSETS) >= 18


@pytest.mark.parametrize("navn", sorted(VIEWSETS))
def test_laesning_af_borgerdata_logges(navn):
    cls = VIEWSETS[navn]
    if not (hasattr(cls, "list") or hasattr(cls, "retrieve")):
        return
    if navn in UDEN_BORGERDATA:
        assert not issubclass(cls, AuditedReadMixin), f"{navn} is audited: remove it from UDEN_BORGERDATA"
        return
    assert issubclass(cls, AuditedReadMixin), f"{navn}: read through AuditedReadMixin (or say why not)"
    assert cls.laes_handling, f"{navn}: no laes_handling prefix"


@pytest.mark.django_db
def test_liste_og_laesning_logger_sidens_borgere_og_emnet(team):
    fl_a = factories.forloeb_i("aktivitetsparat", team=team)
    fl_b = factories.forloeb_i("aktivitetsparat", team=team)
    a, b = fl_a.borger, fl_b.borger
    _, token = api_klient(team.jobcenter.kommune, "Laeser")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    c = APIClient()
    assert c.get("/api/v1/forloeb/", **headers).status_code == status.HTTP_200_OK
    liste = AuditEntry.objects.get(handling="forloeb.liste")
    assert sorted(map(str, liste.borger_ids)) == sorted([str(a.pk), str(b.pk)])
    assert c.get(f"/api/v1/forloeb/{fl_a.pk}/", **headers).status_code == status.HTTP_200_OK
    laes = AuditEntry.objects.get(handling="forloeb.laes")
    assert [str(x) for x in laes.borger_ids] == [str(a.pk)] and laes.subject_id == str(fl_a.pk)
    assert laes.actor_type == "api_client"
