"""A real Celery worker against the real Redis broker completes a task that writes to PostgreSQL."""

import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from cases.tasks import health_ping
from config.celery import app
from infra.models import AuditEntry
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_opgave_koerer_gennem_redis_og_worker_og_skriver_i_databasen():
    assert app.conf.broker_url.startswith("redis://"), "the test must use the real Redis broker"
    kommune = factories.KommuneFactory()
    token = str(uuid.uuid4())
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = health_ping.delay(str(kommune.pk), token)
        assert result.get(timeout=20) == {"kommune": kommune.navn, "token": token}
        # Safe to run twice: the second delivery finds the row and adds nothing.
        assert health_ping.delay(str(kommune.pk), token).get(timeout=20)["token"] == token
    assert AuditEntry.objects.filter(handling="system.ping", subject_id=token).count() == 1
