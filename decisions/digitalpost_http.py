"""Digital Post over HTTP(S): MeMo messages, the recipient check and receipts (docs/integrations.md).

    POST {DIGITAL_POST_URL}/postforespoerg   {"cpr": "..."}        -> {"digital_post": true|false}
    POST {DIGITAL_POST_URL}/memo             MeMo XML              -> 202 {"messageUUID": "..."}
    GET  {DIGITAL_POST_URL}/kvittering/<messageUUID>               -> {"status": "leveret"|"fejlet"|"afventer",
                                                                        "tidspunkt": ISO-8601, "aarsag": "..."}

The CPR number travels in request bodies only (never in a URL); log lines name the message UUID.
Production: HTTPS with the municipality's client certificate (``DIGITAL_POST_CERT``/``_KEY``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from cases.cprregister import ssl_kontekst

from .digitalpost import Afsendt, DigitalPostAfvist, DigitalPostUtilgaengelig, Kvitteringssvar

logger = logging.getLogger(__name__)


class HttpDigitalPost:
    def __init__(self, url: str | None = None, *, timeout: float | None = None):
        self.url = (url if url is not None else settings.DIGITAL_POST_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.DIGITAL_POST_TIMEOUT
        self.ctx = ssl_kontekst(settings.DIGITAL_POST_CERT, settings.DIGITAL_POST_KEY, settings.DIGITAL_POST_CA)

    def _kald(self, sti: str, *, data: bytes | None = None, ctype: str = "application/json") -> dict:
        if not self.url:
            raise DigitalPostUtilgaengelig("DIGITAL_POST_URL is not set")
        request = urllib.request.Request(  # noqa: S310 - the configured endpoint, http(s) only
            f"{self.url}{sti}",
            data=data,
            headers={"Content-Type": ctype, "Accept": "application/json"},
            method="POST" if data is not None else "GET",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.ctx) as svar:  # noqa: S310
                raw = svar.read(1_000_000)
        except urllib.error.HTTPError as exc:
            if 400 <= exc.code < 500 and exc.code not in (404, 408, 429):
                raise DigitalPostAfvist(f"HTTP {exc.code}") from None
            if exc.code == 404:
                raise DigitalPostAfvist("HTTP 404") from None
            raise DigitalPostUtilgaengelig(f"HTTP {exc.code}") from None
        except OSError as exc:  # URLError, TimeoutError, connection refused, TLS
            raise DigitalPostUtilgaengelig(type(exc).__name__) from None
        try:
            svar_data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise DigitalPostUtilgaengelig("answer is not JSON") from None
        if not isinstance(svar_data, dict):
            raise DigitalPostUtilgaengelig("answer is not a JSON object")
        return svar_data

    def modtager_tjek(self, cpr: str) -> bool:
        svar = self._kald("/postforespoerg", data=json.dumps({"cpr": cpr}).encode())
        if not isinstance(svar.get("digital_post"), bool):
            raise DigitalPostUtilgaengelig("digital_post is not a boolean")
        return svar["digital_post"]

    def send(self, *, forsendelse, memo: bytes, pdf: bytes, modtager_cpr: str) -> Afsendt:
        svar = self._kald("/memo", data=memo, ctype="application/xml")
        if svar.get("messageUUID") != str(forsendelse.memo_uuid):
            raise DigitalPostUtilgaengelig("answer names another message")
        logger.info("Digital Post: meddelelse %s modtaget", forsendelse.memo_uuid)
        return Afsendt(reference=f"memo:{forsendelse.memo_uuid}")

    def kvittering(self, reference: str) -> Kvitteringssvar | None:
        message_uuid = reference.removeprefix("memo:")
        svar = self._kald(f"/kvittering/{message_uuid}")
        status = svar.get("status")
        if status == "afventer":
            return None
        if status not in ("leveret", "fejlet"):
            raise DigitalPostUtilgaengelig("unknown receipt status")
        try:
            tidspunkt = dt.datetime.fromisoformat(str(svar.get("tidspunkt")))
        except ValueError:
            raise DigitalPostUtilgaengelig("tidspunkt is not a moment") from None
        if tidspunkt.tzinfo is None:
            raise DigitalPostUtilgaengelig("tidspunkt has no time zone")
        return Kvitteringssvar(
            leveret=status == "leveret", tidspunkt=tidspunkt, aarsag=str(svar.get("aarsag") or "")[:300]
        )
