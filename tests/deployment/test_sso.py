"""Staff SSO end to end against a real OpenID Connect provider (node-oidc-provider, OpenID Certified,
started here on 127.0.0.1: tests/deployment/idp/server.mjs): the browser's redirects are followed by a
requests session, the product runs in pytest-django's live server and talks to the IdP's discovery,
token, JWKS and userinfo endpoints as it would to the municipality's."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from cases import sso
from cases.models import Rolle, User
from tests import factories

from .conftest import Proces, fri_port, node, vent_paa_port

# Login lands on Mine sager, a page that may read from the replica (infra.replika) when one is configured.
pytestmark = [pytest.mark.deployment, pytest.mark.django_db(transaction=True, databases=["default", "replica"])]

KLIENT, HEMMELIGHED = "sagsforloeb", "sagsforloeb-test-hemmelighed-0123456789"
ANDEN, ANDEN_HEMMELIGHED = "anden-fagsystem", "anden-fagsystem-hemmelighed-0123456789"
ANDEN_REDIRECT = "http://127.0.0.1:9/anden/callback"  # never followed: the test reads the code from the redirect


class Idp:
    def __init__(self, tmp: Path, callback: str):
        self.port = fri_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.konti = tmp / "accounts.json"
        self.konti.write_text("{}")
        klienter = tmp / "clients.json"
        klienter.write_text(
            json.dumps(
                [
                    {"client_id": KLIENT, "client_secret": HEMMELIGHED, "redirect_uris": [callback]},
                    {"client_id": ANDEN, "client_secret": ANDEN_HEMMELIGHED, "redirect_uris": [ANDEN_REDIRECT]},
                ]
            )
        )
        idp_dir = Path(__file__).parent / "idp"
        self.proc = Proces(
            [node(), "server.mjs", str(self.port), str(self.konti), str(klienter)], log=tmp / "idp.log", cwd=idp_dir
        )
        vent_paa_port(self.port, self.proc.proc, self.proc.log)

    def konto(self, brugernavn: str, claims: dict | None) -> None:
        konti = json.loads(self.konti.read_text())
        if claims is None:
            konti.pop(brugernavn, None)
        else:
            konti[brugernavn] = claims
        self.konti.write_text(json.dumps(konti))


@pytest.fixture(scope="module")
def idp(live_server, tmp_path_factory):
    server = Idp(tmp_path_factory.mktemp("idp"), f"{live_server.url}/oidc/callback/")
    yield server
    server.proc.stop()


@pytest.fixture
def sso_paa(settings, idp):
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = idp.issuer
    settings.OIDC_RP_CLIENT_ID = KLIENT
    settings.OIDC_RP_CLIENT_SECRET = HEMMELIGHED
    settings.OIDC_RP_SCOPES = "openid email profile kommune groups"
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 900
    settings.OIDC_LEEWAY = 30
    sso._discovery.update(dok=None)
    yield settings
    sso._discovery.update(dok=None)


@pytest.fixture
def sag(team, andet_team, idp):
    """Anne in Team 1 with a citizen; a citizen in Team 2 of the same municipality."""
    kommune = team.jobcenter.kommune
    egen = factories.borger(team, fornavn="Egen", efternavn="Borger")
    anden = factories.borger(andet_team, fornavn="Anden", efternavn="Borger")
    idp.konto("anne", anne_claims(kommune, team))
    return {"kommune": kommune, "egen": egen, "anden": anden}


def anne_claims(kommune, team, rolle="sagsforloeb-sagsbehandler") -> dict:
    return {
        "email": "anne@kommune.invalid",
        "given_name": "Anne",
        "family_name": "Bech",
        "preferred_username": "anne",
        "kommunekode": kommune.kommunekode,
        "groups": [rolle, f"sagsforloeb-team:{team.navn}"],
    }


def foelg(s: requests.Session, url: str, stop_ved: str | None = None, **kw) -> requests.Response:
    """Follow redirects like a browser, optionally stopping at (not requesting) a URL prefix."""
    r = s.request(kw.pop("method", "GET"), url, allow_redirects=False, timeout=30, **kw)
    kaede = [url]
    for _ in range(20):
        r.kaede = kaede  # every URL on the way
        if r.status_code not in (301, 302, 303, 307, 308):
            return r
        naeste = urljoin(r.url, r.headers["Location"])
        if stop_ved and naeste.startswith(stop_ved):
            r.stop_url = naeste
            return r
        kaede.append(naeste)
        r = s.get(naeste, allow_redirects=False, timeout=30)
    raise AssertionError("too many redirects")


def log_ind(s: requests.Session, live: str, brugernavn: str = "anne", **kw) -> requests.Response:
    """Through the IdP's login form; with an IdP session already there, the IdP answers at once."""
    form = foelg(s, f"{live}/oidc/login/")
    if "/interaction/" not in form.url:
        return form
    return foelg(s, form.url, method="POST", data={"username": brugernavn}, **kw)


def test_login_gennem_kommunens_idp_opretter_medarbejderen_og_viser_kun_teamets_borgere(live_server, sso_paa, sag):
    s = requests.Session()
    r = log_ind(s, live_server.url)
    assert r.status_code == 200 and urlsplit(r.url).path == "/mine-sager/"  # where login lands
    anne = User.objects.get(username="anne")
    assert (anne.rolle, anne.kommune, [t.navn for t in anne.teams.all()]) == (
        Rolle.SAGSBEHANDLER,
        sag["kommune"],
        [sag["egen"].team.navn],
    )
    assert "Anne Bech" in r.text
    assert s.get(f"{live_server.url}/borgere/{sag['egen'].pk}/").status_code == 200
    assert s.get(f"{live_server.url}/borgere/{sag['anden'].pk}/").status_code == 404


def test_id_token_udstedt_til_en_anden_klient_afvises(live_server, sso_paa, sag, idp, monkeypatch, caplog):
    s = requests.Session()
    start = foelg(s, f"{live_server.url}/oidc/login/", stop_ved=idp.issuer)
    nonce = parse_qs(urlsplit(start.stop_url).query)["nonce"][0]
    form = foelg(s, start.stop_url)
    svar = foelg(s, form.url, method="POST", data={"username": "anne"}, stop_ved=f"{live_server.url}/oidc/callback/")
    callback = svar.stop_url  # the code the IdP issued to us; not redeemed yet
    # The same user, the same IdP session and even our nonce, but a token issued to another client.
    anden = foelg(
        s,
        f"{idp.issuer}/auth?"
        + "&".join(
            f"{k}={v}"
            for k, v in {
                "client_id": ANDEN, "response_type": "code", "scope": "openid", "redirect_uri": ANDEN_REDIRECT,
                "state": "x", "nonce": nonce,
            }.items()
        ),
        stop_ved=ANDEN_REDIRECT,
    )  # fmt: skip
    kode = parse_qs(urlsplit(anden.stop_url).query)["code"][0]
    fremmed = requests.post(
        f"{idp.issuer}/token",
        data={"grant_type": "authorization_code", "code": kode, "redirect_uri": ANDEN_REDIRECT},
        auth=(ANDEN, ANDEN_HEMMELIGHED),
        timeout=10,
    ).json()["id_token"]
    payload = json.loads(base64.urlsafe_b64decode(fremmed.split(".")[1] + "=="))
    assert (payload["aud"], payload["iss"], payload["nonce"]) == (ANDEN, idp.issuer, nonce)  # only aud is wrong
    rigtig_get_token = sso.SsoBackend.get_token

    def byt_id_token(self, data):
        svar = rigtig_get_token(self, data)  # the real token response for our code ...
        return svar | {"id_token": fremmed}  # ... with the other client's ID token in it

    monkeypatch.setattr(sso.SsoBackend, "get_token", byt_id_token)
    r = foelg(s, callback)
    assert urlsplit(r.url).path == "/login/" and "svaret fra kommunens login var ikke gyldigt" in r.text
    assert "another client (aud)" in caplog.text
    assert not User.objects.filter(username="anne").exists()
    assert foelg(s, f"{live_server.url}/mine-sager/").url.startswith(f"{live_server.url}/login/")


def test_udloebet_id_token_afvises(live_server, sso_paa, sag, monkeypatch, caplog):
    # The token is valid for 600 s at the IdP; seen from a clock 20 minutes later it has expired.
    monkeypatch.setattr(sso, "_nu", lambda: time.time() + 20 * 60)
    s = requests.Session()
    r = log_ind(s, live_server.url)
    assert urlsplit(r.url).path == "/login/" and "svaret fra kommunens login var ikke gyldigt" in r.text
    assert "expired (exp)" in caplog.text
    assert not User.objects.filter(username="anne").exists()
    monkeypatch.setattr(sso, "_nu", time.time)  # the same login on a right clock works
    assert urlsplit(log_ind(s, live_server.url).url).path == "/mine-sager/"


def test_skiftet_team_gaelder_ved_naeste_genbekraeftelse_hos_idp(live_server, sso_paa, sag, idp, andet_team):
    sso_paa.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 2
    s = requests.Session()
    assert urlsplit(log_ind(s, live_server.url).url).path == "/mine-sager/"
    egen, anden = (f"{live_server.url}/borgere/{sag[k].pk}/" for k in ("egen", "anden"))
    assert s.get(egen).status_code == 200
    idp.konto("anne", anne_claims(sag["kommune"], andet_team))  # moved to Team 2 in the municipality's directory
    time.sleep(2.5)
    r = foelg(s, egen)  # the next page load re-checks at the IdP silently (prompt=none) ...
    assert any("prompt=none" in u for u in r.kaede)
    assert r.status_code == 404  # ... and the old team's citizen is gone at once
    assert foelg(s, anden).status_code == 200
    assert [t.navn for t in User.objects.get(username="anne").teams.all()] == [andet_team.navn]


def test_fjernet_hos_idp_logges_ud_ved_naeste_genbekraeftelse(live_server, sso_paa, sag, idp):
    sso_paa.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 2
    s = requests.Session()
    assert urlsplit(log_ind(s, live_server.url).url).path == "/mine-sager/"
    idp.konto("anne", None)  # de-provisioned in the municipality's directory
    time.sleep(2.5)
    r = foelg(s, f"{live_server.url}/mine-sager/")
    assert urlsplit(r.url).path == "/login/" and "ikke længere bekræfter dit login" in r.text
    assert any("prompt=none" in u for u in r.kaede)  # the silent re-check, answered with error=login_required
    assert urlsplit(foelg(s, f"{live_server.url}/mine-sager/").url).path == "/login/"


def test_uden_rollen_i_idp_faar_man_en_dansk_afvisning(live_server, sso_paa, sag, idp):
    idp.konto("anne", anne_claims(sag["kommune"], sag["egen"].team, rolle="andet-system-bruger"))
    r = log_ind(requests.Session(), live_server.url)
    assert urlsplit(r.url).path == "/login/" and "Du har ikke adgang til Sagsforløb" in r.text
