"""Local simulators of the national services: the CPR register and Digital Post.

Started by ``tools/devservices.py`` for ``make run`` and the test profile (``make test``), one
HTTP server per service on 127.0.0.1, each speaking the contract its adapter speaks
(``cases/cprregister.py``, ``decisions/digitalpost_http.py``; docs/integrations.md). Standard
library only: this file runs before (and without) Django. Every person here is fictitious.

    python tools/simulatorer.py --cpr-port 0 --digitalpost-port 0 --ports-file PATH

CPR numbers travel only in POST bodies, never in a path or a log line (nothing is logged).

Failure modes, by fictitious CPR number (both services):
    0606802789  answers only after ``--langsom`` seconds (a timeout for the client)
    0707803890  answers garbage (HTTP 200, not JSON / not XML)
    anything unknown to the register: 404 ``{"fejl": "ukendt_cpr"}``
Digital Post: 0505801678 is exempt (fritaget); 0808802901's letters fail delivery.

Tests change the fictitious world through ``POST /_sim/person`` (CPR register: add or replace a
person) and ``POST /_sim/modtager`` (Digital Post: exempt, or how deliveries end).
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MEMO_NS = "https://DigitalPost.dk/MeMo-1"
LANGSOM = "0606802789"
SKRALD = "0707803890"
FRITAGET = "0505801678"
FEJLER = "0808802901"

PERSONER: dict[str, dict] = {
    "0101801234": {
        "fornavn": "Anna",
        "efternavn": "Testesen",
        "adresse": {"vejnavn_husnummer": "Prøvevej 1, 2. tv.", "postnummer": "8000", "by": "Aarhus C"},
        "civilstand": "gift",
        "status": "aktiv",
        "statusdato": None,
        "adressebeskyttelse": False,
    },
    "0202802345": {
        "fornavn": "Bo",
        "efternavn": "Skjultsen",
        "adresse": {"vejnavn_husnummer": "Lukket Allé 7", "postnummer": "2100", "by": "København Ø"},
        "civilstand": "ugift",
        "status": "aktiv",
        "statusdato": None,
        "adressebeskyttelse": True,
    },
    "0303803456": {
        "fornavn": "Dorte",
        "efternavn": "Mindesen",
        "adresse": {"vejnavn_husnummer": "Kirkegade 3", "postnummer": "5000", "by": "Odense C"},
        "civilstand": "enke",
        "status": "doed",
        "statusdato": "2026-01-15",
        "adressebeskyttelse": False,
    },
    "0404804567": {
        "fornavn": "Erik",
        "efternavn": "Rejsesen",
        "adresse": {"vejnavn_husnummer": "", "postnummer": "", "by": ""},
        "civilstand": "ugift",
        "status": "udrejst",
        "statusdato": "2025-11-01",
        "adressebeskyttelse": False,
    },
    FRITAGET: {
        "fornavn": "Frida",
        "efternavn": "Papirsen",
        "adresse": {"vejnavn_husnummer": "Brevvej 5", "postnummer": "7100", "by": "Vejle"},
        "civilstand": "gift",
        "status": "aktiv",
        "statusdato": None,
        "adressebeskyttelse": False,
    },
    FEJLER: {
        "fornavn": "Gustav",
        "efternavn": "Fejlsen",
        "adresse": {"vejnavn_husnummer": "Omvejen 8", "postnummer": "9000", "by": "Aalborg"},
        "civilstand": "skilt",
        "status": "aktiv",
        "statusdato": None,
        "adressebeskyttelse": False,
    },
}


class Verden:
    """The simulated state, shared by both servers' threads."""

    def __init__(self, langsom: float):
        self.langsom = langsom
        self.laas = threading.Lock()
        self.personer = copy.deepcopy(PERSONER)
        self.fritaget = {FRITAGET}
        self.levering: dict[str, str] = {FEJLER: "fejlet"}  # cpr -> leveret | fejlet | afventer
        self.forsinkelse: dict[str, int] = {}  # cpr -> days from sending to delivery
        self.beskeder: dict[str, dict] = {}  # messageUUID -> receipt


class Handler(BaseHTTPRequestHandler):
    verden: Verden
    server_version = "Simulator/1"

    def log_message(self, format, *args):
        return  # silent: nothing about a request is logged

    def _svar(self, status: int, data: dict | None = None, *, raw: bytes | None = None, ctype="application/json"):
        body = raw if raw is not None else json.dumps(data or {}, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _json(self) -> dict:
        try:
            data = json.loads(self._body() or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _fejltilstand(self, cpr: str) -> bool:
        """Timeout and garbage answers; True when the answer is given."""
        if cpr == LANGSOM:
            time.sleep(self.verden.langsom)
        if cpr == SKRALD:
            self._svar(200, raw=b"<html>502 upstream \x00 garbage", ctype="text/html")
            return True
        return False


class CprHandler(Handler):
    def do_POST(self):
        data = self._json()
        if self.path == "/_sim/person":
            cpr = str(data.pop("cpr", ""))
            with self.verden.laas:
                person = self.verden.personer.get(cpr, copy.deepcopy(PERSONER["0101801234"]))
                person.update(data)
                self.verden.personer[cpr] = person
            return self._svar(200, {"ok": True})
        if self.path != "/personopslag":
            return self._svar(404, {"fejl": "ukendt_sti"})
        cpr = str(data.get("cpr", ""))
        if not (cpr.isdigit() and len(cpr) == 10):
            return self._svar(400, {"fejl": "ugyldigt_cpr"})
        if self._fejltilstand(cpr):
            return None
        with self.verden.laas:
            person = copy.deepcopy(self.verden.personer.get(cpr))
        if person is None:
            return self._svar(404, {"fejl": "ukendt_cpr"})
        return self._svar(200, {"cpr": cpr, **person})


class DigitalPostHandler(Handler):
    def do_POST(self):
        if self.path == "/_sim/modtager":
            data = self._json()
            cpr = str(data.get("cpr", ""))
            with self.verden.laas:
                if "fritaget" in data:
                    (self.verden.fritaget.add if data["fritaget"] else self.verden.fritaget.discard)(cpr)
                if "levering" in data:
                    self.verden.levering[cpr] = data["levering"]
                if "forsinkelse_dage" in data:
                    self.verden.forsinkelse[cpr] = int(data["forsinkelse_dage"])
            return self._svar(200, {"ok": True})
        if self.path == "/postforespoerg":
            cpr = str(self._json().get("cpr", ""))
            if not (cpr.isdigit() and len(cpr) == 10):
                return self._svar(400, {"fejl": "ugyldigt_cpr"})
            if self._fejltilstand(cpr):
                return None
            return self._svar(200, {"digital_post": cpr not in self.verden.fritaget})
        if self.path == "/memo":
            return self._memo(self._body())
        return self._svar(404, {"fejl": "ukendt_sti"})

    def _memo(self, body: bytes):
        ns = {"memo": MEMO_NS}
        try:
            root = ET.fromstring(body)  # noqa: S314 - a local test double; the sender is the product
            if root.tag != f"{{{MEMO_NS}}}Message":
                raise ValueError("root")
            header = root.find("memo:MessageHeader", ns)
            message_uuid = header.findtext("memo:messageUUID", namespaces=ns)
            uuid.UUID(message_uuid)
            cpr = header.findtext("memo:Recipient/memo:recipientID", namespaces=ns)
            id_type = header.findtext("memo:Recipient/memo:idType", namespaces=ns)
            header.findtext("memo:Sender/memo:senderID", namespaces=ns).strip()
            oprettet = datetime.fromisoformat(root.findtext("memo:MessageBody/memo:createdDateTime", namespaces=ns))
            fil = root.find("memo:MessageBody/memo:MainDocument/memo:File", ns)
            base64.b64decode(fil.findtext("memo:content", namespaces=ns), validate=True)
            if id_type != "CPR" or not cpr:
                raise ValueError("recipient")
        except (ET.ParseError, AttributeError, ValueError, TypeError):
            return self._svar(400, {"fejl": "ugyldig_memo"})
        if self._fejltilstand(cpr):
            return None
        with self.verden.laas:
            if message_uuid in self.verden.beskeder:  # a repeated send of the same message: one letter
                return self._svar(200, {"messageUUID": message_uuid, "status": "modtaget"})
            levering = "fejlet" if cpr in self.verden.fritaget else self.verden.levering.get(cpr, "leveret")
            # Delivered (or failed) when the message says it was created, plus a recipient's delay:
            # the simulator keeps no clock of its own, so tests that move the product's clock agree.
            tidspunkt = oprettet + timedelta(days=self.verden.forsinkelse.get(cpr, 0))
            self.verden.beskeder[message_uuid] = {
                "status": levering,
                "tidspunkt": tidspunkt.isoformat() if levering != "afventer" else None,
                "aarsag": "Modtageren kunne ikke modtage meddelelsen" if levering == "fejlet" else "",
            }
        return self._svar(202, {"messageUUID": message_uuid, "status": "modtaget"})

    def do_GET(self):
        if self.path.startswith("/kvittering/"):
            with self.verden.laas:
                kvittering = self.verden.beskeder.get(self.path.rsplit("/", 1)[1])
            if kvittering is None:
                return self._svar(404, {"fejl": "ukendt_besked"})
            return self._svar(200, kvittering)
        return self._svar(404, {"fejl": "ukendt_sti"})


def start(cpr_port: int = 0, digitalpost_port: int = 0, langsom: float = 10.0) -> tuple[ThreadingHTTPServer, ...]:
    """Both servers in daemon threads of this process; returns them (``server_address`` has the port)."""
    verden = Verden(langsom)
    servere = []
    for handler, port in ((CprHandler, cpr_port), (DigitalPostHandler, digitalpost_port)):
        cls = type(handler.__name__, (handler,), {"verden": verden})
        server = ThreadingHTTPServer(("127.0.0.1", port), cls)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servere.append(server)
    return tuple(servere)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cpr-port", type=int, default=0)
    parser.add_argument("--digitalpost-port", type=int, default=0)
    parser.add_argument("--langsom", type=float, default=10.0, help="seconds before the slow CPR answers")
    parser.add_argument("--ports-file", help="write the two ports here (JSON) once listening")
    args = parser.parse_args(argv)
    cpr, dp = start(args.cpr_port, args.digitalpost_port, args.langsom)
    porte = {"cpr": cpr.server_address[1], "digitalpost": dp.server_address[1]}
    if args.ports_file:
        tmp = Path(args.ports_file + ".tmp")
        tmp.write_text(json.dumps(porte))
        tmp.replace(args.ports_file)
    print(f"[simulatorer] CPR register :{porte['cpr']}, Digital Post :{porte['digitalpost']}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
