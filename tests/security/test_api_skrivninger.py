"""Every write route of the API, DISCOVERED from the URLconf (a route added later is covered):

- a write to an existing resource (PUT/PATCH/DELETE and every POST action on it) without ``If-Match``
  answers 428 problem+json and changes nothing; the schema documents the header as required;
- every POST that creates or changes something takes an ``Idempotency-Key`` (its handler is
  ``@idempotent`` and the schema documents the header); the reads by POST are listed with the reason.
"""

from __future__ import annotations

import pytest
import yaml
from django.conf import settings

from infra.api.idempotency import er_idempotent
from infra.api.schema import kraever_if_match

from .test_authorisation_matrix import klient_for, moenstre, udfyld

pytestmark = pytest.mark.django_db

SKRIV = {"post", "put", "patch", "delete"}
#: POSTs that read (and create nothing): no Idempotency-Key, and no If-Match on a detail route.
POST_LAESNINGER = {
    "borger-soeg": "searching by CPR in the body (a CPR never goes into a URL)",
    "borger-vis-cpr": "shows the full CPR with a reason; audited, changes nothing",
    "borger-vis-adresse": "shows a protected address with a reason; audited, changes nothing",
    "borger-cpr-opslag": "looks a person up in the CPR register before creating (CPR in the body); stores nothing",
}


def _skriveruter():
    """(pattern, method, viewset class, action) for every API write route."""
    ud = []
    for m in moenstre():
        cls, actions = getattr(m.callback, "cls", None), getattr(m.callback, "actions", None)
        if not m.er_api or cls is None or not actions:
            continue
        for method, action in actions.items():
            if method in SKRIV and method in getattr(cls, "http_method_names", SKRIV):
                ud.append((m, method, cls, action))
    return ud


def _view(cls, action: str, detail: bool):
    view = cls()
    view.action, view.detail = action, detail
    return view


def test_ruterne_findes():
    ruter = _skriveruter()
    assert len(ruter) > 30
    assert {m.navn for m, *_ in ruter} >= {"borger-detail", "klage-genvurder", "webhook-detail", "booking-flyt"}


def test_hver_skrivning_paa_en_eksisterende_ressource_uden_if_match_svarer_428(verden):
    fejl, proevet = [], 0
    for m, method, cls, action in _skriveruter():
        if not m.args or m.navn in POST_LAESNINGER:
            continue
        assert kraever_if_match(_view(cls, action, True), method), m.navn
        url, _ = udfyld(m, verden.egen)
        svar = []
        for rolle in ("jurist", "api_klient"):  # webhooks are written by the API client only
            r = getattr(klient_for(rolle, verden, True), method)(url, {}, format="json")
            svar.append(r.status_code)
            if r.status_code != 403:
                break
        proevet += 1
        if r.status_code != 428 or r["Content-Type"] != "application/problem+json":
            fejl.append(f"{method.upper()} {url} ({m.navn}) without If-Match → {svar}")
        elif r.json()["type"] != "https://sagsforloeb.dk/problemer/if-match-mangler":
            fejl.append(f"{method.upper()} {url} ({m.navn}): {r.json()}")
    assert proevet > 20
    assert not fejl, "\n".join(fejl)


def test_hver_skrivende_post_tager_idempotency_key():
    fejl = []
    for m, method, cls, action in _skriveruter():
        if method != "post" or m.navn in POST_LAESNINGER:
            continue
        if not er_idempotent(getattr(cls, action)):
            fejl.append(f"POST {m.route} ({m.navn}): the handler is not @idempotent")
    assert not fejl, "\n".join(fejl)


def test_skemaet_dokumenterer_if_match_og_idempotency_key():
    skema = yaml.safe_load((settings.BASE_DIR / "docs" / "api" / "openapi.yaml").read_text())
    fejl = []
    for sti, operationer in skema["paths"].items():
        for metode, op in operationer.items():
            if metode not in SKRIV:
                continue
            headers = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "header"}
            laesning = sti.endswith(("/soeg/", "/vis-cpr/", "/vis-adresse/", "/cpr-opslag/"))  # POST_LAESNINGER
            if "{" in sti and not laesning and not headers.get("If-Match", {}).get("required"):
                fejl.append(f"{metode.upper()} {sti}: If-Match not documented as required")
            if metode == "post" and not laesning and "Idempotency-Key" not in headers:
                fejl.append(f"POST {sti}: Idempotency-Key not documented")
            if "{" in sti and not laesning and "428" not in op["responses"]:
                fejl.append(f"{metode.upper()} {sti}: 428 not documented")
    assert not fejl, "\n".join(fejl)
