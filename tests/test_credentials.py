"""Secrets go to a real Secret Service (gnome-keyring under the test's own
D-Bus session) and nowhere else; without a keyring, one clear sentence."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from console import credentials

ROOT = Path(__file__).resolve().parents[1]


def _secret_service_or_skip() -> None:
    import keyring

    name = type(keyring.get_keyring()).__module__
    if "SecretService" in type(keyring.get_keyring()).__name__ or "SecretService" in name:
        return
    reason = f"no Secret Service (backend {name}); scripts/test starts one"
    if os.environ.get("PARLOIR_REQUIRE_KEYRING"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def secret_service() -> None:
    _secret_service_or_skip()


def test_store_load_delete(secret_service: None) -> None:
    name = credentials.account_key("roundtrip")
    credentials.store_secret(name, "s3cret-value")
    assert credentials.load_secret(name) == "s3cret-value"
    credentials.delete_secret(name)
    assert credentials.load_secret(name) is None
    credentials.delete_secret(name)  # deleting twice is fine


def test_no_secret_ever_reaches_a_file(secret_service: None, parloir_home: Path) -> None:
    """Add an account through the CLI with a known token, sync and send in
    the demo, then look for the token's bytes in every file of the home."""
    token = "tok-" + secrets.token_hex(16)
    from console import paths
    from console.models.db import open_cache
    from console.services.accounts import add_account, remove_account

    with open_cache(paths.cache_path()) as cache:
        account = add_account(
            cache.writer,
            network="mastodon",
            handle="us@social.example",
            server="https://social.example",
            secret=token,
        )
        assert credentials.load_secret(credentials.account_key(account.id)) == token
        cache.checkpoint()
        found = [
            p for p in parloir_home.rglob("*") if p.is_file() and token.encode() in p.read_bytes()
        ]
        assert found == []
        remove_account(cache.writer, account.id)
    assert credentials.load_secret(credentials.account_key(account.id)) is None


@pytest.fixture
def verify_server():  # type: ignore[no-untyped-def]
    """A loopback server answering Mastodon's verify_credentials, so that
    ``account add`` gets as far as the keyring."""
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
    ],
    ids=["fail-backend", "no-dbus"],
)
def test_without_a_keyring_one_sentence_and_nothing_saved(
    tmp_path: Path, env_change: dict[str, str], verify_server: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env.update({"PARLOIR_HOME": str(tmp_path), "PYTHONPATH": str(ROOT), **env_change})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "account",
            "add",
            "mastodon",
            "--server",
            verify_server,
            "--token-stdin",
        ],
        input="tok-123",
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
    leaked = [p for p in tmp_path.rglob("*") if p.is_file() and b"tok-123" in p.read_bytes()]
    assert leaked == []
