"""The transactional outbox: side effects that go through Celery never make a request wait on Redis.

A service calls :func:`koe` inside its transaction; that writes an :class:`~infra.models.UdbakkeBesked`
row, so the side effect is committed (or rolled back) with the change. After commit a best-effort
*kick* hands this transaction's rows to the broker over a connection with short timeouts
(``UDBAKKE_SKUB_TIMEOUT``, 0.5 s per socket operation, one attempt, ~1 s at most in all); if Redis
is down or hung the rows simply stay. The relay (:func:`relay`, the beat task ``infra.udbakke_relay``
every ``UDBAKKE_RELAY_SEKUNDER``) sends every row still waiting, so the outbox drains when Redis is
back. Delivery is at-least-once (a kick and the relay may both send a row in a narrow race, a worker
may die): every task relayed this way is idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from infra.models import UdbakkeBesked

logger = logging.getLogger(__name__)

Publicer = Callable[[UdbakkeBesked], None]


def koe(task: str, *args, countdown: float | None = None) -> UdbakkeBesked:
    """Queue ``task(*args)`` with the current transaction (call it inside the change's ``atomic``)."""
    eta = timezone.now() + dt.timedelta(seconds=countdown) if countdown else None
    besked = UdbakkeBesked.objects.create(task=task, args=list(args), eta=eta)
    transaction.on_commit(lambda: skub([besked.pk]), robust=True)
    return besked


def _kort_forbindelse():
    """A broker connection that gives up fast: one attempt, short connect and socket timeouts."""
    timeout = float(settings.UDBAKKE_SKUB_TIMEOUT)
    return current_app.connection_for_write(
        connect_timeout=timeout,
        transport_options={
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            "max_retries": 0,
            "retry_on_timeout": False,
        },
    )


def _send(besked: UdbakkeBesked, connection=None) -> None:
    options: dict[str, object] = {"ignore_result": True}
    if connection is not None:
        options["retry"] = False
    if besked.eta and besked.eta > timezone.now():
        options["eta"] = besked.eta
    current_app.send_task(besked.task, args=besked.args, connection=connection, **options)


def _udsend(ids: list[int] | None, publicer: Publicer, frist: float | None) -> int:
    """Send the waiting rows (``ids`` or all), each claimed with SKIP LOCKED so two relays never
    send one row; stop at the first broker failure or when ``frist`` (monotonic) has passed."""
    sendt = 0
    while True:
        with transaction.atomic():
            qs = UdbakkeBesked.objects.select_for_update(skip_locked=True).filter(sendt__isnull=True)
            if ids is not None:
                qs = qs.filter(pk__in=ids)
            rows = list(qs.order_by("id")[:200])
            if not rows:
                return sendt
            for besked in rows:
                if frist is not None and time.monotonic() > frist:
                    return sendt
                try:
                    publicer(besked)
                except Exception as exc:  # noqa: BLE001 - any broker failure: the row waits for the relay
                    UdbakkeBesked.objects.filter(pk=besked.pk).update(
                        forsoeg=besked.forsoeg + 1, sidste_fejl=f"{type(exc).__name__}: {exc}"[:500]
                    )
                    logger.warning("outbox: broker unavailable (%s); %s waits for the relay", type(exc).__name__,
                                   besked.task)  # fmt: skip
                    return sendt
                UdbakkeBesked.objects.filter(pk=besked.pk).update(sendt=timezone.now(), forsoeg=besked.forsoeg + 1)
                sendt += 1
            if ids is not None:
                return sendt


def skub(ids: list[int]) -> int:
    """After commit: try once, briefly, to hand these rows to the broker (never raises)."""
    start = time.monotonic()
    try:
        with _kort_forbindelse() as connection:
            return _udsend(ids, lambda b: _send(b, connection), start + float(settings.UDBAKKE_SKUB_TIMEOUT) * 2)
    except Exception as exc:  # noqa: BLE001 - the relay sends what the kick could not
        logger.warning("outbox kick failed (%s); the relay sends the rows", type(exc).__name__)
        return 0


def relay(publicer: Publicer | None = None) -> int:
    """Send every waiting row (the beat task; ``publicer`` replaces the broker in tests) and forget
    rows sent more than ``UDBAKKE_BEHOLD_DAGE`` days ago. Returns the number sent."""
    sendt = _udsend(None, publicer or _send, None)
    graense = timezone.now() - dt.timedelta(days=settings.UDBAKKE_BEHOLD_DAGE)
    UdbakkeBesked.objects.filter(sendt__lt=graense).delete()
    return sendt


def koer_i_processen(besked: UdbakkeBesked) -> None:
    """A ``publicer`` that runs the task here (tests, and ``manage.py`` tools without a worker)."""
    current_app.loader.import_default_modules()  # the apps' tasks modules, as a worker imports them
    current_app.tasks[besked.task].apply(besked.args)
