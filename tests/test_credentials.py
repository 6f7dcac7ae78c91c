"""Secrets go to the OS keyring only: a real Secret Service under scripts/test
(gnome-keyring in the run's own D-Bus session), no plaintext fallback, and one
sentence for the user when there is no keyring."""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest

from console import credentials, paths
from console.credentials import KeyringUnavailable

REPO = Path(__file__).resolve().parents[1]


def random_secret() -> str:
    return "tok-" + secrets.token_urlsafe(24)


def files_containing(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.fixture
def name() -> Iterator[str]:
    """A keyring entry name unique to the test, removed afterwards."""
    key = credentials.account_key(f"test-{secrets.token_hex(8)}")
    yield key
    credentials.delete_secret(key)


# --- with the real Secret Service ---------------------------------------------


@pytest.mark.keyring
def test_store_load_delete_roundtrip(name: str) -> None:
    assert credentials.load_secret(name) is None
    credentials.store_secret(name, "first")
    assert credentials.load_secret(name) == "first"
    credentials.store_secret(name, "sécret – ünïcode ✓")
    assert credentials.load_secret(name) == "sécret – ünïcode ✓"
    credentials.delete_secret(name)
    assert credentials.load_secret(name) is None
    credentials.delete_secret(name)  # already gone: no error


@pytest.mark.keyring
def test_uses_the_parloir_service_and_account_keys(name: str) -> None:
    assert credentials.account_key("0f5a") == "account:0f5a"
    credentials.store_secret(name, "x")
    assert keyring.get_password("parloir", name) == "x"
    credentials.store_secret("team-db", "pg-password")
    try:
        assert credentials.load_secret("team-db") == "pg-password"
    finally:
        credentials.delete_secret("team-db")


@pytest.mark.keyring
def test_no_secret_on_disk(parloir_home: Path) -> None:
    """Add an account the way the app does (keyring + cache row), log at DEBUG into
    the log dir, remove it again, and look for the secret's bytes in every file
    under PARLOIR_HOME."""
    from console.models.db import open_cache
    from console.services.accounts import add_account, remove_account

    secret = random_secret()
    handler = logging.FileHandler(paths.log_dir() / "parloir.log", encoding="utf-8")
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    account_id = None
    try:
        for directory in (paths.data_dir(), paths.config_dir(), paths.cache_dir()):
            (directory / "touched").write_text("parloir test\n")
        with open_cache(paths.cache_path()) as cache:
            account = add_account(
                cache.writer,
                network="mastodon",
                handle="us@social.example",
                server="https://social.example",
                secret=secret,
            )
            account_id = account.id
            assert credentials.load_secret(credentials.account_key(account_id)) == secret
            cache.checkpoint()
            assert files_containing(parloir_home, secret.encode()) == []
            remove_account(cache.writer, account_id)
        assert credentials.load_secret(credentials.account_key(account_id)) is None
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(old_level)
        if account_id is not None:
            credentials.delete_secret(credentials.account_key(account_id))

    files = [p for p in parloir_home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite" for p in files), files
    assert files_containing(parloir_home, secret.encode()) == []
    # nor in another encoding SQLite or a log might use
    assert files_containing(parloir_home, secret.encode("utf-16-le")) == []


@pytest.mark.keyring
def test_locked_keyring_says_unlock(tmp_path: Path) -> None:
    """A login keyring made with another password stays locked: the user is told to
    unlock it. Runs its own D-Bus session so it does not disturb the suite's one."""
    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing (scripts/test installs it)", pytrace=False)
    # No display: gnome-keyring must not open an unlock prompt on someone's desktop.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    script = (
        "import sys\n"
        "from console import credentials as c\n"
        "try:\n"
        "    c.store_secret(sys.argv[1], 'v')\n"
        "except c.KeyringUnavailable as e:\n"
        "    print(e)\n"
        "else:\n"
        "    print('stored')\n"
    )
    session = (
        'echo -n "$1" | gnome-keyring-daemon --unlock --components=secrets >/dev/null '
        '&& exec "$2" -c "$3" probe'
    )

    def run(password: str) -> str:
        done = subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", session, "sh", password, sys.executable, script],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run("first") == "stored"
    assert run("another") == credentials.LOCKED


# --- without a usable keyring (no Secret Service needed) ----------------------

NO_KEYRING_SCRIPT = """
import sys
from console import credentials
try:
    credentials.store_secret(credentials.account_key("a1"), sys.argv[1])
except credentials.KeyringUnavailable as exc:
    print(exc)
    raise SystemExit(0)
print("stored")
raise SystemExit(3)
"""


@pytest.mark.parametrize("case", ["fail-backend", "no-dbus"])
def test_no_keyring_is_one_clear_sentence(case: str, tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "DISPLAY")
    }
    if case == "fail-backend":
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    fake_home = tmp_path / "home"
    for var, sub in (
        ("HOME", ""),
        ("PARLOIR_HOME", "parloir"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        (fake_home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(fake_home / sub)
    secret = random_secret()

    done = subprocess.run(
        [sys.executable, "-c", NO_KEYRING_SCRIPT, secret],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    message = done.stdout.strip()
    assert message == credentials.NO_KEYRING
    assert "\n" not in message
    assert len(re.findall(r"[.!?](?:\s|$)", message)) == 1, message  # one sentence
    assert "gnome-keyring" in message
    assert secret not in done.stdout + done.stderr
    assert files_containing(fake_home, secret.encode()) == []
    assert [p for p in fake_home.rglob("*") if p.is_file()] == []


@pytest.fixture
def verify_server() -> Iterator[str]:
    """A loopback server answering Mastodon's verify_credentials, so that
    ``parloir account add`` gets as far as the keyring."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"id": "1", "acct": "us", "username": "us"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "env_change",
    [
        {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"},
        {"DBUS_SESSION_BUS_ADDRESS": None},
    ],
    ids=["fail-backend", "dead-bus", "no-bus"],
)
def test_account_add_without_a_keyring_exits_2_and_saves_nothing(
    tmp_path: Path, env_change: dict[str, str | None], verify_server: str
) -> None:
    """The same through the command line: exit 2, one line, no account row."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND", "DISPLAY")}
    env.update({"PARLOIR_HOME": str(tmp_path), "PYTHONPATH": str(REPO)})
    for key, value in env_change.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    token = random_secret()
    command = ["account", "add", "mastodon", "--server", verify_server, "--token-stdin"]
    result = subprocess.run(
        [sys.executable, "-m", "console", *command],
        input=token,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert message.count("\n") == 0 and "Traceback" not in message
    assert "gnome-keyring" in message
    listed = subprocess.run(
        [sys.executable, "-m", "console", "account", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert listed.returncode == 0 and listed.stdout.strip() == "[]"
    assert files_containing(tmp_path, token.encode()) == []


# --- backend choice and error mapping (fake backends, no D-Bus) ---------------


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A stand-in for a safe OS keyring."""

    priority = 1

    def __init__(self, error: BaseException | None = None) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.error = error

    def _check(self) -> None:
        if self.error is not None:
            raise self.error

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt's: writes secrets to a file as they are."""


class Chainer:
    """Shaped like keyring.backends.chainer.ChainerBackend (has .backends)."""

    def __init__(self, *backends: keyring.backend.KeyringBackend) -> None:
        self.backends = list(backends)


def use(monkeypatch: pytest.MonkeyPatch, backend: Any) -> None:
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)


def test_chainer_never_falls_back_to_plaintext(monkeypatch: pytest.MonkeyPatch) -> None:
    plain, safe = PlaintextKeyring(), MemoryKeyring()
    use(monkeypatch, Chainer(plain, safe))
    credentials.store_secret("team-db", "pw")
    assert safe.store == {("parloir", "team-db"): "pw"}
    assert plain.store == {}

    # the safe member failing must not send the secret to the plaintext one
    safe.error = keyring.errors.InitError("dbus gone")
    with pytest.raises(KeyringUnavailable):
        credentials.store_secret("team-db", "pw2")
    assert plain.store == {}


@pytest.mark.parametrize("backend", [PlaintextKeyring(), Chainer(), Chainer(PlaintextKeyring())])
def test_unsafe_backends_are_refused(monkeypatch: pytest.MonkeyPatch, backend: Any) -> None:
    use(monkeypatch, backend)
    for call in (
        lambda: credentials.store_secret("k", "v"),
        lambda: credentials.load_secret("k"),
        lambda: credentials.delete_secret("k"),
    ):
        with pytest.raises(KeyringUnavailable) as info:
            call()
        assert str(info.value) == credentials.NO_KEYRING


class SecretServiceLockedError(Exception):
    """Named like the D-Bus errors secretstorage raises for a locked collection."""


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (keyring.errors.KeyringLocked("Failed to unlock the collection!"), credentials.LOCKED),
        (SecretServiceLockedError("locked"), credentials.LOCKED),
        (keyring.errors.InitError("Failed to create the collection"), credentials.NO_KEYRING),
        (keyring.errors.NoKeyringError("No recommended backend"), credentials.NO_KEYRING),
        (ConnectionRefusedError("dbus socket"), credentials.NO_KEYRING),
    ],
)
def test_backend_errors_become_one_sentence(
    monkeypatch: pytest.MonkeyPatch, error: Exception, sentence: str
) -> None:
    use(monkeypatch, MemoryKeyring(error))
    with pytest.raises(KeyringUnavailable) as info:
        credentials.store_secret("k", "v")
    assert str(info.value) == sentence
    assert info.value.__cause__ is None  # no D-Bus traceback chained into the user's view


def test_logs_never_contain_the_secret(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = random_secret()
    use(monkeypatch, MemoryKeyring(keyring.errors.KeyringError(f"cannot store {secret}")))
    caplog.set_level(logging.DEBUG, logger="console.credentials")
    with pytest.raises(KeyringUnavailable):
        credentials.store_secret("k", secret)
    assert caplog.records, "the failure is logged"
    assert secret not in caplog.text
    assert "***" in caplog.text


def test_delete_absent_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = MemoryKeyring()
    use(monkeypatch, backend)
    credentials.delete_secret("never-stored")
    credentials.store_secret("k", "v")
    credentials.delete_secret("k")
    assert backend.store == {}
