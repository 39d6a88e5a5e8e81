"""Rate limiting of the API (429 problem+json with Retry-After).

One bucket per API client (or per logged-in user), counted in Redis so every web worker shares it:
a fixed window of the rate's length, counted by one Lua script (``INCR``, and ``PEXPIRE`` when the
window opens), so a request costs one Redis round trip (``EVALSHA``). Over the limit the answer's
``Retry-After`` is the time until the window closes. (A fixed window lets a client spend up to twice
the rate across a window boundary; the limit protects the service, it is not a billing meter.)
When Redis cannot be reached the request is let through and a warning logged: losing the limiter
for a while is better than losing the API (see docs/faults.md, Redis unavailable).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

# KEYS[1] the bucket, ARGV[1] the window in ms -> {requests in this window, ms until it closes}
TAEL = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
"""


class KlientRate(SimpleRateThrottle):
    scope = "api"

    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return settings.API_RATE or None  # read per request, so tests and operators can change it

    def get_cache_key(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return self.cache_format % {"scope": self.scope, "ident": "anon:" + self.get_ident(request)}
        art = "klient" if getattr(user, "er_api_klient", False) else "bruger"
        return self.cache_format % {"scope": self.scope, "ident": f"{art}:{user.pk}"}

    def _tael(self, key: str) -> tuple[int, int]:
        """Count this request in its window: (requests so far in the window, ms until it closes)."""
        cache = self.cache
        noegle = cache.make_and_validate_key(key)
        klient = cache._cache.get_client(noegle, write=True)
        antal, ttl = klient.register_script(TAEL)(keys=[noegle], args=[int(self.duration * 1000)])
        return int(antal), int(ttl)

    def allow_request(self, request, view):
        if not self.rate:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            antal, ttl = self._tael(self.key)
        except Exception as exc:  # noqa: BLE001 - any cache failure: fail open, logged
            logger.warning("API rate limiter unavailable (%s); request allowed", type(exc).__name__)
            return True
        self._vent = max(ttl, 1) / 1000
        return antal <= self.num_requests

    def wait(self):
        return self._vent
