"""Which letters and decisions may be drafted is a rule of the domain (``decisions.rules``): the
decisions page and ``POST /api/v1/afgoerelser/`` refuse the same input with the same message, and a
letter that has its own flow (the partshøring, the summons, ...) is never created stand-alone."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from decisions import rules, services
from decisions.models import Dokument, DokumentType
from tests import factories
from tests.cases.test_api_forloeb import problem

from .hjaelp import kladde, udsted

pytestmark = pytest.mark.django_db
URL = "/api/v1/afgoerelser/"


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_loest_partshoeringsbrev_afvises_gennem_api_og_peger_paa_partshoeringen(team, sagsbehandler):
    fl = factories.forloeb_i("indstilling", udfald="fleksjob", team=team, sagsbehandler=sagsbehandler)
    foer = Dokument.objects.count()
    svar = problem(_api(sagsbehandler).post(URL, {"forloeb": str(fl.pk), "type": "partshoering"}, format="json"), 400)
    assert svar["type"].endswith("/validering")
    [besked] = svar["errors"]["type"]
    assert "»Partshøring« oprettes ikke som et løst dokument" in besked
    assert "POST /api/v1/partshoeringer/" in besked  # where it is made, so the reply deadline starts
    assert "Mulige typer nu: Bevilling af ressourceforløb" in besked and "Visitation til fleksjob" in besked
    assert Dokument.objects.count() == foer


@pytest.mark.parametrize(
    ("tilstand", "type", "kode", "i_beskeden"),
    [
        ("indstilling", "partshoering", "egen_flow", "/api/v1/partshoeringer/"),
        ("indstilling", "indkaldelse_rehabiliteringsmoede", "egen_flow", "/api/v1/bookinger/"),
        ("indstilling", "genvurdering_resultat", "egen_flow", "genvurder"),
        ("indstilling", "arbejdsevnevurdering_fleksjob", "egen_flow", "/api/v1/arbejdsevnevurderinger/"),
        ("indstilling", "foertidspension_tilkendelse", "type_ikke_mulig", "(fasen »indstilling«)"),
        ("indstilling", "tilbud_om_moede", "type_ikke_mulig", "passer ikke til forløbets tilstand"),
        ("aktivitetsparat", "fleksjob_visitation", "type_ikke_mulig", "Mulige typer nu: Afslag på ressourceforløb"),
        ("foertidspension_behandling", "anden_indsats", "type_ikke_mulig", "Tilbud om møde før afgørelse"),
        ("afsluttet", "fleksjob_afslag", "type_ikke_mulig", "Der kan ikke oprettes breve eller afgørelser"),
    ],
)
def test_siden_og_api_afviser_samme_type_med_samme_besked(
    client, team, sagsbehandler, tilstand, type, kode, i_beskeden
):
    fl = factories.forloeb_i(tilstand, team=team, sagsbehandler=sagsbehandler)
    foer = Dokument.objects.count()
    client.force_login(sagsbehandler)

    side = client.post(reverse("decisions:dokumenter", args=[fl.pk]), {"type": type})
    assert side.status_code == 200
    [ui_fejl] = side.context["form"].errors.as_data()["type"]
    api = problem(_api(sagsbehandler).post(URL, {"forloeb": str(fl.pk), "type": type}, format="json"), 400)

    assert api["type"].endswith("/validering")
    assert api["errors"]["type"] == [ui_fejl.message]
    assert ui_fejl.code == kode
    assert i_beskeden in ui_fejl.message
    assert DokumentType(type).label in ui_fejl.message
    assert Dokument.objects.count() == foer


@pytest.mark.parametrize(
    ("tilstand", "forventet"),
    [
        ("aktivitetsparat", {"ressourceforloeb_afslag", "fleksjob_afslag", "redegoerelse_forlaenget_sagsbehandling"}),
        (
            "indstilling",
            {
                "ressourceforloeb_bevilling", "ressourceforloeb_afslag", "fleksjob_visitation", "fleksjob_afslag",
                "overgang_pension", "anden_indsats", "redegoerelse_forlaenget_sagsbehandling",
            },
        ),
        (
            "foertidspension_behandling",
            {
                "ressourceforloeb_afslag", "fleksjob_afslag", "foertidspension_tilkendelse", "foertidspension_afslag",
                "tilbud_om_moede", "redegoerelse_forlaenget_sagsbehandling",
            },
        ),
        ("afsluttet", set()),
    ],
)  # fmt: skip
def test_siden_tilbyder_netop_de_typer_domaenet_tillader(client, team, sagsbehandler, tilstand, forventet):
    fl = factories.forloeb_i(tilstand, team=team, sagsbehandler=sagsbehandler)
    assert set(rules.mulige_dokumenttyper(fl)) == forventet
    client.force_login(sagsbehandler)
    form = client.get(reverse("decisions:dokumenter", args=[fl.pk])).context["form"]
    assert {v for v, _ in form.fields["type"].choices if v} == forventet


def test_en_rettelse_maa_have_den_erstattede_afgoerelses_type_ogsaa_efter_fasen(team, sagsbehandler):
    fl = factories.forloeb_i("indstilling", udfald="fleksjob", team=team, sagsbehandler=sagsbehandler)
    afslag = udsted(kladde(fl, "fleksjob_afslag"), render=False)
    factories.overgang(fl, "afslut", 40, aarsag="andet")
    fl.refresh_from_db()
    c = _api(sagsbehandler)
    r = c.post(
        URL, {"forloeb": str(fl.pk), "type": "ressourceforloeb_afslag", "erstatter": str(afslag.pk)}, format="json"
    )
    assert "Mulige typer nu: Afslag på fleksjob." in problem(r, 400, "validering")["errors"]["type"][0]
    r = c.post(URL, {"forloeb": str(fl.pk), "type": "fleksjob_afslag", "erstatter": str(afslag.pk)}, format="json")
    assert r.status_code == 201, r.content


def test_egne_flows_danner_stadig_deres_breve(team, sagsbehandler):
    fl = factories.forloeb_i("indstilling", udfald="fleksjob", team=team, sagsbehandler=sagsbehandler)
    brev = services.dokument_opret(actor=sagsbehandler, forloeb=fl, type="partshoering", egen_flow=True)
    assert brev.type == "partshoering"
    # The flag only opens the own-flow letters; every other type still follows the forløb's state.
    with pytest.raises(ValidationError, match="passer ikke til forløbets tilstand"):
        services.dokument_opret(actor=sagsbehandler, forloeb=fl, type="foertidspension_afslag", egen_flow=True)
