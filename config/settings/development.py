"""Local development (make run). Never used on a server."""

from config.env import env_str

from .base import *  # noqa: F403
from .base import BASE_DIR

ENVIRONMENT = "development"
DEBUG = True
SECRET_KEY = SECRET_KEY or "development-only-secret-key-not-for-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]  # noqa: F405
# A fixed, documented key for fictitious demo citizens only. Production refuses to start without CPR_KEY.
CPR_KEY = CPR_KEY or "development-only-cpr-key-for-fictitious-demo-citizens"  # noqa: F405
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend", doc="Django e-mail backend class"
)
EMAIL_FILE_PATH = BASE_DIR / ".data" / "run" / "mail"

# runserver serves static files itself.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
WEBHOOK_TILLAD_INTERNE = True  # receivers on 127.0.0.1 (tests, local development)
