"""The API token cache (``cases.api.auth``): a verified client remembered in the shared cache under
its token's hash for ``API_TOKEN_CACHE_SEKUNDER``, forgotten when the client row is saved or deleted
(the signal receivers are connected in ``CasesConfig.ready``)."""

from __future__ import annotations

import time

from django.core.cache import caches
from django.db import transaction

from cases.models import ApiKlient
from infra.api import throttling


def _noegle(token_hash: str) -> str:
    return f"api-token:{token_hash}"


def husk(klient: ApiKlient, ttl: int) -> None:
    caches["default"].set(_noegle(klient.token_hash), (time.time() + ttl, klient), ttl)


def husket(token_hash: str) -> ApiKlient | None:
    """The active client of a token seen less than ``API_TOKEN_CACHE_SEKUNDER`` ago (else ``None``);
    the expiry is checked against the clock too, not only left to Redis."""
    return _gyldig(caches["default"].get(_noegle(token_hash)))


def husket_og_talt(token_hash: str, request, rate_ident: str) -> ApiKlient | None:
    """:func:`husket`, with the API rate limiter's count of ``request`` in the same Redis round trip
    (``infra.api.throttling.tael_og_hent``) when the two caches share a server."""
    cache = caches["default"]
    fundet = throttling.tael_og_hent(request, rate_ident, cache, cache.make_and_validate_key(_noegle(token_hash)))
    return husket(token_hash) if fundet is throttling.IKKE_SAMLET else _gyldig(fundet)


def _gyldig(husket) -> ApiKlient | None:
    if husket is None:
        return None
    udloeber, klient = husket
    return klient if time.time() < udloeber else None


def glem_klient(sender, instance: ApiKlient, **kwargs) -> None:
    """A client was saved or deleted: its token is looked up again, now and after the commit (so a
    request between the two cannot put the old row back for long)."""
    noegle = _noegle(instance.token_hash)
    caches["default"].delete(noegle)
    transaction.on_commit(lambda: caches["default"].delete(noegle))
