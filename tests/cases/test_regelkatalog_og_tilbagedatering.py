"""Rule catalogue honesty (every row carries the kind its source supports; the 3-week overgang is
practice; the servicemål closes on the decisions DOMAIN.md §3 names and a jurist can change that),
and the lower bound on the first transition's date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from cases.admin import FristDefinitionForm
from cases.models import Frist, FristDefinition, FristStatus, FristType, Lovhenvisning, Regelparameter
from infra import datoer
from tests.factories import START, afgoer, dag, forloeb_i, haendelse, overgang

from .test_api_forloeb import overgang_url, problem

pytestmark = pytest.mark.django_db


# --- the catalogue's kinds ---------------------------------------------------------------------
def test_hver_raekke_i_regelkataloget_har_sin_type():
    for model in (FristDefinition, Regelparameter, Lovhenvisning):
        typer = set(model.objects.values_list("type", flat=True))
        assert typer and typer <= set(FristType.values), model
    assert FristDefinition.objects.get(art="servicemaal_afgoerelse").type == "kommunalt_servicemaal"
    assert set(Lovhenvisning.objects.filter(kode__startswith="ast_").values_list("type", flat=True)) == {"praksis"}


def test_overgangsfristen_paa_3_uger_er_ankestyrelsens_praksis(team):
    d = FristDefinition.objects.get(art="overgang_pension", kommune__isnull=True)
    assert d.type == "praksis" and "principmeddelelse 39-17" in d.lovgrundlag and "står ikke i loven" in d.lovgrundlag
    fl = forloeb_i("indstilling", team=team, udfald="foertidspension")
    c = APIClient()
    c.force_authenticate(fl.sagsbehandler)
    [frist] = [
        f
        for f in c.get("/api/v1/frister/", {"forloeb": str(fl.pk)}).json()["results"]
        if f["art"] == "overgang_pension"
    ]
    assert frist["type"] == "praksis" and "39-17 (praksis" in frist["forklaring"]


@pytest.mark.parametrize("type_", ["fleksjob_afslag", "ressourceforloeb_afslag"])
def test_servicemaalet_overholdes_ogsaa_af_et_afslag(team, type_):
    fl = forloeb_i("indstilling", team=team, udfald="ressourceforloeb")
    afgoer(fl, type_, 40)
    f = Frist.objects.get(forloeb=fl, art="servicemaal_afgoerelse")
    assert (f.status, f.lukket_dato) == (FristStatus.OVERHOLDT, dag(40))


def test_en_jurist_kan_lade_anden_indsats_overholde_kommunens_servicemaal(team):
    national = FristDefinition.objects.get(art="servicemaal_afgoerelse", kommune__isnull=True)
    form = FristDefinitionForm(instance=national)
    assert ("afgoerelse_fleksjob_afslag", "Afgørelse om afslag på fleksjob") in form.fields["slut_haendelser"].choices
    data = {
        f.name: getattr(national, f.name) for f in FristDefinition._meta.fields if f.name not in ("id", "oprettet")
    } | {"kommune": team.jobcenter.kommune_id, "gyldig_fra": dt.date(2025, 1, 1), "gyldig_til": None}
    data["slut_haendelser"] = [*national.slut_haendelser, "afgoerelse_anden_indsats"]
    data["bortfald_haendelser"] = ["forberedende_plan_start"]
    data["varsler_dage"] = ",".join(str(v) for v in national.varsler_dage)
    form = FristDefinitionForm(data=data)
    assert form.is_valid(), form.errors
    form.save()
    fl = forloeb_i("indstilling", team=team, udfald="anden_indsats")
    haendelse(fl, "partshoering_sendt", 29)
    haendelse(fl, "partshoering_besvaret", 35)
    afgoer(fl, "anden_indsats", 40)
    assert Frist.objects.get(forloeb=fl, art="servicemaal_afgoerelse").status == FristStatus.OVERHOLDT


# --- the first transition's date -----------------------------------------------------------------
def test_foerste_overgang_kan_ikke_tilbagedateres_mere_end_det_tilladte_uden_begrundelse(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    idag = START + dt.timedelta(days=30)
    gammel = (idag - dt.timedelta(days=15)).isoformat()
    with pytest.raises(ValidationError) as e:
        overgang(fl, "start_forberedende_plan", 30, dato=gammel)
    assert set(e.value.message_dict) == {"tilbagedatering_begrundelse"}
    assert "mere end 14 dage tilbage" in e.value.message_dict["tilbagedatering_begrundelse"][0]
    assert fl.historik.count() == 0
    overgang(fl, "start_forberedende_plan", 30, dato=gammel, tilbagedatering_begrundelse="Samtalen blev holdt den dag.")
    fl.refresh_from_db()
    assert fl.forberedende_plan_start == idag - dt.timedelta(days=15)
    assert fl.historik.get().data["tilbagedatering_begrundelse"] == "Samtalen blev holdt den dag."


def test_fjorten_dage_tilbage_og_senere_overgange_kraever_ingen_begrundelse(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    overgang(fl, "start_forberedende_plan", 30, dato=(START + dt.timedelta(days=16)).isoformat())
    overgang(fl, "afslut", 90, aarsag="andet", dato=(START + dt.timedelta(days=20)).isoformat())  # not the first


def test_kommunen_kan_saette_sin_egen_graense(team):
    Regelparameter.objects.create(
        kode="tilbagedatering_max_dage", vaerdi=3, type="kommunalt_servicemaal", beskrivelse="Kommunens grænse",
        kommune=team.jobcenter.kommune, gyldig_fra=dt.date(2020, 1, 1),
    )  # fmt: skip
    fl = forloeb_i("aktivitetsparat", team=team)
    with pytest.raises(ValidationError) as e:
        overgang(fl, "afslut", 30, aarsag="andet", dato=(START + dt.timedelta(days=26)).isoformat())
    assert "mere end 3 dage tilbage" in e.value.message_dict["tilbagedatering_begrundelse"][0]


def test_tilbagedatering_i_api_et(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    c = APIClient()
    c.force_authenticate(fl.sagsbehandler)
    gammel = (datoer.idag() - dt.timedelta(days=60)).isoformat()
    r = c.post(overgang_url(fl, "start_forberedende_plan"), {"dato": gammel}, format="json", HTTP_IF_MATCH="*")
    assert set(problem(r, 400, "validering")["errors"]) == {"tilbagedatering_begrundelse"}
    r = c.post(
        overgang_url(fl, "start_forberedende_plan"),
        {"dato": gammel, "tilbagedatering_begrundelse": "Registreret for sent."},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 200, r.content
    assert r.json()["tilstand"] == "forberedende_plan"
