"""Bounds on every date (issue 13): agreements were accepted with dates in year 1 and 9999."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from cases.models import Journalnotat
from flexjob.models import Aftale
from infra import datoer
from tests import factories

from .test_api_aftaler import URL, body, cpr_af, vitas  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("felt", ["start", "slut"])
@pytest.mark.parametrize("dato", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_aftale_med_dato_udenfor_graenserne_afvises_via_api(vitas, visitation, felt, dato):  # noqa: F811
    r = vitas.post(URL, body(cpr_af(visitation.forloeb.borger), **{felt: dato}), format="json")
    assert r.status_code == 400, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["errors"] == {felt: [datoer.DATO_UDENFOR]}
    assert not Aftale.objects.exists()


def test_bekraeftelse_i_aar_9999_afvises(vitas, visitation):  # noqa: F811
    r = vitas.post(
        URL, body(cpr_af(visitation.forloeb.borger), borger_bekraeftet="9999-01-01T10:00:00+01:00"), format="json"
    )
    assert r.status_code == 400, r.content
    assert "borger_bekraeftet" in r.json()["errors"]


def test_graenserne_er_med(vitas, visitation):  # noqa: F811
    r = vitas.post(URL, body(cpr_af(visitation.forloeb.borger), slut="2199-12-31"), format="json")
    assert r.status_code == 201, r.content


def test_hver_model_med_en_dato_afviser_aar_1_og_9999(team, sagsbehandler):
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=sagsbehandler)
    notat = Journalnotat(forloeb=fl, type="telefon", overskrift="X", tekst="Y", naeste_skridt_dato=dt.date(1, 1, 1))
    with pytest.raises(ValidationError) as info:
        notat.save()
    assert info.value.message_dict == {"naeste_skridt_dato": [datoer.DATO_UDENFOR]}
    fl.refresh_from_db()
    for navn in [f.name for f in type(fl)._meta.concrete_fields if isinstance(f, models.DateField)]:
        setattr(fl, navn, dt.date(9999, 12, 31))
    with pytest.raises(ValidationError):
        fl.save()


def test_journalnotat_via_api_med_aar_9999_giver_400(api_client, team, sagsbehandler):
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=sagsbehandler)
    r = api_client.post(
        "/api/v1/journalnotater/",
        {
            "forloeb": str(fl.pk),
            "type": "telefon",
            "overskrift": "Opkald",
            "tekst": "Opkald.",
            "naeste_skridt": "Ring igen",
            "naeste_skridt_dato": "9999-12-31",
        },
        format="json",
    )
    assert r.status_code == 400, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["errors"] == {"naeste_skridt_dato": [datoer.DATO_UDENFOR]}
