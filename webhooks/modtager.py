"""The receiver's address: checked against SSRF, and the POST goes to exactly the checked address.

``adresse_fejl`` resolves the host name and refuses internal addresses. Resolving again when
connecting (what ``urllib`` does) left a DNS-rebinding gap (issue 13): a name that answers with a
public address for the check and ``127.0.0.1`` a moment later. :func:`post` therefore resolves
once, checks every address, and connects to the checked one itself; the ``Host`` header and, for
https, the TLS server name (SNI) and the certificate check still use the host name.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.parse

from django.conf import settings

INTERN = "Adressen peger på et internt eller reserveret netværk og kan ikke modtage webhooks."


def _kontroller(url: str, *, slaa_op: bool) -> tuple[str, str | None]:
    """(Danish reason the URL is refused or "", the address to connect to when looked up)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Kun http- og https-adresser kan modtage webhooks.", None
    intern_tilladt = settings.WEBHOOK_TILLAD_INTERNE
    if not intern_tilladt and parts.scheme != "https":
        return "Webhooks sendes kun til https-adresser.", None
    if intern_tilladt and not slaa_op:
        return "", None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return "Adressens værtsnavn kan ikke slås op.", None
    adresser = [str(info[4][0]).split("%", 1)[0] for info in infos]
    if not adresser:
        return "Adressens værtsnavn kan ikke slås op.", None
    if not intern_tilladt:
        for adresse in adresser:
            ip = ipaddress.ip_address(adresse)
            if not ip.is_global or ip.is_multicast:
                return INTERN, None
    return "", adresser[0]


def adresse_fejl(url: str) -> str:
    """Why the URL may not receive webhooks (Danish), or "".

    Outside development and tests (``WEBHOOK_ALLOW_INTERNAL``) a receiver must use https and every
    address its host name resolves to must be public: no loopback, private, link-local (cloud
    metadata), multicast or reserved ranges, so a client cannot make the server call its own
    network (SSRF). Checked when the subscription is saved and again at every delivery, where the
    connection then goes to the address that was checked (:func:`post`).
    """
    return _kontroller(url, slaa_op=False)[0]


class _FastHTTPS(http.client.HTTPSConnection):
    """HTTPS to a fixed address, with SNI and certificate check for the host name."""

    def __init__(self, adresse: str, port: int, *, vaert: str, timeout: float):
        super().__init__(adresse, port, timeout=timeout, context=ssl.create_default_context())
        self._vaert = vaert

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._vaert)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST once to the checked address; (status code or None, error text or ""). A redirect is an
    answer, not a new target: it counts as a failed attempt."""
    fejl, adresse = _kontroller(url, slaa_op=True)
    if fejl or adresse is None:
        return None, fejl
    parts = urllib.parse.urlsplit(url)
    vaert = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    timeout = float(settings.WEBHOOK_TIMEOUT_SEKUNDER)
    forbindelse: http.client.HTTPConnection
    if parts.scheme == "https":
        forbindelse = _FastHTTPS(adresse, port, vaert=vaert, timeout=timeout)
    else:
        forbindelse = http.client.HTTPConnection(adresse, port, timeout=timeout)
    sti = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    vaert_header = vaert if ":" not in vaert else f"[{vaert}]"
    if parts.port:
        vaert_header += f":{parts.port}"
    try:
        forbindelse.request("POST", sti, body=body, headers={**headers, "Host": vaert_header})
        svar = forbindelse.getresponse()
        svar.read(1024)
        if 200 <= svar.status < 300:
            return svar.status, ""
        return svar.status, f"HTTP {svar.status} {svar.reason}"
    except Exception as exc:  # noqa: BLE001 - every network failure is an attempt that failed
        return None, f"{type(exc).__name__}: {exc}"
    finally:
        forbindelse.close()
