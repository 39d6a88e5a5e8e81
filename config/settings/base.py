"""Settings shared by every environment. Values come from the environment via config.env."""

import datetime as dt
import re
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from kombu import Queue

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
    "infra.replika.ReplikaMiddleware",  # which reads may use the read replica (after URL resolution)
    "cases.sso.SsoGenbekraeft",  # SSO sessions: a silent re-check at the IdP every OIDC_RECHECK_SECONDS
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
                "infra.replika.kontekst",
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
# PgBouncer in transaction pooling mode (docs/deployment.md): a server connection belongs to a client
# only for one transaction, so nothing may live longer than that on it: no server-side (named)
# cursors and no prepared statements. Session-level SET, advisory locks and LISTEN are not used by the
# product (tests/deployment/test_pgbouncer.py checks the code and runs a part of the suite through it).
PGBOUNCER = env_bool(
    "PGBOUNCER", False, doc="DATABASE_URL (and DATABASE_REPLICA_URL) point at PgBouncer in transaction pooling mode"
)
DATABASE_REPLICA_URL = env_str(
    "DATABASE_REPLICA_URL", "", doc="Read replica (streaming standby) for lag-tolerant reads: dashboard, lists, exports"
)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# A hung database must not hold a web worker (docs/faults.md §5): a connection attempt gives up after
# DATABASE_CONNECT_TIMEOUT, a statement after DATABASE_STATEMENT_TIMEOUT, a lock wait after
# DATABASE_LOCK_TIMEOUT (milliseconds); the API answers 503 problem+json. Through PgBouncer the two
# server settings are set on the application role instead (docs/security.md §7, ALTER ROLE ... SET).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5, doc="Seconds to wait for a database connection")
DATABASE_STATEMENT_TIMEOUT = env_int(
    "DATABASE_STATEMENT_TIMEOUT", 60000, doc="Milliseconds a statement may run (0: no limit; not via PgBouncer)"
)
DATABASE_LOCK_TIMEOUT = env_int(
    "DATABASE_LOCK_TIMEOUT", 20000, doc="Milliseconds a statement may wait for a lock (0: no limit; not via PgBouncer)"
)
for _db in DATABASES.values():
    _db.setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    if PGBOUNCER:
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
        _db["OPTIONS"]["prepare_threshold"] = None  # psycopg: never prepare a statement
    else:
        _db["OPTIONS"]["options"] = (
            f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT} -c lock_timeout={DATABASE_LOCK_TIMEOUT}"
        )
DATABASE_ROUTERS = ["infra.replika.ReplikaRouter"]
REPLICA_MAX_LAG = env_int(
    "REPLICA_MAX_LAG", 30, doc="Seconds the replica may lag before its reads go to the primary (default 30)"
)
#: The pages whose reads may come from the replica (infra/replika.py): GET only, not after the
#: browser's own write. Lag-tolerant overviews; never a page a caseworker edits from.
REPLIKA_VISNINGER = [
    "dashboard:dashboard",
    "dashboard:dashboard_sager",
    "dashboard:dashboard_csv",
    "cases:mine_sager",
    "decisions:klager",
    "flexjob:aftaler",
]
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
    "cases.sso.LokalAdgangskodeBackend",  # passwords: all in development or without SSO, else break-glass only
    "cases.sso.SsoBackend",  # OpenID Connect (when OIDC_ENABLED)
]
LOGIN_URL = "login"

# --- Staff single sign-on: OpenID Connect (cases/sso.py, docs/deployment.md "Staff login") ----------
OIDC_ENABLED = env_bool("OIDC_ENABLED", False, doc="Staff log in through the municipality's OpenID Connect IdP")
OIDC_ISSUER = env_str("OIDC_ISSUER", "", doc="The IdP's issuer URL; its endpoints come from issuer/.well-known/...")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "", doc="Client id registered at the IdP (the ID token's audience)")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "", doc="Client secret registered at the IdP")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile", doc="Scopes requested at login")
OIDC_CLAIM_MAPPING = env_str(
    "OIDC_CLAIM_MAPPING", "{}", doc="JSON: which claims give user name, municipality, role and teams (cases/sso.py)"
)
OIDC_BREAK_GLASS_USERS = env_list(
    "OIDC_BREAK_GLASS_USERS", [], doc="With SSO on: the only user names that may still log in with a password"
)
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env_int(
    "OIDC_RECHECK_SECONDS", 900, doc="Seconds between silent re-checks of an SSO session at the IdP (prompt=none)"
)
OIDC_LEEWAY = env_int("OIDC_LEEWAY", 60, doc="Seconds of clock skew allowed on the ID token's exp and iat")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic at the token endpoint
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATE_CLASS = "cases.sso.SsoLoginView"
OIDC_CALLBACK_CLASS = "cases.sso.SsoCallbackView"
OIDC_EXEMPT_URLS = [re.compile(r"^/(api|static)/")]  # never redirected to the IdP (API clients, assets)
LOGIN_REDIRECT_URL = "cases:mine_sager"  # after login: the caseworker's own cases
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
# docs/deployment.md "Workers": one queue per workload, so a burst of one (a thousand PDFs after a
# batch of decisions, a receiver that is down) cannot starve another (the deadline sweep). A worker
# started without -Q consumes every queue (make run, small installations); larger ones run a worker
# group per queue: celery -A config worker -Q pdf.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = "celery"
KOEER = {
    "celery": "side effects of a transition (notification, webhook rows), health ping",
    "pdf": "rendering issued decisions and letters (WeasyPrint, CPU-bound)",
    "webhooks": "outgoing HTTP that may wait on timeouts: webhook deliveries, Digital Post, and their sweeps",
    "sweep": "the deadline sweep, warnings, escalations and notification e-mails",
    "batch": "long jobs: the nightly retention job (and exports, should one move off the web nodes)",
}
CELERY_TASK_QUEUES = [Queue(navn, routing_key=navn) for navn in KOEER]
CELERY_TASK_ROUTES = {
    "decisions.render_pdf": {"queue": "pdf"},
    "cases.lever_webhook": {"queue": "webhooks"},
    "cases.webhook_sweep": {"queue": "webhooks"},
    "decisions.digitalpost_send": {"queue": "webhooks"},
    "decisions.digitalpost_sweep": {"queue": "webhooks"},
    "cases.frist_sweep": {"queue": "sweep"},
    "cases.send_notifikationsmails": {"queue": "sweep"},
    "cases.retention": {"queue": "batch"},
    "cases.cpr_register_opdatering": {"queue": "batch"},
}
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again (every task is idempotent)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker reserves one task at a time: nothing waits behind a slow one
CELERY_TASK_TIME_LIMIT = 300  # hard limit per task (seconds); the worker process is replaced
CELERY_TASK_SOFT_TIME_LIMIT = 270  # SoftTimeLimitExceeded first: the transaction rolls back cleanly
# The retention job may delete many citizens; it stays well under the broker's visibility timeout
# (3600 s), after which Redis would hand an unacknowledged task to another worker.
CELERY_TASK_ANNOTATIONS = {"cases.retention": {"time_limit": 3000, "soft_time_limit": 2900}}
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200  # WeasyPrint's memory is returned now and then
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A hung Redis (SIGSTOP, a full network buffer) must not hold a process for minutes: every broker and
# result-backend socket operation has a timeout (docs/faults.md §3). Requests never publish directly:
# they write the transactional outbox (infra/udbakke.py), kicked after commit with 0.5 s timeouts.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
    "socket_keepalive": True,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 2.0}}
UDBAKKE_SKUB_TIMEOUT = 0.5  # seconds per socket operation of the after-commit kick (one attempt)
UDBAKKE_RELAY_SEKUNDER = 15  # beat interval of the relay that sends what the kick could not
UDBAKKE_BEHOLD_DAGE = 7  # sent outbox rows are kept this long (diagnostics), then deleted
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
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "cases.api.auth.HarScope",
        "infra.api.etag.IfMatchPaakraevet",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["infra.api.parsers.JsonParser"],
    "DEFAULT_SCHEMA_CLASS": "infra.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "infra.api.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["infra.api.filters.FilterBackend"],
    "EXCEPTION_HANDLER": "infra.api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["infra.api.throttling.KlientRate"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_RATE = env_str("API_RATE", "6000/min", doc="Requests per API client or user (n/s, n/min, n/hour); empty: no limit")
API_TOKEN_CACHE_SEKUNDER = env_int(
    "API_TOKEN_CACHE_SEKUNDER", 30,
    doc="How long a verified API token is remembered in the shared cache (seconds; 0: look it up every request)",
)  # fmt: skip
# Both caches live in Redis, so every web node shares them (docs/deployment.md: nothing node-local):
# "default" (e.g. the dashboard's phase times; a miss when Redis is down) and the rate limiter's counters.
CACHES = {
    "default": {
        "BACKEND": "infra.cache.DeltRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cache",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    "throttle": {
        "BACKEND": "infra.cache.RedisCache",
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
        "infra.api.schema.tilfoej_links",
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
    "udbakke-relay": {"task": "infra.udbakke_relay", "schedule": UDBAKKE_RELAY_SEKUNDER},  # drain the outbox
    "retention": {"task": "cases.retention", "schedule": crontab(hour=2, minute=30)},  # nightly deletion job
    # nightly: CPR register facts of citizens with open forløb (cases/services/register.py)
    "cpr-register": {"task": "cases.cpr_register_opdatering", "schedule": crontab(hour=3, minute=15)},
    # Digital Post: send what is ordered but stranded, fetch receipts (decisions/forsendelse.py)
    "digitalpost-sweep": {"task": "decisions.digitalpost_sweep", "schedule": 5 * 60},
}

# --- Webhooks (webhooks/services.py) ------------------------------------------------------------
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
# Every file the product writes (issued PDFs, attachments, appeal packages, the local Digital Post
# outbox) goes through Django's storage API to PostgreSQL (infra/storage.py), which every web and
# worker node shares: no node keeps a file of its own (docs/deployment.md).
STORAGES = {
    "default": {"BACKEND": "infra.storage.PostgresStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/ikke-offentlig/"  # never routed: documents are served only through views that check access
DIGITAL_POST_ADAPTER = env_str(
    "DIGITAL_POST_ADAPTER", "decisions.digitalpost.LokalOutbox", doc="Class that delivers Digital Post"
)
DIGITAL_POST_URL = env_str(
    "DIGITAL_POST_URL", "", doc="Digital Post endpoint (MeMo over HTTPS; make run/test: the local simulator)"
)
DIGITAL_POST_CERT = env_str("DIGITAL_POST_CERT", "", doc="Client certificate (PEM) for Digital Post")
DIGITAL_POST_KEY = env_str("DIGITAL_POST_KEY", "", doc="Private key (PEM) of the Digital Post client certificate")
DIGITAL_POST_CA = env_str("DIGITAL_POST_CA", "", doc="CA bundle (PEM) that signs the Digital Post endpoint")
DIGITAL_POST_TIMEOUT = float(
    env_str("DIGITAL_POST_TIMEOUT", "10", doc="Seconds per Digital Post request before it counts as failed")
)
DIGITAL_POST_AFSENDER_CVR = env_str(
    "DIGITAL_POST_SENDER_CVR", "29189846", doc="Sender id (CVR) in MeMo messages; the municipality's own"
)
DIGITAL_POST_MAX_FORSOEG = 8  # sending attempts (timeouts, 5xx) before the letter goes by physical post

# --- CPR register (cases/cprregister.py; docs/integrations.md) --------------------------------
CPR_REGISTER_ADAPTER = env_str(
    "CPR_REGISTER_ADAPTER", "cases.cprregister.HttpCprRegister", doc="Class that looks people up in the CPR register"
)
CPR_REGISTER_URL = env_str(
    "CPR_REGISTER_URL", "", doc="CPR register endpoint (make run/test: the local simulator); empty: no look-ups"
)
CPR_REGISTER_CERT = env_str("CPR_REGISTER_CERT", "", doc="Client certificate (PEM) for the CPR register")
CPR_REGISTER_KEY = env_str("CPR_REGISTER_KEY", "", doc="Private key (PEM) of the CPR register client certificate")
CPR_REGISTER_CA = env_str("CPR_REGISTER_CA", "", doc="CA bundle (PEM) that signs the CPR register endpoint")
CPR_REGISTER_TIMEOUT = float(
    env_str("CPR_REGISTER_TIMEOUT", "5", doc="Seconds a CPR look-up may take before the register counts as unavailable")
)
