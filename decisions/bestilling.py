"""Sending that waits for the PDF.

A document's PDF is rendered by a Celery task after the issuing transaction has committed
(``decisions.tasks.render_pdf``), never in the request that issues it. A caseworker who wants a
letter sent as soon as it is issued orders the send (:func:`dokument_afsend_bestil`): the channel
is checked against the citizen at once (a refusal is immediate and records nothing), and the order
is kept on the document. The rendering task's second step (:func:`bestilt_afsendelse_udfoer`) sends
it, as the caseworker who ordered it, once the PDF is stored. A send refused at that moment (the
citizen's channel changed meanwhile) keeps its reason on the document, so the page shows it and
offers the send again: an order is never silently lost.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.models import User
from cases.selectors import forloeb_for
from infra import audit

# ``services`` as a module: it imports the tasks, which import this module (names resolve at call time).
from . import services
from .models import VAELG_KANAL, Dokument, DokumentStatus, Forsendelse, Kanal
from .pdf import dokument_render_pdf

#: The audit actor of a refused order (the order itself names the caseworker).
SYSTEM = audit.SystemActor("afsendelse efter pdf")


def dokument_afsend_bestil(*, actor, dokument: Dokument, kanal: str) -> Forsendelse | None:
    """Send the issued document with ``kanal``: now when its PDF is stored (the delivery is returned),
    otherwise as soon as the rendering task has stored it (the order is recorded; None is returned).
    Refused at once, recording nothing: an unknown channel, a document not issued, a channel the
    citizen cannot receive on. A document already sent returns its delivery."""
    if not forloeb_for(actor).filter(pk=dokument.forloeb_id).exists():
        raise PermissionDenied
    if kanal not in Kanal.values:  # no channel is never assumed
        raise ValidationError({"kanal": "Ukendt forsendelseskanal." if kanal else VAELG_KANAL})
    if not isinstance(actor, User):
        raise PermissionDenied("Kun en medarbejder kan bestille en afsendelse.")
    with transaction.atomic():
        d = Dokument.objects.select_for_update().select_related("forloeb__borger").get(pk=dokument.pk)
        if d.status == DokumentStatus.AFSENDT:
            return d.gaeldende_forsendelse
        if d.status != DokumentStatus.UDSTEDT:
            raise services.ForsendelseFejl("Dokumentet skal udstedes, før det kan sendes.", kode="ikke_udstedt")
        if fejl := services.kanal_fejl(d.forloeb.borger, kanal):
            raise fejl
        if d.pdf_sha256:
            return services.dokument_afsend(actor=actor, dokument=d, kanal=kanal)
        d.afsendelse_kanal, d.afsendelse_bestilt_af, d.afsendelse_fejl = kanal, actor, ""
        d.save(update_fields=["afsendelse_kanal", "afsendelse_bestilt_af", "afsendelse_fejl", "opdateret"])
        audit.record(
            actor=actor,
            handling="dokument.afsend_bestil",
            subject=d,
            borger_id=d.forloeb.borger_id,
            kommune_id=d.kommune_id,
            efter={"kanal": kanal},
        )
    return None


def bestilt_afsendelse_udfoer(dokument_id) -> Forsendelse | None:
    """Send a document whose send was ordered, now that its PDF is stored: the rendering task's
    second step. Safe to run twice (a sent document has no order left). A refusal (the citizen's
    channel changed meanwhile, the caseworker lost access) ends the order and keeps the reason
    in ``afsendelse_fejl``; a failure of the delivery itself (Digital Post down) raises, so the
    task retries and the order stays."""
    with transaction.atomic():
        d = (
            Dokument.objects.select_for_update(of=("self",))
            .select_related("afsendelse_bestilt_af", "forloeb")
            .get(pk=dokument_id)
        )
        if not d.afsendelse_kanal or not d.pdf_sha256:
            return None
        if d.status != DokumentStatus.UDSTEDT:
            Dokument.objects.filter(pk=d.pk).update(afsendelse_kanal="")
            return None
        try:
            with transaction.atomic():
                return services.dokument_afsend(actor=d.afsendelse_bestilt_af, dokument=d, kanal=d.afsendelse_kanal)
        except PermissionDenied:
            besked = "Den medarbejder, der bestilte afsendelsen, har ikke længere adgang til sagen."
        except (services.ForsendelseFejl, ValidationError) as exc:
            besked = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        Dokument.objects.filter(pk=d.pk).update(afsendelse_kanal="", afsendelse_fejl=besked)
        audit.record(
            actor=SYSTEM,
            handling="dokument.afsend_afvist",
            subject=d,
            borger_id=d.forloeb.borger_id,
            kommune_id=d.kommune_id,
            efter={"kanal": d.afsendelse_kanal, "bestilt_af": d.afsendelse_bestilt_af_id, "fejl": besked},
        )
    return None


def dokument_pdf_dan(dokument_id) -> Dokument:
    """The rendering task's work: render the issued document's PDF once, then carry out a send
    ordered while it was being rendered. Each step is idempotent."""
    d = dokument_render_pdf(dokument_id)
    bestilt_afsendelse_udfoer(dokument_id)
    return d


def dokument_pdf_sikr(dokument: Dokument) -> Dokument:
    """The issued document with its stored PDF, for the decision page's download and status poll
    when no worker has rendered it a few seconds after issue: the rendering task's work runs here,
    in this process, instead (idempotent: the row lock and the stored hash make it run once)."""
    if dokument.status != DokumentStatus.KLADDE and not dokument.pdf_sha256:
        dokument_pdf_dan(dokument.pk)
        dokument.refresh_from_db()
    return dokument
