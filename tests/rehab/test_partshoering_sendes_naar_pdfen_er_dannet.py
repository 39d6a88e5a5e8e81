"""Partshøring: "Udsted og send" issues the letter and orders its send. The PDF is rendered by the
Celery task after commit, never in the request; the letter goes out when the PDF is stored, and the
reply deadline runs from the day it actually goes out. Nothing the caseworker asked for is lost: a
send refused when the PDF is ready keeps its reason and offers the send again. Through the UI, with
a real worker, and through the API."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from cases.models import Borger, Frist
from config.celery import app
from decisions.models import Dokument
from infra import datoer, udbakke
from infra.models import AuditEntry, UdbakkeBesked
from rehab import services as rehab
from rehab.models import Partshoering
from tests import factories
from tests.factories import forloeb_i

from .conftest import worker_danner_pdf

API = "/api/v1/"


def partshoering_til(fl) -> Partshoering:
    punkt = {"tekst": "Teamet anbefaler fleksjob.", "kilde_type": "indstilling", "kilde_id": fl.indstillinger.get().pk}
    return rehab.partshoering_opret(actor=fl.sagsbehandler, forloeb=fl, grundlag=[punkt])


@pytest.fixture
def ph(team, sagsbehandler) -> Partshoering:
    b = factories.borger(team, actor=sagsbehandler, adresse="Fiktivvej 1", postnummer="9999", by="Testby")
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob", sagsbehandler=sagsbehandler, borger=b)
    return partshoering_til(fl)


def side(klient, fl) -> str:
    return klient.get(reverse("rehab:partshoering", args=[fl.pk])).content.decode()


def send(klient, fl, kanal: str):
    return klient.post(
        reverse("rehab:partshoering", args=[fl.pk]), {"handling": "send", "send-kanal": kanal}, HTTP_IF_MATCH="*"
    )


def test_udsted_og_send_venter_paa_pdfen_og_svarfristen_loeber_fra_afsendelsen(
    klient, ph, monkeypatch, django_capture_on_commit_callbacks
):
    fl = ph.forloeb
    koeet: list = []
    monkeypatch.setattr(udbakke, "skub", koeet.extend)  # the outbox's kick after commit: nothing reaches a worker
    igaar = timezone.now() - dt.timedelta(days=1)
    with monkeypatch.context() as m, django_capture_on_commit_callbacks(execute=True):
        m.setattr(timezone, "now", lambda: igaar)  # the caseworker clicks yesterday; the PDF comes today
        assert send(klient, fl, "udleveret").status_code == 302
        assert send(klient, fl, "udleveret").status_code == 302  # a double click orders nothing more

    brev = Dokument.objects.get(pk=ph.brev_id)
    ph.refresh_from_db()
    render = UdbakkeBesked.objects.filter(task="decisions.render_pdf")
    assert [b.args for b in render] == [[str(brev.pk)]]  # the rendering task is queued with the commit ...
    assert koeet == [render.get().pk]
    assert (brev.status, brev.afsendelse_kanal, brev.pdf_sha256) == ("udstedt", "udleveret", "")
    assert not AuditEntry.objects.filter(handling="dokument.pdf", subject_id=str(brev.pk)).exists()  # ... not run
    assert AuditEntry.objects.filter(handling="partshoering.send", subject_id=str(ph.pk)).count() == 1
    assert (ph.status, ph.sendt_dato, ph.svarfrist) == ("kladde", None, None)
    assert not Frist.objects.filter(forloeb=fl, art="partshoering_svar").exists()
    html = side(klient, fl)
    assert "Brevet sendes" in html and reverse("rehab:partshoering_status", args=[fl.pk]) in html
    assert "Udsted og send brevet" not in html and "Registrér borgerens svar" not in html
    status = klient.get(reverse("rehab:partshoering_status", args=[fl.pk]))
    assert status.status_code == 200 and not status.has_header("HX-Refresh")

    worker_danner_pdf(brev.pk)  # today: the worker renders the PDF and sends the letter

    idag = datoer.idag()
    ph.refresh_from_db()
    brev.refresh_from_db()
    assert datoer.lokal_dato(brev.udstedt) == datoer.lokal_dato(igaar)
    assert (brev.status, brev.afsendelse_kanal, brev.forsendelser.get().kanal) == ("afsendt", "", "udleveret")
    assert (ph.status, ph.sendt_dato) == ("sendt", idag)
    assert ph.svarfrist == Frist.objects.get(forloeb=fl, art="partshoering_svar").gaeldende_forfald
    assert ph.svarfrist == idag + dt.timedelta(days=14)  # from the send, not from the click
    assert klient.get(reverse("rehab:partshoering_status", args=[fl.pk]))["HX-Refresh"] == "true"
    html = side(klient, fl)
    assert "Registrér borgerens svar" in html and "Brevet sendes" not in html


def test_kanal_borgeren_ikke_kan_modtage_paa_afvises_straks_og_intet_udstedes(klient, ph):
    fl = ph.forloeb
    r = send(klient, fl, "digital_post")  # the citizen is not registered for Digital Post
    assert r.status_code == 200
    assert "ikke registreret som tilmeldt Digital Post" in r.content.decode()
    brev = Dokument.objects.get(pk=ph.brev_id)
    assert (brev.status, brev.afsendelse_kanal) == ("kladde", "")
    assert Partshoering.objects.get(pk=ph.pk).status == "kladde"


def test_afsendelse_der_afvises_naar_pdfen_er_klar_mister_intet_og_kan_sendes_igen(klient, ph):
    fl = ph.forloeb
    assert send(klient, fl, "fysisk_post").status_code == 302
    Borger.objects.filter(pk=fl.borger_id).update(adresse="", postnummer="", by="")  # the address is gone meanwhile

    worker_danner_pdf(ph.brev_id)

    brev = Dokument.objects.get(pk=ph.brev_id)
    assert (brev.status, brev.afsendelse_kanal) == ("udstedt", "")
    assert "ingen kendt postadresse" in brev.afsendelse_fejl and brev.pdf_sha256
    assert AuditEntry.objects.filter(handling="dokument.afsend_afvist", subject_id=str(brev.pk)).exists()
    assert Partshoering.objects.get(pk=ph.pk).status == "kladde"
    assert klient.get(reverse("rehab:partshoering_status", args=[fl.pk]))["HX-Refresh"] == "true"
    html = side(klient, fl)
    assert "Brevet blev ikke sendt" in html and "ingen kendt postadresse" in html and "Send brevet" in html

    assert send(klient, fl, "udleveret").status_code == 302  # the PDF exists: sent at once
    ph.refresh_from_db()
    assert (ph.status, ph.svarfrist) == ("sendt", datoer.idag() + dt.timedelta(days=14))
    assert Dokument.objects.get(pk=ph.brev_id).afsendelse_fejl == ""


def test_gennem_api_et_starter_svarfristen_foerst_naar_brevet_er_sendt(api_client, ph, monkeypatch):
    fl = ph.forloeb
    r = api_client.get(f"{API}partshoeringer/{ph.pk}/")
    brev_url = f"{API}afgoerelser/{r.json()['brev']}/"
    igaar = timezone.now() - dt.timedelta(days=1)
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: igaar)
        r = api_client.post(f"{brev_url}udsted/", format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 202 and r.json()["pdf_status"] == "dannes"
    assert api_client.get(f"{API}partshoeringer/{ph.pk}/").json()["svarfrist"] is None

    r = api_client.post(f"{brev_url}afsend/", {"kanal": "udleveret"}, format="json", HTTP_IF_MATCH="*")
    assert r.status_code == 409 and r.json()["type"].endswith("/pdf-ikke-klar")  # nothing sent, no deadline
    assert api_client.get(f"{API}partshoeringer/{ph.pk}/").json()["status"] == "kladde"
    assert not Frist.objects.filter(forloeb=fl, art="partshoering_svar").exists()

    worker_danner_pdf(ph.brev_id)
    assert api_client.get(brev_url).json()["pdf_status"] == "klar"
    assert (
        api_client.post(f"{brev_url}afsend/", {"kanal": "udleveret"}, format="json", HTTP_IF_MATCH="*").status_code
        == 200
    )

    body = api_client.get(f"{API}partshoeringer/{ph.pk}/").json()
    idag = datoer.idag()
    assert (body["status"], body["sendt_dato"]) == ("sendt", idag.isoformat())
    assert body["svarfrist"] == (idag + dt.timedelta(days=14)).isoformat()


@pytest.mark.django_db(transaction=True)
def test_en_rigtig_worker_danner_pdfen_og_sender_brevet(client):
    team = factories.TeamFactory()
    sb = factories.medarbejder(team)
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob", sagsbehandler=sb)
    ph = partshoering_til(fl)
    client.force_login(sb)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert send(client, fl, "udleveret").status_code == 302  # commits: on_commit queues the task
        for _ in range(150):
            ph.refresh_from_db()
            if ph.status == "sendt":
                break
            time.sleep(0.2)
    assert ph.status == "sendt", "the worker did not render and send the letter"
    assert ph.svarfrist == datoer.idag() + dt.timedelta(days=14)
    assert Dokument.objects.get(pk=ph.brev_id).pdf_sha256
    assert client.get(reverse("rehab:partshoering_status", args=[fl.pk]))["HX-Refresh"] == "true"
