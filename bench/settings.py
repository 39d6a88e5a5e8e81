"""Settings for ``make bench``: the development settings with DEBUG off and a bench-only URL.

DEBUG is off so Django does not keep every query in memory and templates are cached as in
production; a bench-only minimal view (``bench/urls.py``) is the baseline of the API load test.
Never used on a server: it keeps the development CPR key and secret.
"""

import os

from config.settings.development import *  # noqa: F403
from config.settings.development import BASE_DIR, LOGGING

ENVIRONMENT = "bench"
DEBUG = False
BENCH = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Generated files stay out of the developer's .data/media and outbox.
_BENCH_DIR = os.environ.get("BENCH_DIR", str(BASE_DIR / ".data" / "tmp" / "bench-files"))
MEDIA_ROOT = os.path.join(_BENCH_DIR, "media")
DIGITAL_POST_OUTBOX = os.path.join(_BENCH_DIR, "outbox")
LOGGING["root"]["level"] = "WARNING"
# The rate limiter stays on (its Redis round trip is part of every API request's cost) with a
# limit the load test cannot reach: the bench measures the application, not the limit.
API_RATE = "100000000/min"
