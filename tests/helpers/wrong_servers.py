"""Addresses a person can mistype, as real local servers: a closed port, a
web site where an API or a mail server was expected, a mail-server
address that answers like a web server.

Each runs on 127.0.0.1 in a thread of the test process and stops when its
``with`` block ends.
"""

from __future__ import annotations

import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HOST = "127.0.0.1"
PAGE = b"<!doctype html><html><body><h1>Welcome to our shop</h1></body></html>"


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound a moment ago, then
    closed): connecting to it is refused."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
    return port


def self_signed(directory: Path) -> ssl.SSLContext:
    """A server-side TLS context with a certificate for 127.0.0.1 that no
    one vouches for (made by openssl, valid a day)."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is missing (scripts/test installs it)", pytrace=False)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class _Shop(BaseHTTPRequestHandler):
    """A plain web site: every GET and POST gets the same HTML page, or a
    404 page when the server was made with ``status=404``."""

    status = 200

    def _page(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    do_GET = do_POST = _page

    def log_message(self, format: str, *args: object) -> None:  # quiet
        del format, args


@contextmanager
def web_site(status: int = 200, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """A web site answering HTML with ``status``, over plain HTTP or, with
    ``tls``, HTTPS; yields its URL."""
    handler = type("Shop", (_Shop,), {"status": status})
    server = ThreadingHTTPServer((HOST, 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _Banner(socketserver.BaseRequestHandler):
    """Greets every connection as a web server answers a stray line, then
    waits for the client to hang up (so the client reads the greeting
    before the connection ends, whatever the timing)."""

    def handle(self) -> None:
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n" + PAGE)
        self.request.settimeout(10)
        try:
            while self.request.recv(4096):
                pass
        except OSError:
            return


@contextmanager
def web_greeting(tls: ssl.SSLContext | None = None) -> Iterator[tuple[str, int]]:
    """A TCP server that greets like a web server (not IMAP's ``* OK``, not
    SMTP's ``220``), with ``tls`` after a TLS handshake; yields (host, port)."""
    server = socketserver.ThreadingTCPServer((HOST, 0), _Banner)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HOST, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
