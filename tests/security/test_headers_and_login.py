"""Login throttling (django-axes), Content-Security-Policy and the production cookie/HSTS settings."""

import importlib
import os

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CSP_KRAV = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


def forkert(client, username, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": "forkert"}, REMOTE_ADDR=ip)


def test_fem_forkerte_adgangskoder_spaerrer_brugernavn_og_adresse_i_15_minutter(client, sagsbehandler):
    for _ in range(4):
        assert forkert(client, sagsbehandler.username).status_code == 200
    r = forkert(client, sagsbehandler.username)
    assert r.status_code == 429
    html = r.content.decode()
    assert "Log ind er midlertidigt spærret" in html and "15 minutter" in html
    # Now even the right password is refused from that address ...
    r = client.post(
        reverse("login"), {"username": sagsbehandler.username, "password": "test-kodeord-123"}, REMOTE_ADDR="10.0.0.1"
    )
    assert r.status_code == 429 and "_auth_user_id" not in client.session
    # ... but the same user from another address, and another user from this one, still log in.
    r = client.post(
        reverse("login"), {"username": sagsbehandler.username, "password": "test-kodeord-123"}, REMOTE_ADDR="10.0.0.2"
    )
    assert r.status_code == 302


def test_rigtigt_login_nulstiller_taelleren(client, sagsbehandler):
    for _ in range(4):
        forkert(client, sagsbehandler.username)
    client.post(
        reverse("login"), {"username": sagsbehandler.username, "password": "test-kodeord-123"}, REMOTE_ADDR="10.0.0.1"
    )
    client.logout()
    for _ in range(4):
        assert forkert(client, sagsbehandler.username).status_code == 200


def test_klientadresse_bag_proxy_er_den_proxyen_tilfoejede(rf, settings):
    from infra.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    req = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    assert client_ip(req) == "203.0.113.9"  # the spoofed left-most entry is ignored
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(req) == "127.0.0.1"


@pytest.mark.parametrize("url", ["/login/", "/", "/api/v1/borgere/"])
def test_streng_csp_paa_alle_svar(client, sagsbehandler, url):
    client.force_login(sagsbehandler)
    csp = client.get(url)["Content-Security-Policy"]
    for krav in CSP_KRAV:
        assert krav in csp, (krav, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_kun_swagger_ui_faar_inline_script_og_style(client):
    csp = client.get("/api/v1/docs/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_sikkerhedsheadere(client, sagsbehandler):
    client.force_login(sagsbehandler)
    r = client.get("/")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"
    assert r["Cross-Origin-Opener-Policy"] == "same-origin"


def test_produktionsindstillinger(monkeypatch):
    for k, v in {
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "sagsforloeb.kommune.invalid",
        "CPR_KEY": "k" * 40,
    }.items():
        monkeypatch.setitem(os.environ, k, v)
    prod = importlib.import_module("config.settings.production")
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SESSION_COOKIE_HTTPONLY and prod.CSRF_COOKIE_HTTPONLY
    assert prod.SESSION_COOKIE_SAMESITE == "Lax"
    assert prod.SESSION_COOKIE_NAME.startswith("__Host-") and prod.CSRF_COOKIE_NAME.startswith("__Host-")
    assert prod.SECURE_HSTS_SECONDS >= 31536000 and prod.SECURE_HSTS_INCLUDE_SUBDOMAINS and prod.SECURE_HSTS_PRELOAD
    assert prod.SECURE_SSL_REDIRECT and prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert prod.TRUSTED_PROXY_COUNT == 1
    assert prod.AXES_FAILURE_LIMIT == 5 and prod.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
