"""Production refuses to start without secret key, allowed hosts, a real database and the CPR key."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from infra.checks import production_config_errors, refuse_bad_production_config

GOOD = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": ["sagsforloeb.kommune.dk"],
    "DATABASE_URL": "postgres://u:p@db.kommune.dk:5432/sf",
    "CPR_KEY": "k" * 40,
    "REDIS_URL": "redis://redis.kommune.dk:6379/0",
}


@pytest.fixture
def prod(settings):
    for key, value in GOOD.items():
        setattr(settings, key, value)
    return settings


def ids(errors):
    return {e.id for e in errors}


def test_god_produktionskonfiguration_godkendes(prod):
    assert production_config_errors() == []
    refuse_bad_production_config()


@pytest.mark.parametrize(
    ("setting", "value", "error"),
    [
        ("SECRET_KEY", "", "sagsforloeb.E001"),
        ("SECRET_KEY", "development-only-secret-key-not-for-production", "sagsforloeb.E001"),
        ("ALLOWED_HOSTS", [], "sagsforloeb.E002"),
        ("ALLOWED_HOSTS", ["*"], "sagsforloeb.E002"),
        ("DATABASE_URL", "", "sagsforloeb.E003"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:54329/sagsforloeb", "sagsforloeb.E003"),
        ("CPR_KEY", "", "sagsforloeb.E004"),
        ("CPR_KEY", "for-kort", "sagsforloeb.E004"),
        ("REDIS_URL", "redis://127.0.0.1:63799/0", "sagsforloeb.E005"),
    ],
)
def test_mangelfuld_konfiguration_stopper_opstart(prod, setting, value, error):
    setattr(prod, setting, value)
    assert error in ids(production_config_errors())
    with pytest.raises(ImproperlyConfigured):
        refuse_bad_production_config()


def test_udvikling_og_test_kontrolleres_ikke(settings):
    settings.ENVIRONMENT = "development"
    settings.SECRET_KEY = ""
    assert production_config_errors() == []


def test_cpr_noegle_mangler_giver_klar_fejl(settings):
    from infra import cpr as cprlib

    settings.CPR_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="CPR_KEY"):
        cprlib.encrypt(cprlib.parse("0101701234"))
