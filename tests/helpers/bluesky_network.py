"""A real local Bluesky network for the tests (see /work/shared/RECIPES.md).

Fixture (import it into a test module or conftest)::

    bluesky   session  a throwaway PostgreSQL cluster on 127.0.0.1 plus
                       ``node tests/bluesky/network.mjs`` (@atproto/dev-env: PLC, PDS,
                       AppView, Ozone), seeded with three accounts and four posts.

The returned :class:`BlueskyNetwork` has ``pds``, ``appview``, ``plc`` (base URLs: talk XRPC
to the PDS, as a client would), ``accounts`` (``accounts[0]`` is "us", with an app password
and a privileged one — chat.bsky.* needs the privileged one or the main password),
``posts`` (``root`` by us; ``mention`` by accounts[1]; ``reply`` to root by accounts[2];
``quote`` of root by accounts[1]; each ``{"uri", "cid"}``), ``post()`` and ``process_all()``
(the network's control endpoint: call ``process_all()`` after writes, before reading
notifications), and ``chat_handler``: the PDS proxies
``atproto-proxy: did:web:api.bsky.chat#bsky_chat`` to a small HTTP server of this fixture,
which hands every request (a :class:`ChatRequest`) to ``bluesky.chat_handler`` and answers
with the ``(status, json_body)`` it returns. The default answers 501. Swap it with
``monkeypatch.setattr(bluesky, "chat_handler", fn)``; ``chat_requests`` records every request.

Skips (with the reason) when node, PostgreSQL's initdb, root (initdb runs as postgres via
runuser) or tests/bluesky/node_modules is missing, except under PARLOIR_REQUIRE_BLUESKY=1
(scripts/test), where that is a failure. Every service runs from temp dirs removed at teardown;
the network's own services listen on all interfaces, so they are stopped by PID.
"""

from __future__ import annotations

import glob
import json
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

HOST = "127.0.0.1"
REQUIRE_ENV = "PARLOIR_REQUIRE_BLUESKY"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / "bluesky"
SCRIPT = PACKAGE_DIR / "network.mjs"
START_TIMEOUT = 90.0
SCHEMA = "parloir"
# accounts[0] is "us" (the Parloir user); handles must be at least 3 characters before .test.
ACCOUNTS = (
    ("parloir.test", "us-password"),
    ("alice.test", "alice-password"),
    ("bob.test", "bob-password"),
)


@dataclass(frozen=True)
class Account:
    handle: str
    did: str
    password: str
    app_password: str | None = None
    privileged_app_password: str | None = None


@dataclass(frozen=True)
class ChatRequest:
    """One request the PDS proxied to the chat service."""

    method: str
    path: str  # without the query string, e.g. /xrpc/chat.bsky.convo.listConvos
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def nsid(self) -> str:
        return self.path.removeprefix("/xrpc/")

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


ChatHandler = Callable[[ChatRequest], tuple[int, Any]]


def not_implemented(request: ChatRequest) -> tuple[int, Any]:
    """The default chat handler: XRPC's 501."""
    return 501, {"error": "MethodNotImplemented", "message": f"no fake for {request.nsid}"}


@dataclass
class BlueskyNetwork:
    pds: str
    appview: str
    plc: str
    control: str
    chat_url: str
    accounts: list[Account]
    posts: dict[str, dict[str, str]]
    startup_seconds: float  # PostgreSQL + network + seeding, as measured by the fixture
    chat_handler: ChatHandler = not_implemented
    chat_requests: list[ChatRequest] = field(default_factory=list)

    @property
    def us(self) -> Account:
        return self.accounts[0]

    def account(self, handle: str) -> Account:
        return next(a for a in self.accounts if a.handle == handle)

    def post(
        self,
        as_handle: str,
        text: str,
        reply: dict[str, dict[str, str]] | None = None,
        quote: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """Post as a seeded account; ``reply={"root": ref, "parent": ref}``, ``quote=ref``
        (a ref is ``{"uri", "cid"}``). "@handle" in the text becomes a mention.
        Returns ``{"uri", "cid"}``. Call :meth:`process_all` before reading notifications."""
        body: dict[str, Any] = {"as": as_handle, "text": text}
        if reply is not None:
            body["reply"] = reply
        if quote is not None:
            body["quote"] = quote
        data: dict[str, str] = self._control("/post", body)
        return data

    def process_all(self) -> None:
        """Let the AppView index everything written so far (network.processAll())."""
        self._control("/processAll", {})

    def _control(self, path: str, body: dict[str, Any]) -> Any:
        response = requests.post(f"{self.control}{path}", json=body, timeout=60)
        if response.status_code != 200:
            raise RuntimeError(f"control {path}: {response.status_code} {response.text}")
        return response.json()


# --- prerequisites ---------------------------------------------------------------------------


def _initdb() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return found[-1] if found else None


def _missing() -> str | None:
    """Why the network cannot start here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (Node 20)"
    if _initdb() is None:
        return "PostgreSQL's initdb is missing (Debian postgresql)"
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return "the throwaway PostgreSQL needs root (initdb runs as postgres via runuser)"
    if not (PACKAGE_DIR / "node_modules" / "@atproto" / "dev-env").is_dir():
        return (
            "tests/bluesky/node_modules is missing (run scripts/test, or npm ci in tests/bluesky)"
        )
    return None


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


# --- PostgreSQL ------------------------------------------------------------------------------


class Postgres:
    """A throwaway cluster in ``root`` (owned by postgres), on 127.0.0.1 only."""

    def __init__(self, root: Path) -> None:
        self.bin = Path(_initdb() or "").parent
        self.data = root / "pg"
        self.sockets = root / "sock"
        self.log = root / "pg.log"
        self.port = free_port()
        self.started = False

    def _as_postgres(self, *args: str) -> None:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}{log}")

    def start(self) -> str:
        self.sockets.mkdir()
        shutil.chown(self.sockets, "postgres", "postgres")
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--no-locale",
        )  # fmt: skip
        options = f"-p {self.port} -c listen_addresses={HOST} -k {self.sockets} -c fsync=off"
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
            "-o", options, "start",
        )  # fmt: skip
        self.started = True
        return f"postgresql://postgres@{HOST}:{self.port}/postgres"

    def stop(self) -> None:
        if self.started:
            self.started = False
            with suppress(RuntimeError, subprocess.TimeoutExpired):
                self._as_postgres(
                    str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                )


# --- the placeholder chat service ------------------------------------------------------------


def _chat_server(network: Callable[[], BlueskyNetwork | None]) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 that hands each request to ``network().chat_handler``."""

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            request = ChatRequest(
                method=self.command,
                path=url.path,
                query=parse_qs(url.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            net = network()
            try:
                if net is None:
                    status, payload = 503, {"error": "NotReady", "message": "network starting"}
                else:
                    net.chat_requests.append(request)
                    status, payload = net.chat_handler(request)
            except Exception as exc:  # a broken fake must answer, not hang the PDS
                status, payload = 500, {"error": "InternalServerError", "message": repr(exc)}
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((HOST, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="fake-bsky-chat", daemon=True).start()
    return server


# --- the node process ------------------------------------------------------------------------


def _pump(proc: subprocess.Popen[str]) -> tuple[queue.Queue[str | None], threading.Thread]:
    """Drain node's stdout (to its end) into a queue; None marks the end."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        with proc.stdout:
            for line in proc.stdout:
                lines.put(line)
        lines.put(None)

    thread = threading.Thread(target=pump, name="bluesky-stdout", daemon=True)
    thread.start()
    return lines, thread


def _read_ready(
    proc: subprocess.Popen[str], lines: queue.Queue[str | None], stderr_path: Path
) -> dict[str, Any]:
    """The JSON line network.mjs prints once ready (other stdout lines are skipped)."""
    deadline = time.monotonic() + START_TIMEOUT
    problem = f"no ready line within {START_TIMEOUT:.0f} s"
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            proc.wait(timeout=10)
            problem = f"network.mjs exited with status {proc.returncode}"
            break
        with suppress(ValueError):
            ready = json.loads(line)
            if isinstance(ready, dict) and "pds" in ready:
                return ready
    tail = stderr_path.read_text(errors="replace")[-4000:] if stderr_path.exists() else ""
    raise RuntimeError(
        f"the Bluesky network did not start: {problem}\n--- node stderr (tail)\n{tail}"
    )


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.stdin is not None:
        with suppress(OSError):
            proc.stdin.close()
    if proc.poll() is not None:
        return
    proc.terminate()  # network.mjs closes the network on SIGTERM (and when stdin ends)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def bluesky() -> Iterator[BlueskyNetwork]:
    """A throwaway Bluesky network (PostgreSQL + @atproto/dev-env) for the whole session."""
    if (problem := _missing()) is not None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {problem}", pytrace=False)
        pytest.skip(f"Bluesky network skipped: {problem}")

    root = Path(tempfile.mkdtemp(prefix="parloir-bluesky-"))
    shutil.chown(root, "postgres", "postgres")  # root still gets in; postgres needs to
    node_tmp = root / "node-tmp"  # the PDS's sqlite and blob dirs go to os.tmpdir()
    node_tmp.mkdir()
    postgres = Postgres(root)
    holder: list[BlueskyNetwork] = []
    chat = _chat_server(lambda: holder[0] if holder else None)
    proc: subprocess.Popen[str] | None = None
    pump: threading.Thread | None = None
    stderr_path = root / "node.stderr"
    try:
        started = time.monotonic()
        chat_url = f"http://{HOST}:{chat.server_address[1]}"
        config = {
            "dbPostgresUrl": postgres.start(),
            "dbPostgresSchema": SCHEMA,
            "accounts": [{"handle": h, "password": p} for h, p in ACCOUNTS],
            "chatUrl": chat_url,
        }
        env = {**os.environ, "REDIS_HOST": "unused", "TMPDIR": str(node_tmp)}
        with stderr_path.open("w") as stderr:
            proc = subprocess.Popen(
                ["node", str(SCRIPT), json.dumps(config)],
                cwd=PACKAGE_DIR,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        lines, pump = _pump(proc)
        ready = _read_ready(proc, lines, stderr_path)
        network = BlueskyNetwork(
            pds=ready["pds"],
            appview=ready["appview"],
            plc=ready["plc"],
            control=ready["control"],
            chat_url=chat_url,
            accounts=[
                Account(
                    handle=a["handle"],
                    did=a["did"],
                    password=a["password"],
                    app_password=a.get("appPassword"),
                    privileged_app_password=a.get("privilegedAppPassword"),
                )
                for a in ready["accounts"]
            ],
            posts=ready["posts"],
            startup_seconds=time.monotonic() - started,
        )
        holder.append(network)
        yield network
    finally:
        if proc is not None:
            _stop(proc)
        if pump is not None:
            pump.join(timeout=10)  # it closes node's stdout at its end
        chat.shutdown()
        chat.server_close()
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)
