"""Celery tasks of the cases app. Tasks take ids, are safe to run twice, and exit early when done."""

from celery import shared_task
from django.db import transaction

from . import audit
from .models import Kommune


@shared_task(name="cases.health_ping")
def health_ping(kommune_id: str, token: str) -> dict:
    """A round trip through broker, worker and database, used by the health check and tests.

    Idempotent: a second run with the same token finds the audit row and does nothing.
    """
    kommune = Kommune.objects.get(pk=kommune_id)
    with transaction.atomic():
        if not audit.AuditEntry.objects.filter(handling="system.ping", subject_id=token).exists():
            audit.AuditEntry(
                actor_type="system",
                actor_navn="celery",
                handling="system.ping",
                subject_type="ping",
                subject_id=token,
                kommune_id=kommune.pk,
                kilde="task cases.health_ping",
            ).save(force_insert=True)
    return {"kommune": kommune.navn, "token": token}
