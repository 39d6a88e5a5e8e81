"""Retention (cases/retention.py): what is past its period is deleted, everything else is kept."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from cases import retention
from cases.models import Borger, Forloeb, Frist, Journalnotat, NotatType
from cases.services import journalnotat_opret
from decisions import klager
from decisions.digitalpost import MAPPE
from decisions.models import Dokument, Klage
from flexjob.models import Ansaettelse, Arbejdsevnevurdering, Virksomhed, Visitation
from infra import cpr as cprlib
from infra import datoer
from infra.models import AuditEntry, IdempotencyKey
from rehab.models import Bilag, Booking, Indstilling, Moededag
from tests import factories
from tests.decisions.test_klager import Ur, byg_sag, fastholdt_klage
from tests.factories import dag
from tests.flexjob.conftest import CVR, ansaettelse_til, visitation_af, vurdering_til
from webhooks.models import WebhookLevering

SEKS_AAR_SENERE = dag(60).replace(year=dag(60).year + 6)


@pytest.fixture
def ur(monkeypatch):
    u = Ur(monkeypatch)
    u(factories.START)
    return u


def afsluttet_klagesag(team, sagsbehandler, ur) -> Forloeb:
    """The fullest case there is: partshøring, attachment with a file, journal note, refusal,
    complaint upheld and decided by Ankestyrelsen (appeal package stored), forløb closed day 80."""
    fl, afgoerelse = byg_sag(team, sagsbehandler, ur)
    k = fastholdt_klage((fl, afgoerelse), sagsbehandler, ur)
    ur(dag(65))
    k = klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k, idag=dag(65))
    ur(dag(75))
    klager.klage_ankestyrelsens_resultat(actor=sagsbehandler, klage=k, resultat="stadfaestet", dato=dag(75))
    ur(dag(80))
    factories.overgang(fl, "afslut", 80, actor=sagsbehandler, aarsag="andet", bemaerkning="Sagen er slut")
    return Forloeb.objects.get(pk=fl.pk)


def afsluttet_fleksjobsag(team) -> Forloeb:
    """Built on the real clock (the fleksjob path dates its steps up to day 90 after START)."""
    fl = factories.forloeb_i("fleksjob", team=team)
    visitation_af(fl)
    a = ansaettelse_til(fl)
    vurdering_til(a)
    factories.overgang(fl, "afslut", 90, aarsag="ordinaert_arbejde")
    return Forloeb.objects.get(pk=fl.pk)


def lagrede_filer(fl: Forloeb) -> list[tuple[object, str]]:
    filer = [(d.pdf.storage, d.pdf.name) for d in Dokument.objects.filter(forloeb=fl) if d.pdf]
    filer += [(b.fil.storage, b.fil.name) for b in Bilag.objects.filter(forberedende_del__forloeb=fl) if b.fil]
    filer += [(k.ankepakke.storage, k.ankepakke.name) for k in Klage.objects.filter(forloeb=fl) if k.ankepakke]
    return filer


def test_en_afsluttet_sag_uden_aktivitet_i_fem_aar_slettes_helt_med_filer(
    team, sagsbehandler, ur, django_capture_on_commit_callbacks
):
    fl = afsluttet_klagesag(team, sagsbehandler, ur)
    borger = fl.borger
    cpr = cprlib.decrypt(borger.cpr_krypteret)
    filer = lagrede_filer(fl)
    assert {navn.split("/")[0] for _, navn in filer} == {"dokumenter", "bilag", "ankepakker"}
    assert all(storage.exists(navn) for storage, navn in filer)
    dokument_ids = list(Dokument.objects.filter(forloeb=fl).values_list("pk", flat=True))
    outbox_kopi = f"{MAPPE}/{dokument_ids[0]}.pdf"
    default_storage.save(outbox_kopi, ContentFile(b"%PDF kopi"))  # as the local Digital Post outbox keeps it
    moededage, virksomheder = Moededag.objects.count(), Virksomhed.objects.count()
    aaben = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)  # another citizen, open

    ur(SEKS_AAR_SENERE)
    with django_capture_on_commit_callbacks(execute=True):
        r = retention.koer(SEKS_AAR_SENERE)

    assert r.borgere_slettet == 1 and r.borgere_fejlet == 0
    assert not Borger.objects.filter(pk=borger.pk).exists()
    for model in (Forloeb, Frist, Journalnotat, Dokument, Klage, Indstilling, Booking):
        assert not model.objects.filter(**({"pk": fl.pk} if model is Forloeb else {"forloeb_id": fl.pk})).exists()
    assert not Bilag.objects.filter(forberedende_del__forloeb_id=fl.pk).exists()
    assert not Dokument.objects.filter(pk__in=dokument_ids).exists()
    assert not any(storage.exists(navn) for storage, navn in filer)
    assert not default_storage.exists(outbox_kopi)
    assert r.filer_slettet == len(filer) + 1
    # shared rows stay; so does the other citizen with an open case
    assert (Moededag.objects.count(), Virksomhed.objects.count()) == (moededage, virksomheder)
    assert Forloeb.objects.filter(pk=aaben.pk, tilstand="indstilling").exists()
    assert Frist.objects.filter(forloeb=aaben).exists() and Dokument.objects.filter(forloeb=aaben).exists()

    slettet = AuditEntry.objects.get(handling="borger.slettet")
    assert slettet.borger_ids == [borger.pk] and slettet.actor_navn == "opbevaringsjob"
    assert slettet.efter["slettet"]["cases.borger"] == 1 and slettet.efter["slettet"]["decisions.dokument"] >= 3
    assert "5 år uden aktivitet" in slettet.begrundelse
    tekst = str(slettet.efter) + slettet.begrundelse
    assert cpr[:6] not in tekst and borger.efternavn not in tekst and borger.fornavn not in tekst


def test_fleksjobsag_slettes_med_ansaettelse_og_vurdering_men_virksomheden_bliver(team, monkeypatch):
    fl = afsluttet_fleksjobsag(team)
    assert Arbejdsevnevurdering.objects.filter(ansaettelse__forloeb=fl).exists()
    virksomhed = Ansaettelse.objects.get(forloeb=fl).virksomhed

    Ur(monkeypatch)(SEKS_AAR_SENERE)
    r = retention.koer(SEKS_AAR_SENERE)

    assert r.borgere_slettet == 1
    assert not Visitation.objects.filter(forloeb_id=fl.pk).exists()
    assert not Ansaettelse.objects.filter(forloeb_id=fl.pk).exists()
    assert not Arbejdsevnevurdering.objects.filter(ansaettelse__forloeb_id=fl.pk).exists()
    assert Virksomhed.objects.filter(pk=virksomhed.pk).exists()


@pytest.mark.parametrize(
    "hvad",
    ["for_nylig", "aabent_forloeb", "aaben_klage", "aaben_aftale", "ny_aktivitet"],
)
def test_borgeren_beholdes_saa_laenge_noget_er_aabent_eller_for_nyligt(team, sagsbehandler, ur, hvad):
    if hvad == "aaben_klage":
        fl, afgoerelse = byg_sag(team, sagsbehandler, ur)
        fastholdt_klage((fl, afgoerelse), sagsbehandler, ur)  # upheld, never sent to Ankestyrelsen
        factories.overgang(fl, "afslut", 70, actor=sagsbehandler, aarsag="andet")
    else:
        fl = factories.forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
        if hvad != "aabent_forloeb":
            factories.overgang(fl, "afslut", 30, actor=sagsbehandler, aarsag="flyttet")
    idag = SEKS_AAR_SENERE
    if hvad == "for_nylig":
        idag = dag(30).replace(year=dag(30).year + 5)  # exactly five years: not yet
    if hvad == "aaben_aftale":
        from flexjob.aftaler import aftale_modtag

        ur(dag(40))
        aftale_modtag(
            actor=sagsbehandler, type="fleksjob", borger_cpr=cprlib.decrypt(fl.borger.cpr_krypteret),
            virksomhed_cvr=CVR, virksomhed_navn="Fiktiv ApS", start=dag(50), timer_pr_uge=Decimal("10"),
            opgaver="Lager", formaal="Fleksjob", fleksjob_timer=Decimal("10"), fleksjob_intensitet=50,
        )  # fmt: skip
    if hvad == "ny_aktivitet":
        ur(dag(30).replace(year=dag(30).year + 3))
        journalnotat_opret(
            actor=sagsbehandler, forloeb=fl, type=NotatType.TELEFON, overskrift="Henvendelse", tekst="Borgeren ringede."
        )
    ur(idag)

    assert not retention.til_sletning(idag).filter(pk=fl.borger_id).exists()
    retention.koer(idag)
    assert Borger.objects.filter(pk=fl.borger_id).exists()


def test_sletningen_fortrydes_helt_hvis_noget_udenfor_sagen_stadig_peger_paa_den(team, sagsbehandler, ur, monkeypatch):
    fl = afsluttet_klagesag(team, sagsbehandler, ur)
    filer = lagrede_filer(fl)
    ejede = retention.ejede_raekker
    monkeypatch.setattr(  # as if a model the walk cannot see still pointed at the journal notes
        retention, "ejede_raekker", lambda b: {m: pks for m, pks in ejede(b).items() if m is not Journalnotat}
    )
    ur(SEKS_AAR_SENERE)

    r = retention.koer(SEKS_AAR_SENERE)

    assert (r.borgere_slettet, r.borgere_fejlet) == (0, 1)
    assert Borger.objects.filter(pk=fl.borger_id).exists()
    assert Dokument.objects.filter(forloeb=fl).count() >= 3 and Klage.objects.filter(forloeb=fl).exists()
    assert all(storage.exists(navn) for storage, navn in filer)
    assert not AuditEntry.objects.filter(handling="borger.slettet").exists()


def _audit_raekke(tidspunkt: dt.datetime) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO cases_auditentry (tidspunkt, actor_type, actor_id, actor_navn, handling, subject_type,"
            " subject_id, borger_ids, begrundelse, request_id, kilde)"
            " VALUES (%s, 'system', '', 'test', 'borger.laes', '', '', '{}', '', '', '')",
            [tidspunkt],
        )


def test_auditlog_slettes_efter_sin_periode_og_sletningen_logges(db):
    # The database function counts the retention period from the database's clock: real dates here.
    idag = datoer.idag()
    graense = timezone.make_aware(dt.datetime.combine(idag.replace(year=idag.year - 5), dt.time.min))
    for t in (graense - dt.timedelta(days=400), graense - dt.timedelta(seconds=1), graense, graense + dt.timedelta(1)):
        _audit_raekke(t)

    r = retention.koer(idag)

    assert r.audit_slettet == 2
    tilbage = list(AuditEntry.objects.filter(handling="borger.laes").values_list("tidspunkt", flat=True))
    assert sorted(tilbage) == [graense, graense + dt.timedelta(1)]
    log = AuditEntry.objects.get(handling="audit.slettet")
    assert log.efter == {"antal": 2, "foer": graense.date().isoformat()}
    # outside the job, the trigger still refuses
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM cases_auditentry")


def test_tekniske_data_slettes_efter_deres_periode(team, sagsbehandler, ur):
    from cases.models import ApiKlient
    from webhooks.models import WebhookAbonnement

    klient = ApiKlient.objects.create(
        kommune=team.jobcenter.kommune, navn="Fiktivt system", token_hash="x" * 64, token_prefix="x"
    )
    abo = WebhookAbonnement.objects.create(
        klient=klient, url="https://modtager.invalid/hook", haendelser=["frist.overskredet"]
    )
    idag = dag(200)
    for dage_siden, status in ((120, "leveret"), (120, "fejlet"), (120, "afventer"), (10, "leveret")):
        ur(idag - dt.timedelta(days=dage_siden))
        WebhookLevering.objects.create(
            abonnement=abo, haendelse="frist.overskredet", haendelse_id=uuid.uuid4(), payload={}, status=status
        )
        IdempotencyKey.objects.create(
            ejer="user:1", noegle=f"k{dage_siden}{status}", metode="POST", sti="/", request_hash="x"
        )
    ur(idag)

    r = retention.koer(idag)

    assert (r.teknisk_slettet["webhooks"], r.idempotency_slettet) == (2, 3)
    assert sorted(WebhookLevering.objects.values_list("status", flat=True)) == ["afventer", "leveret"]
    assert list(IdempotencyKey.objects.values_list("noegle", flat=True)) == ["k10leveret"]


def test_kommandoen_viser_forfaldne_borgere_maskeret_uden_at_slette(team, sagsbehandler, ur, settings):
    fl = factories.forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
    factories.overgang(fl, "afslut", 30, actor=sagsbehandler, aarsag="flyttet")
    cpr = cprlib.decrypt(fl.borger.cpr_krypteret)
    ur(dt.date(2040, 1, 1))
    out = io.StringIO()

    call_command("retention", "--dry-run", stdout=out)

    assert f"{cpr[:6]}-****" in out.getvalue() and cpr not in out.getvalue()
    assert "1 borger(e) ville blive slettet" in out.getvalue()
    assert Borger.objects.filter(pk=fl.borger_id).exists()

    call_command("retention", stdout=out)
    assert "Slettet: 1 borger(e)" in out.getvalue()
    assert not Borger.objects.filter(pk=fl.borger_id).exists()


def test_natligt_job_er_planlagt():
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == "cases.retention"
