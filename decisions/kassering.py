"""Discarding a draft that will not be issued (e.g. an abandoned correction, which otherwise blocks
the next correction of the same decision). A draft has no legal effect: it is deleted with its facts
and answers; the audit row keeps what it was. An issued document is never discarded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError

from cases.selectors import forloeb_for
from infra import audit
from infra.fejl import ForaeldetVersion

from . import rules
from .models import Dokument
from .services import DOKUMENT_AENDRET, DokumentFejl, sikr_kladde
from .udvidelser import FOER_KASSERING


class KanIkkeKasseres(DokumentFejl):
    """A draft that belongs to another record (its own flow) is discarded there, not here."""

    status = 409
    slug = "kan-ikke-kasseres"
    titel = "Kladden kan ikke kasseres"


def kan_kasseres(dokument: Dokument) -> bool:
    """Whether the draft can be discarded here (an own-flow draft only when its app takes it along)."""
    return dokument.type not in rules.EGNE_FLOWS or bool(FOER_KASSERING.get(dokument.type))


def dokument_kasser(*, actor, dokument: Dokument, expected_version: int | None = None) -> None:
    """Discard the draft (the apps' hooks first remove what their own flow made with it)."""
    if not forloeb_for(actor).filter(pk=dokument.forloeb_id).exists():
        raise PermissionDenied
    with transaction.atomic():
        d = Dokument.objects.select_for_update().select_related("forloeb").get(pk=dokument.pk)
        sikr_kladde(d)
        if expected_version is not None and d.version != expected_version:
            raise ForaeldetVersion(DOKUMENT_AENDRET)
        if not kan_kasseres(d):
            raise KanIkkeKasseres(f"Kladden hører til sit eget forløb og kasseres ikke her. {rules.EGNE_FLOWS[d.type]}")
        # The row is written before the delete (it names the draft by its id, which the delete clears).
        audit.record(
            actor=actor,
            handling="dokument.kasser",
            subject=d,
            borger_id=d.forloeb.borger_id,
            kommune_id=d.kommune_id,
            foer={"type": d.type, "titel": d.titel, "erstatter": d.erstatter_id, "version": d.version},
        )
        for hook in FOER_KASSERING.get(d.type, []):
            hook(d, actor)
        try:
            with transaction.atomic():
                d.delete()
        except ProtectedError:
            raise KanIkkeKasseres("Kladden er knyttet til en anden registrering og kan ikke kasseres.") from None
