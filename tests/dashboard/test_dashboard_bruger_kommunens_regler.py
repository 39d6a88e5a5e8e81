"""The dashboard counts with the municipality's own rules from its rule catalogue, as the rest of the
product does: the rehab meeting's notice and the servicemål. A municipality that sets its own sees
them on its dashboard; another municipality keeps the national ones. The same notice refuses the
same booking on the booking page and over the API, with the same rule code."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse

from cases.models import FristDefinition, Rolle
from infra import datoer
from rehab.models import Booking
from tests import factories
from tests.factories import forberedende_del_komplet, forloeb_i, moededag

pytestmark = pytest.mark.django_db

PERIODE = {"fra": "2026-01-01", "til": "2026-12-31"}


def kommunens_egen(art: str, kommune, **felter) -> FristDefinition:
    """The municipality's own row in the catalogue (a copy of the national one with its changes)."""
    national = FristDefinition.objects.get(art=art, kommune__isnull=True)
    eget = FristDefinition.objects.get(pk=national.pk)
    eget.id = uuid.uuid4()
    eget.kommune = kommune
    for navn, vaerdi in felter.items():
        setattr(eget, navn, vaerdi)
    eget.save(force_insert=True)
    return eget


def leder_klient(client, team):
    client.force_login(factories.medarbejder(team, Rolle.TEAMLEDER))
    return client


def panel(resp, navn: str) -> dict:
    return next(p for p in resp.context["paneler"] if p["navn"] == navn)


def naeste_moede_tekst(resp) -> str:
    return next(n["tekst"] for n in panel(resp, "rehab")["noegletal_links"] if n["tekst"].startswith("Næste ledige"))


def test_kommunens_egen_moedevarsel_bruges_paa_dashboardet_og_ikke_i_andre_kommuner(client, team, fremmed_team):
    kommune = team.jobcenter.kommune
    kommunens_egen("rehab_moede_varsel", kommune, laengde=21)
    idag = datoer.idag()
    om_18, om_25 = idag + dt.timedelta(days=18), idag + dt.timedelta(days=25)
    moededag(kommune, om_18)
    moededag(kommune, om_25)
    moededag(fremmed_team.jobcenter.kommune, om_18)
    forloeb_i("forberedende_plan", team=team)
    forloeb_i("forberedende_plan", team=fremmed_team)

    resp = leder_klient(client, team).get(reverse("dashboard:dashboard"))
    assert naeste_moede_tekst(resp) == f"Næste ledige møde med mindst 21 dages varsel: {om_25:%d.%m.%Y}"
    assert "med mindst 21 dages varsel" in panel(resp, "risiko")["beskrivelse"]
    assert panel(resp, "risiko")["tabel"]["raekker"]  # the risk panel ran with the municipality's notice

    client.logout()
    resp = leder_klient(client, fremmed_team).get(reverse("dashboard:dashboard"))
    assert naeste_moede_tekst(resp) == f"Næste ledige møde med mindst 14 dages varsel: {om_18:%d.%m.%Y}"


def test_samme_varsel_afviser_samme_booking_paa_siden_og_i_api_et_med_samme_kode(
    client, api_client, team, sagsbehandler
):
    kommune = team.jobcenter.kommune
    kommunens_egen("rehab_moede_varsel", kommune, laengde=21)
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    forberedende_del_komplet(fl)
    for_taet = moededag(kommune, datoer.idag() + dt.timedelta(days=18))  # enough for 14 days, not for 21
    client.force_login(sagsbehandler)
    url = reverse("rehab:booking", args=[fl.pk])

    side = client.get(url).content.decode()
    assert "Mødet skal ligge mindst 21 dage fremme" in side and "kan ikke bookes: for kort varsel" in side
    r = client.post(url, {"moededag": str(for_taet.pk)})
    assert r.status_code == 200
    ui_koder = set(re.findall(r'data-kode="([^"]+)"', r.content.decode()))

    r = api_client.post("/api/v1/bookinger/", {"forloeb": str(fl.pk), "moededag": str(for_taet.pk)}, format="json")
    assert r.status_code == 409 and r["Content-Type"] == "application/problem+json"
    api_koder = {b["kode"] for b in r.json()["betingelser"]}

    assert ui_koder == api_koder == {"rehab.moede_varsel"}
    assert not Booking.objects.filter(forloeb=fl).exists()

    # Three weeks ahead is enough under the municipality's rule, on both doors.
    ok = moededag(kommune, datoer.idag() + dt.timedelta(days=21))
    assert client.post(url, {"moededag": str(ok.pk)}).status_code == 302
    assert Booking.objects.get(forloeb=fl).moededag == ok


def _afgjort_i_uge_21(team):
    """A fleksjob decision 147 days (21 weeks) after the forberedende plan started (day 0)."""
    fl = forloeb_i("indstilling", udfald="fleksjob", team=team)
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    factories.afgoer(fl, "fleksjob_visitation", 147)
    return fl


def test_kommunens_egen_servicemaal_bruges_paa_dashboardet_og_ikke_i_andre_kommuner(client, team, fremmed_team):
    kommunens_egen(
        "servicemaal_afgoerelse", team.jobcenter.kommune, laengde=20, navn="Servicemål: afgørelse inden 20 uger"
    )
    _afgjort_i_uge_21(team)
    _afgjort_i_uge_21(fremmed_team)

    resp = leder_klient(client, team).get(reverse("dashboard:dashboard"), PERIODE)
    uger = panel(resp, "uger")
    assert [(r[0]["tekst"], r[1]["tekst"]) for r in uger["tabel"]["raekker"]] == [("21 uger", "1")]
    assert "0 % inden for 20 uger" in uger["noegletal"]
    assert uger["chart"]["lodret_linje"] == {"index": 20, "tekst": "Servicemål 20 uger"}
    assert "servicemålet på 20 uger" in uger["beskrivelse"]
    assert "servicemålet på 20 uger ikke nås" in panel(resp, "risiko")["beskrivelse"]
    drill = client.get(resp.context["filtre"].link("rettidighed", art="servicemaal_afgoerelse"))
    assert ("Fristart", "Servicemål: afgørelse inden 20 uger") in drill.context["kriterier"]

    client.logout()
    resp = leder_klient(client, fremmed_team).get(reverse("dashboard:dashboard"), PERIODE)
    uger = panel(resp, "uger")
    assert "100 % inden for 23 uger" in uger["noegletal"]
    assert uger["chart"]["lodret_linje"] == {"index": 23, "tekst": "Servicemål 23 uger"}
    drill = client.get(resp.context["filtre"].link("rettidighed", art="servicemaal_afgoerelse"))
    assert ("Fristart", "Servicemål: afgørelse inden 23 uger") in drill.context["kriterier"]


def test_udtraek_navngiver_kun_egen_kommunes_moededag(client, team, fremmed_team):
    fremmed_dag = moededag(fremmed_team.jobcenter.kommune, datoer.idag() + dt.timedelta(days=30))
    klient = leder_klient(client, team)
    drill = klient.get(reverse("dashboard:dashboard_sager"), {"panel": "rehab", "moededag": str(fremmed_dag.pk)})
    assert drill.status_code == 200
    assert ("Mødedag", "Ukendt") in drill.context["kriterier"]
    assert f"{fremmed_dag.dato:%d.%m.%Y}" not in drill.content.decode()
