"""Digital Post: an adapter interface and a local outbox implementation.

The real integration (e.g. through the municipality's Digital Post provider) implements the same
``send`` method; ``settings.DIGITAL_POST_ADAPTER`` names the class. The built-in ``LokalOutbox``
stores the PDF and a small JSON envelope in the product's file storage (PostgreSQL, shared by every
node; docs/deployment.md) under ``digitalpost/udbakke/``. File names carry the document id only,
never a CPR number or a name. The retention job deletes them with the citizen
(``decisions/retention.py``).
"""

from __future__ import annotations

import json
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.module_loading import import_string

MAPPE = "digitalpost/udbakke"


class DigitalPostAdapter(Protocol):
    def send(self, *, dokument, pdf: bytes, modtager_cpr: str) -> str:
        """Deliver and return the provider's receipt/reference."""


def outbox_navne(dokument_id) -> list[str]:
    """The storage names the local outbox keeps for a document (PDF and envelope)."""
    return [f"{MAPPE}/{dokument_id}.pdf", f"{MAPPE}/{dokument_id}.json"]


class LokalOutbox:
    def __init__(self, storage: Storage | None = None):
        self.storage = storage or default_storage

    def _gem(self, navn: str, data: bytes) -> None:
        if not self.storage.exists(navn):  # sent once (Forsendelse is unique per document); a retry adds nothing
            self.storage.save(navn, ContentFile(data))

    def send(self, *, dokument, pdf: bytes, modtager_cpr: str) -> str:
        pdf_navn, kuvert_navn = outbox_navne(dokument.pk)
        self._gem(pdf_navn, pdf)
        envelope = {
            "dokument": str(dokument.pk),
            "type": dokument.type,
            "titel": dokument.titel,
            "kommune": dokument.kommune.navn,
            "sha256": dokument.pdf_sha256,
            # The real adapter needs the recipient's CPR; the outbox keeps it out of file names and logs.
            "modtager_cpr_sidste_fire": "****",
        }
        self._gem(kuvert_navn, json.dumps(envelope, ensure_ascii=False, indent=2).encode())
        return f"outbox:{pdf_navn.rsplit('/', 1)[1]}"


def adapter() -> DigitalPostAdapter:
    return import_string(str(settings.DIGITAL_POST_ADAPTER))()
