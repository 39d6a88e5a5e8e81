"""Settings shared by every environment. Values come from the environment via config.env."""

import datetime as dt
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

#: Which environment module is active; the production system check keys on it.
ENVIRONMENT = "base"

SECRET_KEY = env_str("SECRET_KEY", "", doc="Django secret key (required in production)")
DEBUG = False  # development.py turns it on; never from the environment in production
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [], doc="Comma-separated host names the site answers to")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [], doc="Comma-separated origins (https://...) for CSRF")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "axes",
    "csp",
    # Ours, lowest layer first (docs/architecture.md): infra <- cases <- decisions, webhooks <- rehab,
    # flexjob <- dashboard, demo.
    "infra",
    "cases",
    "decisions",
    "webhooks",
    "rehab",
    "flexjob",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "infra.middleware.ContentSecurityPolicyMiddleware",
    "infra.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the Danish 429 page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.organisation",
            ],
        },
    },
]

DATABASE_URL = env_str(
    "DATABASE_URL",
    "postgres://postgres@127.0.0.1:54329/sagsforloeb",
    doc="PostgreSQL URL; unset under make run/test, which start an embedded server",
)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:63799/0", doc="Redis URL for Celery broker and results")

AUTH_USER_MODEL = "cases.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "infra.middleware.LoginThrottleBackend",  # django-axes: refuses a locked-out login before the password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:borger_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, doc="Session lifetime in seconds (default 8 h)")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Login throttling (django-axes) ----------------------------------------------------------
# Five wrong passwords for one username from one address lock that combination for 15 minutes;
# a correct login resets the count. Locked-out attempts get templates/registration/laast.html (429).
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/laast.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "infra.middleware.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password"]
TRUSTED_PROXY_COUNT = 0  # reverse proxies in front of the app that append to X-Forwarded-For

# --- Content Security Policy (django-csp 4) --------------------------------------------------
# Strict in every environment, so a test renders a page exactly as a browser would enforce it.
# No inline script or style anywhere; JS and CSS come from /static/ only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Citizen data protection ---------------------------------------------------------------
CPR_KEY = env_str(
    "CPR_KEY",
    "",
    doc="Secret (32+ chars) from which the CPR encryption and lookup-hash keys are derived (required)",
)
CPR_KEYS_PREVIOUS = env_list(
    "CPR_KEYS_PREVIOUS", [], doc="Earlier CPR keys still accepted for decryption during key rotation"
)

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend", doc="Django e-mail backend class"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost", doc="SMTP host")
EMAIL_PORT = env_int("EMAIL_PORT", 25, doc="SMTP port")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "", doc="SMTP user")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "", doc="SMTP password")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False, doc="SMTP STARTTLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sagsforloeb@kommune.invalid", doc="Sender of e-mails")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cases.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "cases.api.auth.HarScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "infra.api.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["infra.api.filters.FilterBackend"],
    "EXCEPTION_HANDLER": "infra.api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["infra.api.throttling.KlientRate"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_RATE = env_str("API_RATE", "6000/min", doc="Requests per API client or user (n/s, n/min, n/hour); empty: no limit")
# The rate limiter's counters live in Redis (a separate database number) so all web workers share them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "throttle",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sagsforløb API",
    "DESCRIPTION": "REST API for jobcentrets sagsforløb: borgere, forløb, frister og afgørelser.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "infra.api.schema.tilfoej_fejlsvar",
    ],
    # Choice sets shared by several fields, or whose field name ("type", "status") other models use too.
    "ENUM_NAME_OVERRIDES": {
        "TjekSvarEnum": "rehab.models.TjekSvar",
        "BilagTypeEnum": "rehab.models.BilagType",
        "BookingStatusEnum": "rehab.models.BookingStatus",
        "PartshoeringStatusEnum": "rehab.models.PartshoeringStatus",
        "DokumentTypeEnum": "decisions.models.DokumentType",
        "DokumentStatusEnum": "decisions.models.DokumentStatus",
        "ForsendelseKanalEnum": "decisions.models.Kanal",
        "WebhookHaendelseEnum": "webhooks.models.HaendelseType",
        "WebhookLeveringStatusEnum": "webhooks.models.LeveringStatus",
        "AftaleTypeEnum": "flexjob.models.AftaleType",
        "AftaleStatusEnum": "flexjob.models.AftaleStatus",
        "AnsaettelseKildeEnum": "flexjob.models.AnsaettelseKilde",
        "SundhedsKildeEnum": "rehab.models.SundhedsKilde",
        "KompVurderingEnum": "rehab.models.KompVurdering",
        "ProgressionMuligEnum": "rehab.models.ProgressionMulig",
        "SvarValgEnum": "decisions.models.SvarValg",
        "TilbudSvarEnum": "cases.models.TilbudSvar",
        "TilbudTypeEnum": "cases.models.TilbudType",
        "BevillingTypeEnum": "flexjob.models.BevillingType",
        "VaerktoejEnum": "flexjob.models.Vaerktoej",
    },
}

# --- Logging: CPR numbers are masked in every log line, whatever logs them -----------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO", doc="Root log level")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_cpr": {"()": "infra.logging.CprMaskingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_cpr"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # At DEBUG django.template logs every failed variable lookup WITH the whole template
        # context - which holds the full CPR on the "vis CPR" page. Never below INFO.
        "django.template": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Product settings -------------------------------------------------------------------------
DEMO_PASSWORD = "demo-sagsforloeb"  # used only when DEBUG is on; see README

# Swagger UI assets are served from the installed sidecar package, never from a CDN.
INSTALLED_APPS.append("drf_spectacular_sidecar")
SPECTACULAR_SETTINGS |= {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CELERY_BEAT_SCHEDULE = {
    "frist-sweep": {"task": "cases.frist_sweep", "schedule": 15 * 60},  # every 15 minutes; idempotent
    "webhook-sweep": {"task": "cases.webhook_sweep", "schedule": 10 * 60},  # re-queue stranded deliveries
    "retention": {"task": "cases.retention", "schedule": crontab(hour=2, minute=30)},  # nightly deletion job
}

# --- Webhooks (cases/webhooks.py) ------------------------------------------------------------
WEBHOOK_MAX_FORSOEG = 8  # attempts before a delivery is marked fejlet (it can be replayed)
WEBHOOK_BACKOFF_SEKUNDER = 30.0  # countdown before retry n = base × 2^(n-1): 30 s … ~1 h
WEBHOOK_TIMEOUT_SEKUNDER = 5.0  # per HTTP request to the receiver
WEBHOOK_TILLAD_INTERNE = env_bool(
    "WEBHOOK_ALLOW_INTERNAL", False, doc="Allow webhook receivers on http and internal addresses (development only)"
)

# --- Retention (cases/retention.py; docs/security.md §5) ------------------------------------
RETENTION_YEARS = env_int(
    "RETENTION_YEARS", 5, doc="Years without activity, with nothing open, before a citizen and their case are deleted"
)
AUDIT_RETENTION_YEARS = env_int("AUDIT_RETENTION_YEARS", 5, doc="Years the audit log (access log) is kept")
IDEMPOTENCY_RETENTION_DAYS = env_int(
    "IDEMPOTENCY_RETENTION_DAYS", 30, doc="Days an API Idempotency-Key is remembered (and its response kept)"
)
WEBHOOK_RETENTION_DAYS = env_int(
    "WEBHOOK_RETENTION_DAYS", 90, doc="Days a delivered or failed webhook delivery (with its payload) is kept"
)

# --- Documents -------------------------------------------------------------------------------
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media"), doc="Directory for PDFs and attachments")
MEDIA_URL = "/ikke-offentlig/"  # documents are served only through views that check access
DIGITAL_POST_ADAPTER = env_str(
    "DIGITAL_POST_ADAPTER", "decisions.digitalpost.LokalOutbox", doc="Class that delivers Digital Post"
)
DIGITAL_POST_OUTBOX = env_str(
    "DIGITAL_POST_OUTBOX", str(BASE_DIR / ".data" / "outbox"), doc="Directory of the local Digital Post outbox"
)
