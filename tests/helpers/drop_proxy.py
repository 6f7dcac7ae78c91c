"""A small HTTP proxy on 127.0.0.1 that can lose what a real network loses.

Parloir talks to the Mastodon server through it. Modes for the status POST
(``POST /api/v1/statuses``); every other request is forwarded as is:

- ``pass``: forward and answer;
- ``drop_response``: forward, let the server create the status, then close
  the client's connection without a byte of answer (a dropped connection
  after sending: the client cannot know whether it went out);
- ``drop_request``: close the connection after reading the request, without
  forwarding it (lost on the way: nothing was created);
- ``slow``: forward, then wait ``delay`` seconds before answering (a process
  killed in that window dies with the request in flight).

``down()`` closes the listening socket (connection refused: offline) and
``up()`` listens again on the same port.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class DropProxy:
    def __init__(self, upstream: str) -> None:
        parsed = urlparse(upstream)
        self.upstream_host = parsed.hostname or "127.0.0.1"
        self.upstream_port = parsed.port or 80
        self.mode = "pass"
        self.post_path = "/api/v1/statuses"  # the request the modes apply to
        self.delay = 1.0
        self.posts_seen = 0
        #: Set when a status POST reaches the proxy (a test waits on it, never on time).
        self.post_arrived = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                is_post = self.command == "POST" and self.path.split("?")[0] == proxy.post_path
                mode = proxy.mode if is_post else "pass"
                if is_post:
                    proxy.posts_seen += 1
                    proxy.post_arrived.set()
                if mode == "drop_request":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                conn = http.client.HTTPConnection(
                    proxy.upstream_host, proxy.upstream_port, timeout=60
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                payload = answer.read()
                conn.close()
                if mode == "drop_response":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if mode == "slow":
                    time.sleep(proxy.delay)
                self.send_response(answer.status, answer.reason)
                for key, value in answer.getheaders():
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _relay

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def close(self) -> None:
        self.down()
