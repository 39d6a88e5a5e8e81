"""API clients: ``Authorization: Bearer <token>``, scopes, bound to one municipality.

Tokens are random, shown once at creation (``manage.py opret_api_klient``) and stored only as
SHA-256. The authenticated principal acts for its municipality; every read and write it makes is
audited with actor type ``api_client``.

A verified token is remembered in the shared cache (Redis) for ``API_TOKEN_CACHE_SEKUNDER`` (30 s),
keyed by its hash, so a busy integrator's requests skip the lookup. Saving or deleting a client
(deactivation by ``manage.py opret_api_klient --deaktiver``, the admin) forgets its entry at once and
again when the transaction commits (``cases.tokencache``), so a revoked token is refused on its next
request on every web node; a change that bypasses the model (a raw ``UPDATE``) takes effect when the
entry expires. Redis down: every request looks the token up (``infra.cache``).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions

from cases.models import ApiKlient
from cases.tokencache import husk as _husk
from cases.tokencache import husket_og_talt as _husket_og_talt
from infra.fejl import ManglerScope
from infra.models import ActorType


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rate_ident(token_hash: str) -> str:
    """An API client's rate-limit bucket: its token's, so the request is counted in the same Redis
    round trip that reads the token from the cache (``infra.api.throttling.tael_og_hent``)."""
    return f"token:{token_hash}"


def ny_token() -> str:
    return "sf_" + secrets.token_urlsafe(32)


class KlientPrincipal:
    """What ``request.user`` is for an API client."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    er_api_klient = True
    rolle = "api_klient"
    audit_actor_type = ActorType.API_CLIENT

    def __init__(self, klient: ApiKlient):
        self.klient = klient
        self.pk = self.id = klient.pk
        self.kommune_id = klient.kommune_id
        self.scopes = set(klient.scopes)
        token_hash = getattr(klient, "token_hash", None)  # a principal built without a token: counted by pk
        self.rate_ident = rate_ident(token_hash) if token_hash else None

    def get_full_name(self) -> str:
        return f"API: {self.klient.navn}"

    def __str__(self) -> str:
        return self.get_full_name()

    def has_perm(self, *args, **kwargs) -> bool:
        return False


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] != self.keyword:
            return None
        token_hash = hash_token(parts[1])
        ttl = settings.API_TOKEN_CACHE_SEKUNDER
        klient = _husket_og_talt(token_hash, request, rate_ident(token_hash)) if ttl else None
        if klient is None:
            klient = ApiKlient.objects.filter(token_hash=token_hash, aktiv=True).select_related("kommune").first()
            if klient is None:
                raise exceptions.AuthenticationFailed("Ugyldigt eller inaktivt adgangstoken.")
            if ttl:
                _husk(klient, ttl)
        now = timezone.now()
        if klient.sidst_brugt is None or (now - klient.sidst_brugt).total_seconds() > 300:
            ApiKlient.objects.filter(pk=klient.pk).update(sidst_brugt=now)
            klient.sidst_brugt = now
            if ttl:
                _husk(klient, ttl)
        return KlientPrincipal(klient), klient

    def authenticate_header(self, request):
        return 'Bearer realm="sagsforloeb"'


def kraevede_scopes(view, method: str) -> tuple[str, ...]:
    """The scopes an API client needs for ``method`` on ``view``'s current action (all of them).

    A view declares ``scopes = {"read": "forloeb:read", "write": "forloeb:write"}`` and, for an action
    that needs something else, ``action_scopes = {"ankepakke": ("forloeb:read", "afgoerelser:read")}``:
    an action that hands out what another scope guards needs that scope too (the appeal package holds
    the decisions' PDFs), and a read made by POST needs only the read scope (search). No declaration:
    no access (an empty tuple never suffices).
    """
    action_scopes = getattr(view, "action_scopes", {})
    action = getattr(view, "action", None)
    if action in action_scopes:
        return tuple(action_scopes[action])
    needed = getattr(view, "scopes", {}).get("read" if method in permissions.SAFE_METHODS else "write")
    return (needed,) if needed else ()


class HarScope(permissions.BasePermission):
    """API clients need every scope :func:`kraevede_scopes` names; employees are governed by role and team."""

    message = "Adgangstokenet mangler den nødvendige rettighed (scope)."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not getattr(user, "er_api_klient", False):
            return True
        needed = kraevede_scopes(view, request.method)
        if not needed or not set(needed) <= user.scopes:
            raise ManglerScope(needed)
        return True


try:
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class BearerTokenScheme(OpenApiAuthenticationExtension):
        target_class = "cases.api.auth.BearerTokenAuthentication"
        name = "apiToken"

        def get_security_definition(self, auto_schema):
            return {
                "type": "http",
                "scheme": "bearer",
                "description": "API-token oprettet med `manage.py opret_api_klient`; bundet til én kommune med scopes.",
            }
except ImportError:  # pragma: no cover - drf-spectacular is a runtime dependency
    pass
