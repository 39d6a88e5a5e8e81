"""Reads of decisions and letters scoped to the caller (the forløb the caller may see)."""

from __future__ import annotations

import hashlib
import logging

from django.db.models import QuerySet

from cases.selectors import forloeb_for

from .models import Dokument
from .services import PdfBeskadiget, PdfIkkeKlar

logger = logging.getLogger(__name__)


def dokumenter_for(user) -> QuerySet[Dokument]:
    return Dokument.objects.filter(forloeb__in=forloeb_for(user).values("id")).select_related(
        "forloeb", "erstatter", "erstattet_af", "sagsbehandler"
    )


def udstedt_pdf(dokument: Dokument) -> bytes:
    """The issued PDF exactly as stored and sent. ``PdfIkkeKlar`` while there is none yet (a draft, or
    Celery is rendering it); ``PdfBeskadiget`` (logged) when the file no longer matches its SHA-256."""
    if not dokument.pdf_sha256:
        raise PdfIkkeKlar()
    with dokument.pdf.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != dokument.pdf_sha256:
        logger.error("Gemt PDF matcher ikke sin SHA-256 (dokument %s)", dokument.pk)
        raise PdfBeskadiget()
    return data
