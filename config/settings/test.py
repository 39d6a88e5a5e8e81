"""Test suite (make test): real PostgreSQL and Redis, fast hashing, e-mail in memory."""

from .base import *  # noqa: F403

ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "test-secret-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
CPR_KEY = "test-cpr-key-0123456789abcdefghijklmnop"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Static files are served by the test client through finders; WhiteNoise is exercised in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
API_RATE = ""  # no limit in tests; tests/infra/test_api_rate.py turns it on
WEBHOOK_TILLAD_INTERNE = True  # receivers on 127.0.0.1 (tests, local development)
