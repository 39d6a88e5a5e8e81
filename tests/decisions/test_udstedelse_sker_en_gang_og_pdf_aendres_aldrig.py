"""Issuing has one effect however often it is asked for; the stored PDF never changes; a correction is
a new document that replaces the old one."""

import pytest

from cases.models import Forloeb, OvergangLog
from decisions import services, tasks
from decisions.models import Dokument, DokumentStatus
from infra import udbakke
from infra.models import AuditEntry, UdbakkeBesked
from tests import factories
from tests.cases.test_concurrency import samtidigt

from .hjaelp import kladde, pdf_bytes, udsted


def fleksjob_klar():
    """A forløb where the team recommended fleksjob and the partshøring is answered (decision may be made)."""
    fl = factories.forloeb_i("indstilling", udfald="fleksjob")
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    return fl


def antal(handling, d):
    return AuditEntry.objects.filter(handling=handling, subject_id=str(d.pk)).count()


@pytest.mark.django_db
def test_dobbeltklik_paa_udsted_giver_et_dokument_en_overgang_og_en_pdf():
    fl = fleksjob_klar()
    d = kladde(fl, "fleksjob_visitation", tekst="Du visiteres til fleksjob.")
    foerste = services.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=factories.dag(40))
    anden = services.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=factories.dag(40))
    assert foerste.pk == anden.pk and anden.status == DokumentStatus.UDSTEDT
    assert anden.version == foerste.version
    assert OvergangLog.objects.filter(forloeb=fl, overgang="visiter_fleksjob").count() == 1
    assert antal("dokument.udsted", d) == 1
    services.dokument_render_pdf(d.pk)
    services.dokument_render_pdf(d.pk)
    assert antal("dokument.pdf", d) == 1


@pytest.mark.django_db
def test_gentaget_pdf_opgave_aendrer_ikke_den_gemte_pdf(settings):
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    d = udsted(kladde(fl))
    foer = pdf_bytes(d)
    oprettet = d.pdf.storage.get_created_time(d.pdf.name)
    assert tasks.render_pdf.apply(args=[str(d.pk)]).get() == d.pdf_sha256  # a task retry
    assert tasks.render_pdf.apply(args=[str(d.pk)]).get() == d.pdf_sha256
    d2 = Dokument.objects.get(pk=d.pk)
    assert d2.pdf.name == d.pdf.name and pdf_bytes(d2) == foer
    assert d.pdf.storage.get_created_time(d.pdf.name) == oprettet
    _, navne = d.pdf.storage.listdir(d.pdf.name.rsplit("/", 1)[0])
    assert len([f for f in navne if f.startswith(str(d.pk))]) == 1
    assert antal("dokument.pdf", d) == 1
    with pytest.raises(services.IkkeKladde):
        services.dokument_opdater(actor=fl.sagsbehandler, dokument=d, tekst="Ændret bagefter")
    assert pdf_bytes(d) == foer


@pytest.mark.django_db
def test_rettelse_er_nyt_dokument_der_erstatter_det_gamle():
    fl = fleksjob_klar()
    gammel = udsted(kladde(fl, "fleksjob_visitation", tekst="Du visiteres til fleksjob."), idag=factories.dag(40))
    gammel_pdf = pdf_bytes(gammel)
    tilstand = Forloeb.objects.get(pk=fl.pk).tilstand
    ny = udsted(
        kladde(fl, "fleksjob_visitation", tekst="Rettet: du visiteres til fleksjob.", erstatter=gammel),
        idag=factories.dag(41),
    )
    assert ny.pk != gammel.pk and ny.erstatter_id == gammel.pk
    gammel = Dokument.objects.get(pk=gammel.pk)
    assert gammel.erstattet_af == ny
    assert gammel.status == DokumentStatus.UDSTEDT and pdf_bytes(gammel) == gammel_pdf
    # The correction does not repeat the forløb transition the original performed
    assert Forloeb.objects.get(pk=fl.pk).tilstand == tilstand
    assert OvergangLog.objects.filter(forloeb=fl, overgang="visiter_fleksjob").count() == 1
    assert antal("dokument.erstattet", gammel) == 1
    with pytest.raises(Exception, match="erstattet"):
        kladde(fl, "fleksjob_visitation", erstatter=gammel)


@pytest.mark.django_db(transaction=True)
def test_samtidig_udstedelse_paa_to_forbindelser_giver_et_udstedt_dokument_og_en_pdf(monkeypatch):
    renderinger = []

    def render_nu(ids):  # the outbox's kick after commit, with the worker's task run right here
        for besked in UdbakkeBesked.objects.filter(pk__in=ids, task="decisions.render_pdf"):
            renderinger.append(besked.args[0])
            services.dokument_render_pdf(besked.args[0])

    monkeypatch.setattr(udbakke, "skub", render_nu)
    fl = fleksjob_klar()
    d = kladde(fl, "fleksjob_visitation", tekst="Du visiteres til fleksjob.")
    renderinger.clear()
    ud = samtidigt(
        lambda: services.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=factories.dag(40)),
        lambda: services.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=factories.dag(40)),
    )
    assert [r[0] for r in ud] == ["ok", "ok"], ud
    assert renderinger == [str(d.pk)]
    d = Dokument.objects.get(pk=d.pk)
    assert d.status == DokumentStatus.UDSTEDT and d.pdf_sha256
    assert antal("dokument.udsted", d) == 1 and antal("dokument.pdf", d) == 1
    assert OvergangLog.objects.filter(forloeb=fl, overgang="visiter_fleksjob").count() == 1
