"""What the webhooks app adds to the core's retention job: deliveries that were delivered or given
up are deleted after ``WEBHOOK_RETENTION_DAYS``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from cases import retention

from .models import LeveringStatus, WebhookLevering


def _teknisk(nu: dt.datetime) -> int:
    slettet, _ = WebhookLevering.objects.filter(
        status__in=[LeveringStatus.LEVERET, LeveringStatus.FEJLET],
        oprettet__lt=nu - dt.timedelta(days=settings.WEBHOOK_RETENTION_DAYS),
    ).delete()
    return slettet


BIDRAG = retention.Bidrag(navn="webhooks", teknisk=_teknisk)
