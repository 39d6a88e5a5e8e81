"""MeMo: the national Digital Post message format (XML, namespace ``https://DigitalPost.dk/MeMo-1``).

One message per letter: a ``MessageHeader`` (type, the message's UUID, label, legal notification,
sender by CVR, recipient by CPR) and a ``MessageBody`` whose ``MainDocument`` is the issued PDF,
base64 encoded. The element names are MeMo 1.1's (docs/integrations.md lists every field used);
the CPR number is in the XML body only, never in a URL, a file name or a log line.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
import xml.etree.ElementTree as ET

NS = "https://DigitalPost.dk/MeMo-1"
MEMO_VERSION = "1.1"
MEMO_SCHEMA_VERSION = "1.1.0"

ET.register_namespace("memo", NS)


def _el(parent: ET.Element, navn: str, tekst: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{NS}}}{navn}")
    if tekst is not None:
        el.text = tekst
    return el


def byg(
    *,
    message_uuid: uuid.UUID,
    label: str,
    juridisk: bool,
    afsender_cvr: str,
    afsender_navn: str,
    modtager_cpr: str,
    oprettet: dt.datetime,
    dokument_id: str,
    pdf: bytes,
) -> bytes:
    """The MeMo XML of one letter with the PDF as its main document."""
    root = ET.Element(f"{{{NS}}}Message", {"memoVersion": MEMO_VERSION, "memoSchVersion": MEMO_SCHEMA_VERSION})
    header = _el(root, "MessageHeader")
    _el(header, "messageType", "DIGITALPOST")
    _el(header, "messageUUID", str(message_uuid))
    _el(header, "label", label[:150])
    _el(header, "mandatory", "false")
    _el(header, "legalNotification", "true" if juridisk else "false")
    sender = _el(header, "Sender")
    _el(sender, "senderID", afsender_cvr)
    _el(sender, "idType", "CVR")
    _el(sender, "label", afsender_navn[:150])
    recipient = _el(header, "Recipient")
    _el(recipient, "recipientID", modtager_cpr)
    _el(recipient, "idType", "CPR")
    body = _el(root, "MessageBody")
    _el(body, "createdDateTime", oprettet.astimezone(dt.UTC).isoformat(timespec="seconds"))
    main = _el(body, "MainDocument")
    _el(main, "mainDocumentID", dokument_id)
    _el(main, "label", label[:150])
    fil = _el(main, "File")
    _el(fil, "encodingFormat", "application/pdf")
    _el(fil, "filename", f"{dokument_id}.pdf")
    _el(fil, "language", "da")
    _el(fil, "content", base64.b64encode(pdf).decode("ascii"))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
