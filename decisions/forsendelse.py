"""Digital Post after commit: send, receipts, and the fall-back to physical post.

``services.dokument_afsend`` records a Digital Post letter as ordered (``bestilt``) in its
transaction and queues :func:`send_digitalt` for after commit: no network call ever runs inside a
transaction or holds a row lock. The task asks Digital Post first whether the citizen can receive
it (exempt: physical post at once), then hands over the MeMo message (decisions/memo.py) with the
decision PDF as its main document. A timeout or a 5xx is retried by the task (with back-off) up to
``DIGITAL_POST_MAX_FORSOEG`` attempts; a refused message, an exempt citizen, a failed receipt or
the attempts running out all end the same way: the letter goes by physical post (a new delivery
that replaces the failed one), the klagefrist is moved to that letter's receipt, and the caseworker
is told to post it. A delivered receipt fixes the receipt day: the klagefrist runs from it (it was
started provisionally on the sending day, the day Digital Post normally delivers).

Each step locks the delivery row, re-checks its status and is safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases import frister, regelkatalog
from cases.models import Notifikation, NotifikationNiveau
from infra import audit, datoer
from infra import cpr as cprlib

from . import digitalpost, memo
from .models import Forsendelse, ForsendelseStatus, Kanal, Kvittering, KvitteringStatus

logger = logging.getLogger(__name__)
SYSTEM = audit.SystemActor("digital post")


class ProevIgen(Exception):
    """Digital Post had no usable answer; the task retries."""


def modtaget_dato(kanal: str, afsendt: dt.date, kommune_id) -> dt.date:
    """Digital Post and hand-over count as received the same day; a letter after N delivery days."""
    if kanal == Kanal.FYSISK_POST:
        return afsendt + dt.timedelta(days=int(regelkatalog.parameter("post_leveringsdage", kommune_id, afsendt, 6)))
    return afsendt


def _pdf(f: Forsendelse) -> bytes:
    d = f.dokument
    d.pdf.open("rb")
    try:
        return d.pdf.read()
    finally:
        d.pdf.close()


def send_digitalt(forsendelse_id) -> str:
    """Hand an ordered Digital Post letter over (the task's work). Returns the delivery's status."""
    f = Forsendelse.objects.select_related("dokument__forloeb__borger", "dokument__kommune").get(pk=forsendelse_id)
    if f.status != ForsendelseStatus.BESTILT or f.memo_uuid is None:
        return f.status
    borger = f.dokument.forloeb.borger
    cpr = cprlib.decrypt(borger.cpr_krypteret)
    post = digitalpost.adapter()
    try:
        if not post.modtager_tjek(cpr):
            return fald_tilbage(f.pk, "Borgeren er fritaget for Digital Post.")
        besked = memo.byg(
            message_uuid=f.memo_uuid,
            label=f.dokument.titel,
            juridisk=f.dokument.er_afgoerelse,
            afsender_cvr=settings.DIGITAL_POST_AFSENDER_CVR,
            afsender_navn=f.dokument.kommune.navn,
            modtager_cpr=cpr,
            oprettet=f.afsendt,
            dokument_id=str(f.dokument_id),
            pdf=_pdf(f),
        )
        afsendt = post.send(forsendelse=f, memo=besked, pdf=_pdf(f), modtager_cpr=cpr)
    except digitalpost.DigitalPostAfvist as exc:
        logger.warning("Digital Post afviste meddelelse %s (%s)", f.memo_uuid, exc)
        return fald_tilbage(f.pk, "Digital Post afviste brevet.")
    except digitalpost.DigitalPostUtilgaengelig as exc:
        with transaction.atomic():
            locked = Forsendelse.objects.select_for_update().get(pk=f.pk)
            locked.forsoeg += 1
            locked.fejl = f"Digital Post svarede ikke ({exc})."[:300]
            locked.save(update_fields=["forsoeg", "fejl"])
        logger.warning("Digital Post: meddelelse %s, forsøg %s: intet svar", f.memo_uuid, locked.forsoeg)
        if locked.forsoeg >= settings.DIGITAL_POST_MAX_FORSOEG:
            return fald_tilbage(f.pk, "Digital Post svarede ikke efter gentagne forsøg.")
        raise ProevIgen(str(exc)) from None
    with transaction.atomic():
        locked = Forsendelse.objects.select_for_update().get(pk=f.pk)
        if locked.status != ForsendelseStatus.BESTILT:
            return locked.status
        locked.status, locked.reference, locked.fejl = ForsendelseStatus.AFSENDT, afsendt.reference, ""
        locked.forsoeg += 1
        locked.save(update_fields=["status", "reference", "fejl", "forsoeg"])
        audit.record(
            actor=SYSTEM,
            handling="forsendelse.digital_post_afsendt",
            subject=locked.dokument,
            borger_id=borger.pk,
            kommune_id=locked.dokument.kommune_id,
            efter={"memo_uuid": str(locked.memo_uuid)},
        )
    if afsendt.kvittering is not None:
        return registrer_kvittering(f.pk, afsendt.kvittering)
    return ForsendelseStatus.AFSENDT


def hent_kvittering(forsendelse_id) -> str:
    """Ask Digital Post for the receipt of a letter handed over; record it when there is one."""
    f = Forsendelse.objects.get(pk=forsendelse_id)
    if f.status != ForsendelseStatus.AFSENDT or f.kanal != Kanal.DIGITAL_POST or not f.reference:
        return f.status
    svar = digitalpost.adapter().kvittering(f.reference)
    if svar is None:
        return f.status
    return registrer_kvittering(f.pk, svar)


def _flyt_klagefrist(f: Forsendelse, ny_dato: dt.date, grund: str) -> None:
    d = f.dokument
    if d.er_afgoerelse:
        frister.flyt_start(
            forloeb=d.forloeb, kode="afgoerelse_modtaget", reference=str(d.pk), ny_dato=ny_dato, grund=grund,
            actor_navn=SYSTEM.navn,
        )  # fmt: skip


def registrer_kvittering(forsendelse_id, svar: digitalpost.Kvitteringssvar) -> str:
    """Record a receipt. Delivered: the receipt day is the day the citizen received the letter (the
    klagefrist moves if it differs from the day assumed). Failed: physical post replaces it."""
    if not svar.leveret:
        with transaction.atomic():
            f = Forsendelse.objects.select_for_update().get(pk=forsendelse_id)
            if f.status in (ForsendelseStatus.AFSENDT, ForsendelseStatus.BESTILT):
                Kvittering.objects.create(
                    forsendelse=f, status=KvitteringStatus.FEJLET, tidspunkt=svar.tidspunkt, aarsag=svar.aarsag[:300]
                )
        return fald_tilbage(forsendelse_id, svar.aarsag or "Digital Post kunne ikke levere brevet.")
    with transaction.atomic():
        f = (
            Forsendelse.objects.select_for_update(of=("self",))
            .select_related("dokument__forloeb")
            .get(pk=forsendelse_id)
        )
        if f.status not in (ForsendelseStatus.AFSENDT, ForsendelseStatus.BESTILT):
            return f.status
        Kvittering.objects.create(forsendelse=f, status=KvitteringStatus.LEVERET, tidspunkt=svar.tidspunkt)
        leveret = datoer.lokal_dato(svar.tidspunkt)
        f.status = ForsendelseStatus.LEVERET
        if leveret != f.modtaget_dato:
            f.modtaget_dato = leveret
            _flyt_klagefrist(f, leveret, f"leveret i Digital Post {datoer.dansk_dato(leveret)}")
        f.save(update_fields=["status", "modtaget_dato"])
        audit.record(
            actor=SYSTEM,
            handling="forsendelse.kvittering",
            subject=f.dokument,
            borger_id=f.dokument.forloeb.borger_id,
            kommune_id=f.dokument.kommune_id,
            efter={"status": "leveret", "modtaget_dato": leveret},
        )
    return ForsendelseStatus.LEVERET


def fald_tilbage(forsendelse_id, aarsag: str) -> str:
    """The Digital Post letter failed: a physical letter replaces it (protected citizens: through the
    protected channel, no address printed), the klagefrist runs from that letter's receipt, and the
    case's caseworker is told to post it (the document page shows it to anyone who opens it)."""
    with transaction.atomic():
        f = (
            Forsendelse.objects.select_for_update(of=("self",))
            .select_related("dokument__forloeb__borger")
            .get(pk=forsendelse_id)
        )
        if f.status not in (ForsendelseStatus.AFSENDT, ForsendelseStatus.BESTILT):
            return f.status
        d, borger = f.dokument, f.dokument.forloeb.borger
        f.status, f.fejl = ForsendelseStatus.FEJLET, aarsag[:300]
        f.save(update_fields=["status", "fejl"])
        nu = timezone.now()
        idag = datoer.lokal_dato(nu)
        fysisk = Forsendelse.objects.create(
            dokument=d,
            kanal=Kanal.FYSISK_POST,
            status=ForsendelseStatus.AFSENDT,
            afsendt=nu,
            afsendt_dato=idag,
            modtaget_dato=modtaget_dato(Kanal.FYSISK_POST, idag, d.kommune_id),
            afsendt_af=SYSTEM.navn,
            beskyttet=borger.adressebeskyttelse,
            erstatter=f,
        )
        _flyt_klagefrist(f, fysisk.modtaget_dato, "Digital Post kunne ikke leveres; sendt med fysisk post")
        if d.forloeb.sagsbehandler_id:
            Notifikation.objects.get_or_create(
                modtager_id=d.forloeb.sagsbehandler_id,
                frist=None,
                taerskel=f"post-{str(fysisk.pk)[:15]}",
                defaults={
                    "forloeb": d.forloeb,
                    "niveau": NotifikationNiveau.VARSEL,
                    "titel": f"Digital Post kunne ikke leveres: {d.titel}"[:200],
                    "tekst": (
                        f"{aarsag} Brevet skal sendes med fysisk post"
                        + (" gennem den beskyttede kanal (navne- og adressebeskyttelse)" if fysisk.beskyttet else "")
                        + f". Borgeren regnes for at have modtaget det {datoer.dansk_dato(fysisk.modtaget_dato)}."
                    ),
                },
            )
        audit.record(
            actor=SYSTEM,
            handling="forsendelse.fysisk_post_i_stedet",
            subject=d,
            borger_id=borger.pk,
            kommune_id=d.kommune_id,
            efter={"aarsag": aarsag, "modtaget_dato": fysisk.modtaget_dato, "beskyttet": fysisk.beskyttet},
        )
    return ForsendelseStatus.FEJLET


def sweep(aeldre_end: dt.timedelta = dt.timedelta(minutes=2)) -> dict:
    """Beat: send what was ordered but never handed over (a lost task), fetch pending receipts."""
    graense = timezone.now() - aeldre_end
    sendt = kvitteringer = fejl = 0
    for pk in Forsendelse.objects.filter(status=ForsendelseStatus.BESTILT, afsendt__lt=graense).values_list(
        "pk", flat=True
    )[:200]:
        try:
            send_digitalt(pk)
            sendt += 1
        except ProevIgen:
            fejl += 1
    for pk in Forsendelse.objects.filter(
        status=ForsendelseStatus.AFSENDT, kanal=Kanal.DIGITAL_POST, reference__startswith="memo:"
    ).values_list("pk", flat=True)[:500]:
        try:
            if hent_kvittering(pk) != ForsendelseStatus.AFSENDT:
                kvitteringer += 1
        except digitalpost.DigitalPostUtilgaengelig:
            fejl += 1
    return {"sendt": sendt, "kvitteringer": kvitteringer, "fejl": fejl}
