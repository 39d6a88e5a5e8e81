"""Settings for ``make bench``: the development settings with DEBUG off and a bench-only URL.

DEBUG is off so Django does not keep every query in memory and templates are cached as in
production; a bench-only minimal view (``bench/urls.py``) is the baseline of the API load test.
Never used on a server: it keeps the development CPR key and secret.
"""

from config.settings.development import *  # noqa: F403
from config.settings.development import LOGGING

ENVIRONMENT = "bench"
DEBUG = False
BENCH = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Files go to the bench's own (throw-away) PostgreSQL, like in production (infra/storage.py).
LOGGING["root"]["level"] = "WARNING"
# The rate limiter stays on (its Redis round trip is part of every API request's cost) with a
# limit the load test cannot reach: the bench measures the application, not the limit.
API_RATE = "100000000/min"
