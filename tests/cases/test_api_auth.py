"""API clients: created by ``manage.py opret_api_klient``, calling with ``Authorization: Bearer <token>``.

A client acts for one municipality with the scopes it was given; the token is shown once and
stored only as a hash; everything it reads or changes is audited as ``api_client``.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from cases.api.auth import hash_token
from cases.models import ApiKlient, Forloeb, OvergangLog
from infra.models import ActorType, AuditEntry
from tests import factories

URL = "/api/v1/forloeb/"
KOMMANDO = "manage.py opret_api_klient"


def problem(response, status, slug=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    if slug is not None:
        assert body["type"] == f"https://sagsforloeb.dk/problemer/{slug}"
    return body


def opret_klient(kommunekode: str, *scopes: str, navn: str = "Vitas-test") -> tuple[str, str]:
    """Run the management command; return (stdout, token)."""
    out = io.StringIO()
    args = ["--navn", navn, "--kommunekode", kommunekode]
    for s in scopes:
        args += ["--scope", s]
    call_command("opret_api_klient", *args, stdout=out)
    output = out.getvalue()
    match = re.search(r"^Token: (\S+)$", output, re.MULTILINE)
    assert match, output
    return output, match.group(1)


def bearer(token: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return c


@pytest.fixture
def kommunekode(team):
    return team.jobcenter.kommune.kommunekode


@pytest.fixture
def forloeb(team):
    return factories.forloeb_i("aktivitetsparat", team=team)


# ---------------------------------------------------------------------------------------------
# The management command
# ---------------------------------------------------------------------------------------------
def test_kommandoen_viser_token_en_gang_og_gemmer_kun_hash(team, kommunekode):
    output, token = opret_klient(kommunekode, "forloeb:read", "forloeb:write", "forloeb:read")
    assert "kan ikke vises igen" in output
    klient = ApiKlient.objects.get()
    assert klient.kommune == team.jobcenter.kommune
    assert klient.scopes == ["forloeb:read", "forloeb:write"]
    assert klient.aktiv
    assert klient.token_hash == hash_token(token) != token
    assert klient.token_prefix == token[:8]
    assert len(token) >= 32
    assert str(klient.pk) in output
    # The token is nowhere in the database: not in the client row, not in the audit trail.
    entry = AuditEntry.objects.get(handling="api_klient.opret")
    assert token not in str(entry.efter) and token not in str(ApiKlient.objects.values().get())
    assert entry.actor_type == ActorType.SYSTEM
    assert entry.actor_navn == KOMMANDO
    assert entry.kommune_id == team.jobcenter.kommune_id
    assert entry.subject_id == str(klient.pk)
    assert entry.efter["scopes"] == ["forloeb:read", "forloeb:write"]


def test_to_klienter_faar_forskellige_tokens(kommunekode):
    _, a = opret_klient(kommunekode, "forloeb:read", navn="A")
    _, b = opret_klient(kommunekode, "forloeb:read", navn="B")
    assert a != b
    assert ApiKlient.objects.count() == 2


@pytest.mark.parametrize(
    ("args", "besked"),
    [
        (["--navn", "X", "--kommunekode", "000", "--scope", "forloeb:read"], "Ukendt kommunekode"),
        (["--navn", "X", "--kommunekode", "{kode}", "--scope", "forloeb:slet"], "Ukendt scope: 'forloeb:slet'"),
        (["--navn", "X", "--kommunekode", "{kode}"], "Angiv mindst én rettighed"),
        (["--kommunekode", "{kode}", "--scope", "forloeb:read"], "Angiv klientens navn"),
        (["--deaktiver", "ikke-et-uuid"], "UUID"),
        (["--deaktiver", "6f1c2a4e-0000-4000-8000-000000000000"], "Ingen API-klient"),
    ],
)
def test_kommandoen_afviser_ukendt_kommune_og_scope_paa_dansk(kommunekode, args, besked):
    with pytest.raises(CommandError, match=re.escape(besked)):
        call_command("opret_api_klient", *[a.format(kode=kommunekode) for a in args], stdout=io.StringIO())
    assert not ApiKlient.objects.exists()
    assert not AuditEntry.objects.filter(handling__startswith="api_klient.").exists()


def test_deaktiveret_klient_afvises_med_401(kommunekode, forloeb):
    _, token = opret_klient(kommunekode, "forloeb:read")
    c = bearer(token)
    assert c.get(f"{URL}{forloeb.pk}/").status_code == 200
    klient = ApiKlient.objects.get()
    out = io.StringIO()
    call_command("opret_api_klient", "--deaktiver", str(klient.pk), stdout=out)
    assert "deaktiveret" in out.getvalue()
    klient.refresh_from_db()
    assert not klient.aktiv
    entry = AuditEntry.objects.get(handling="api_klient.deaktiver")
    assert (entry.actor_navn, entry.kommune_id, entry.efter) == (KOMMANDO, klient.kommune_id, {"aktiv": False})
    response = c.get(f"{URL}{forloeb.pk}/")
    problem(response, 401, "ikke-logget-ind")
    assert response["WWW-Authenticate"].startswith("Bearer")


# ---------------------------------------------------------------------------------------------
# Calling the API with a token
# ---------------------------------------------------------------------------------------------
def test_klient_laeser_forloeb_i_hele_sin_kommune_og_laesningen_auditeres(kommunekode, forloeb, andet_team):
    _, token = opret_klient(kommunekode, "forloeb:read")
    klient = ApiKlient.objects.get()
    c = bearer(token)
    nabo = factories.forloeb_i("forberedende_plan", team=andet_team)
    for fl in (forloeb, nabo):
        response = c.get(f"{URL}{fl.pk}/")
        assert response.status_code == 200, response.content
        assert response.json()["id"] == str(fl.pk)
        assert response["ETag"]
    ids = {r["id"] for r in c.get(URL).json()["results"]}
    assert ids == {str(forloeb.pk), str(nabo.pk)}
    assert c.get("/api/v1/frister/", {"forloeb": str(nabo.pk)}).json()["results"][0]["art"] == "servicemaal_afgoerelse"

    reads = AuditEntry.objects.filter(handling__in=["forloeb.laes", "forloeb.liste", "frist.liste"])
    assert reads.count() == 4
    assert set(reads.values_list("actor_type", "actor_id", "actor_navn")) == {
        (ActorType.API_CLIENT, str(klient.pk), "API: Vitas-test")
    }
    assert AuditEntry.objects.filter(handling="forloeb.laes", borger_ids__contains=[nabo.borger_id]).exists()
    klient.refresh_from_db()
    assert klient.sidst_brugt is not None


def test_anden_kommunes_forloeb_giver_404(kommunekode, fremmed_team):
    _, token = opret_klient(kommunekode, "forloeb:read", "forloeb:write")
    fremmed = factories.forloeb_i("aktivitetsparat", team=fremmed_team)
    c = bearer(token)
    problem(c.get(f"{URL}{fremmed.pk}/"), 404, "findes-ikke")
    problem(c.post(f"{URL}{fremmed.pk}/overgange/start_forberedende_plan/", {}, format="json"), 404, "findes-ikke")
    assert c.get(URL).json()["results"] == []
    fremmed.refresh_from_db()
    assert fremmed.tilstand == "aktivitetsparat"


def test_klient_med_skriveret_kan_udfoere_overgang_som_api_klient(kommunekode, forloeb):
    _, token = opret_klient(kommunekode, "forloeb:read", "forloeb:write")
    klient = ApiKlient.objects.get()
    c = bearer(token)
    etag = c.get(f"{URL}{forloeb.pk}/")["ETag"]
    response = c.post(
        f"{URL}{forloeb.pk}/overgange/start_forberedende_plan/", {}, format="json", HTTP_IF_MATCH=etag,
        HTTP_IDEMPOTENCY_KEY="vitas-1",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["tilstand"] == "forberedende_plan"
    log = OvergangLog.objects.get(forloeb=forloeb)
    assert (log.actor_type, log.actor_id) == (ActorType.API_CLIENT, str(klient.pk))
    entry = AuditEntry.objects.get(handling="forloeb.overgang.start_forberedende_plan")
    assert (entry.actor_type, entry.actor_id) == (ActorType.API_CLIENT, str(klient.pk))


def test_manglende_scope_giver_403_og_aendrer_intet(kommunekode, forloeb, borger):
    _, token = opret_klient(kommunekode, "forloeb:read")
    c = bearer(token)
    foer = AuditEntry.objects.count()
    body = problem(c.post(f"{URL}{forloeb.pk}/overgange/start_forberedende_plan/", {}, format="json"), 403)
    assert body["type"].endswith("mangler-scope")
    problem(c.post(URL, {"borger": str(borger.pk)}, format="json"), 403, "mangler-scope")
    problem(
        c.post("/api/v1/journalnotater/", {"forloeb": str(forloeb.pk), "type": "notat", "overskrift": "x",
                                           "tekst": "y"}, format="json"),
        403,
        "mangler-scope",
    )  # fmt: skip
    problem(c.get("/api/v1/borgere/"), 403, "mangler-scope")
    forloeb.refresh_from_db()
    assert forloeb.tilstand == "aktivitetsparat" and forloeb.version == 1
    assert Forloeb.objects.filter(borger=borger).count() == 0
    assert AuditEntry.objects.count() == foer


def test_kun_skriveret_giver_ikke_laeseret(kommunekode, forloeb):
    _, token = opret_klient(kommunekode, "forloeb:write")
    problem(bearer(token).get(f"{URL}{forloeb.pk}/"), 403, "mangler-scope")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sf_forkert-token-der-ikke-findes",
        "Bearer {prefix}",  # the stored prefix is not a token
        "Bearer",
        "Token {token}",
        "bearer {token} ekstra",
    ],
)
def test_forkert_token_giver_401_med_www_authenticate(kommunekode, forloeb, header):
    _, token = opret_klient(kommunekode, "forloeb:read")
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=header.format(token=token, prefix=token[:8]))
    response = c.get(f"{URL}{forloeb.pk}/")
    body = problem(response, 401, "ikke-logget-ind")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert token not in str(body)
    assert not AuditEntry.objects.filter(handling="forloeb.laes").exists()
