"""Celery tasks of the cases app. Tasks take ids, are safe to run twice, and exit early when done."""

import datetime as dt
import logging

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cases import frister, signals
from infra import audit, context, datoer

from . import retention as job
from .models import Kommune, Notifikation, OvergangLog
from .services.register import register_opdater_aabne

logger = logging.getLogger(__name__)


def koe_bivirkning(task, *args) -> None:
    """Queue an idempotent side effect after commit without letting the broker break the request.

    Fire-and-forget (``ignore_result``): waiting for a result is what made ``.delay`` block ~20 s
    and then raise when Redis was down. If the broker cannot take the task, it runs here, in
    this process, instead (the tasks are idempotent), so the page answers and nothing is lost.
    """
    try:
        task.apply_async(args, ignore_result=True)
    except Exception:
        logger.warning("broker unavailable: running %s in-process", task.name, exc_info=True)
        task.apply(args)


class Bivirkning(Task):
    """A task whose ``.delay`` (used after commit by the services) goes through ``koe_bivirkning``."""

    def delay(self, *args, **kwargs):
        if kwargs:
            return super().delay(*args, **kwargs)
        return koe_bivirkning(self, *args)


@shared_task(name="cases.health_ping")
def health_ping(kommune_id: str, token: str) -> dict:
    """A round trip through broker, worker and database, used by the health check and tests.

    Idempotent: a second run with the same token finds the audit row and does nothing.
    """
    kommune = Kommune.objects.get(pk=kommune_id)
    with transaction.atomic():
        if not audit.AuditEntry.objects.filter(handling="system.ping", subject_id=token).exists():
            audit.AuditEntry(
                actor_type="system", actor_navn="celery", handling="system.ping", subject_type="ping",
                subject_id=token, kommune_id=kommune.pk, kilde="task cases.health_ping",
            ).save(force_insert=True)  # fmt: skip
    return {"kommune": kommune.navn, "token": token}


@shared_task(name="cases.frist_sweep")
def frist_sweep() -> dict:
    """Beat: mark overdue deadlines, create warnings and escalations (exactly once), then mail."""
    resultat = frister.sweep()
    if resultat.notifikationer:
        send_notifikationsmails.delay()
    logger.info("frist sweep: %s", resultat)
    return resultat.__dict__


@shared_task(name="cases.send_notifikationsmails", base=Bivirkning)
def send_notifikationsmails(batch: int = 500) -> int:
    """Send e-mail for notifications not yet mailed. Rows are claimed with SKIP LOCKED, so two
    workers never mail the same notification; a mail is marked sent in the same transaction."""
    sendt = 0
    while True:
        with transaction.atomic():
            rows = list(
                Notifikation.objects.select_for_update(skip_locked=True)
                .filter(email_sendt__isnull=True, modtager__email__gt="")
                .select_related("modtager")
                .order_by("id")[:batch]
            )
            if not rows:
                return sendt
            for n in rows:
                # No personal data in the subject or body: the link leads to the case behind login.
                send_mail(
                    subject=f"Sagsforløb: {n.titel}",
                    message=_mailtekst(n),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[n.modtager.email],
                )
                n.email_sendt = timezone.now()
            Notifikation.objects.bulk_update(rows, ["email_sendt"])
            sendt += len(rows)


def _mailtekst(n: Notifikation) -> str:
    if n.fristliste is None:
        return f"{n.titel}\n\n{n.tekst}\n\nSe sagen i Sagsforløb: /forloeb/{n.forloeb_id}/"
    linjer = "\n".join(
        f"- {linje['navn']}, forfald {datoer.dansk_dato(dt.date.fromisoformat(linje['forfald']))}: "
        f"/forloeb/{linje['forloeb']}/"
        for linje in n.fristliste
    )
    return f"{n.titel}\n\n{n.tekst}\n\n{linjer}\n\nSe listen i Sagsforløb under Notifikationer."


@shared_task(name="cases.efter_overgang", base=Bivirkning)
def efter_overgang(log_id: int) -> None:
    """Side effects of a transition, after commit: tell the owner when someone else moved the case."""
    signals.overgang_udfoert.send(sender=OvergangLog, log_id=log_id)  # webhooks: forloeb.overgang
    log = OvergangLog.objects.select_related("forloeb").filter(pk=log_id).first()
    if log is None or log.forloeb.sagsbehandler_id is None:
        return
    if log.actor_type == "user" and log.actor_id == str(log.forloeb.sagsbehandler_id):
        return
    Notifikation.objects.get_or_create(
        modtager_id=log.forloeb.sagsbehandler_id,
        forloeb=log.forloeb,
        frist=None,
        taerskel=f"overgang-{log.pk}",
        defaults={
            "niveau": "info",
            "titel": f"{log.actor_navn} har flyttet et forløb: {log.overgang.replace('_', ' ')}",
            "tekst": f"Forløbet er nu i tilstanden {log.til_tilstand}.",
        },
    )


@shared_task(name="cases.retention")
def retention() -> dict:
    """Beat, nightly: delete citizens, audit rows and technical data past their retention period."""

    with context.bound(context.RequestContext(kilde="task cases.retention")):
        return job.koer().__dict__


@shared_task(name="cases.cpr_register_opdatering")
def cpr_register_opdatering() -> dict:
    """Beat, nightly: refresh the CPR register facts of every living citizen with an open forløb."""
    with context.bound(context.RequestContext(kilde="task cases.cpr_register_opdatering")):
        resultat = register_opdater_aabne()
    logger.info("cpr register refresh: %s", resultat)
    return resultat
