"""The shared cache: Redis, so every web node sees the same entries (docs/deployment.md), and never a
reason for a page to fail: when Redis cannot be reached a read is a miss and a write is skipped,
with a warning (the same choice as the API rate limiter, infra/api/throttling.py).

Both Redis caches (``default`` and the rate limiter's ``throttle``) use :class:`RedisCache`, which
keeps one ``redis.Redis`` client per connection pool. Django's own backend builds a new client for
every command, and a redis-py client builds its table of ~170 response callbacks in its constructor:
two per API request (the token cache's GET and the rate limiter's EVALSHA), measured at 0.1–0.2 ms
each with ``bench/profil.py``. The client is stateless over its pool and safe to share.
"""

from __future__ import annotations

import logging

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_NEDE = (RedisConnectionError, RedisTimeoutError, OSError)


class _GenbrugtKlient(django_redis.RedisCacheClient):
    """Django's Redis cache client, handing out one ``redis.Redis`` per connection pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._klienter: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        klient = self._klienter.get(id(pool))
        if klient is None:
            klient = self._klienter[id(pool)] = self._client(connection_pool=pool)
        return klient


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache with a client reused across commands (the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _GenbrugtKlient


class DeltRedisCache(RedisCache):
    def _nede(self, exc: Exception) -> None:
        logger.warning("shared cache unavailable (%s); going on without it", type(exc).__name__)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _NEDE as exc:
            self._nede(exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _NEDE as exc:
            self._nede(exc)
            return {}

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except _NEDE as exc:
            self._nede(exc)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except _NEDE as exc:
            self._nede(exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _NEDE as exc:
            self._nede(exc)
            return False
