"""The summary strip's rettidighed against the municipality's target (a municipal goal in the rule
catalogue, not law; national default 90 %), and the rehab panel's legend in words (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Frist, Regelparameter, Rolle
from dashboard.regler import regler_for
from infra import datoer
from tests import factories

pytestmark = pytest.mark.django_db


def _strip(client, team, **params) -> dict:
    client.force_login(factories.medarbejder(team, Rolle.TEAMLEDER))
    resp = client.get(reverse("dashboard:dashboard"), params)
    assert resp.status_code == 200
    return next(k for k in resp.context["opsummering"] if k["titel"].startswith("Rettidighed")), resp


@pytest.fixture
def for_sent(team):
    """One of the municipality's deadlines fell due yesterday and is still open: 0 % on time."""
    fl = factories.forloeb_i("forberedende_plan", team=team)
    igaar = datoer.idag() - dt.timedelta(days=1)
    frist = Frist.objects.filter(forloeb=fl, ansvar="kommune", lukket_dato__isnull=True).first()
    frist.gaeldende_forfald = igaar
    frist.save(update_fields=["gaeldende_forfald"])
    return {"fra": igaar.replace(day=1).isoformat(), "til": igaar.isoformat()}


def test_regelkataloget_har_et_kommunalt_rettidighedsmaal_paa_90_procent():
    maal = Regelparameter.objects.get(kode="rettidighed_maal_procent", kommune__isnull=True)
    assert maal.vaerdi == 90
    assert maal.type == "kommunalt_servicemaal"
    assert "ikke et lovkrav" in maal.beskrivelse


def test_rettidighed_under_maalet_siges_med_ord_og_farve(client, team, for_sent):
    kort, resp = _strip(client, team, **for_sent)
    assert kort["vaerdi"] == "0 %"
    assert kort["tone"] == "fejl"
    assert kort["status"] == "Under målet"
    assert "mål 90 % (standardmål, som kommunen kan ændre)" in kort["forklaring"]
    html = resp.content.decode()
    assert "Under målet" in html and "dashboard-opsummering__tal--fejl" in html


def test_kommunens_eget_maal_gaelder_kun_for_kommunen(client, team, fremmed_team, for_sent):
    Regelparameter.objects.create(
        kode="rettidighed_maal_procent", vaerdi=0, kommune=team.jobcenter.kommune, type="kommunalt_servicemaal",
        beskrivelse="Eget mål", gyldig_fra=dt.date(2020, 1, 1),
    )  # fmt: skip
    kort, _ = _strip(client, team, **for_sent)
    assert kort["status"] == "Målet er nået" and kort["tone"] == "ok"
    assert "mål 0 % (kommunens eget mål)" in kort["forklaring"]
    fremmed_frist = factories.forloeb_i("forberedende_plan", team=fremmed_team)
    assert fremmed_frist.kommune_id != team.jobcenter.kommune_id
    assert regler_for(fremmed_team.jobcenter.kommune_id, datoer.idag()).rettidighed_maal == 90


def test_kapacitetspanelets_signatur_forklarer_farver_og_former_i_ord(client, team):
    factories.moededag(team.jobcenter.kommune, datoer.idag() + dt.timedelta(days=30))
    _, resp = _strip(client, team)
    html = resp.content.decode()
    panel = html[html.index('id="panel-rehab"') :]
    assert "Sådan læses diagrammet" in panel
    for tekst in ("Blå søjle: pladser booket af forløb fra dine teams", "Grå søjle: pladser booket af andre teams",
                  "Rød stiplet linje: mødedagens kapacitet", "ledige pladser"):  # fmt: skip
        assert tekst in panel
    assert 'dashboard-signatur__tegn--streg dashboard-signatur__tegn--roed" aria-hidden="true"' in panel
    assert "style=" not in panel.split("</section>")[0]  # CSP: no inline styles
