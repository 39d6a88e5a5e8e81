"""Uploaded files are judged by their content, not by their name (issue 13: "hello" saved as .pdf
was accepted). Accepted: PDF, JPEG and PNG whose first bytes are what the extension says, at most
``MAKS_BYTES``; a PDF at most ``MAKS_SIDER`` pages. Messages are Danish (shown to the caseworker
and in the API's field errors)."""

from __future__ import annotations

import os
import re

MAKS_BYTES = 20 * 1024 * 1024
MAKS_SIDER = 500
_MAGI = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
ENDELSER = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
_SIDE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def _laes(fil) -> bytes:
    fil.seek(0)
    try:
        return fil.read(MAKS_BYTES + 1)
    finally:
        fil.seek(0)


def fil_fejl(fil) -> str:
    """Why the file cannot be an attachment (Danish), or ""."""
    art = ENDELSER.get(os.path.splitext(getattr(fil, "name", "") or "")[1].lower())
    if art is None:
        return "Vedhæft en PDF-, JPEG- eller PNG-fil."
    data = _laes(fil)
    if len(data) > MAKS_BYTES:
        return f"Filen er for stor (højst {MAKS_BYTES // (1024 * 1024)} MB)."
    if not data:
        return "Filen er tom."
    if not data.startswith(_MAGI[art]):
        navn = {"pdf": "en PDF-fil", "jpeg": "et JPEG-billede", "png": "et PNG-billede"}[art]
        return f"Filens indhold er ikke {navn}, som filnavnet siger. Vedhæft den rigtige fil."
    if art == "pdf" and len(_SIDE.findall(data)) > MAKS_SIDER:
        return f"PDF-filen har for mange sider (højst {MAKS_SIDER})."
    return ""
