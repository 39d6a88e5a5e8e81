"""System checks: production refuses to start with a configuration that would be unsafe."""

import json
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

CONFIG_TAG = "sagsforloeb_config"
_PLACEHOLDERS = ("development-only", "test-", "change-me", "changeme")


def production_config_errors() -> list[Error]:
    if getattr(settings, "ENVIRONMENT", "") != "production":
        return []
    errors = []
    try:
        secret = settings.SECRET_KEY or ""
    except ImproperlyConfigured:  # Django refuses an empty key outright; report it in our words
        secret = ""
    if len(secret) < 50 or secret.startswith(_PLACEHOLDERS) or secret.startswith("django-insecure"):
        errors.append(
            Error(
                "SECRET_KEY mangler eller er for svag (mindst 50 tegn).",
                hint="Sæt miljøvariablen SECRET_KEY.",
                id="sagsforloeb.E001",
            )
        )
    if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS mangler (eller er '*').",
                hint="Sæt ALLOWED_HOSTS til serverens værtsnavne, kommasepareret.",
                id="sagsforloeb.E002",
            )
        )
    db = settings.DATABASES["default"]
    url = urlparse(settings.DATABASE_URL or "")
    if db.get("ENGINE") != "django.db.backends.postgresql" or not settings.DATABASE_URL or url.port == 54329:
        errors.append(
            Error(
                "DATABASE_URL skal pege på en rigtig PostgreSQL-server.",
                hint="Sæt DATABASE_URL=postgres://bruger:kode@vaert:5432/db.",
                id="sagsforloeb.E003",
            )
        )
    key = settings.CPR_KEY or ""
    if len(key) < 32 or key.startswith(_PLACEHOLDERS):
        errors.append(
            Error(
                "CPR_KEY mangler eller er for kort (mindst 32 tegn).",
                hint="Sæt CPR_KEY til en hemmelig nøgle; den krypterer CPR-numre.",
                id="sagsforloeb.E004",
            )
        )
    if not settings.REDIS_URL or urlparse(settings.REDIS_URL).port == 63799:
        errors.append(
            Error(
                "REDIS_URL skal pege på en rigtig Redis-server.",
                hint="Sæt REDIS_URL=redis://vaert:6379/0.",
                id="sagsforloeb.E005",
            )
        )
    if getattr(settings, "OIDC_ENABLED", False):
        try:
            mapping_ok = isinstance(json.loads(settings.OIDC_CLAIM_MAPPING or "{}"), dict)
        except ValueError:
            mapping_ok = False
        if not (
            settings.OIDC_ISSUER.startswith("https://")
            and settings.OIDC_RP_CLIENT_ID
            and settings.OIDC_RP_CLIENT_SECRET
            and mapping_ok
        ):
            errors.append(
                Error(
                    "Single sign-on (OIDC_ENABLED) mangler OIDC_ISSUER (https), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET "
                    "eller har en ugyldig OIDC_CLAIM_MAPPING (JSON-objekt).",
                    hint="Se docs/deployment.md, afsnittet om login.",
                    id="sagsforloeb.E006",
                )
            )
    return errors


@register(Tags.security, CONFIG_TAG, deploy=False)
def check_production_config(app_configs, **kwargs):
    return production_config_errors()


def refuse_bad_production_config() -> None:
    """Called at WSGI and worker start-up: system checks alone do not run under gunicorn."""
    errors = production_config_errors()
    if errors:
        raise ImproperlyConfigured("; ".join(e.msg for e in errors))
