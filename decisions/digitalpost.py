"""Digital Post: an adapter interface and a local outbox implementation.

The real integration (e.g. through the municipality's Digital Post provider) implements the same
``send`` method; ``settings.DIGITAL_POST_ADAPTER`` names the class. The built-in ``LokalOutbox``
writes the PDF and a small JSON envelope to ``settings.DIGITAL_POST_OUTBOX``. File names carry the
document id only, never a CPR number or a name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class DigitalPostAdapter(Protocol):
    def send(self, *, dokument, pdf: bytes, modtager_cpr: str) -> str:
        """Deliver and return the provider's receipt/reference."""


class LokalOutbox:
    def __init__(self, mappe: str | Path | None = None):
        self.mappe = Path(mappe or str(settings.DIGITAL_POST_OUTBOX))

    def send(self, *, dokument, pdf: bytes, modtager_cpr: str) -> str:
        self.mappe.mkdir(parents=True, exist_ok=True)
        pdf_path = self.mappe / f"{dokument.pk}.pdf"
        pdf_path.write_bytes(pdf)
        envelope = {
            "dokument": str(dokument.pk),
            "type": dokument.type,
            "titel": dokument.titel,
            "kommune": dokument.kommune.navn,
            "sha256": dokument.pdf_sha256,
            # The real adapter needs the recipient's CPR; the outbox keeps it out of file names and logs.
            "modtager_cpr_sidste_fire": "****",
        }
        (self.mappe / f"{dokument.pk}.json").write_text(json.dumps(envelope, ensure_ascii=False, indent=2))
        return f"outbox:{pdf_path.name}"


def adapter() -> DigitalPostAdapter:
    return import_string(str(settings.DIGITAL_POST_ADAPTER))()
