"""Staff single sign-on with OpenID Connect (mozilla-django-oidc), against the municipality's IdP
(Entra ID, AD FS, a KOMBIT-style broker): docs/deployment.md "Staff login".

The login is the authorization code flow with PKCE and a nonce. What mozilla-django-oidc leaves to
the application is done here:

- **the ID token is checked in full**: signature (the IdP's JWKS, asymmetric algorithms only),
  issuer (``OIDC_ISSUER``), audience (our client id; with several audiences ``azp`` must be ours),
  expiry and issue time (``OIDC_LEEWAY`` seconds of clock skew), nonce. A token issued to another
  client, or expired, is refused and the user sees a Danish message on the login page;
- **the user comes from the claims** (:func:`medarbejder_fra_sso`, one transaction, audited):
  municipality, role and teams by a configurable mapping (``OIDC_CLAIM_MAPPING``), created at the
  first login and brought up to date at every login and every silent re-check; no role means no
  access: an existing user is deactivated;
- **de-provisioned users are locked out**: a deactivated user's session is worthless at the next
  request (:meth:`SsoBackend.get_user`), and every ``OIDC_RECHECK_SECONDS`` a full page load makes a
  silent round trip to the IdP (``prompt=none``): a user the IdP no longer knows is logged out, a
  user whose groups changed gets the new teams or loses access;
- **local passwords** only for the break-glass accounts in ``OIDC_BREAK_GLASS_USERS`` (and for
  everyone with DEBUG on, for development).

The IdP's endpoints come from its discovery document (``OIDC_ISSUER`` +
``/.well-known/openid-configuration``), fetched when first needed and kept for an hour per process.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from infra import audit

from .models import Kommune, Rolle, Team, jurist_gruppe

logger = logging.getLogger(__name__)

TILLADTE_ALGORITMER = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")
DISCOVERY_SEKUNDER = 3600
SSO = audit.SystemActor("sso")

#: Danish messages for the login page (``?sso=<code>``).
FEJL = {
    "afvist": "Du har ikke adgang til Sagsforløb. Kontakt din leder, hvis du skal have adgang.",
    "ugyldig": "Login kunne ikke gennemføres: svaret fra kommunens login var ikke gyldigt. Prøv igen.",
    "afbrudt": "Du blev logget ud, fordi kommunens login ikke længere bekræfter dit login. Log ind igen.",
    "utilgaengelig": "Kommunens login svarer ikke lige nu. Prøv igen om lidt.",
}


def _nu() -> float:
    """The clock the token's expiry is checked against (a test moves it)."""
    return time.time()


# --- configuration ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mapning:
    """How the IdP's claims become a user (``OIDC_CLAIM_MAPPING``, JSON; every key optional)."""

    brugernavn: str = "preferred_username"
    email: str = "email"
    fornavn: str = "given_name"
    efternavn: str = "family_name"
    kommunekode: str = "kommunekode"  # the claim with the municipality's 3-digit code ...
    kommunekode_fast: str = ""  # ... or one fixed municipality for the whole installation
    grupper: str = "groups"
    #: group -> role; the first group of this mapping the user has decides (most rights first).
    roller: dict[str, str] = field(
        default_factory=lambda: {
            "sagsforloeb-jurist": Rolle.JURIST,
            "sagsforloeb-teamleder": Rolle.TEAMLEDER,
            "sagsforloeb-moedeleder": Rolle.MOEDELEDER,
            "sagsforloeb-sagsbehandler": Rolle.SAGSBEHANDLER,
        }
    )
    #: group -> team name in the user's municipality; and groups "<prefix><team name>".
    teams: dict[str, str] = field(default_factory=dict)
    team_praefiks: str = "sagsforloeb-team:"

    @classmethod
    def fra_indstillinger(cls) -> Mapning:
        raa = settings.OIDC_CLAIM_MAPPING or "{}"
        data = json.loads(raa) if isinstance(raa, str) else dict(raa)
        ukendte = set(data) - set(cls.__dataclass_fields__)
        if ukendte:
            raise ValueError(f"OIDC_CLAIM_MAPPING: unknown keys {sorted(ukendte)}")
        ugyldige = {r for r in data.get("roller", {}).values() if r not in Rolle.values}
        if ugyldige:
            raise ValueError(f"OIDC_CLAIM_MAPPING: unknown roles {sorted(ugyldige)}")
        return cls(**data)


_discovery: dict[str, Any] = {"tid": -1e9, "dok": None}


def discovery() -> dict:
    """The IdP's discovery document (its endpoints), checked against ``OIDC_ISSUER``."""
    if _discovery["dok"] is None or time.monotonic() - _discovery["tid"] > DISCOVERY_SEKUNDER:
        issuer = settings.OIDC_ISSUER.rstrip("/")
        svar = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        svar.raise_for_status()
        dok = svar.json()
        if dok.get("issuer", "").rstrip("/") != issuer:
            raise SuspiciousOperation("the discovery document names another issuer")
        _discovery.update(tid=time.monotonic(), dok=dok)
    return _discovery["dok"]


class _Endepunkter:
    """The OP endpoints as mozilla-django-oidc's attributes, from discovery when first used."""

    OIDC_OP_AUTHORIZATION_ENDPOINT = property(lambda self: discovery()["authorization_endpoint"])
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: discovery()["token_endpoint"])
    OIDC_OP_USER_ENDPOINT = property(lambda self: discovery()["userinfo_endpoint"])
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: discovery()["jwks_uri"])
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)


# --- the user from the claims ------------------------------------------------------------------------
class IngenAdgang(Exception):
    """The claims give no access (no mapped role, unknown municipality)."""


def _grupper(claims: dict, mapning: Mapning) -> list[str]:
    vaerdi = claims.get(mapning.grupper) or []
    return [vaerdi] if isinstance(vaerdi, str) else [str(g) for g in vaerdi]


def _rolle(grupper: list[str], mapning: Mapning) -> str | None:
    return next((rolle for gruppe, rolle in mapning.roller.items() if gruppe in grupper), None)


def _teamnavne(grupper: list[str], mapning: Mapning) -> set[str]:
    navne = {mapning.teams[g] for g in grupper if g in mapning.teams}
    if mapning.team_praefiks:
        navne |= {g[len(mapning.team_praefiks) :] for g in grupper if g.startswith(mapning.team_praefiks)}
    return navne


def _tilstand(user) -> dict:
    return {
        "rolle": user.rolle,
        "kommune": str(user.kommune_id) if user.kommune_id else None,
        "teams": sorted(str(t) for t in user.teams.values_list("navn", flat=True)),
        "aktiv": user.is_active,
    }


def medarbejder_fra_sso(*, claims: dict, mapning: Mapning | None = None):
    """Create or update the employee the IdP vouches for, from its claims; one transaction, audited.

    Raises :class:`IngenAdgang` (after deactivating an existing user) when the claims map to no role
    or to an unknown municipality. Teams are set to exactly the mapped teams of the municipality;
    mapped team names the municipality does not have are logged and ignored.
    """
    mapning = mapning or Mapning.fra_indstillinger()
    User = get_user_model()
    brugernavn = str(claims.get(mapning.brugernavn) or "").strip()
    if not brugernavn:
        raise SuspiciousOperation(f"the claims lack {mapning.brugernavn!r}")
    grupper = _grupper(claims, mapning)
    rolle = _rolle(grupper, mapning)
    kode = mapning.kommunekode_fast or str(claims.get(mapning.kommunekode) or "")
    kommune = Kommune.objects.filter(kommunekode=kode).first() if kode else None
    if rolle is None or kommune is None:
        _luk_adgang(brugernavn)
        raise IngenAdgang("no mapped role" if rolle is None else f"unknown municipality code {kode!r}")
    with transaction.atomic():
        fundet = User.objects.select_for_update().filter(username=brugernavn).first()
        ny = fundet is None
        if fundet is None:
            user = User(username=brugernavn)
            user.set_unusable_password()  # the IdP is the only way in
            foer = None
        else:
            user = fundet
            foer = _tilstand(user)
        user.email = str(claims.get(mapning.email) or "")[:254]
        user.first_name = str(claims.get(mapning.fornavn) or "")[:150]
        user.last_name = str(claims.get(mapning.efternavn) or "")[:150]
        user.kommune = kommune
        user.rolle = rolle
        user.is_active = True
        user.is_staff = rolle == Rolle.JURIST  # the rule catalogue in /admin/; never a superuser by SSO
        user.save()
        navne = _teamnavne(grupper, mapning)
        teams = list(Team.objects.filter(jobcenter__kommune=kommune, navn__in=navne))
        if len(teams) < len(navne):
            logger.warning("sso: %d mapped team(s) not found in municipality %s", len(navne) - len(teams), kode)
        user.teams.set(teams)
        if rolle == Rolle.JURIST:
            user.groups.add(jurist_gruppe())
        else:
            user.groups.remove(jurist_gruppe())
        efter = _tilstand(user)
        if efter != foer:
            audit.record(
                actor=SSO,
                handling="medarbejder.sso_opret" if ny else "medarbejder.sso_opdater",
                subject=user,
                kommune_id=kommune.pk,
                foer=foer,
                efter=efter,
                begrundelse="Oprettet/opdateret fra kommunens login (OpenID Connect).",
            )
    return user


def _luk_adgang(brugernavn: str) -> None:
    """The IdP vouches for the user but gives no access (any more): close an existing account."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().filter(username=brugernavn, is_active=True).first()
        if user is None:
            return
        foer = _tilstand(user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        user.teams.clear()
        audit.record(
            actor=SSO,
            handling="medarbejder.sso_deaktiver",
            subject=user,
            kommune_id=user.kommune_id,
            foer=foer,
            efter=_tilstand(user),
            begrundelse="Kommunens login giver ikke længere adgang til Sagsforløb.",
        )


# --- mozilla-django-oidc, completed ----------------------------------------------------------------------
class SsoBackend(_Endepunkter, OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The base class resolves every endpoint here, on every request (Django builds a backend per
        # get_user); ours are properties resolved at login only, so an IdP outage never breaks a page.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or not settings.OIDC_ENABLED:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except IngenAdgang as exc:
            logger.warning("sso: login refused: %s", exc)
            request.sso_fejl = "afvist"
        except (SuspiciousOperation, jwt.InvalidTokenError) as exc:
            logger.warning("sso: login refused: %s", exc)
            request.sso_fejl = "ugyldig"
        except requests.RequestException as exc:
            logger.warning("sso: identity provider unavailable (%s)", type(exc).__name__)
            request.sso_fejl = "utilgaengelig"
        return None

    def verify_token(self, token, **kwargs):
        """Signature, issuer, audience/azp, expiry, issue time and nonce (OIDC Core 3.1.3.7)."""
        alg = jwt.get_unverified_header(token).get("alg")
        if alg not in TILLADTE_ALGORITMER:
            raise SuspiciousOperation(f"ID token algorithm {alg!r} is not allowed")
        self.OIDC_RP_SIGN_ALGO = alg
        key = self.retrieve_matching_jwk(token)
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER.rstrip("/"),
                options={"require": ["iss", "sub", "aud", "exp", "iat"], "verify_exp": False, "verify_iat": False},
            )
        except jwt.InvalidAudienceError as exc:
            raise SuspiciousOperation("ID token issued to another client (aud)") from exc
        except jwt.InvalidIssuerError as exc:
            raise SuspiciousOperation("ID token from another issuer (iss)") from exc
        aud = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        if (len(aud) > 1 or "azp" in payload) and payload.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token authorised for another client (azp)")
        nu, leeway = _nu(), settings.OIDC_LEEWAY
        if payload["exp"] + leeway < nu:
            raise SuspiciousOperation("ID token expired (exp)")
        if payload["iat"] - leeway > nu:
            raise SuspiciousOperation("ID token issued in the future (iat)")
        if kwargs.get("nonce") != payload.get("nonce"):
            raise SuspiciousOperation("ID token nonce does not match")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        return medarbejder_fra_sso(claims=claims)

    def get_user(self, user_id):
        """The session's user, only while active: a de-provisioned user is out at the next request."""
        user = self.UserModel._default_manager.filter(pk=user_id, is_active=True).first()
        return user if user is not None and settings.OIDC_ENABLED else None


class LokalAdgangskodeBackend(ModelBackend):
    """Passwords: everyone in development (DEBUG) or without SSO; with SSO only break-glass accounts."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.OIDC_ENABLED and not settings.DEBUG and username not in settings.OIDC_BREAK_GLASS_USERS:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class SsoLoginView(_Endepunkter, OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)  # View.__init__ only

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):
        return self.OIDC_OP_AUTHORIZATION_ENDPOINT

    def get(self, request):
        try:
            return super().get(request)
        except requests.RequestException as exc:
            logger.warning("sso: identity provider unavailable (%s)", type(exc).__name__)
            return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'sso': 'utilgaengelig'})}")


class LoginView(auth_views.LoginView):
    """The login page: with SSO on, the button to the municipality's login first; the password form
    for break-glass accounts below it (and for everyone in development)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "sso_aktiv": settings.OIDC_ENABLED,
            "sso_fejl": login_fejl(self.request.GET.get("sso")),
            "kun_noedadgang": settings.OIDC_ENABLED and not settings.DEBUG,
        }


class SsoCallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self):
        kode = getattr(self.request, "sso_fejl", None) or ("afbrudt" if self.request.GET.get("error") else "ugyldig")
        return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'sso': kode})}")


class SsoGenbekraeft(_Endepunkter, SessionRefresh):
    """Every ``OIDC_RECHECK_SECONDS``, a full page load (GET, not htmx) of an SSO session goes to the
    IdP with ``prompt=none``: it comes back at once with the user's current claims, or with an error
    that logs the user out (the IdP no longer knows them)."""

    def __init__(self, get_response):
        super(SessionRefresh, self).__init__(get_response)  # MiddlewareMixin only: no endpoint lookup here
        self.OIDC_STATE_SIZE = 32
        self.OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
        self.OIDC_USE_NONCE = True
        self.OIDC_NONCE_SIZE = 32

    # Read per request, like the login view: the same scopes (and so the same claims) on every re-check.
    OIDC_RP_SCOPES = property(lambda self: settings.OIDC_RP_SCOPES)
    OIDC_EXEMPT_URLS = property(lambda self: settings.OIDC_EXEMPT_URLS)  # patterns (API, static); names below

    @cached_property
    def exempt_urls(self):
        return {reverse(u) for u in ("oidc_authentication_init", "oidc_authentication_callback", "login", "logout")}

    def is_refreshable_url(self, request):
        if not settings.OIDC_ENABLED or request.headers.get("HX-Request"):
            return False  # htmx fragments: the next full page load re-checks
        return super().is_refreshable_url(request)

    def process_request(self, request):
        try:
            return super().process_request(request)
        except requests.RequestException as exc:
            logger.warning("sso: re-check skipped, identity provider unavailable (%s)", type(exc).__name__)
            return None


def login_fejl(kode: str | None) -> str | None:
    """The Danish message for a failed SSO login (the login page's ``?sso=`` parameter)."""
    return FEJL.get(kode or "")
