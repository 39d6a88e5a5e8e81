"""Webhooks: signed, retried, logged deliveries of events to API clients' URLs (../shared/API.md).

``udsend`` runs inside the transaction that causes the event and only writes delivery rows; the
Celery task ``cases.lever_webhook`` is queued through the transactional outbox (infra/udbakke.py),
so neither a slow or dead receiver nor a hung broker blocks or fails the request. No database row
lock is held during the POST: a worker takes a short lease on the row (``laast_til``), commits,
POSTs, and records the outcome in a second transaction. The rows are the delivery log: every
attempt updates the row, the last failure is kept, and a delivery that used all its attempts is
``fejlet`` (visible, replayable with ``genafspil``), never dropped.

Receivers verify ``X-Signatur: sha256=<hex>``: HMAC-SHA256 of the exact body bytes with the
subscription's secret; they deduplicate on the payload's ``id`` (one per event).
Payloads carry ids and masked values only; anything shaped like a CPR number is masked on the way in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import uuid
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models import Frist, FristStatus, OvergangLog
from infra import audit, udbakke
from infra.fejl import DomaeneFejl
from infra.logging import mask_text
from webhooks import modtager
from webhooks.models import HaendelseType, LeveringStatus, WebhookAbonnement, WebhookLevering
from webhooks.modtager import adresse_fejl  # noqa: F401  (part of the service API)

logger = logging.getLogger(__name__)

NAMESPACE = uuid.UUID("5b0c7f3e-8a52-4f0e-9d7a-3f1f2f0e6a11")

#: A client receives an event kind only while it holds the scope to read what the event is about.
SCOPE_FOR_HAENDELSE = {
    HaendelseType.FORLOEB_OVERGANG: "forloeb:read",
    HaendelseType.FRIST_OVERSKREDET: "forloeb:read",
    HaendelseType.AFGOERELSE_UDSTEDT: "afgoerelser:read",
    HaendelseType.AFTALE_GODKENDT: "aftaler:write",
    HaendelseType.AFTALE_AFVIST: "aftaler:write",
}

# Audit codes of actions on subscriptions and deliveries (no citizen involved).
AUDIT_OPRET = "webhook.opret"
AUDIT_SLET = "webhook.slet"
AUDIT_GENAFSPIL = "webhook.genafspil"

SIGNATUR_HEADER = "X-Signatur"
USER_AGENT = "Sagsforloeb-Webhook/1"
_SLACK = dt.timedelta(seconds=1)
LEVER_TASK = "cases.lever_webhook"
#: Returned by :func:`lever` when another worker holds the lease: try again when it has run out.
LAAST = "laast"


def lejetid() -> dt.timedelta:
    """How long a worker may hold a delivery: longer than any POST can take (connect, send, read)."""
    return dt.timedelta(seconds=3 * float(settings.WEBHOOK_TIMEOUT_SEKUNDER) + 5)


class IkkeAktivt(DomaeneFejl):
    """The delivery's subscription (or its client) is no longer active."""

    status = 409
    slug = "abonnement-inaktivt"
    standard_besked = "Abonnementet er stoppet eller klienten deaktiveret; kan ikke genafspilles."


def haendelse_id(haendelse: str, noegle) -> uuid.UUID:
    """A stable event id, so emitting the same event twice (a task run twice) delivers it once."""
    return uuid.uuid5(NAMESPACE, f"{haendelse}:{noegle}")


def signatur(hemmelighed: str, body: bytes) -> str:
    return "sha256=" + hmac.new(hemmelighed.encode(), body, hashlib.sha256).hexdigest()


def _uden_cpr(value):
    if isinstance(value, str):
        masked = mask_text(value)
        if masked != value:
            logger.error("webhook payload contained a CPR-like value; it was masked")
        return masked
    if isinstance(value, dict):
        return {k: _uden_cpr(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_uden_cpr(v) for v in value]
    return value


# --- Emission ------------------------------------------------------------------------------------
def abonnenter(haendelse: str):
    """Active subscriptions to ``haendelse`` whose client is active and holds the event's scope."""
    return WebhookAbonnement.objects.filter(
        aktiv=True,
        klient__aktiv=True,
        klient__scopes__contains=[SCOPE_FOR_HAENDELSE[HaendelseType(haendelse)]],
        haendelser__contains=[haendelse],
    ).order_by("oprettet", "id")


def udsend(
    *,
    kommune_id,
    haendelse: str,
    data: dict,
    haendelse_id: uuid.UUID | None = None,
    tidspunkt: dt.datetime | None = None,
    abonnementer: list[WebhookAbonnement] | None = None,
) -> list[uuid.UUID]:
    """Create one delivery per active subscription to ``haendelse`` among the municipality's clients
    and schedule them after commit. Call inside the transaction of the change. Returns new row ids.

    ``abonnementer``: the subscriptions from :func:`abonnenter`, when one caller emits many events
    of one kind (the sweep), so they are read once instead of once per event."""
    if haendelse not in HaendelseType.values:
        raise ValueError(f"Ukendt webhook-hændelse: {haendelse}")
    event_id = haendelse_id or uuid.uuid4()
    payload = {
        "id": str(event_id),
        "haendelse": haendelse,
        "tidspunkt": (tidspunkt or timezone.now()).isoformat(),
        "data": _uden_cpr(audit.jsonable(data)),
    }
    if abonnementer is None:
        abonnementer = abonnenter(haendelse).filter(klient__kommune_id=kommune_id)
    nye: list[uuid.UUID] = []
    with transaction.atomic():
        for abonnement in abonnementer:
            levering, oprettet = WebhookLevering.objects.get_or_create(
                abonnement=abonnement,
                haendelse_id=event_id,
                defaults={"haendelse": haendelse, "payload": payload, "naeste_forsoeg": timezone.now()},
            )
            if oprettet:
                nye.append(levering.pk)
        for pk in nye:
            udbakke.koe(LEVER_TASK, str(pk))  # the outbox: committed with the change
    return nye


def udsend_overgang(log_id: int) -> list[uuid.UUID]:
    """``forloeb.overgang`` for one transition (idempotent: the event id derives from the log row)."""
    log = OvergangLog.objects.select_related("forloeb").filter(pk=log_id).first()
    if log is None:
        return []
    return udsend(
        kommune_id=log.forloeb.kommune_id,
        haendelse=HaendelseType.FORLOEB_OVERGANG,
        haendelse_id=haendelse_id(HaendelseType.FORLOEB_OVERGANG, log.pk),
        tidspunkt=log.tidspunkt,
        data={
            "forloeb": log.forloeb_id,
            "overgang": log.overgang,
            "fra": log.fra_tilstand,
            "til": log.til_tilstand,
            "dato": log.dato,
        },
    )


def udsend_overskredne(markeret: dt.datetime) -> None:
    """``frist.overskredet`` webhooks for the deadlines this sweep marked, in the municipalities
    where a client subscribes to it (nothing is read when nobody does). The event id derives from
    the deadline, so a repeated sweep or a second worker never sends it twice."""
    pr_kommune = defaultdict(list)
    for abonnement in abonnenter(HaendelseType.FRIST_OVERSKREDET).select_related("klient"):
        pr_kommune[abonnement.klient.kommune_id].append(abonnement)
    if not pr_kommune:
        return
    ramte = Frist.objects.filter(
        overskredet_tidspunkt=markeret, status=FristStatus.OVERSKREDET, kommune_id__in=list(pr_kommune)
    ).only("id", "forloeb_id", "kommune_id", "art", "ansvar", "gaeldende_forfald")
    for frist in ramte.iterator():
        udsend(
            kommune_id=frist.kommune_id,
            haendelse=HaendelseType.FRIST_OVERSKREDET,
            haendelse_id=haendelse_id(HaendelseType.FRIST_OVERSKREDET, frist.pk),
            abonnementer=pr_kommune[frist.kommune_id],
            data={
                "frist": frist.pk,
                "forloeb": frist.forloeb_id,
                "art": frist.art,
                "ansvar": frist.ansvar,
                "forfald": frist.gaeldende_forfald,
            },
        )


def paa_domaenehaendelse(*, haendelse: str, kommune_id, data: dict, noegle=None, tidspunkt=None, **_) -> None:
    """Receiver of ``cases.signals.domaenehaendelse``: the kinds a client can subscribe to become deliveries."""
    if haendelse not in HaendelseType.values:
        return
    udsend(
        kommune_id=kommune_id,
        haendelse=haendelse,
        data=data,
        haendelse_id=haendelse_id(haendelse, noegle) if noegle is not None else None,
        tidspunkt=tidspunkt,
    )


def planlaeg(levering_ids, countdown: float | None = None) -> None:
    """Queue the deliveries. A broker failure is logged, not raised: the sweep picks the rows up."""
    levering_ids = list(levering_ids)
    for i, pk in enumerate(levering_ids):
        try:
            lever_webhook.apply_async((str(pk),), countdown=countdown)
        except Exception:
            # The broker is down: the rest would fail the same way, ~1 s each. The sweep queues them.
            logger.exception("could not queue webhook delivery %s (%s more left to the sweep)", pk,
                             len(levering_ids) - i - 1)  # fmt: skip
            break


# --- Subscriptions ------------------------------------------------------------------------------
def abonnement_opret(*, actor, url: str, haendelser: list[str]) -> WebhookAbonnement:
    """An API client subscribes ``url`` to event kinds (the caller has checked address and scopes)."""
    with transaction.atomic():
        abonnement = WebhookAbonnement.objects.create(klient=actor.klient, url=url, haendelser=haendelser)
        audit.record(
            actor=actor,
            handling=AUDIT_OPRET,
            subject=abonnement,
            kommune_id=abonnement.klient.kommune_id,
            efter={"url": abonnement.url, "haendelser": abonnement.haendelser},
        )
    return abonnement


def abonnement_stop(*, actor, abonnement: WebhookAbonnement) -> None:
    """Stop a subscription. Its delivery log stays; pending deliveries are not sent."""
    with transaction.atomic():
        WebhookAbonnement.objects.filter(pk=abonnement.pk).update(aktiv=False)
        audit.record(
            actor=actor,
            handling=AUDIT_SLET,
            subject=abonnement,
            kommune_id=abonnement.klient.kommune_id,
            foer={"url": abonnement.url, "haendelser": abonnement.haendelser},
        )


# --- Delivery ------------------------------------------------------------------------------------
def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST once, to the address that was checked (webhooks/modtager.py)."""
    return modtager.post(url, body, headers)


def backoff(forsoeg: int) -> float:
    """Countdown before the next attempt after ``forsoeg`` failed attempts: base × 2^(forsoeg-1)."""
    return float(settings.WEBHOOK_BACKOFF_SEKUNDER) * (2 ** max(forsoeg - 1, 0))


def lever(levering_id) -> str | None:
    """Make one attempt. Safe to run twice and concurrently: a worker leases the row (``laast_til``)
    in a short transaction, POSTs with no transaction open and no row locked, then records the
    outcome; a second worker meanwhile gets :data:`LAAST`. A delivered or failed row is not sent
    again, and a run that arrives before the scheduled retry leaves it to that retry. Returns the
    status afterwards (None when skipped). A worker that dies during the POST leaves the lease to
    run out and the attempt uncounted: the delivery is sent again (at-least-once)."""
    with transaction.atomic():
        levering = (
            WebhookLevering.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("abonnement__klient")
            .filter(pk=levering_id)
            .first()
        )
        if levering is None:
            return None  # gone, or another worker is leasing it right now
        if levering.status != LeveringStatus.AFVENTER:
            return levering.status
        now = timezone.now()
        if levering.laast_til and levering.laast_til > now:
            return LAAST
        if levering.naeste_forsoeg and levering.naeste_forsoeg > now + _SLACK:
            return None  # a scheduled retry will come
        abonnement = levering.abonnement
        if not (abonnement.aktiv and abonnement.klient.aktiv):
            levering.status = LeveringStatus.FEJLET
            levering.sidste_fejl = "Abonnementet er slettet, eller API-klienten er deaktiveret."
            levering.naeste_forsoeg = None
            levering.save(update_fields=["status", "sidste_fejl", "naeste_forsoeg"])
            return levering.status
        levering.laast_til = now + lejetid()
        levering.save(update_fields=["laast_til"])

    body = json.dumps(levering.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    kode, fejl = _post(
        abonnement.url,
        body,
        {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            SIGNATUR_HEADER: signatur(abonnement.hemmelighed, body),
            "X-Haendelse": levering.haendelse,
            "X-Levering-Id": str(levering.pk),
        },
    )
    return _registrer_forsoeg(levering.pk, kode, fejl)


def _registrer_forsoeg(pk, kode: int | None, fejl: str) -> str | None:
    """The outcome of one POST, in its own short transaction; the lease ends."""
    with transaction.atomic():
        levering = WebhookLevering.objects.select_for_update().filter(pk=pk).first()
        if levering is None:
            return None
        now = timezone.now()
        levering.laast_til = None
        levering.forsoeg += 1
        levering.sidste_status_kode = kode
        if kode is not None and 200 <= kode < 300:
            levering.status = LeveringStatus.LEVERET
            levering.leveret = now
            levering.sidste_fejl = ""
            levering.naeste_forsoeg = None
        else:
            levering.sidste_fejl = (fejl or f"HTTP {kode}")[:500]
            if levering.forsoeg >= settings.WEBHOOK_MAX_FORSOEG:
                levering.status = LeveringStatus.FEJLET
                levering.naeste_forsoeg = None
            else:
                countdown = backoff(levering.forsoeg)
                levering.naeste_forsoeg = now + dt.timedelta(seconds=countdown)
                udbakke.koe(LEVER_TASK, str(levering.pk), countdown=countdown)
        levering.save(
            update_fields=[
                "status", "forsoeg", "sidste_status_kode", "sidste_fejl", "naeste_forsoeg", "leveret", "laast_til",
            ]
        )  # fmt: skip
        if levering.status == LeveringStatus.FEJLET:
            logger.warning("webhook delivery %s failed after %s attempts", levering.pk, levering.forsoeg)
        return levering.status


def genafspil(levering: WebhookLevering, *, actor=None) -> WebhookLevering:
    """Replay a delivery from the log: back to ``afventer`` with fresh attempts, queued after commit."""
    with transaction.atomic():
        laast = WebhookLevering.objects.select_for_update(of=("self",)).select_related("abonnement__klient")
        lev = laast.get(pk=levering.pk)  # waits while a worker is sending it
        if not (lev.abonnement.aktiv and lev.abonnement.klient.aktiv):
            raise IkkeAktivt()
        foer = {"status": lev.status, "forsoeg": lev.forsoeg}
        lev.status = LeveringStatus.AFVENTER
        lev.forsoeg = 0
        lev.naeste_forsoeg = timezone.now()
        lev.leveret = None
        lev.save(update_fields=["status", "forsoeg", "naeste_forsoeg", "leveret"])
        audit.record(
            actor=actor or audit.SystemActor("webhook"),
            handling=AUDIT_GENAFSPIL,
            subject=lev,
            kommune_id=lev.abonnement.klient.kommune_id,
            foer=foer,
            efter={"status": lev.status},
        )
        udbakke.koe(LEVER_TASK, str(lev.pk))
    return lev


def sweep(grace: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Re-queue deliveries whose task was lost (broker down at commit, worker lost): still
    ``afventer`` well after their planned attempt. Duplicates are harmless (``lever`` is guarded)."""
    ids = list(
        WebhookLevering.objects.filter(
            status=LeveringStatus.AFVENTER, naeste_forsoeg__lt=timezone.now() - grace
        ).values_list("pk", flat=True)[:1000]
    )
    planlaeg(ids)
    return len(ids)


@shared_task(name=LEVER_TASK, ignore_result=True)
def lever_webhook(levering_id: str) -> str | None:
    status = lever(levering_id)
    if status == LAAST:  # a worker holds it (or died holding it): look again when the lease has run out
        udbakke.koe(LEVER_TASK, str(levering_id), countdown=lejetid().total_seconds() + 1)
    return status


@shared_task(name="cases.webhook_sweep")
def webhook_sweep() -> int:
    return sweep()
