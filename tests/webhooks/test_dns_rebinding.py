"""The webhook POST goes to the address that passed the SSRF check (issue 13: the address was
checked with getaddrinfo and resolved again when connecting, a DNS-rebinding gap)."""

import http.server
import socket
import threading

import pytest

from webhooks import services as webhooks

OFFENTLIG = "93.184.215.14"


def test_forbindelsen_gaar_til_den_kontrollerede_adresse_ikke_et_nyt_opslag(settings, monkeypatch):
    settings.WEBHOOK_TILLAD_INTERNE = False
    svar = iter([OFFENTLIG, "127.0.0.1", "127.0.0.1", "127.0.0.1"])  # the attacker's DNS flips to loopback
    opslag = []

    def getaddrinfo(host, port, *args, **kwargs):
        opslag.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(svar), port))]

    forbundet = []

    def create_connection(address, *args, **kwargs):
        forbundet.append(address)
        raise ConnectionRefusedError("test: no network")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    status, fejl = webhooks._post("https://rebind.example/hook", b"{}", {})
    assert status is None and "ConnectionRefusedError" in fejl
    assert forbundet == [(OFFENTLIG, 443)], "connected to the checked address, not to a second lookup"
    assert opslag == ["rebind.example"]


def test_intern_adresse_afvises_foer_forbindelse(settings, monkeypatch):
    settings.WEBHOOK_TILLAD_INTERNE = False
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: [(2, 1, 6, "", ("10.0.0.5", port))])
    forbundet = []
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: forbundet.append(address))
    status, fejl = webhooks._post("https://intern.example/hook", b"{}", {})
    assert status is None and "internt" in fejl and forbundet == []


@pytest.fixture
def modtager():
    modtaget = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            modtaget.append((self.headers["Host"], self.path, self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], modtaget
    server.shutdown()
    server.server_close()


def test_host_header_og_sti_bevares(settings, modtager):
    settings.WEBHOOK_TILLAD_INTERNE = True  # a receiver on 127.0.0.1 (development)
    port, modtaget = modtager
    status, fejl = webhooks._post(f"http://localhost:{port}/hook?x=1", b'{"a":1}', {"Content-Type": "application/json"})
    assert (status, fejl) == (204, "")
    assert modtaget == [(f"localhost:{port}", "/hook?x=1", b'{"a":1}')]
