"""Digital Post: the adapter interface and the local outbox (the development adapter).

An adapter answers three questions (decisions/forsendelse.py asks them, outside every transaction):
``modtager_tjek(cpr)`` — can the citizen receive Digital Post (False: exempt, send physical post);
``send(...)`` — hand a MeMo message (decisions/memo.py) over, returning the provider's reference
and, when the provider answers it at once, the receipt; ``kvittering(reference)`` — the receipt
(delivered / failed) once there is one. ``settings.DIGITAL_POST_ADAPTER`` names the class:
``decisions.digitalpost_http.HttpDigitalPost`` speaks to Digital Post (production) or to the
simulator (``make run``, contract tests); the built-in ``LokalOutbox`` stores the PDF and a small
JSON envelope in the product's file storage (PostgreSQL, shared by every node; docs/deployment.md)
under ``digitalpost/udbakke/`` and counts the letter delivered when stored. File names carry the
document id only, never a CPR number or a name. The retention job deletes them with the citizen
(``decisions/retention.py``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.module_loading import import_string

MAPPE = "digitalpost/udbakke"


class DigitalPostUtilgaengelig(Exception):
    """No usable answer (timeout, connection, 5xx, garbage): try again later."""


class DigitalPostAfvist(Exception):
    """Digital Post refused the message itself (4xx): trying again changes nothing."""


@dataclass(frozen=True)
class Kvitteringssvar:
    leveret: bool
    tidspunkt: dt.datetime
    aarsag: str = ""


@dataclass(frozen=True)
class Afsendt:
    reference: str
    kvittering: Kvitteringssvar | None = None


class DigitalPostAdapter(Protocol):
    def modtager_tjek(self, cpr: str) -> bool:
        """True: the citizen receives Digital Post; False: exempt (send physical post)."""

    def send(self, *, forsendelse, memo: bytes, pdf: bytes, modtager_cpr: str) -> Afsendt:
        """Hand the message over; the provider's reference (and the receipt if already known)."""

    def kvittering(self, reference: str) -> Kvitteringssvar | None:
        """The receipt of a message handed over; None while Digital Post has none yet."""


def outbox_navne(dokument_id) -> list[str]:
    """The storage names the local outbox keeps for a document (PDF and envelope)."""
    return [f"{MAPPE}/{dokument_id}.pdf", f"{MAPPE}/{dokument_id}.json"]


class LokalOutbox:
    def __init__(self, storage: Storage | None = None):
        self.storage = storage or default_storage

    def _gem(self, navn: str, data: bytes) -> None:
        if not self.storage.exists(navn):  # sent once (Forsendelse is unique per document); a retry adds nothing
            self.storage.save(navn, ContentFile(data))

    def modtager_tjek(self, cpr: str) -> bool:
        return True  # the outbox cannot know; the citizen's registered status was checked when ordered

    def send(self, *, forsendelse, memo: bytes, pdf: bytes, modtager_cpr: str) -> Afsendt:
        dokument = forsendelse.dokument
        pdf_navn, kuvert_navn = outbox_navne(dokument.pk)
        self._gem(pdf_navn, pdf)
        envelope = {
            "dokument": str(dokument.pk),
            "type": dokument.type,
            "titel": dokument.titel,
            "kommune": dokument.kommune.navn,
            "sha256": dokument.pdf_sha256,
            "memo_uuid": str(forsendelse.memo_uuid),
            # The real adapter needs the recipient's CPR; the outbox keeps it out of file names and logs.
            "modtager_cpr_sidste_fire": "****",
        }
        self._gem(kuvert_navn, json.dumps(envelope, ensure_ascii=False, indent=2).encode())
        return Afsendt(
            reference=f"outbox:{pdf_navn.rsplit('/', 1)[1]}",
            kvittering=Kvitteringssvar(leveret=True, tidspunkt=forsendelse.afsendt),
        )

    def kvittering(self, reference: str) -> Kvitteringssvar | None:
        return None


def adapter() -> DigitalPostAdapter:
    return import_string(str(settings.DIGITAL_POST_ADAPTER))()
