"""``manage.py cpr_rotate``: after a key change every CPR is re-encrypted and findable again."""

import io

import pytest
from django.core.management import CommandError, call_command

from cases.models import Borger
from cases.selectors import borger_soeg
from infra import cpr as cprlib
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

GAMMEL = "test-cpr-key-0123456789abcdefghijklmnop"
NY = "ny-noegle-efter-rotation-0123456789-abcdefghij"


def koer(*args) -> str:
    out = io.StringIO()
    call_command("cpr_rotate", *args, stdout=out)
    return out.getvalue()


def test_rotation_genkrypterer_og_genberegner_hash(settings, team, sagsbehandler):
    settings.CPR_KEY = GAMMEL
    cprs = [factories.fiktivt_cpr() for _ in range(3)]
    for c in cprs:
        factories.borger(team, actor=sagsbehandler, cpr=c)
    foer = dict(Borger.objects.values_list("pk", "cpr_krypteret"))

    # The new key is deployed; the old one is still accepted for decryption.
    settings.CPR_KEY, settings.CPR_KEYS_PREVIOUS = NY, [GAMMEL]
    assert not borger_soeg(sagsbehandler, cprs[0]).exists()  # the lookup hash is stale until rotation
    with pytest.raises(CommandError, match="før den gamle nøgle fjernes"):
        koer("--check")

    out = koer("--batch", "2")
    assert "3 af 3 borgere genkrypteret" in out
    assert not any(c in out for c in cprs)
    efter = dict(Borger.objects.values_list("pk", "cpr_krypteret"))
    assert all(efter[pk] != foer[pk] for pk in foer)
    for c in cprs:
        assert borger_soeg(sagsbehandler, c).count() == 1

    # The old key can go: everything decrypts with the new key alone.
    settings.CPR_KEYS_PREVIOUS = []
    assert sorted(cprlib.decrypt(t) for t in efter.values()) == sorted(cprs)
    assert "0 af 3 borgere mangler rotation" in koer("--check")
    assert "0 af 3 borgere genkrypteret" in koer()  # idempotent
    rows = AuditEntry.objects.filter(handling="cpr.noegle_rotation")
    assert rows.count() == 2 and sum(r.efter["antal"] for r in rows) == 3  # one row per batch


def test_rotation_uden_den_gamle_noegle_stopper_med_klar_fejl(settings, team, sagsbehandler):
    settings.CPR_KEY = GAMMEL
    factories.borger(team, actor=sagsbehandler)
    settings.CPR_KEY, settings.CPR_KEYS_PREVIOUS = NY, []
    with pytest.raises(CommandError, match="kan ikke dekrypteres"):
        koer()
