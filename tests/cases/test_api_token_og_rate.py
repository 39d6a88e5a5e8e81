"""An API client's request reads its token from the shared cache and is counted by the rate limiter
in one Redis round trip (both caches on one server); everything each of them guaranteed still holds:
the limit (429 with Retry-After), a revoked token refused at once, a wrong token refused, and the API
answering when Redis is gone."""

import logging
import uuid

import pytest
import redis
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from cases.api.auth import ny_token
from tests import factories
from tests.api_hjaelp import api_klient

pytestmark = pytest.mark.django_db
URL = "/api/v1/forloeb/"


def _caches(location: str) -> dict:
    """Both caches on ``location`` (as configured: one Redis), the buckets fresh for this test."""
    return settings.CACHES | {
        "default": settings.CACHES["default"] | {"LOCATION": location},
        "throttle": settings.CACHES["throttle"] | {"LOCATION": location, "KEY_PREFIX": f"t-{uuid.uuid4()}"},
    }


@pytest.fixture
def forloeb(team, sagsbehandler):
    return factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)


@pytest.fixture
def redis_kald(monkeypatch):
    kald: list = []
    original = redis.Redis.execute_command

    def taellende(self, *args, **kwargs):
        kald.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", taellende)
    return kald


def test_een_redis_rundtur_pr_kald_og_graensen_holder(forloeb, team, redis_kald):
    with override_settings(API_RATE="3/min", CACHES=_caches(settings.REDIS_URL)):
        c, _ = api_klient(team, "forloeb:read")
        assert c.get(f"{URL}{forloeb.pk}/").status_code == 200  # token looked up and remembered
        redis_kald.clear()
        assert c.get(f"{URL}{forloeb.pk}/").status_code == 200
        assert redis_kald == ["EVALSHA"]  # the token read and the count together
        assert c.get(f"{URL}{forloeb.pk}/").status_code == 200  # the third in the window
        svar = c.get(f"{URL}{forloeb.pk}/")
        assert svar.status_code == 429
        assert svar["Content-Type"] == "application/problem+json" and int(svar["Retry-After"]) > 0
        # Another client has its own bucket.
        anden, _ = api_klient(team, "forloeb:read")
        assert anden.get(f"{URL}{forloeb.pk}/").status_code == 200


def test_deaktiveret_klient_afvises_straks_med_graensen_slaaet_til(forloeb, team):
    with override_settings(API_RATE="100/min", CACHES=_caches(settings.REDIS_URL)):
        c, k = api_klient(team, "forloeb:read")
        assert c.get(f"{URL}{forloeb.pk}/").status_code == 200
        assert c.get(f"{URL}{forloeb.pk}/").status_code == 200  # answered from the remembered token
        k.aktiv = False
        k.save(update_fields=["aktiv"])
        assert c.get(f"{URL}{forloeb.pk}/").status_code == 401


def test_forkert_token_afvises_med_graensen_slaaet_til(forloeb):
    with override_settings(API_RATE="100/min", CACHES=_caches(settings.REDIS_URL)):
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Bearer {ny_token()}")
        assert c.get(f"{URL}{forloeb.pk}/").status_code == 401


def test_uden_redis_svarer_api_et_og_tokenet_slaas_op(forloeb, team, caplog):
    caplog.set_level(logging.WARNING)
    with override_settings(API_RATE="3/min", CACHES=_caches("redis://127.0.0.1:1/0")):
        c, _ = api_klient(team, "forloeb:read")
        assert [c.get(f"{URL}{forloeb.pk}/").status_code for _ in range(5)] == [200] * 5
    assert "unavailable" in caplog.text
