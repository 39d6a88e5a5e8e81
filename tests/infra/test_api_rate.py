"""The API limits each client's request rate (429 problem+json with Retry-After), counted in Redis
so all web workers share the bucket; when Redis is unreachable the API keeps answering."""

import uuid

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _klient(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _caches(location):
    return settings.CACHES | {
        "throttle": settings.CACHES["throttle"] | {"LOCATION": location, "KEY_PREFIX": f"t-{uuid.uuid4()}"}
    }


def test_over_graensen_giver_429_problem_med_retry_after(sagsbehandler, andet_team):
    from tests import factories

    kollega = factories.medarbejder(andet_team)
    with override_settings(API_RATE="3/min", CACHES=_caches(settings.REDIS_URL)):
        client = _klient(sagsbehandler)
        svar = [client.get("/api/v1/borgere/").status_code for _ in range(4)]
        assert svar == [200, 200, 200, 429]
        r = client.get("/api/v1/borgere/")
        assert r["Content-Type"] == "application/problem+json"
        assert r.json()["status"] == 429
        assert int(r["Retry-After"]) > 0
        # Another user has their own bucket.
        assert _klient(kollega).get("/api/v1/borgere/").status_code == 200


def test_uden_redis_svarer_api_stadig(sagsbehandler):
    with override_settings(API_RATE="3/min", CACHES=_caches("redis://127.0.0.1:1/0")):
        client = _klient(sagsbehandler)
        assert [client.get("/api/v1/borgere/").status_code for _ in range(5)] == [200] * 5


def test_en_redis_rundtur_pr_kald_og_graensen_holder(sagsbehandler, monkeypatch):
    import redis

    kald = []
    original = redis.Redis.execute_command

    def taellende(self, *args, **kwargs):
        kald.append(args[0])
        return original(self, *args, **kwargs)

    with override_settings(API_RATE="3/min", CACHES=_caches(settings.REDIS_URL)):
        client = _klient(sagsbehandler)
        assert client.get("/api/v1/borgere/").status_code == 200  # the first call also loads the script
        monkeypatch.setattr(redis.Redis, "execute_command", taellende)
        assert client.get("/api/v1/borgere/").status_code == 200
        assert kald == ["EVALSHA"]
        assert [client.get("/api/v1/borgere/").status_code for _ in range(2)] == [200, 429]
        assert kald == ["EVALSHA"] * 3
