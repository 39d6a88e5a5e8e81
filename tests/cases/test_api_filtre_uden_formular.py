"""The hot lists' filters answer bad input exactly as django-filter's form did, without building it.

Forløb, frister, afgørelser, klager, aftaler and borgere apply their FilterSet's filters directly
(``infra.api.filters.anvend``, issue #14). The answers below were recorded from the FilterSet path
before the change: status, problem+json body and the order of the field errors, for every kind of
bad value, plus the values the form accepted (an empty or blank value is no filter, a UUID in any
spelling ``uuid.UUID`` reads, the last of a repeated parameter, a compact ISO date).
"""

from __future__ import annotations

import django_filters
import pytest

from tests.cases.test_api_auth import bearer, opret_klient

pytestmark = pytest.mark.django_db

VALIDERING = "https://sagsforloeb.dk/problemer/validering"
TILSTAND = (
    "Ukendt værdi. Brug en af: aktivitetsparat, forberedende_plan, rehabiliteringsteam, indstilling, "
    "foertidspension_behandling, ressourceforloeb, fleksjob, foertidspension, afsluttet."
)
UUID = "Skal være et UUID."
DATO = "Angiv en dato som ÅÅÅÅ-MM-DD."
DOKUMENTTYPE = (
    "Ukendt værdi. Brug en af: ressourceforloeb_bevilling, ressourceforloeb_afslag, fleksjob_visitation, "
    "fleksjob_afslag, overgang_pension, foertidspension_tilkendelse, foertidspension_afslag, anden_indsats, "
    "arbejdsevnevurdering_fleksjob, fleksjob_status, partshoering, indkaldelse_rehabiliteringsmoede, tilbud_om_moede, "
    "redegoerelse_forlaenget_sagsbehandling, genvurdering_resultat."
)

FEJL = [
    ("/api/v1/forloeb/?tilstand=bogus", {"tilstand": [TILSTAND]}),
    ("/api/v1/forloeb/?team=not-a-uuid", {"team": [UUID]}),
    ("/api/v1/forloeb/?team=%00", {"team": [UUID]}),
    ("/api/v1/forloeb/?borger=1&tilstand=x&team=y", {"tilstand": [TILSTAND], "team": [UUID], "borger": [UUID]}),
    ("/api/v1/forloeb/?tilstand=%20afsluttet", {"tilstand": [TILSTAND]}),
    ("/api/v1/forloeb/?tilstand=afsluttet&tilstand=bogus", {"tilstand": [TILSTAND]}),
    ("/api/v1/forloeb/?tilstand=bogus&cursor=zzz", {"tilstand": [TILSTAND]}),
    ("/api/v1/forloeb/?art=x", {"art": ["Ukendt forespørgselsparameter."]}),
    ("/api/v1/frister/?forfald_foer=notadate", {"forfald_foer": [DATO]}),
    ("/api/v1/frister/?forfald_foer=%202026-01-01", {"forfald_foer": [DATO]}),
    ("/api/v1/frister/?aaben=TRUE", {"aaben": ["Ukendt værdi. Brug en af: true, false."]}),
    ("/api/v1/frister/?art=%00", {"art": ["Null-tegn er ikke tilladte."]}),
    (
        "/api/v1/frister/?forfald_foer=2026-13-01&forfald_efter=x&status=nej&aaben=ja&ansvar=q&team=t&forloeb=f",
        {
            "status": ["Ukendt værdi. Brug en af: aaben, overholdt, overskredet, forlaenget, bortfaldet."],
            "team": [UUID],
            "forloeb": [UUID],
            "forfald_foer": [DATO],
            "forfald_efter": [DATO],
            "aaben": ["Ukendt værdi. Brug en af: true, false."],
            "ansvar": ["Ukendt værdi. Brug en af: kommune, borger."],
        },
    ),
    (
        "/api/v1/afgoerelser/?type=x&status=y&forloeb=z",
        {"forloeb": [UUID], "type": [DOKUMENTTYPE], "status": ["Ukendt værdi. Brug en af: kladde, udstedt, afsendt."]},
    ),
    (
        "/api/v1/klager/?status=x&forloeb=y",
        {
            "forloeb": [UUID],
            "status": ["Ukendt værdi. Brug en af: modtaget, medhold, fastholdt, sendt_til_ankestyrelsen, afgjort."],
        },
    ),
    (
        "/api/v1/aftaler/?status=x&type=y",
        {
            "status": ["Ukendt værdi. Brug en af: modtaget, godkendt, afvist."],
            "type": [
                "Ukendt værdi. Brug en af: virksomhedspraktik, loentilskud, fleksjob, mentor, hjaelpemiddel, "
                "personlig_assistance."
            ],
        },
    ),
    ("/api/v1/borgere/?team=%00", {"team": ["Null-tegn er ikke tilladte."]}),
]
GODE = [
    "/api/v1/forloeb/?tilstand=",
    "/api/v1/forloeb/?team=%20",
    "/api/v1/forloeb/?sagsbehandler=abc",
    "/api/v1/forloeb/?team=%7B12345678-1234-5678-1234-567812345678%7D",
    "/api/v1/forloeb/?team=12345678123456781234567812345678",
    "/api/v1/forloeb/?tilstand=bogus&tilstand=afsluttet",
    "/api/v1/frister/?forfald_foer=20260101",
    "/api/v1/borgere/?team=x",
]


@pytest.fixture
def klient(team):
    scopes = ("forloeb:read", "afgoerelser:read", "borgere:read", "aftaler:write")
    _, token = opret_klient(team.jobcenter.kommune.kommunekode, *scopes, navn="Vitas")
    return bearer(token)


@pytest.fixture
def uden_formular(monkeypatch):
    """No FilterSet (and so no form) may be built by the lists."""

    def nej(self, *args, **kwargs):
        raise AssertionError(f"{type(self).__name__} built")

    monkeypatch.setattr(django_filters.FilterSet, "__init__", nej)


@pytest.mark.parametrize(("url", "fejl"), FEJL)
def test_ugyldige_filtre_giver_samme_svar_som_foer(klient, uden_formular, url, fejl):
    r = klient.get(url)
    assert r.status_code == 400, r.content
    assert r["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body == {
        "type": VALIDERING,
        "title": "Valideringsfejl",
        "status": 400,
        "detail": "Forespørgslen indeholder ugyldige felter.",
        "errors": fejl,
    }
    assert list(body["errors"]) == list(fejl)  # the same order of fields


@pytest.mark.parametrize("url", GODE)
def test_gyldige_og_tomme_filtre_accepteres_som_foer(klient, uden_formular, url):
    r = klient.get(url)
    assert r.status_code == 200, r.content
    assert r.json()["results"] == []


def test_et_filter_anvend_ikke_kan_anvende_afvises_straks():
    """A method named as a string needs a FilterSet instance: refused at the first list, not ignored."""
    from django.core.exceptions import ImproperlyConfigured

    from cases.models import Forloeb
    from infra.api.filters import anvend

    class MedMetodenavn(django_filters.FilterSet):
        team = django_filters.CharFilter(method="filter_team")

    with pytest.raises(ImproperlyConfigured, match=r"MedMetodenavn\.team"):
        anvend(MedMetodenavn, {}, Forloeb.objects.all())
