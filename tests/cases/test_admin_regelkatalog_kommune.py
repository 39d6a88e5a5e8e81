"""The rule catalogue in the admin is scoped by municipality: a municipality's jurist creates and
changes only their own municipality's rows; national rows (``kommune`` empty) only a national rule
administrator (superuser or the group ``National regeladministrator``). Through the admin's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cases.models import Regelparameter, Rolle, jurist_gruppe
from cases.regelkatalog import NATIONAL_GRUPPE
from infra import datoer
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/cases/regelparameter/"


def jurist_klient(team) -> tuple[Client, object]:
    user = factories.UserFactory(kommune=team.jobcenter.kommune, rolle=Rolle.JURIST, is_staff=True)
    user.groups.add(jurist_gruppe())
    c = Client()
    c.force_login(user)
    return c, user


def parameter(kommune, kode: str = "brev_dage") -> Regelparameter:
    return Regelparameter.objects.create(
        kode=kode, vaerdi=2, type="praksis", beskrivelse="Fiktiv", kommune=kommune,
        gyldig_fra=datoer.idag() + dt.timedelta(days=10),
    )  # fmt: skip


def formular(kommune, kode: str = "ny_parameter") -> dict:
    fra = datoer.idag() + dt.timedelta(days=20)
    return {
        "kode": kode, "vaerdi": "3", "type": "praksis", "beskrivelse": "Fiktiv", "lovgrundlag": "",
        "kommune": str(kommune.pk) if kommune else "", "gyldig_fra": fra.isoformat(), "gyldig_til": "",
    }  # fmt: skip


def test_jurist_kan_kun_aendre_egen_kommunes_regler(team, fremmed_team):
    c, _ = jurist_klient(team)
    egen, fremmed, national = (
        parameter(team.jobcenter.kommune),
        parameter(fremmed_team.jobcenter.kommune),
        parameter(None, "x"),
    )
    liste = c.get(URL).content.decode()
    assert str(egen.pk) in liste and str(national.pk) in liste and str(fremmed.pk) not in liste
    assert c.get(f"{URL}{fremmed.pk}/change/").status_code in (302, 404)
    r = c.post(f"{URL}{fremmed.pk}/change/", formular(fremmed_team.jobcenter.kommune, "brev_dage"))
    assert r.status_code in (302, 403, 404)
    fremmed.refresh_from_db()
    assert fremmed.vaerdi == 2
    # the national row is shown, read-only
    side = c.get(f"{URL}{national.pk}/change/")
    assert side.status_code == 200 and 'name="vaerdi"' not in side.content.decode()
    r = c.post(f"{URL}{national.pk}/change/", formular(None, "x"))
    national.refresh_from_db()
    assert r.status_code == 403 and national.vaerdi == 2
    r = c.post(f"{URL}{egen.pk}/change/", formular(team.jobcenter.kommune, "brev_dage"))
    egen.refresh_from_db()
    assert r.status_code == 302 and egen.vaerdi == 3


def test_jurist_opretter_kun_i_egen_kommune(team, fremmed_team):
    c, _ = jurist_klient(team)
    for kommune in (fremmed_team.jobcenter.kommune, None):
        r = c.post(f"{URL}add/", formular(kommune))
        assert r.status_code == 200  # the form refuses the choice
        assert not Regelparameter.objects.filter(kode="ny_parameter").exists()
    r = c.post(f"{URL}add/", formular(team.jobcenter.kommune))
    assert r.status_code == 302
    assert Regelparameter.objects.get(kode="ny_parameter").kommune_id == team.jobcenter.kommune_id


def test_national_regeladministrator_aendrer_nationale_regler(team):
    c, user = jurist_klient(team)
    user.groups.add(Group.objects.get_or_create(name=NATIONAL_GRUPPE)[0])
    national = parameter(None, "x")
    r = c.post(f"{URL}{national.pk}/change/", formular(None, "x"))
    national.refresh_from_db()
    assert r.status_code == 302 and national.vaerdi == 3
    r = c.post(f"{URL}add/", formular(None))
    assert r.status_code == 302 and Regelparameter.objects.get(kode="ny_parameter").kommune_id is None
