"""Staff SSO without an IdP: how the IdP's claims become a user, and who may still use a password.
The whole login against a real OpenID Connect provider is tests/deployment/test_sso.py."""

import json

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from cases import sso
from cases.models import Rolle, User
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def kommune(team, andet_team):
    return team.jobcenter.kommune


def claims(kommune, *grupper, brugernavn="kbh-ab12"):
    return {
        "sub": "s-1",
        "preferred_username": brugernavn,
        "email": "ab@kommune.invalid",
        "given_name": "Anne",
        "family_name": "Bech",
        "kommunekode": kommune.kommunekode,
        "groups": list(grupper),
    }


def test_foerste_login_opretter_medarbejderen_med_kommune_rolle_og_teams(kommune, team):
    u = sso.medarbejder_fra_sso(
        claims=claims(kommune, "sagsforloeb-sagsbehandler", f"sagsforloeb-team:{team.navn}", "andet-system")
    )
    assert (u.username, u.get_full_name(), u.kommune, u.rolle) == (
        "kbh-ab12",
        "Anne Bech",
        kommune,
        Rolle.SAGSBEHANDLER,
    )
    assert list(u.teams.all()) == [team]
    assert u.is_active and not u.is_staff and not u.is_superuser
    assert not u.has_usable_password()  # only the IdP lets this user in
    row = AuditEntry.objects.get(handling="medarbejder.sso_opret")
    assert row.efter["teams"] == [team.navn] and row.efter["rolle"] == "sagsbehandler"


def test_skiftet_team_og_rolle_gaelder_fra_naeste_login(kommune, team, andet_team):
    sso.medarbejder_fra_sso(claims=claims(kommune, "sagsforloeb-sagsbehandler", f"sagsforloeb-team:{team.navn}"))
    u = sso.medarbejder_fra_sso(
        claims=claims(
            kommune, "sagsforloeb-teamleder", "sagsforloeb-sagsbehandler", f"sagsforloeb-team:{andet_team.navn}"
        )
    )
    assert list(u.teams.all()) == [andet_team] and u.rolle == Rolle.TEAMLEDER  # the first mapped role wins
    row = AuditEntry.objects.get(handling="medarbejder.sso_opdater")
    assert (row.foer["teams"], row.efter["teams"]) == ([team.navn], [andet_team.navn])
    sso.medarbejder_fra_sso(
        claims=claims(
            kommune, "sagsforloeb-teamleder", "sagsforloeb-sagsbehandler", f"sagsforloeb-team:{andet_team.navn}"
        )
    )
    assert AuditEntry.objects.filter(handling__startswith="medarbejder.sso").count() == 2  # nothing changed: no row


def test_mapningen_kan_konfigureres(kommune, team, settings):
    settings.OIDC_CLAIM_MAPPING = json.dumps(
        {
            "brugernavn": "upn",
            "grupper": "roles",
            "kommunekode_fast": kommune.kommunekode,
            "roller": {"SF.Jurist": "jurist"},
            "teams": {"GRP-REHAB": team.navn},
        }
    )
    u = sso.medarbejder_fra_sso(claims={"sub": "x", "upn": "jur@kommune.invalid", "roles": ["SF.Jurist", "GRP-REHAB"]})
    assert (u.username, u.rolle, u.kommune, list(u.teams.all())) == ("jur@kommune.invalid", "jurist", kommune, [team])
    assert u.is_staff  # the rule catalogue in /admin/


def test_uden_rolle_lukkes_adgangen_og_sessionen_virker_ikke_ved_naeste_klik(kommune, team, client, settings):
    settings.OIDC_ENABLED = True
    u = sso.medarbejder_fra_sso(claims=claims(kommune, "sagsforloeb-sagsbehandler", f"sagsforloeb-team:{team.navn}"))
    client.force_login(u, backend="cases.sso.SsoBackend")
    assert client.get("/mine-sager/").status_code == 200
    # The user logs in elsewhere after being removed from the group: no role, the account is closed.
    with pytest.raises(sso.IngenAdgang):
        sso.medarbejder_fra_sso(claims=claims(kommune, f"sagsforloeb-team:{team.navn}"))
    u.refresh_from_db()
    assert not u.is_active and not u.teams.exists()
    assert AuditEntry.objects.filter(handling="medarbejder.sso_deaktiver", subject_id=str(u.pk)).exists()
    r = client.get("/mine-sager/")  # the old session, at its next request
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_ukendt_kommune_giver_ingen_adgang(kommune):
    c = claims(kommune, "sagsforloeb-sagsbehandler") | {"kommunekode": "000"}
    with pytest.raises(sso.IngenAdgang):
        sso.medarbejder_fra_sso(claims=c)
    assert not User.objects.filter(username="kbh-ab12").exists()


def test_med_sso_kan_kun_noedadgange_bruge_adgangskode(client, settings, team):
    settings.OIDC_ENABLED, settings.DEBUG = True, False
    settings.OIDC_BREAK_GLASS_USERS = ["noedadgang"]
    almindelig = factories.medarbejder(team)
    almindelig.set_password("en-lang-adgangskode-1")
    almindelig.save()
    noed = factories.UserFactory(username="noedadgang", is_staff=True, is_superuser=True)
    noed.set_password("en-lang-adgangskode-2")
    noed.save()
    r = client.post("/login/", {"username": almindelig.username, "password": "en-lang-adgangskode-1"})
    assert r.status_code == 200 and SESSION_KEY not in client.session  # refused: the IdP is the way in
    r = client.post("/login/", {"username": "noedadgang", "password": "en-lang-adgangskode-2"})
    assert r.status_code == 302 and client.session[SESSION_KEY] == str(noed.pk)
    assert (
        client.session[BACKEND_SESSION_KEY] == "cases.sso.LokalAdgangskodeBackend"
        and HASH_SESSION_KEY in client.session
    )


def test_loginsiden_viser_kommunens_login_og_danske_fejl(client, settings):
    settings.OIDC_ENABLED = True
    side = client.get("/login/").content.decode()
    assert "Log ind med kommunens login" in side and 'href="/oidc/login/"' in side and "Nødadgang" in side
    side = client.get("/login/?sso=afvist").content.decode()
    assert "Du har ikke adgang til Sagsforløb" in side
    settings.OIDC_ENABLED = False
    assert "kommunens login" not in client.get("/login/").content.decode()
