"""The CPR register behind one interface (docs/integrations.md).

``opslag(cpr)`` answers a :class:`RegisterPerson` (name, address, civil status, death/emigration,
name-and-address protection) or raises :class:`UkendtCpr` (the register does not know the number)
or :class:`RegisterUtilgaengelig` (timeout, connection refused, an HTTP error, an answer that is not
the contract). ``settings.CPR_REGISTER_ADAPTER`` names the class; the built-in
:class:`HttpCprRegister` POSTs the CPR number in a JSON body (never in the URL) to
``CPR_REGISTER_URL`` over HTTPS with the municipality's client certificate in production, and to
the local simulator (``tools/simulatorer.py``) under ``make run`` and ``make test``.

Log lines of these calls name the outcome and the masked number (``DDMMYY-****``) only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from infra import cpr as cprlib

logger = logging.getLogger(__name__)


class RegisterFejl(Exception):
    """Base of the register's refusals."""


class UkendtCpr(RegisterFejl):
    """The register does not know the CPR number."""


class RegisterUtilgaengelig(RegisterFejl):
    """No usable answer: timeout, connection error, HTTP error or an answer outside the contract."""


class PersonStatus:
    AKTIV = "aktiv"
    DOED = "doed"
    UDREJST = "udrejst"
    ALLE = (AKTIV, DOED, UDREJST)


@dataclass(frozen=True)
class RegisterPerson:
    """What the register says about a person. ``adresse``, ``postnummer`` and ``by`` are given
    even under protection: the product itself must never show or print them then."""

    fornavn: str
    efternavn: str
    adresse: str = ""
    postnummer: str = ""
    by: str = ""
    civilstand: str = ""
    status: str = PersonStatus.AKTIV
    statusdato: dt.date | None = None
    adressebeskyttelse: bool = False
    hentet: dt.datetime | None = field(default=None, compare=False)


class CprRegister(Protocol):
    def opslag(self, cpr: str) -> RegisterPerson:
        """The person with this CPR number (10 digits)."""


def _tekst(data: dict, key: str, maks: int) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > maks:
        raise RegisterUtilgaengelig(f"field {key} is not a string of at most {maks} characters")
    return value.strip()


def fortolk(data: object) -> RegisterPerson:
    """The contract's JSON answer as a :class:`RegisterPerson`; anything else is
    :class:`RegisterUtilgaengelig` (garbage never reaches a citizen's record)."""
    if not isinstance(data, dict):
        raise RegisterUtilgaengelig("answer is not a JSON object")
    adresse = data.get("adresse") or {}
    if not isinstance(adresse, dict):
        raise RegisterUtilgaengelig("adresse is not an object")
    status = data.get("status", PersonStatus.AKTIV)
    if status not in PersonStatus.ALLE:
        raise RegisterUtilgaengelig("unknown status")
    beskyttet = data.get("adressebeskyttelse", False)
    if not isinstance(beskyttet, bool):
        raise RegisterUtilgaengelig("adressebeskyttelse is not a boolean")
    statusdato = None
    if data.get("statusdato"):
        try:
            statusdato = dt.date.fromisoformat(str(data["statusdato"]))
        except ValueError:
            raise RegisterUtilgaengelig("statusdato is not a date") from None
    postnummer = _tekst(adresse, "postnummer", 4)
    if postnummer and not postnummer.isdigit():
        raise RegisterUtilgaengelig("postnummer is not 4 digits")
    person = RegisterPerson(
        fornavn=_tekst(data, "fornavn", 100),
        efternavn=_tekst(data, "efternavn", 100),
        adresse=_tekst(adresse, "vejnavn_husnummer", 200),
        postnummer=postnummer,
        by=_tekst(adresse, "by", 100),
        civilstand=_tekst(data, "civilstand", 30),
        status=status,
        statusdato=statusdato,
        adressebeskyttelse=beskyttet,
    )
    if not (person.fornavn and person.efternavn):
        raise RegisterUtilgaengelig("name missing")
    return person


def ssl_kontekst(cert: str, key: str, ca: str) -> ssl.SSLContext | None:
    """TLS with the client certificate (and a private CA) when configured; None: the default."""
    if not (cert or ca):
        return None
    ctx = ssl.create_default_context(cafile=ca or None)
    if cert:
        ctx.load_cert_chain(cert, key or None)
    return ctx


class HttpCprRegister:
    """The register over HTTP(S): ``POST {CPR_REGISTER_URL}/personopslag`` with ``{"cpr": "..."}``."""

    def __init__(self, url: str | None = None, *, timeout: float | None = None):
        self.url = (url if url is not None else settings.CPR_REGISTER_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.CPR_REGISTER_TIMEOUT
        self.ctx = ssl_kontekst(settings.CPR_REGISTER_CERT, settings.CPR_REGISTER_KEY, settings.CPR_REGISTER_CA)

    def opslag(self, cpr: str) -> RegisterPerson:
        maskeret = cprlib.mask(cpr)
        if not self.url:
            raise RegisterUtilgaengelig("CPR_REGISTER_URL is not set")
        request = urllib.request.Request(  # noqa: S310 - the configured endpoint, http(s) only
            f"{self.url}/personopslag",
            data=json.dumps({"cpr": cpr}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.ctx) as svar:  # noqa: S310
                raw = svar.read(1_000_000)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                logger.info("CPR-opslag %s: ukendt i registeret", maskeret)
                raise UkendtCpr from None
            logger.warning("CPR-opslag %s: HTTP %s", maskeret, exc.code)
            raise RegisterUtilgaengelig(f"HTTP {exc.code}") from None
        except OSError as exc:  # URLError, TimeoutError, connection refused, TLS
            logger.warning("CPR-opslag %s: registeret svarer ikke (%s)", maskeret, type(exc).__name__)
            raise RegisterUtilgaengelig("no answer") from None
        try:
            person = fortolk(json.loads(raw))
        except (ValueError, UnicodeDecodeError):
            logger.warning("CPR-opslag %s: svaret kunne ikke læses", maskeret)
            raise RegisterUtilgaengelig("answer is not JSON") from None
        except RegisterUtilgaengelig as exc:
            logger.warning("CPR-opslag %s: svaret følger ikke kontrakten (%s)", maskeret, exc)
            raise
        return person


def register() -> CprRegister:
    return import_string(str(settings.CPR_REGISTER_ADAPTER))()
