"""Authorisation matrix: every role × every URL pattern × own team / other team / other municipality.

The URL patterns are DISCOVERED from ``django.urls.get_resolver()`` (UI and /api/v1/), so a page
another helper adds later is covered without touching this file. Each path argument is filled with
an object of the right model from the right tenant (see ``MODEL_FOR_ARG`` / ``model_for``); a
pattern whose arguments cannot be filled fails the test with a message saying what to add.

Expected:
- anonymous: UI pages redirect to the login page, API endpoints answer 401 (problem+json);
- an object the caller may not see (another team's citizen for a caseworker, team leader or meeting
  chair; another municipality's for everyone) answers exactly like an object that does not exist
  (404 for GET; for POST/PATCH/DELETE the same status as for a random id), and the body never holds
  the citizen's name or (masked or full) CPR number;
- an object the caller may see is found (not 404, never 5xx): proves the substitution is real;
- every list, search, filter and export (patterns without arguments) never contains a foreign
  citizen, also when the filter parameters point at the foreign tenant's objects.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from cases.models import Borger, Forloeb, Frist, Journalnotat, Notifikation, Paaroerende, Tilbud
from decisions.models import Dokument, Klage, Standardtekst
from flexjob.models import Aftale, Ansaettelse, Arbejdsevnevurdering, Bevilling, Virksomhed, Visitation
from infra import cpr as cprlib
from rehab.models import Bilag, Booking, ForberedendeDel, Indstilling, Moededag, Partshoering
from webhooks.models import WebhookAbonnement, WebhookLevering

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------
# How a path argument maps to a model. ``<name>_pk`` / ``<name>_id`` use the alias of <name>;
# a bare ``pk`` uses the longest alias the URL name starts with (``borger_rediger`` → Borger,
# ``forberedende-del-bilag`` → ForberedendeDel, ``dokument_pdf`` → Dokument).
# ---------------------------------------------------------------------------------------------
ALIASES: dict[str, type] = {
    "borger": Borger,
    "borgere": Borger,
    "paaroerende": Paaroerende,
    "forloeb": Forloeb,
    "frist": Frist,
    "journalnotat": Journalnotat,
    "notifikation": Notifikation,
    "forberedende_del": ForberedendeDel,
    "bilag": Bilag,
    "moededag": Moededag,
    "moede": Moededag,
    "booking": Booking,
    "indstilling": Indstilling,
    "partshoering": Partshoering,
    "dokument": Dokument,
    "afgoerelse": Dokument,
    "brev": Dokument,
    "klage": Klage,
    "virksomhed": Virksomhed,
    "visitation": Visitation,
    "ansaettelse": Ansaettelse,
    "arbejdsevnevurdering": Arbejdsevnevurdering,
    "vurdering": Arbejdsevnevurdering,
    "aftale": Aftale,
    "tilbud": Tilbud,
    "bevilling": Bevilling,
    "webhook": WebhookAbonnement,
    "webhook_levering": WebhookLevering,
    "standardtekst": Standardtekst,
    # the plural path segments in front of an id (``ansaettelser/<uuid:pk>/``)
    "frister": Frist,
    "journalnotater": Journalnotat,
    "notifikationer": Notifikation,
    "forberedende_dele": ForberedendeDel,
    "moededage": Moededag,
    "bookinger": Booking,
    "indstillinger": Indstilling,
    "partshoeringer": Partshoering,
    "dokumenter": Dokument,
    "afgoerelser": Dokument,
    "klager": Klage,
    "virksomheder": Virksomhed,
    "visitationer": Visitation,
    "ansaettelser": Ansaettelse,
    "arbejdsevnevurderinger": Arbejdsevnevurdering,
    "aftaler": Aftale,
    "bevillinger": Bevilling,
    "webhooks": WebhookAbonnement,
    "webhook_leveringer": WebhookLevering,
    "standardtekster": Standardtekst,
}
# Explicit overrides for a bare ``pk`` whose URL name does not start with the model's alias
# (namespaced URL name → model). Add a line here when the test says it cannot infer a pattern.
PK_MODEL_OVERRIDES: dict[str, type] = {}
# Visible objects that legitimately answer 404 to GET in the world's state (with the reason).
SYNLIG_404_OK: dict[str, str] = {
    "klage-ankepakke": "the appeal package is 404 until the complaint is sent to Ankestyrelsen",
}
# Lists that show citizens of other teams in the same municipality BY DESIGN (reported to the lead).
LISTE_UNDTAGELSER: dict[tuple[str, str], str] = {}
# Non-object path arguments and the value used for them.
VALUE_FOR_ARG: dict[str, str] = {
    "overgang": "start_forberedende_plan",
}

# Who may see which tenant's objects of a model:
#   team     - members of the citizen's team; a jurist and an API client the whole municipality
#   kommune  - everyone in the municipality (meeting days, employers, webhooks)
#   modtager - only the recipient (notifications)
SCOPE_KOMMUNE = {Moededag, Virksomhed, WebhookAbonnement, WebhookLevering}
SCOPE_MODTAGER = {Notifikation}

# Patterns left out of the object/anonymous matrix, each with the reason.
ALLOW_LIST: dict[str, str] = {
    "login": "the login page itself is public",
    "oidc_authentication_init": "the SSO login start is public: it only redirects to the IdP (GET only)",
    "oidc_authentication_callback": "the IdP's return: without the state of this browser's login it logs in nobody",
    "logout": "POST-only logout; anonymous gets the login redirect target, no data",
    "api-schema": "the OpenAPI schema is public documentation without data",
    "api-docs": "Swagger UI is public documentation without data (relaxed CSP, see docs/security.md)",
    "": "the catch-all /api/ 404 handler (problem+json for unknown API paths)",
}
# The Django admin is back office (is_staff only) and is tested separately below.
SKIP_PREFIXES = ("admin/",)

ROLLER = ["sagsbehandler", "teamleder", "moedeleder", "jurist", "api_klient"]


@dataclass
class Moenster:
    route: str  # the raw pattern, concatenated
    navn: str  # namespaced name ("cases:borger_detail", "borger-detail")
    args: list[str]
    callback: object

    @property
    def er_api(self) -> bool:
        return self.route.startswith("api/")


def _alle(resolver=None, prefix: str = "", ns: str = "") -> list[Moenster]:
    resolver = resolver or get_resolver()
    out = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += _alle(p, route, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            # path converters (<uuid:pk>) and DRF's regex groups ((?P<pk>...)), prefixes included
            args = list(dict.fromkeys(a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)))
            out.append(Moenster(route=route, navn=ns + (p.name or ""), args=args, callback=p.callback))
    return [m for m in out if not m.route.startswith(SKIP_PREFIXES)]


def moenstre() -> list[Moenster]:
    return _alle()


def _alias(text: str) -> type | None:
    text = text.replace("-", "_")
    best = None
    for alias, model in ALIASES.items():
        if (text == alias or text.startswith(alias + "_")) and (best is None or len(alias) > len(best[0])):
            best = (alias, model)
    return best[1] if best else None


def model_for(m: Moenster, arg: str) -> type | None:
    """The model behind a path argument: explicit override; ``<model>_pk``; the path segment in
    front of the id (``ansaettelser/<uuid:pk>/`` → Ansaettelse); the URL name's prefix."""
    if arg == "pk" and m.navn in PK_MODEL_OVERRIDES:
        return PK_MODEL_OVERRIDES[m.navn]
    segment = re.search(rf"([\w-]+)/(?:<(?:\w+:)?{arg}>|\(\?P<{arg}>)", m.route)
    if arg == "pk" and segment and segment.group(1).replace("-", "_") in ALIASES:
        return ALIASES[segment.group(1).replace("-", "_")]
    if arg == "pk":
        return _alias(m.navn.rsplit(":", 1)[-1])
    for suffix in ("_pk", "_id"):
        if arg.endswith(suffix):
            return _alias(arg[: -len(suffix)])
    return None


def _render(m: Moenster, kwargs: dict[str, str]) -> str:
    """Fill the raw route with values (works for path converters and DRF's regex routes)."""
    path = m.route
    for name, value in kwargs.items():
        path = re.sub(rf"\(\?P<{name}>[^)]*\)", value, path)
        path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def udfyld(m: Moenster, lejer=None, *, ghost: bool = False) -> tuple[str, type | None]:
    """The URL of pattern ``m`` with the tenant's objects (or random ids); and the object's model."""
    kwargs, hoved = {}, None
    for arg in m.args:
        if arg in VALUE_FOR_ARG:
            kwargs[arg] = VALUE_FOR_ARG[arg]
            continue
        model = model_for(m, arg)
        if model is None:
            raise LookupError(
                f"{m.navn or m.route}: cannot tell which model the path argument '{arg}' is. Name it "
                f"'<model>_pk', or add it to PK_MODEL_OVERRIDES / VALUE_FOR_ARG in {__name__}."
            )
        hoved = hoved or model
        if ghost:
            pk_field = model._meta.pk
            kwargs[arg] = str(uuid.uuid4()) if pk_field.get_internal_type() == "UUIDField" else "987654321"
        else:
            obj = lejer.objekter.get(model)
            if obj is None:
                raise LookupError(
                    f"{m.navn}: the security world (tests/security/conftest.py) has no {model.__name__}; add one."
                )
            kwargs[arg] = str(obj.pk)
    return _render(m, kwargs), hoved


def maa_se(rolle: str, lejer_navn: str, model: type | None, verden) -> bool:
    if lejer_navn == "fremmed":
        return False
    if model in SCOPE_MODTAGER:
        return rolle == "sagsbehandler" and lejer_navn == "egen"
    if model in SCOPE_KOMMUNE:
        return True
    return lejer_navn == "egen" or rolle in ("jurist", "api_klient")


def klient_for(rolle: str, verden, api: bool):
    # A view that crashes answers 500 here (reported as a failure) instead of raising into the test.
    if rolle == "api_klient":
        c = APIClient(raise_request_exception=False)
        c.credentials(HTTP_AUTHORIZATION=f"Bearer {verden.token}")
        return c
    c = APIClient(raise_request_exception=False) if api else Client(raise_request_exception=False)
    if rolle != "anonym":
        c.force_login(verden.brugere[rolle])
    return c


def kald(c, method: str, url: str, api: bool):
    if api:
        return getattr(c, method)(url, {}, format="json")
    return getattr(c, method)(url, {}) if method != "get" else c.get(url)


def laekker(response, lejer) -> list[str]:
    body = response.content.decode(errors="replace")
    return [s for s in lejer.spor() if s in body]


# ---------------------------------------------------------------------------------------------
def test_alle_url_moenstre_kan_udfyldes():
    """Every discovered pattern with arguments can be filled; a new page with an unknown argument
    must be taught to this test (and thereby gets covered by the matrix)."""
    fejl = []
    for m in moenstre():
        if m.navn.rsplit(":", 1)[-1] in ALLOW_LIST or not m.args:
            continue
        try:
            udfyld(m, ghost=True)
        except LookupError as exc:
            fejl.append(str(exc))
    assert not fejl, "\n".join(fejl)
    assert len(moenstre()) > 40  # the discovery really walked the API and the UI


def test_anonym_sendes_til_login_eller_faar_401(verden):
    fejl = []
    for m in moenstre():
        if m.navn.rsplit(":", 1)[-1] in ALLOW_LIST:
            continue
        url, _ = udfyld(m, verden.egen)
        for method in ("get", "post"):
            r = kald(klient_for("anonym", verden, m.er_api), method, url, m.er_api)
            if m.er_api:
                ok = r.status_code == 401 and r["Content-Type"] == "application/problem+json"
            else:
                ok = r.status_code == 302 and r["Location"].startswith("/login/")
            if not ok:
                fejl.append(f"{method.upper()} {url} ({m.navn}) → {r.status_code}")
            if laekker(r, verden.egen):
                fejl.append(f"{method.upper()} {url} ({m.navn}) shows citizen data to anonymous")
    assert not fejl, "\n".join(fejl)


def test_objekter_matrix(verden):
    """Each role × each pattern with an object argument × each tenant.

    Visible objects: GET must find them (not 404, not 5xx). Invisible objects: GET, POST (and for
    the API PATCH and DELETE) answer exactly like a random id and show nothing of the citizen.
    Team leader and meeting chair see exactly what a caseworker sees, so they get GET only."""
    fejl, tabel = [], []
    for rolle in ROLLER:
        fejl += _matrix_for(verden, rolle, tabel)
    assert len(tabel) > 200, "the matrix exercised too few combinations"
    assert not fejl, f"{len(fejl)} problems:\n" + "\n".join(fejl)


def _matrix_for(verden, rolle: str, tabel: list) -> list[str]:
    fejl = []
    for m in moenstre():
        kort = m.navn.rsplit(":", 1)[-1]
        if not m.args or kort in ALLOW_LIST:
            continue
        if rolle == "api_klient" and not m.er_api:
            continue  # a token authenticates only the API
        ghost_url, model = udfyld(m, ghost=True)
        if rolle in ("teamleder", "moedeleder"):
            metoder = ("get",)
        else:
            metoder = ("get", "post", "patch", "delete") if m.er_api else ("get", "post")
        c = klient_for(rolle, verden, m.er_api)
        for method in metoder:
            ghost = kald(c, method, ghost_url, m.er_api).status_code
            for lejer_navn, lejer in verden.lejere.items():
                synlig = maa_se(rolle, lejer_navn, model, verden)
                if synlig and method != "get":
                    continue  # writes on visible objects are the feature tests' business
                url, _ = udfyld(m, lejer)
                r = kald(c, method, url, m.er_api)
                tabel.append((rolle, method, m.navn, lejer_navn, r.status_code))
                hvor = f"{rolle} {method.upper()} {url} ({m.navn}, {lejer_navn})"
                if r.status_code >= 500:
                    fejl.append(f"{hvor} → {r.status_code} server error")
                elif synlig:
                    if r.status_code == 404 and kort not in SYNLIG_404_OK:
                        fejl.append(f"{hvor} → 404, but the role may see it (wrong substitution or over-scoping)")
                else:
                    if r.status_code != ghost:
                        fejl.append(f"{hvor} → {r.status_code}, a random id gives {ghost}: existence leaks")
                    elif method == "get" and r.status_code not in (403, 404, 405):
                        fejl.append(f"{hvor} → {r.status_code}; expected 404 like a non-existing id")
                    elif method != "get" and r.status_code < 400:
                        fejl.append(f"{hvor} → {r.status_code}: a write on a foreign object was accepted")
                    if laekker(r, lejer):
                        fejl.append(f"{hvor} shows the citizen's name or CPR: {laekker(r, lejer)}")
    return fejl


def _filter_params(verden, lejer) -> dict[str, str]:
    """Query parameters that try to pull a foreign tenant's rows into a list or export."""
    fl = lejer.objekter[Forloeb]
    return {
        "q": lejer.borger.efternavn,
        "navn": lejer.borger.efternavn,
        "team": str(lejer.team.pk),
        "sagsbehandler": str(lejer.sagsbehandler.pk),
        "borger": str(lejer.borger.pk),
        "forloeb": str(fl.pk),
        "tilstand": fl.tilstand,
    }


def test_lister_soegning_filtre_og_eksport_viser_aldrig_fremmede_borgere(verden):
    fejl = []
    for rolle in ROLLER:
        fejl += _lister_for(verden, rolle)
    assert not fejl, f"{len(fejl)} problems:\n" + "\n".join(fejl)


def _lister_for(verden, rolle: str) -> list[str]:
    fejl, set_noget = [], 0
    klienter = {api: klient_for(rolle, verden, api) for api in (False, True)}
    for m in moenstre():
        if m.args or m.navn.rsplit(":", 1)[-1] in ALLOW_LIST:
            continue
        if rolle == "api_klient" and not m.er_api:
            continue
        for lejer_navn, lejer in verden.lejere.items():
            if maa_se(rolle, lejer_navn, Borger, verden):
                continue
            params = _filter_params(verden, lejer)
            if m.er_api:
                view = getattr(m.callback, "cls", None)
                tilladte = getattr(view, "allowed_query_params", set())
                params = {k: v for k, v in params.items() if k in tilladte}
            for p in (None, params):
                r = klienter[m.er_api].get("/" + m.route.replace("^", "").replace("$", ""), p or {})
                set_noget += r.status_code == 200
                if r.status_code >= 500:
                    fejl.append(f"{rolle} GET {m.route} {p} → {r.status_code}")
                if laekker(r, lejer) and (m.navn, lejer_navn) not in LISTE_UNDTAGELSER:
                    fejl.append(f"{rolle} GET {m.route} {p} shows {lejer_navn}'s citizen: {laekker(r, lejer)}")
    # Search by the foreign citizen's name and full CPR (UI and API search by POST body). The page
    # may echo what was typed (masked), so the check is for what the searcher did NOT type: the
    # citizen's id, and the name after a CPR search / the CPR after a name search.
    ui = klient_for(rolle, verden, False) if rolle != "api_klient" else None
    api = klient_for(rolle, verden, True)
    for lejer_navn, lejer in verden.lejere.items():
        if maa_se(rolle, lejer_navn, Borger, verden):
            continue
        for b in lejer.borgere:
            cpr = cprlib.decrypt(b.cpr_krypteret)
            for q in (cpr, f"{cpr[:6]}-{cpr[6:]}", b.efternavn):
                efter_navn = q == b.efternavn
                forbudt = [str(b.pk)] + ([b.cpr_maskeret, cpr] if efter_navn else [b.efternavn])
                svar = []
                if ui is not None:
                    svar.append(("UI", ui.post("/", {"q": q})))  # the UI searches by POST
                noegle = "navn" if efter_navn else "cpr"
                svar.append(("API", api.post("/api/v1/borgere/soeg/", {noegle: q}, format="json")))
                for kanal, r in svar:
                    body = r.content.decode(errors="replace")
                    fundet = [f for f in forbudt if f in body]
                    if r.status_code >= 500 or fundet:
                        fejl.append(
                            f"{rolle} {kanal} search for {lejer_navn}'s citizen → {r.status_code}, shows {fundet}"
                        )
    if not set_noget:
        fejl.append(f"{rolle}: no list was reachable at all")
    return fejl


def test_egne_borgere_findes_i_lister_og_soegning(verden):
    """The list check above is not vacuous: the own citizen IS in the caseworker's list and search."""
    c = klient_for("sagsbehandler", verden, False)
    assert verden.egen.borger.efternavn in c.get("/").content.decode()
    cpr = verden.egen.cprs()[0]
    svar = c.post("/", {"q": cpr}).content.decode()
    assert verden.egen.borger.efternavn in svar
    assert verden.egen.borgere[1].efternavn not in svar  # it really searched
    r = klient_for("api_klient", verden, True).post("/api/v1/borgere/soeg/", {"cpr": cpr}, format="json")
    assert verden.egen.borger.efternavn in r.content.decode()


def test_admin_er_kun_for_personale(verden):
    """The Django admin (back office) redirects non-staff roles and anonymous to its login."""
    for rolle in ("anonym", "sagsbehandler", "teamleder", "moedeleder"):
        c = klient_for(rolle, verden, False)
        r = c.get("/admin/")
        assert r.status_code == 302 and "/admin/login/" in r["Location"], (rolle, r.status_code)
        r = c.get(f"/admin/cases/borger/{verden.egen.borger.pk}/change/")
        assert r.status_code in (302, 404), (rolle, r.status_code)
        assert not laekker(r, verden.egen)
