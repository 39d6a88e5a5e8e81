"""Logging in and out of the caseworker UI (Danish)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_siden_er_paa_dansk(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="da">' in html
    assert "Log ind" in html
    assert "Brugernavn" in html
    assert "Adgangskode" in html
    assert 'for="id_username"' in html
    assert 'for="id_password"' in html
    assert "Gå til indhold" in html


def test_anonym_bruger_sendes_til_login(client):
    response = client.get(reverse("cases:borger_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_med_rigtig_adgangskode_viser_mine_sager(client, sagsbehandler):
    response = client.post(
        reverse("login"), {"username": sagsbehandler.username, "password": "test-kodeord-123"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("cases:mine_sager")
    assert "<h1" in html and "Mine sager" in html
    assert sagsbehandler.get_full_name() in html
    assert sagsbehandler.kommune.navn in html
    assert "Log ud" in html


def test_forkert_adgangskode_giver_dansk_fejl_og_fejlopsummering(client, sagsbehandler):
    response = client.post(reverse("login"), {"username": sagsbehandler.username, "password": "forkert"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indtast venligst korrekt brugernavn og adgangskode" in html
    assert 'data-module="error-summary"' in html
    assert "_auth_user_id" not in client.session


def test_log_ud_er_post_og_viser_besked(client, sagsbehandler):
    client.force_login(sagsbehandler)
    side = client.get(reverse("cases:borger_list")).content.decode()
    assert f'action="{reverse("logout")}"' in side
    response = client.post(reverse("logout"), {"next": reverse("login") + "?logget_ud=1"}, follow=True)
    assert "Du er nu logget ud." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_demo_logins_vises_kun_med_debug(client, settings):
    settings.DEBUG = False
    assert "Demo-logins" not in client.get(reverse("login")).content.decode()
    settings.DEBUG = True
    html = client.get(reverse("login")).content.decode()
    assert "Demo-logins" in html
    assert "sagsbehandler1" in html
    assert settings.DEMO_PASSWORD in html


def test_menuen_viser_kun_dashboard_for_ledere_og_antal_ulaeste_notifikationer(client, sagsbehandler, teamleder):
    from cases.models import Notifikation, NotifikationNiveau

    for i in range(2):
        Notifikation.objects.create(
            modtager=sagsbehandler, niveau=NotifikationNiveau.INFO, taerskel=f"info{i}", titel=f"N{i}", tekst="."
        )
    client.force_login(sagsbehandler)
    html = client.get(reverse("cases:mine_sager")).content.decode()
    assert reverse("dashboard:dashboard") not in html  # a caseworker would only meet "Du har ikke adgang"
    assert 'aria-label="2 ulæste">2</span>' in html
    client.force_login(teamleder)
    html = client.get(reverse("cases:mine_sager")).content.decode()
    assert reverse("dashboard:dashboard") in html
    assert "ulæst" not in html
