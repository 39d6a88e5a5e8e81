"""Issuing schedules the PDF after commit; a real Celery worker (real Redis) renders it once."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from decisions import services, tasks
from decisions.models import Dokument
from infra.models import AuditEntry
from tests import factories

from .hjaelp import kladde


@pytest.mark.django_db(transaction=True)
def test_udstedelse_giver_pdf_gennem_worker_og_gentagelse_aendrer_intet():
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    d = kladde(fl)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        services.dokument_udsted(actor=fl.sagsbehandler, dokument=d)  # on_commit → render_pdf.delay
        for _ in range(100):
            d = Dokument.objects.get(pk=d.pk)
            if d.pdf_sha256:
                break
            time.sleep(0.2)
        assert d.pdf_sha256, "the worker did not render the PDF"
        assert tasks.render_pdf.delay(str(d.pk)).get(timeout=20) == d.pdf_sha256  # a redelivery
    assert AuditEntry.objects.filter(handling="dokument.pdf", subject_id=str(d.pk)).count() == 1
