"""The shared cache: Redis, so every web node sees the same entries (docs/deployment.md), and never a
reason for a page to fail: when Redis cannot be reached a read is a miss and a write is skipped,
with a warning (the same choice as the API rate limiter, infra/api/throttling.py)."""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_NEDE = (RedisConnectionError, RedisTimeoutError, OSError)


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
