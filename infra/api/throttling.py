"""Rate limiting of the API (429 problem+json with Retry-After).

One bucket per API client (or per logged-in user), counted in Redis so every web worker shares it.
When Redis cannot be reached the request is let through and a warning logged: losing the limiter
for a while is better than losing the API (see docs/faults.md, Redis unavailable).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


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

    def allow_request(self, request, view):
        if not self.rate:
            return True
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 - any cache failure: fail open, logged
            logger.warning("API rate limiter unavailable (%s); request allowed", type(exc).__name__)
            return True
