"""Real mail servers for the tests: a throwaway Dovecot (IMAP) and aiosmtpd (SMTP) on 127.0.0.1.

Fixtures (import them into a test module or conftest)::

    dovecot      session  Dovecot running from a temp dir (Debian dovecot-imapd; needs root,
                          as the RECIPES say: mail users cannot be uid 0, so mail is owned by
                          nobody:nogroup). CONDSTORE/QRESYNC are on (Dovecot's defaults).
    mailbox      function a fresh user on that Dovecot, with helpers to put mail in and look
                          at it (plain imapclient, one short connection per call)
    smtp         function an aiosmtpd server without AUTH that records every message
    smtp_auth    function the same, offering AUTH PLAIN/LOGIN and accepting only
                          user@example.org / secret (535 otherwise, 530 on MAIL before AUTH)

Both SMTP fixtures have ``drop_after_data``: when True, the server records the message after
DATA and then drops the connection without the final reply (the client cannot tell whether
the mail was accepted).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from imapclient import IMAPClient

HOST = "127.0.0.1"
DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"
START_TIMEOUT = 10.0
PASSWORD = "secret"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close)."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


# --- Dovecot --------------------------------------------------------------------------------

DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = parloir-test-{port}
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
mail_location = maildir:{dir}/mail/%u
mail_fsync = never
# CONDSTORE and QRESYNC are in Dovecot's default imap_capability and need no plugin:
# leave imap_capability and mail_plugins unset so nothing takes them away.
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
# One passwd-file per user (see Dovecot.add_user).
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users/%u
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={dir}/mail/%u
}}
# No per-IP auth penalty (anvil would slow every later login from 127.0.0.1 after a
# wrong password by 2..15 s): Dovecot's documented switch is an unusable listener.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass
class Dovecot:
    """The running server: ``host``, ``port``, ``dir`` (its temp dir), ``conf`` (config path)."""

    host: str
    port: int
    dir: Path
    conf: Path

    def add_user(self, name: str, password: str = PASSWORD) -> str:
        """Add (or re-password) a user; returns the name, which is also its address.

        One passwd-file per user (``DIR/users/NAME``): Dovecot re-reads a changed
        passwd-file at most once a second, so a user appended to a shared file can be
        "unknown" for up to a second; a new file is read on its first lookup.
        """
        if "/" in name or name.startswith("."):
            raise ValueError(f"bad user name {name!r}")
        (self.dir / "users" / name).write_text(f"{name}:{{PLAIN}}{password}\n", encoding="utf-8")
        return name

    def doveadm(self, *args: str) -> str:
        """Run ``doveadm -c CONF ARGS`` against this instance; returns its stdout."""
        done = subprocess.run(
            [DOVEADM, "-c", str(self.conf), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            command = " ".join(args)
            raise RuntimeError(f"doveadm {command} failed ({done.returncode}): {done.stderr}")
        return done.stdout

    def log(self) -> str:
        parts = []
        for name in ("dovecot.log", "stdout.log"):
            path = self.dir / name
            if path.exists():
                parts.append(f"--- {name}\n{path.read_text(errors='replace')}")
        return "\n".join(parts)


def _wait_for_greeting(proc: subprocess.Popen[bytes], port: int, timeout: float) -> str | None:
    """None once the server greets with ``* OK``; otherwise why it did not."""
    deadline = time.monotonic() + timeout
    last = "no attempt"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return f"dovecot exited with status {proc.returncode}"
        try:
            with socket.create_connection((HOST, port), timeout=1.0) as sock:
                greeting = sock.recv(1024)
            if greeting.startswith(b"* OK"):
                return None
            last = f"unexpected greeting {greeting!r}"
        except OSError as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(0.05)
    return f"no IMAP greeting within {timeout:.0f} s ({last})"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A throwaway Dovecot on 127.0.0.1 for the whole session (see RECIPES.md)."""
    if not os.path.exists(DOVECOT):
        pytest.fail(f"{DOVECOT} is missing (Debian dovecot-imapd)", pytrace=False)
    if os.geteuid() != 0:
        pytest.fail("the Dovecot fixture runs as root (mail owned by nobody)", pytrace=False)
    root = Path(tempfile.mkdtemp(prefix="parloir-dovecot-"))
    try:
        # mkdtemp makes 0700; Dovecot's unprivileged processes must traverse the chain.
        root.chmod(0o755)
        for sub in ("run", "state", "mail", "users"):
            (root / sub).mkdir()
        shutil.chown(root / "mail", "nobody", "nogroup")
        port = free_port()
        conf = root / "dovecot.conf"
        conf.write_text(DOVECOT_CONF.format(dir=root, port=port), encoding="utf-8")
        server = Dovecot(host=HOST, port=port, dir=root, conf=conf)
        with open(root / "stdout.log", "wb") as out:
            proc = subprocess.Popen(
                [DOVECOT, "-F", "-c", str(conf)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            problem = _wait_for_greeting(proc, port, START_TIMEOUT)
            if problem is not None:
                _stop(proc)
                log = server.log()
                print(log)
                pytest.fail(f"Dovecot did not start: {problem}\n{log}", pytrace=False)
            yield server
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(root, ignore_errors=True)


_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]")


@dataclass
class Mailbox:
    """One user on the session Dovecot, with helpers that go through plain IMAP."""

    server: Dovecot
    address: str
    password: str

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    def client(self) -> IMAPClient:
        """A logged-in IMAPClient (use it as a context manager: it logs out at the end)."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        try:
            client.login(self.address, self.password)
        except BaseException:
            client.shutdown()
            raise
        return client

    def append(
        self,
        folder: str,
        raw: bytes,
        flags: Sequence[str | bytes] = (),
        when: datetime | None = None,
    ) -> int:
        """APPEND ``raw`` (the folder is created if missing); returns its UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags), msg_time=when)
        match = _APPENDUID.search(response)
        if match is None:
            raise AssertionError(f"no APPENDUID in {response!r}")
        return int(match.group(2))

    def set_flags(self, folder: str, uid: int, flags: Sequence[str | bytes]) -> None:
        """Replace the flags of message ``uid`` (STORE FLAGS, not +FLAGS)."""
        with self.client() as client:
            client.select_folder(folder)
            client.set_flags([uid], list(flags))

    def flags(self, folder: str) -> dict[int, tuple[bytes, ...]]:
        """UID -> flags of every message in ``folder``."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return {}
            data = client.fetch(uids, ["FLAGS"])
        return {uid: tuple(item[b"FLAGS"]) for uid, item in data.items()}

    def delete(self, folder: str, uid: int) -> None:
        """Flag ``uid`` \\Deleted and expunge it (UID EXPUNGE: other messages stay)."""
        with self.client() as client:
            client.select_folder(folder)
            client.add_flags([uid], [b"\\Deleted"])
            client.uid_expunge([uid])

    def status(self, folder: str, what: Iterable[str]) -> dict[bytes, Any]:
        with self.client() as client:
            result: dict[bytes, Any] = client.folder_status(folder, list(what))
        return result

    def uidvalidity(self, folder: str) -> int:
        return int(self.status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])

    def highestmodseq(self, folder: str) -> int:
        return int(self.status(folder, ["HIGHESTMODSEQ"])[b"HIGHESTMODSEQ"])

    def reset_uidvalidity(self, folder: str) -> int:
        """Give ``folder`` a new UIDVALIDITY; messages (and their UIDs) stay. Returns it.

        Through ``doveadm mailbox update --uid-validity``, which works on maildir.
        """
        old = self.uidvalidity(folder)
        new = old + 1 if old < 2**32 - 1 else 1
        self.server.doveadm(
            "mailbox", "update", "-u", self.address, "--uid-validity", str(new), folder
        )
        return new

    def messages(self, folder: str) -> list[bytes]:
        """Every raw message of ``folder``, in UID order."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return []
            data = client.fetch(uids, ["BODY.PEEK[]"])
        return [data[uid][b"BODY[]"] for uid in sorted(data)]

    def folders(self) -> list[str]:
        with self.client() as client:
            return [name for _flags, _delim, name in client.list_folders()]


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Mailbox:
    """A fresh user ``u<8 hex>@example.org`` / ``secret`` on the session Dovecot."""
    address = dovecot.add_user(f"u{secrets.token_hex(4)}@example.org", PASSWORD)
    return Mailbox(server=dovecot, address=address, password=PASSWORD)


# --- SMTP -------------------------------------------------------------------------------------


def message_from(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


@dataclass
class Received:
    """One message as the SMTP server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage
    login: str | None  # the AUTH user, when the client authenticated


class RecordingHandler:
    """aiosmtpd handler: records messages; optional AUTH check; optional drop after DATA.

    (No attribute may start with ``auth_``: aiosmtpd takes those for AUTH mechanisms.)
    """

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.drop_after_data = False
        self.credentials: tuple[str, str] | None = None
        self.login_required = False

    def authenticate(
        self,
        server: SMTPServer,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        ok = (
            self.credentials is not None
            and isinstance(auth_data, LoginPassword)
            and (auth_data.login, auth_data.password)
            == (self.credentials[0].encode(), self.credentials[1].encode())
        )
        # handled=False: aiosmtpd answers "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    async def handle_MAIL(
        self,
        server: SMTPServer,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.login_required and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        auth = session.auth_data
        self.messages.append(
            Received(
                mail_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                raw=raw,
                message=message_from(raw),
                login=auth.login.decode() if isinstance(auth, LoginPassword) else None,
            )
        )
        transport = server.transport
        if self.drop_after_data and isinstance(transport, asyncio.WriteTransport):
            # abort(), not close(): aiosmtpd writes "250 OK" after this returns; on an
            # aborted transport that write is dropped, and connection_lost() cancels the
            # session task. The client sees the connection close instead of a reply.
            transport.abort()
        return "250 OK"


@dataclass
class SmtpServer:
    """A running aiosmtpd: ``host``, ``port``, ``messages`` (list of Received)."""

    host: str
    port: int
    controller: Controller
    handler: RecordingHandler = field(repr=False)

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    @property
    def drop_after_data(self) -> bool:
        return self.handler.drop_after_data

    @drop_after_data.setter
    def drop_after_data(self, value: bool) -> None:
        self.handler.drop_after_data = value

    @property
    def user(self) -> str | None:
        return self.handler.credentials[0] if self.handler.credentials else None

    @property
    def password(self) -> str | None:
        return self.handler.credentials[1] if self.handler.credentials else None

    def require_auth(self, user: str, password: str, *, required: bool = True) -> None:
        """From the next connection on: offer AUTH PLAIN/LOGIN (without TLS), accept only
        ``user``/``password`` (535 otherwise) and, if ``required``, refuse MAIL before AUTH."""
        self.handler.credentials = (user, password)
        self.handler.login_required = required
        # The controller builds a new SMTP object per connection from these kwargs.
        self.controller.SMTP_kwargs.update(
            auth_require_tls=False, authenticator=self.handler.authenticate
        )


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 that offers no AUTH and records every message."""
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(
        handler, hostname=HOST, port=port, server_hostname="mx.parloir.test", ready_timeout=10
    )
    controller.start()
    try:
        yield SmtpServer(host=HOST, port=port, controller=controller, handler=handler)
    finally:
        controller.stop()


@pytest.fixture
def smtp_auth(smtp: SmtpServer) -> SmtpServer:
    """Like ``smtp``, but AUTH PLAIN/LOGIN is offered and required: user@example.org/secret."""
    smtp.require_auth("user@example.org", PASSWORD)
    return smtp
