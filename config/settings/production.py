"""Production: everything comes from the environment; the system check refuses a bad configuration."""

from config.env import env_bool, env_int

from .base import *  # noqa: F403

ENVIRONMENT = "production"
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True, doc="Redirect http to https (production)")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, doc="HSTS max-age in seconds (production)")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies: only over https, only for this exact host (no Domain), path "/".
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# One reverse proxy terminates TLS in front of gunicorn (README); login throttling keys on the
# address it appends to X-Forwarded-For, never on what the client sent.
TRUSTED_PROXY_COUNT = 1
STORAGES = {
    **STORAGES,  # noqa: F405 - files in PostgreSQL (base)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
