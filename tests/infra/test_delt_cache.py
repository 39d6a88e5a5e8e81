"""The cache every node shares (Redis) and what happens when it is gone."""

import logging
import socket

from django.core.cache import caches

from infra.cache import DeltRedisCache, RedisCache


def test_standardcachen_er_redis_som_alle_noder_deler(settings):
    cache = caches["default"]
    assert isinstance(cache, DeltRedisCache)
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    cache.set("test:delt", {"n": 1}, 30)
    # a second client on the same Redis (another node) sees the entry
    anden = DeltRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "cache"})
    assert anden.get("test:delt") == {"n": 1}


def test_uden_redis_er_cachen_tom_og_fejler_ikke(caplog):
    caplog.set_level(logging.WARNING, logger="infra.cache")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    nede = DeltRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    nede.set("x", 1)
    assert nede.get("x", "standard") == "standard"
    assert nede.add("x", 1) is False
    assert "shared cache unavailable" in caplog.text


def test_begge_redis_cacher_genbruger_een_klient_pr_pool(settings, monkeypatch):
    # Django's backend built a redis.Redis (with its ~170 response callbacks) for every command: two
    # per API request. The default cache and the rate limiter's keep one per connection pool.
    import redis

    oprettet = []
    original = redis.Redis.__init__
    monkeypatch.setattr(redis.Redis, "__init__", lambda self, *a, **kw: oprettet.append(1) or original(self, *a, **kw))
    for navn in ("default", "throttle"):
        cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{navn}"})
        cache.set("a", 1, 30)
        assert cache.get("a") == 1 and cache.get("b") is None
        cache.delete("a")
        assert cache.get("a") is None
    assert len(oprettet) == 2
    assert isinstance(caches["throttle"], RedisCache) and isinstance(caches["default"], RedisCache)
