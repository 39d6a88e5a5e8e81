"""Celery tasks of the infra app."""

from celery import shared_task

from infra import udbakke


@shared_task(name="infra.udbakke_relay", ignore_result=True)
def udbakke_relay() -> int:
    """Beat: hand every outbox row still waiting to the broker (infra/udbakke.py)."""
    return udbakke.relay()
