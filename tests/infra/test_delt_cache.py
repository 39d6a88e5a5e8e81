"""The cache every node shares (Redis) and what happens when it is gone."""

import logging
import socket

from django.core.cache import caches

from infra.cache import DeltRedisCache


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
