"""Each forløb transition is declared once (``cases.overgange.OVERGANGE``), agrees with the state
machine, and is the one source of who may take it and of what is open from a state."""

import dataclasses
import uuid
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse

from cases import overgange, rules, services
from cases.api.auth import KlientPrincipal
from cases.models import AABNE_TILSTANDE, Forloeb, Rolle, Tilstand
from decisions.lint import OVERGANG_FOR_TYPE
from decisions.models import AFGOERELSESTYPER
from tests import factories
from tests.factories import forloeb_i, overgang


def _model_overgange() -> set[str]:
    return {t.name for t in Forloeb._meta.get_field("tilstand").get_all_transitions(Forloeb)}


def _uden(navn: str) -> tuple:
    return tuple(s for s in overgange.OVERGANGE if s.navn != navn)


def _erstat(navn: str, **aendringer) -> tuple:
    return tuple(dataclasses.replace(s, **aendringer) if s.navn == navn else s for s in overgange.OVERGANGE)


def _start_cases():
    apps.get_app_config("cases").ready()


# --- one spec per transition, checked at start-up -------------------------------------------------
def test_hver_overgang_i_tilstandsmaskinen_har_praecis_en_spec():
    assert overgange.spec_fejl() == []
    assert set(overgange.NAVNE) == _model_overgange()
    assert len(overgange.NAVNE) == len(overgange.OVERGANGE)
    _start_cases()  # the real start-up check passes


@pytest.mark.parametrize(
    ("specs", "i_fejlen"),
    [
        (lambda: _uden("udsaet"), "'udsaet' of Forloeb has no OvergangSpec"),
        (lambda: (*overgange.OVERGANGE, overgange.SPECS["afslut"]), "'afslut' has 2 specs"),
        (
            lambda: (*overgange.OVERGANGE, dataclasses.replace(overgange.SPECS["afslut"], navn="genaabn")),
            "'genaabn' has no transition method",
        ),
        (lambda: _erstat("genforelaeg", fra=(Tilstand.REHABILITERINGSTEAM,)), "'genforelaeg': spec fra="),
        (lambda: _erstat("visiter_fleksjob", til=(Tilstand.RESSOURCEFORLOEB,)), "'visiter_fleksjob': spec til="),
        (lambda: _erstat("afslaa_foertidspension", maal_felt=""), "several targets need maal_felt"),
        (
            lambda: _erstat("udsaet", fakta=overgange.fakta(moede_dato=None)),
            "records fact 'moede_dato', which is no field",
        ),
        (
            lambda: _erstat("udsaet", haendelser=(overgange.Udsend("udsat", data=("moede_dato",)),)),
            "reads input 'moede_dato', which it does not take",
        ),
    ],
    ids=["mangler", "dobbelt", "uden-model", "forkert-kilde", "forkert-maal", "maal-uden-felt", "fakta", "haendelse"],
)
def test_opstarten_afvises_naar_spec_og_tilstandsmaskine_er_uenige(monkeypatch, specs, i_fejlen):
    monkeypatch.setattr(overgange, "OVERGANGE", specs())
    assert any(i_fejlen in f for f in overgange.spec_fejl())
    with pytest.raises(ImproperlyConfigured, match="disagrees with the forløb's state machine"):
        _start_cases()


def test_decisions_afviser_opstart_naar_en_spec_naevner_en_ukendt_afgoerelsestype(monkeypatch):
    monkeypatch.setattr(overgange, "OVERGANGE", _erstat("visiter_fleksjob", afgoerelse="fleksjob_visitatoin"))
    with pytest.raises(ImproperlyConfigured, match=r"'fleksjob_visitatoin' is no decisions\.DokumentType"):
        apps.get_app_config("decisions").ready()
    monkeypatch.setattr(overgange, "OVERGANGE", _erstat("visiter_fleksjob", afgoerelse="partshoering"))
    with pytest.raises(ImproperlyConfigured, match="is a letter, not a decision"):
        apps.get_app_config("decisions").ready()


def test_regler_kan_kun_knyttes_til_en_erklaeret_overgang():
    with pytest.raises(KeyError, match="spring_alt_over"):
        rules.register("spring_alt_over", rules.Regel("test.x", "x", lambda f, k: True))


def test_afgoerelsestyperne_og_deres_overgange_kommer_fra_spec():
    assert {s.afgoerelse: s.navn for s in overgange.OVERGANGE if s.afgoerelse} == OVERGANG_FOR_TYPE
    assert set(OVERGANG_FOR_TYPE) <= AFGOERELSESTYPER
    assert set(OVERGANG_FOR_TYPE.values()) == {
        "bevilg_ressourceforloeb", "visiter_fleksjob", "anden_indsats", "tilkend_foertidspension",
        "afslaa_foertidspension", "overgaa_til_pensionsbehandling",
    }  # fmt: skip
    for navn in OVERGANG_FOR_TYPE.values():  # deciding is issuing: only the issued decision opens them
        assert "afgoerelse.ikke_udstedt" in {r.kode for r in rules.GUARDS[navn]}


def test_ui_hints_editor_og_drastisk():
    drastiske = {s.navn for s in overgange.OVERGANGE if s.drastisk}
    assert drastiske == {"afslut", "spring_team_over_aabenbar", "spring_team_over_utvivlsom", "genforelaeg"}
    editorer = {s.navn: s.editor for s in overgange.OVERGANGE}
    assert editorer["registrer_indstilling"] == editorer["udsaet"] == "rehab:indstilling"
    assert editorer["forelaeg_rehabiliteringsteam"] == editorer["genforelaeg"] == "rehab:booking"
    assert editorer["start_forberedende_plan"] is None and editorer["afslut"] is None
    for s in overgange.OVERGANGE:
        if s.afgoerelse:
            assert s.editor == "decisions:dokumenter"
        if s.editor:  # every editor is a real page of the forløb
            assert reverse(s.editor, args=[uuid.uuid4()])


# --- roles, through the spec ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rolle", "forventet"),
    [
        (Rolle.SAGSBEHANDLER, set(overgange.NAVNE)),
        (Rolle.TEAMLEDER, set(overgange.NAVNE)),
        (Rolle.MOEDELEDER, {"registrer_indstilling", "udsaet"}),
        (Rolle.JURIST, set()),
    ],
)
def test_rollerne_kan_tage_de_overgange_spec_giver_dem(team, rolle, forventet):
    actor = factories.medarbejder(team, rolle)
    assert {s.navn for s in overgange.OVERGANGE if s.rolle_maa(actor)} == forventet


def test_api_klienter_handler_for_kommunen_og_kan_tage_alle_overgange():
    klient = KlientPrincipal(SimpleNamespace(pk=1, kommune_id=None, scopes=["forloeb:write"], navn="Fagsystem"))
    assert all(s.rolle_maa(klient) for s in overgange.OVERGANGE)


def test_moedelederen_kan_registrere_indstilling_men_ikke_afslutte_gennem_servicen(team):
    moedeleder = factories.medarbejder(team, Rolle.MOEDELEDER)
    fl = forloeb_i("rehabiliteringsteam", team=team)
    assert [s.navn for s in services.mulige_overgange(fl, moedeleder)] == ["registrer_indstilling", "udsaet"]
    with pytest.raises(PermissionDenied):
        overgang(fl, "afslut", 28, actor=moedeleder, aarsag="andet")
    overgang(fl, "udsaet", 28, actor=moedeleder, aarsag="Mangler lægeattest.", mangler="LÆ 265")
    assert Forloeb.objects.get(pk=fl.pk).tilstand == Tilstand.FORBEREDENDE_PLAN


# --- one answer to "which transitions are open" --------------------------------------------------
@pytest.mark.parametrize("tilstand", ["aktivitetsparat", "forberedende_plan", "indstilling", "afsluttet"])
def test_mulige_og_tilladte_overgange_er_samme_svar_med_og_uden_regler(team, tilstand):
    fl = forloeb_i(tilstand, team=team)
    mulige = [s.navn for s in services.mulige_overgange(fl, fl.sagsbehandler)]
    tilladte = [t.navn for t in services.tilladte_overgange(fl, fl.sagsbehandler)]
    assert mulige == tilladte == [s.navn for s in overgange.OVERGANGE if tilstand in s.fra]
    assert (mulige == []) == (tilstand == "afsluttet")
    if tilstand in AABNE_TILSTANDE:
        assert "afslut" in mulige
