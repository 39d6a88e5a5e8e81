"""One Celery queue per workload (config/settings/base.py KOEER): a burst of PDFs or a webhook receiver
that is down cannot hold up the deadline sweep, because they wait in different queues in Redis."""

import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from cases import tasks
from config.celery import app
from decisions.tasks import render_pdf
from infra.models import AuditEntry
from tests import factories
from webhooks.services import lever_webhook


@pytest.fixture
def broker():
    r = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    r.delete(*settings.KOEER)
    yield r
    r.delete(*settings.KOEER)


def test_hver_arbejdsbyrde_har_sin_egen_koe_i_redis(broker):
    render_pdf.apply_async((str(uuid.uuid4()),), ignore_result=True)
    lever_webhook.apply_async((str(uuid.uuid4()),), ignore_result=True)
    tasks.frist_sweep.apply_async(ignore_result=True)
    tasks.retention.apply_async(ignore_result=True)
    tasks.health_ping.apply_async((str(uuid.uuid4()), "x"), ignore_result=True)
    assert {k: broker.llen(k) for k in settings.KOEER} == {"celery": 1, "pdf": 1, "webhooks": 1, "sweep": 1, "batch": 1}


@pytest.mark.django_db(transaction=True)
def test_en_worker_paa_sweep_koeen_arbejder_selv_om_pdf_koeen_er_fuld(broker):
    for _ in range(200):  # a burst: two hundred PDFs waiting
        render_pdf.apply_async((str(uuid.uuid4()),), ignore_result=True)
    kommune = factories.KommuneFactory()
    token = str(uuid.uuid4())
    # A worker for the everyday queue answers at once; the PDFs wait for their own workers.
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["celery"]):
            assert tasks.health_ping.delay(str(kommune.pk), token).get(timeout=20)["token"] == token
    finally:
        app.amqp.queues.select(list(settings.KOEER))  # the selection is the app's: give later workers every queue
    assert AuditEntry.objects.filter(handling="system.ping", subject_id=token).count() == 1
    assert broker.llen("pdf") == 200
