"""Scopes × actions: which scopes an API client needs for every API route and method.

``FORVENTET`` is the authorisation contract for API clients, written out route by route. The test
DISCOVERS the API's routes from the URLconf: a route missing from the table (or a table row whose
route is gone) fails, so a new action must declare what it needs. Then, through the real API, for
every route and method on the own municipality's objects:

- a token holding exactly the listed scopes is not refused for its scopes;
- a token holding every scope but one of the listed ones answers 403 ``mangler-scope`` (naming what is
  missing), also where the action hands out what another scope guards (the appeal package holds the
  decisions' PDFs: ``afgoerelser:read`` as for ``/afgoerelser/{id}/pdf/``).

An empty set: every valid token (the webhooks, which a client only ever sees its own of).
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cases.api.auth import hash_token, ny_token
from cases.models import SCOPES, ApiKlient
from decisions.models import Dokument, Klage

from .test_authorisation_matrix import moenstre, udfyld

pytestmark = pytest.mark.django_db

BR, BW = "borgere:read", "borgere:write"
FR, FW = "forloeb:read", "forloeb:write"
AW, AR = "aftaler:write", "afgoerelser:read"

FORVENTET: dict[tuple[str, str], set[str]] = {
    ("borger-list", "get"): {BR},
    ("borger-list", "post"): {BW},
    ("borger-detail", "get"): {BR},
    ("borger-detail", "patch"): {BW},
    ("borger-soeg", "post"): {BR},  # a read, sent by POST so the CPR stays out of URLs
    ("borger-vis-cpr", "post"): {BW},  # the full CPR: only for clients trusted to register citizens
    ("borger-vis-adresse", "post"): {BW},  # a protected address: as the full CPR
    ("borger-cpr-opslag", "post"): {BW},  # the register look-up before registering a citizen
    ("borger-opdater-fra-register", "post"): {BW},
    ("borger-registerhistorik", "get"): {BR},
    ("forloeb-list", "get"): {FR},
    ("forloeb-list", "post"): {FW},
    ("forloeb-detail", "get"): {FR},
    ("forloeb-overgange", "post"): {FW},
    ("forloeb-tildel", "post"): {FW},
    ("frist-list", "get"): {FR},
    ("frist-detail", "get"): {FR},
    ("journalnotat-list", "get"): {FR},
    ("journalnotat-list", "post"): {FW},
    ("journalnotat-detail", "get"): {FR},
    ("tilbud-list", "get"): {FR},
    ("tilbud-list", "post"): {FW},
    ("tilbud-detail", "get"): {FR},
    ("tilbud-besvar", "post"): {FW},
    ("afgoerelse-list", "get"): {AR},
    ("afgoerelse-list", "post"): {FW},
    ("afgoerelse-detail", "get"): {AR},
    ("afgoerelse-detail", "patch"): {FW},
    ("afgoerelse-detail", "delete"): {FW},
    ("afgoerelse-lint", "get"): {AR},
    ("afgoerelse-pdf", "get"): {AR},
    ("afgoerelse-udsted", "post"): {FW},
    ("afgoerelse-afsend", "post"): {FW},
    ("klage-list", "get"): {FR},
    ("klage-list", "post"): {FW},
    ("klage-detail", "get"): {FR},
    ("klage-ankepakke", "get"): {FR, AR},  # the ZIP holds the decisions' PDFs
    ("klage-genvurder", "post"): {FW},
    ("klage-send-til-ankestyrelsen", "post"): {FW},
    ("klage-ankestyrelsens-resultat", "post"): {FW},
    ("forberedende-del-list", "get"): {FR},
    ("forberedende-del-list", "post"): {FW},
    ("forberedende-del-detail", "get"): {FR},
    ("forberedende-del-detail", "patch"): {FW},
    ("forberedende-del-bilag", "post"): {FW},
    ("moededag-list", "get"): {FR},
    ("moededag-list", "post"): {FW},
    ("moededag-detail", "get"): {FR},
    ("booking-list", "get"): {FR},
    ("booking-list", "post"): {FW},
    ("booking-detail", "get"): {FR},
    ("booking-flyt", "post"): {FW},
    ("booking-afholdt", "post"): {FW},
    ("indstilling-list", "get"): {FR},
    ("indstilling-list", "post"): {FW},
    ("indstilling-detail", "get"): {FR},
    ("partshoering-list", "get"): {FR},
    ("partshoering-list", "post"): {FW},
    ("partshoering-detail", "get"): {FR},
    ("partshoering-svar", "post"): {FW},
    ("partshoering-undtag", "post"): {FW},
    ("virksomhed-list", "get"): {FR},
    ("virksomhed-list", "post"): {FW},
    ("virksomhed-detail", "get"): {FR},
    ("visitation-list", "get"): {FR},
    ("visitation-list", "post"): {FW},
    ("visitation-detail", "get"): {FR},
    ("ansaettelse-list", "get"): {FR},
    ("ansaettelse-list", "post"): {FW},
    ("ansaettelse-detail", "get"): {FR},
    ("arbejdsevnevurdering-list", "get"): {FR},
    ("arbejdsevnevurdering-list", "post"): {FW},
    ("arbejdsevnevurdering-detail", "get"): {FR},
    ("arbejdsevnevurdering-detail", "patch"): {FW},
    ("arbejdsevnevurdering-revurder", "post"): {FW},
    ("bevilling-list", "get"): {FR},
    ("bevilling-list", "post"): {FW},
    ("bevilling-detail", "get"): {FR},
    ("aftale-list", "get"): {AW},  # the sender follows the status of what it sent
    ("aftale-list", "post"): {AW},
    ("aftale-detail", "get"): {AW},
    ("aftale-godkend", "post"): {AW},
    ("aftale-afvis", "post"): {AW},
    ("aftale-bekraeft", "post"): {AW},
    ("webhook-list", "get"): set(),
    ("webhook-list", "post"): set(),
    ("webhook-detail", "get"): set(),
    ("webhook-detail", "delete"): set(),
    ("webhook-levering-list", "get"): set(),
    ("webhook-levering-detail", "get"): set(),
    ("webhook-levering-genafspil", "post"): set(),
}


def api_ruter():
    ud = {}
    for m in moenstre():
        cls, actions = getattr(m.callback, "cls", None), getattr(m.callback, "actions", None)
        if not m.er_api or cls is None or not actions:
            continue
        for method in actions:
            if method in cls.http_method_names and method != "head":
                ud[(m.navn, method)] = m
    return ud


def test_hver_api_rute_har_sine_scopes_beskrevet():
    ruter = set(api_ruter())
    assert ruter - set(FORVENTET) == set(), "add these routes to FORVENTET with the scopes they need"
    assert set(FORVENTET) - ruter == set(), "these rows name routes that no longer exist"


class Tokens:
    def __init__(self, kommune):
        self.kommune, self.cache = kommune, {}

    def klient(self, scopes: frozenset[str]) -> APIClient:
        if scopes not in self.cache:
            token = ny_token()
            ApiKlient.objects.create(
                navn=f"Scopes {len(self.cache)}", kommune=self.kommune, scopes=sorted(scopes),
                token_hash=hash_token(token), token_prefix=token[:8],
            )  # fmt: skip
            c = APIClient(raise_request_exception=False)
            c.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            self.cache[scopes] = c
        return self.cache[scopes]


def _scope_afvist(r) -> bool:
    return r.status_code == 403 and r.json().get("type", "").endswith("/mangler-scope")


def test_scopes_gange_handlinger(verden):
    tokens = Tokens(verden.egen.team.jobcenter.kommune)
    alle = frozenset(SCOPES)
    fejl, kald = [], 0
    for (navn, method), m in sorted(api_ruter().items()):
        url, _ = udfyld(m, verden.egen)
        kraevet = FORVENTET[(navn, method)]
        headers = {"HTTP_IF_MATCH": "*"}
        r = getattr(tokens.klient(frozenset(kraevet)), method)(url, {}, format="json", **headers)
        kald += 1
        if _scope_afvist(r) or r.status_code >= 500:
            fejl.append(f"{method.upper()} {url} ({navn}) with exactly {sorted(kraevet)} → {r.status_code}")
        for mangler in kraevet:
            r = getattr(tokens.klient(alle - {mangler}), method)(url, {}, format="json", **headers)
            kald += 1
            if not _scope_afvist(r):
                fejl.append(f"{method.upper()} {url} ({navn}) without {mangler} → {r.status_code}, not 403")
    assert kald > 100
    assert not fejl, "\n".join(fejl)


def test_kun_forloeb_read_kan_ikke_hente_afgoerelsen_i_ankepakken(verden):
    """The reported hole: the decision PDF is refused directly, so it is refused inside the ZIP too."""
    tokens = Tokens(verden.egen.team.jobcenter.kommune)
    c = tokens.klient(frozenset({FR}))
    klage = verden.egen.objekter[Klage]
    dokument = verden.egen.objekter[Dokument]
    assert c.get(f"/api/v1/afgoerelser/{dokument.pk}/pdf/").status_code == 403
    r = c.get(f"/api/v1/klager/{klage.pk}/ankepakke/")
    assert r.status_code == 403 and r.json()["scopes"] == [FR, AR]
    assert tokens.klient(frozenset({FR, AR})).get(f"/api/v1/klager/{klage.pk}/ankepakke/").status_code != 403


def test_soegning_kraever_kun_laeseadgang(verden):
    c = Tokens(verden.egen.team.jobcenter.kommune).klient(frozenset({BR}))
    r = c.post("/api/v1/borgere/soeg/", {"navn": verden.egen.borger.efternavn}, format="json")
    assert r.status_code == 200 and verden.egen.borger.efternavn in r.content.decode()
