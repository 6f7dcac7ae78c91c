"""The loopback listener of the browser sign-in (RFC 8252): an HTTP server
on 127.0.0.1 that waits for the one redirect carrying the code, checks its
state, and answers the browser with a page that says it can be closed."""

from __future__ import annotations

import logging
import secrets
import socketserver
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

log = logging.getLogger("console.sync.mastodon.oauth")

CALLBACK_PATH = "/callback"
LOOPBACK_HOST = "127.0.0.1"

DONE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Parloir</title></head>"
    "<body><p>You can close this tab and return to Parloir.</p></body></html>"
)

STALE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Parloir</title></head>"
    "<body><p>This sign-in link does not belong to the sign-in Parloir is waiting for."
    "</p></body></html>"
)


def loopback_redirect(port: int) -> str:
    return f"http://{LOOPBACK_HOST}:{port}{CALLBACK_PATH}"


@dataclass(frozen=True)
class Callback:
    """What the browser brought back: a code, or the server's error."""

    code: str
    error: str
    description: str


class _CallbackHandler(BaseHTTPRequestHandler):
    """Answers the redirect; the owning :class:`LoopbackServer` is ``self.server``."""

    server: _CallbackHTTPServer
    timeout = 10  # a browser's idle pre-connection must not hold a thread forever

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path != CALLBACK_PATH:
            self._answer(404, "<!doctype html><p>Not found.</p>")
            return
        query = parse_qs(url.query)

        def first(name: str) -> str:
            return query.get(name, [""])[0].strip()

        # The state ties the answer to the request we made: anything else (an old
        # tab, another site poking the port) is turned away and the wait goes on.
        if not secrets.compare_digest(first("state"), self.server.expected_state):
            self._answer(400, STALE_PAGE)
            return
        self._answer(200, DONE_PAGE)
        self.server.deliver(Callback(first("code"), first("error"), first("error_description")))

    def _answer(self, status: int, page: str) -> None:
        body = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # http.server writes each request to stderr; the CLI promises one line there.
        log.debug("oauth callback: " + format, *args)


class _CallbackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # SO_REUSEADDR lets the port of a sign-in that just ended be bound again on
    # POSIX; on Windows it would let two programs share a port, so not there.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, port: int) -> None:
        self.expected_state = ""
        self._result: Callback | None = None
        self._arrived = threading.Event()
        super().__init__((LOOPBACK_HOST, port), _CallbackHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, a reverse DNS query
        # that can stall for seconds; the name is never used here.
        socketserver.TCPServer.server_bind(self)
        self.server_name = LOOPBACK_HOST
        self.server_port = int(self.server_address[1])

    def deliver(self, result: Callback) -> None:
        if not self._arrived.is_set():
            self._result = result
            self._arrived.set()

    def wait(self, timeout: float) -> Callback | None:
        self._arrived.wait(timeout)
        return self._result


class LoopbackServer:
    """An HTTP listener on 127.0.0.1 for one redirect, served in a daemon thread.

    A context manager, so the port is released however the sign-in ends.
    """

    def __init__(self, preferred_port: int | None = None) -> None:
        self._httpd = self._bind(preferred_port)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="oauth-callback",
            daemon=True,
        )
        self._thread.start()

    @staticmethod
    def _bind(preferred_port: int | None) -> _CallbackHTTPServer:
        # Reusing the last port keeps the redirect URI, and with it the app
        # registration; if something else took the port, let the OS choose.
        if preferred_port:
            try:
                return _CallbackHTTPServer(preferred_port)
            except OSError:
                log.info("oauth: port %d is taken; using another one", preferred_port)
        return _CallbackHTTPServer(0)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def redirect_uri(self) -> str:
        return loopback_redirect(self.port)

    def expect(self, state: str) -> None:
        self._httpd.expected_state = state

    def wait(self, timeout: float) -> Callback | None:
        """The callback, or None after ``timeout`` seconds."""
        return self._httpd.wait(timeout)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
