"""Two callers change the same forløb at the same moment, over two real database connections.

Exactly one wins; the other is told why (wrong state, stale version, or the stored response of an
idempotent duplicate); the history, the deadlines and the audit trail show one change only.

These tests commit for real (``transaction=True``). The flush after each transactional test
removes the rule catalogue the migrations seeded, so a fixture seeds it again when it is missing
(``serialized_rollback`` cannot be used: it collides with the content types that post_migrate
recreates after an earlier transactional test's flush).
"""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from cases import services
from cases.models import Forloeb, Frist, Journalnotat, OvergangLog, Rolle, Sagsejerskab
from infra.models import AuditEntry, IdempotencyKey
from tests import factories
from tests.samtidighed import samtidigt

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/forloeb/"


@pytest.fixture
def aktiv(team, sagsbehandler):
    return factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=sagsbehandler)


def klient_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def en_effekt(fl, overgang: str = "start_forberedende_plan") -> None:
    assert OvergangLog.objects.filter(forloeb=fl).count() == 1
    assert AuditEntry.objects.filter(handling=f"forloeb.overgang.{overgang}", subject_id=str(fl.pk)).count() == 1
    assert Frist.objects.filter(forloeb=fl, art="servicemaal_afgoerelse").count() == 1
    assert Frist.objects.filter(forloeb=fl, art="servicemaal_afgoerelse", lukket_dato__isnull=True).count() == 1
    fl = Forloeb.objects.get(pk=fl.pk)
    assert (fl.tilstand, fl.version) == ("forberedende_plan", 2)


def _overgang(actor, fl, **kwargs):
    def kald():
        # Each caller loads its own copy, as two requests would.
        return services.forloeb_overgang(
            actor=actor, forloeb=Forloeb.objects.get(pk=fl.pk), overgang="start_forberedende_plan", data={}, **kwargs
        )

    return kald


def test_to_samtidige_overgange_en_lykkes_den_anden_faar_forkert_tilstand(aktiv, sagsbehandler, langsom_frist_motor):
    kollega = factories.medarbejder(aktiv.team)
    resultater = samtidigt(_overgang(sagsbehandler, aktiv), _overgang(kollega, aktiv))
    assert sorted(r[0] for r in resultater) == ["fejl", "ok"]
    (fejl,) = [r[1] for r in resultater if r[0] == "fejl"]
    assert isinstance(fejl, services.ForkertTilstand), fejl
    assert fejl.tilstand == "forberedende_plan"
    en_effekt(aktiv)


def test_samme_forventede_version_den_anden_faar_foraeldet_version(aktiv, sagsbehandler, langsom_frist_motor):
    kollega = factories.medarbejder(aktiv.team)
    resultater = samtidigt(
        _overgang(sagsbehandler, aktiv, expected_version=1), _overgang(kollega, aktiv, expected_version=1)
    )
    assert sorted(r[0] for r in resultater) == ["fejl", "ok"]
    (fejl,) = [r[1] for r in resultater if r[0] == "fejl"]
    assert isinstance(fejl, services.ForaeldetVersion), fejl
    en_effekt(aktiv)


def test_to_samtidige_api_kald_med_samme_if_match_giver_200_og_412(aktiv, sagsbehandler, langsom_frist_motor):
    a, b = klient_for(sagsbehandler), klient_for(factories.medarbejder(aktiv.team))
    etag = a.get(f"{URL}{aktiv.pk}/")["ETag"]
    url = f"{URL}{aktiv.pk}/overgange/start_forberedende_plan/"
    resultater = samtidigt(
        lambda: a.post(url, {}, format="json", HTTP_IF_MATCH=etag),
        lambda: b.post(url, {}, format="json", HTTP_IF_MATCH=etag),
    )
    assert all(r[0] == "ok" for r in resultater), resultater
    svar = sorted((r[1] for r in resultater), key=lambda r: r.status_code)
    assert [r.status_code for r in svar] == [200, 412]
    assert svar[1]["Content-Type"] == "application/problem+json"
    assert svar[1].json()["type"].endswith("foraeldet")
    en_effekt(aktiv)


def test_to_samtidige_api_kald_med_if_match_stjerne_giver_en_effekt(aktiv, sagsbehandler, langsom_frist_motor):
    """``If-Match: *`` means the version read when the request arrived; one call wins, the other is
    refused (stale version, or the state has moved on), and there is one effect."""
    a, b = klient_for(sagsbehandler), klient_for(factories.medarbejder(aktiv.team))
    url = f"{URL}{aktiv.pk}/overgange/start_forberedende_plan/"
    resultater = samtidigt(
        lambda: a.post(url, {}, format="json", HTTP_IF_MATCH="*"),
        lambda: b.post(url, {}, format="json", HTTP_IF_MATCH="*"),
    )
    svar = sorted((r[1] for r in resultater), key=lambda r: r.status_code)
    assert svar[0].status_code == 200 and svar[1].status_code in (409, 412), [r.content for r in svar]
    assert svar[1].json()["type"].endswith(("forkert-tilstand", "foraeldet"))
    en_effekt(aktiv)


def test_to_samtidige_api_kald_med_samme_etag_giver_200_og_412(aktiv, sagsbehandler, langsom_frist_motor):
    """Both callers saw the same version: the second finds it changed (no lost update)."""
    a, b = klient_for(sagsbehandler), klient_for(factories.medarbejder(aktiv.team))
    etag = a.get(f"{URL}{aktiv.pk}/")["ETag"]
    url = f"{URL}{aktiv.pk}/overgange/start_forberedende_plan/"
    resultater = samtidigt(
        lambda: a.post(url, {}, format="json", HTTP_IF_MATCH=etag),
        lambda: b.post(url, {}, format="json", HTTP_IF_MATCH=etag),
    )
    svar = sorted((r[1] for r in resultater), key=lambda r: r.status_code)
    assert [r.status_code for r in svar] == [200, 412], [r.content for r in svar]
    en_effekt(aktiv)


def test_samtidige_dubletter_med_samme_idempotency_key_giver_en_effekt(aktiv, sagsbehandler, langsom_frist_motor):
    a, b = klient_for(sagsbehandler), klient_for(sagsbehandler)
    url = f"{URL}{aktiv.pk}/overgange/start_forberedende_plan/"
    resultater = samtidigt(
        lambda: a.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="dublet-1", HTTP_IF_MATCH="*"),
        lambda: b.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="dublet-1", HTTP_IF_MATCH="*"),
    )
    assert all(r[0] == "ok" for r in resultater), resultater
    svar = [r[1] for r in resultater]
    assert [r.status_code for r in svar] == [200, 200], [r.content for r in svar]
    assert sorted(r.get("Idempotent-Replay", "") for r in svar) == ["", "true"]
    assert svar[0].json() == svar[1].json()
    assert IdempotencyKey.objects.count() == 1
    en_effekt(aktiv)


def test_samtidige_journalnotater_med_samme_noegle_giver_et_notat(aktiv, sagsbehandler):
    a, b = klient_for(sagsbehandler), klient_for(sagsbehandler)
    data = {"forloeb": str(aktiv.pk), "type": "telefon", "overskrift": "Opkald", "tekst": "Borgeren ringede."}
    resultater = samtidigt(
        lambda: a.post("/api/v1/journalnotater/", data, format="json", HTTP_IDEMPOTENCY_KEY="notat-1"),
        lambda: b.post("/api/v1/journalnotater/", data, format="json", HTTP_IDEMPOTENCY_KEY="notat-1"),
    )
    assert [r[1].status_code for r in resultater] == [201, 201], resultater
    assert resultater[0][1].json()["id"] == resultater[1][1].json()["id"]
    assert Journalnotat.objects.filter(forloeb=aktiv).count() == 1


def test_to_samtidige_oprettelser_for_samme_borger_giver_et_forloeb(borger, sagsbehandler):
    kollega = factories.medarbejder(borger.team)

    def opret(actor):
        return lambda: services.forloeb_opret(actor=actor, borger=borger)

    resultater = samtidigt(opret(sagsbehandler), opret(kollega))
    assert sorted(r[0] for r in resultater) == ["fejl", "ok"]
    (fejl,) = [r[1] for r in resultater if r[0] == "fejl"]
    assert isinstance(fejl, ValidationError)
    assert fejl.message_dict == {"borger": ["Borgeren har allerede et åbent forløb."]}
    assert Forloeb.objects.filter(borger=borger).count() == 1
    assert AuditEntry.objects.filter(handling="forloeb.opret").count() == 1


def test_samtidig_omfordeling_med_samme_if_match_giver_en_vinder_og_412(monkeypatch, aktiv, team, sagsbehandler):
    """Two team leaders reassign the same case from the same ETag: the second must get 412, not
    silently overwrite the first (a lost update, and a handover note to someone who never got the case)."""
    ledere = [factories.medarbejder(team, Rolle.TEAMLEDER) for _ in range(2)]
    nye = [factories.medarbejder(team) for _ in range(2)]
    a, b = klient_for(ledere[0]), klient_for(ledere[1])
    etag = a.get(f"{URL}{aktiv.pk}/")["ETag"]
    original = services.forloeb_tildel

    def langsom(**kwargs):
        time.sleep(0.3)  # both requests have checked If-Match before either commits
        return original(**kwargs)

    monkeypatch.setattr(services, "forloeb_tildel", langsom)
    url = f"{URL}{aktiv.pk}/tildel/"
    resultater = samtidigt(
        lambda: a.post(url, {"sagsbehandler": nye[0].pk, "overdragelsesnotat": "Til A"}, format="json",
                       HTTP_IF_MATCH=etag),
        lambda: b.post(url, {"sagsbehandler": nye[1].pk, "overdragelsesnotat": "Til B"}, format="json",
                       HTTP_IF_MATCH=etag),
    )  # fmt: skip
    assert all(r[0] == "ok" for r in resultater), resultater
    assert sorted(r[1].status_code for r in resultater) == [200, 412]
    assert Sagsejerskab.objects.filter(forloeb=aktiv).count() == 2
    assert AuditEntry.objects.filter(handling="forloeb.tildel").count() == 1
    assert Forloeb.objects.get(pk=aktiv.pk).version == 2
