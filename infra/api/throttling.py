"""Rate limiting of the API (429 problem+json with Retry-After).

One bucket per API client (or per logged-in user), counted in Redis so every web worker shares it:
a fixed window of the rate's length, counted by one Lua script (``INCR``, and ``PEXPIRE`` when the
window opens), so a request costs one Redis round trip (``EVALSHA``). Over the limit the answer's
``Retry-After`` is the time until the window closes. (A fixed window lets a client spend up to twice
the rate across a window boundary; the limit protects the service, it is not a billing meter.)
When Redis cannot be reached the request is let through and a warning logged: losing the limiter
for a while is better than losing the API (see docs/faults.md, Redis unavailable).

An API client's request reads its token from the shared cache anyway (``cases.tokencache``): with
both caches on one Redis server, :func:`tael_og_hent` counts the request in the same round trip as
that read (one ``EVALSHA`` per request in all), and :class:`KlientRate` uses that count instead of
counting again. A principal names its bucket with ``rate_ident`` (an API client: its token's hash,
known before the client is); others are counted by primary key.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

# KEYS[1] the bucket, ARGV[1] the window in ms; KEYS[2] (optional) a key read in the same call
# -> {requests in this window, ms until it closes, KEYS[2]'s value or nil}
TAEL = """
local v = false
if #KEYS > 1 then v = redis.call('GET', KEYS[2]) end
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl, v}
"""

#: :func:`tael_og_hent` could not combine the two (no limit, or the caches live on different servers).
IKKE_SAMLET = object()
_FORUDTALT = "_rate_forudtalt"  # on the request: {bucket: (requests, ms) or None when Redis failed}


def tael_og_hent(request, ident: str, cache, noegle: str):
    """Count ``request`` in the bucket of ``ident`` and read ``noegle`` (a key already made by
    ``cache``) in one Redis round trip. Returns the value read (``None``: absent, or Redis
    unreachable: the request is then let through, logged once), or :data:`IKKE_SAMLET` when the two
    cannot share a round trip; the caller then reads as usual and the limiter counts by itself."""
    begraens = KlientRate()
    spand_cache = begraens.cache
    if not begraens.rate or cache._servers != spand_cache._servers:
        return IKKE_SAMLET
    spand = begraens.spand(ident)
    spand_noegle = spand_cache.make_and_validate_key(spand)
    try:
        klient = spand_cache._cache.get_client(spand_noegle, write=True)
        antal, ttl, vaerdi = klient.register_script(TAEL)(
            keys=[spand_noegle, noegle], args=[int(begraens.duration * 1000)]
        )
    except Exception as exc:  # noqa: BLE001 - any cache failure: fail open, logged
        logger.warning("API rate limiter and token cache unavailable (%s); request allowed", type(exc).__name__)
        setattr(request, _FORUDTALT, {spand: None})
        return None
    setattr(request, _FORUDTALT, {spand: (int(antal), int(ttl))})
    return None if vaerdi is None else cache._cache._serializer.loads(vaerdi)


class KlientRate(SimpleRateThrottle):
    scope = "api"
    duration: int  # the window in seconds (set by SimpleRateThrottle from the rate)

    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return settings.API_RATE or None  # read per request, so tests and operators can change it

    def spand(self, ident: str) -> str:
        """The bucket (cache key before the cache's prefix) of ``ident``."""
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def get_cache_key(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return self.spand("anon:" + self.get_ident(request))
        if ident := getattr(user, "rate_ident", None):
            return self.spand(ident)
        art = "klient" if getattr(user, "er_api_klient", False) else "bruger"
        return self.spand(f"{art}:{user.pk}")

    def _tael(self, key: str) -> tuple[int, int]:
        """Count this request in its window: (requests so far in the window, ms until it closes)."""
        cache = self.cache
        noegle = cache.make_and_validate_key(key)
        klient = cache._cache.get_client(noegle, write=True)
        antal, ttl, _ = klient.register_script(TAEL)(keys=[noegle], args=[int(self.duration * 1000)])
        return int(antal), int(ttl)

    def allow_request(self, request, view):
        if not self.rate:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        forudtalt = getattr(request, _FORUDTALT, {})
        if self.key in forudtalt:  # counted with the token read (tael_og_hent)
            talt = forudtalt.pop(self.key)
            if talt is None:
                return True
            antal, ttl = talt
        else:
            try:
                antal, ttl = self._tael(self.key)
            except Exception as exc:  # noqa: BLE001 - any cache failure: fail open, logged
                logger.warning("API rate limiter unavailable (%s); request allowed", type(exc).__name__)
                return True
        self._vent = max(ttl, 1) / 1000
        return antal <= self.num_requests

    def wait(self):
        return self._vent
