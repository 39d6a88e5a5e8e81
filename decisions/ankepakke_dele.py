"""The parts an appeal package (``decisions.ankepakke``) is made of, and the helpers that write them.

Shared by the package itself and by the apps that add parts to it (rehab: partshøringer,
indstillinger and attachments), so each part is written the same way: text masked for CPR,
documents' PDFs exactly as sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from infra import datoer

from .models import Dokument
from .pdf import dokument_render_pdf

_CPR = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(\d{2})[- ]?\d{4}(?!\d)")


def masker_cpr(tekst: str) -> str:
    """Replace anything that looks like a CPR number (with or without hyphen) by ``DDMMYY-****``."""
    return _CPR.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}-****", tekst)


@dataclass
class Del:
    art: str  # the file name's kind: afgoerelse, klage, partshoering_brev, ...
    titel: str
    dato: dt.date | None
    data: bytes
    filtype: str = "txt"
    navn: str = ""  # set when numbered

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def dato(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return datoer.lokal_dato(value)
    return value


def d(value) -> str:
    value = dato(value)
    return value.strftime("%d.%m.%Y") if value else "(uden dato)"


def tekst(*linjer: str) -> bytes:
    return masker_cpr("\n".join(linjer).rstrip() + "\n").encode("utf-8")


def pdf(dokument: Dokument) -> bytes:
    """An issued document's stored PDF (rendered now if the background rendering has not run yet)."""
    if not dokument.pdf_sha256:
        dokument = dokument_render_pdf(dokument.pk)
    with dokument.pdf.open("rb") as f:
        return f.read()


def filtype(navn: str) -> str:
    ext = navn.rsplit(".", 1)[-1].lower() if "." in navn else ""
    return ext if ext.isalnum() and len(ext) <= 5 else "bin"
