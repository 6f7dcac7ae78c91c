"""Adding an account fails in one sentence per kind of failure, the same on
every network: against real servers (mastodon-mock, the local PDS, Dovecot,
the SMTP server) where the failure is theirs, and against local stand-ins
for the mistyped address (a closed port, a web site, a web server's greeting
where a mail server's was expected)."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from console.models.db import Cache
from console.services import accounts, signin
from console.sync.signin_errors import Failure, SignInFailed, classify, host_of
from tests.helpers.wrong_servers import closed_port, self_signed, web_greeting, web_site

ROOT = Path(__file__).resolve().parents[1]

SENTENCE = {
    Failure.UNREACHABLE: "Parloir could not reach {host}: check the address and your connection.",
    Failure.TLS: (
        "The secure connection to {host} failed: its certificate could not be verified, "
        "or that port does not use TLS. Check the address, the port and the security setting."
    ),
    Failure.REFUSED_CREDENTIALS: (
        "{host} refused the user name, password or token: check them and try again."
    ),
    Failure.NOT_A_SERVER: "{host} answered, but it is not a {server} server: check the address.",
    Failure.NO_KEYRING: (
        "No keyring is available to keep the password: start or unlock one "
        "(such as gnome-keyring or KWallet), then try again. Nothing was saved."
    ),
}

#: What must never reach the person: errno, exception class names, tracebacks.
RAW = re.compile(r"Errno|\b\w+(Error|Exception|Refused|Timeout)\b|Traceback|\bb'")


def fails(cache: Cache, network: str, values: Mapping[str, Any]) -> SignInFailed:
    """Add the account, which must fail; nothing is kept."""
    with pytest.raises(SignInFailed) as info:
        signin.add_account(cache, network, values, stdin=io.StringIO(), stderr=io.StringIO())
    said = str(info.value)
    assert not RAW.search(said), said
    with cache.read() as session:
        assert accounts.list_accounts(session) == []
    return info.value


def expect(failure: SignInFailed, kind: Failure, host: str, server: str) -> None:
    assert (failure.kind, failure.host, failure.server) == (kind, host, server)
    assert str(failure) == SENTENCE[kind].format(host=host, server=server)


def mastodon_values(url: str, token: str = "alice_token") -> dict[str, Any]:
    return {"server": url, "token": token}


def bluesky_values(url: str, password: str = "wrong-pass-word") -> dict[str, Any]:
    return {"handle": "alice.test", "app_password": password, "service": url}


def email_values(imap: str, smtp: str, password: str = "x", **more: str) -> dict[str, Any]:
    return {
        "imap": imap,
        "smtp": smtp,
        "user": more.get("user", "alice@example.org"),
        "address": more.get("user", "alice@example.org"),
        "password": password,
        "security": more.get("security", "none"),
    }


# --- the address cannot be reached -----------------------------------------------


def test_a_closed_port_is_unreachable_on_every_network(
    cache: Cache, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="console.sync.signin_errors")
    port = closed_port()
    url = f"http://127.0.0.1:{port}"
    for network, values, host in (
        ("mastodon", mastodon_values(url), f"127.0.0.1:{port}"),
        ("bluesky", bluesky_values(url), f"127.0.0.1:{port}"),
        ("email", email_values(f"127.0.0.1:{port}", f"127.0.0.1:{port}"), "127.0.0.1"),
    ):
        server = {"mastodon": "Mastodon", "bluesky": "Bluesky"}.get(network, "mail (IMAP)")
        expect(fails(cache, network, values), Failure.UNREACHABLE, host, server)
    # The raw cause is kept for whoever reads the log, never shown.
    assert "Connection refused" in caplog.text or "Errno 111" in caplog.text


def test_a_name_that_does_not_resolve_is_unreachable(cache: Cache) -> None:
    failure = fails(cache, "mastodon", mastodon_values("https://social.invalid"))
    expect(failure, Failure.UNREACHABLE, "social.invalid", "Mastodon")


# --- TLS spoken to a port that does not use it ---------------------------------------


def test_tls_to_a_plain_web_port_is_a_tls_failure(cache: Cache) -> None:
    with web_site() as url:
        tls = url.replace("http://", "https://")
        host = host_of(url)
        expect(fails(cache, "mastodon", mastodon_values(tls)), Failure.TLS, host, "Mastodon")
        expect(fails(cache, "bluesky", bluesky_values(tls)), Failure.TLS, host, "Bluesky")


def test_a_self_signed_certificate_is_a_tls_failure(cache: Cache, tmp_path: Path) -> None:
    tls = self_signed(tmp_path)
    with web_site(tls=tls) as url:
        host = host_of(url)
        expect(fails(cache, "mastodon", mastodon_values(url)), Failure.TLS, host, "Mastodon")
        expect(fails(cache, "bluesky", bluesky_values(url)), Failure.TLS, host, "Bluesky")
    with web_greeting(tls) as (host, port):
        values = email_values(f"{host}:{port}", f"{host}:{port}", security="tls")
        expect(fails(cache, "email", values), Failure.TLS, host, "mail (IMAP)")


def test_tls_to_dovecots_plain_port_is_a_tls_failure(cache: Cache, mailbox: Any) -> None:
    imap = f"{mailbox.host}:{mailbox.port}"
    values = email_values(imap, imap, mailbox.password, user=mailbox.address, security="tls")
    expect(fails(cache, "email", values), Failure.TLS, mailbox.host, "mail (IMAP)")


# --- the address answers, but is not that kind of server -----------------------------


@pytest.mark.parametrize("status", [200, 404])
def test_a_web_site_is_not_a_mastodon_or_bluesky_server(cache: Cache, status: int) -> None:
    with web_site(status) as url:
        host = host_of(url)
        failure = fails(cache, "mastodon", mastodon_values(url))
        expect(failure, Failure.NOT_A_SERVER, host, "Mastodon")
        failure = fails(cache, "bluesky", bluesky_values(url))
        expect(failure, Failure.NOT_A_SERVER, host, "Bluesky")


def test_a_web_servers_greeting_is_not_an_imap_server(cache: Cache) -> None:
    with web_greeting() as (host, port):
        values = email_values(f"{host}:{port}", f"{host}:{port}")
        expect(fails(cache, "email", values), Failure.NOT_A_SERVER, host, "mail (IMAP)")


def test_a_web_servers_greeting_is_not_an_smtp_server(cache: Cache, mailbox: Any) -> None:
    with web_greeting() as (host, port):
        imap = f"{mailbox.host}:{mailbox.port}"
        values = email_values(imap, f"{host}:{port}", mailbox.password, user=mailbox.address)
        expect(fails(cache, "email", values), Failure.NOT_A_SERVER, host, "mail (SMTP)")


# --- the server refuses the login ------------------------------------------------------


def test_mastodon_refuses_a_wrong_token(cache: Cache, mastodon: Any) -> None:
    failure = fails(cache, "mastodon", mastodon_values(mastodon.url, "not-a-token"))
    expect(failure, Failure.REFUSED_CREDENTIALS, host_of(mastodon.url), "Mastodon")


def test_the_pds_refuses_a_wrong_app_password(cache: Cache, bluesky: Any) -> None:
    values = {"handle": bluesky.us.handle, "app_password": "wrong-pass-word"}
    failure = fails(cache, "bluesky", {**values, "service": bluesky.pds})
    expect(failure, Failure.REFUSED_CREDENTIALS, host_of(bluesky.pds), "Bluesky")


def test_dovecot_refuses_a_wrong_password(cache: Cache, mailbox: Any, smtp: Any) -> None:
    imap, outgoing = f"{mailbox.host}:{mailbox.port}", f"{smtp.host}:{smtp.port}"
    values = email_values(imap, outgoing, "wrong", user=mailbox.address)
    failure = fails(cache, "email", values)
    expect(failure, Failure.REFUSED_CREDENTIALS, mailbox.host, "mail (IMAP)")


def test_smtp_refuses_a_wrong_password_with_535(cache: Cache, mailbox: Any, smtp_auth: Any) -> None:
    imap, outgoing = f"{mailbox.host}:{mailbox.port}", f"{smtp_auth.host}:{smtp_auth.port}"
    values = email_values(imap, outgoing, mailbox.password, user=mailbox.address)
    failure = fails(cache, "email", values)  # IMAP takes it; SMTP wants user@example.org
    expect(failure, Failure.REFUSED_CREDENTIALS, smtp_auth.host, "mail (SMTP)")


# --- no keyring to keep the secret -------------------------------------------------------


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """keyring's own "fail" backend: every call fails, as without a Secret Service."""
    monkeypatch.setattr(keyring, "get_keyring", keyring.backends.fail.Keyring)
    yield


def test_no_keyring_is_the_same_sentence_on_every_network(
    cache: Cache, no_keyring: None, mastodon: Any, bluesky: Any, mailbox: Any, smtp: Any
) -> None:
    imap, outgoing = f"{mailbox.host}:{mailbox.port}", f"{smtp.host}:{smtp.port}"
    us = bluesky.us
    for network, values in (
        ("mastodon", mastodon_values(mastodon.url)),
        ("bluesky", {"handle": us.handle, "app_password": us.app_password, "service": bluesky.pds}),
        ("email", email_values(imap, outgoing, mailbox.password, user=mailbox.address)),
    ):
        failure = fails(cache, network, values)  # the server said yes; the keyring cannot keep it
        assert failure.kind == Failure.NO_KEYRING
        assert str(failure) == SENTENCE[Failure.NO_KEYRING]


# --- the kinds, and what is not one ----------------------------------------------------------


def test_a_bug_is_not_a_sign_in_failure() -> None:
    assert classify(KeyError("id")) is None
    assert classify(TypeError("bad")) is None
    assert classify(ConnectionRefusedError(111, "Connection refused")) == Failure.UNREACHABLE


# --- the command line prints the same sentence ----------------------------------------------


def parloir(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        timeout=60,
    )


def test_the_cli_prints_the_sentence_and_exits_1_when_unreachable() -> None:
    port = closed_port()
    result = parloir(
        "account", "add", "email", "--imap", f"127.0.0.1:{port}", "--smtp", f"127.0.0.1:{port}",
        "--user", "alice@example.org", "--password-stdin", stdin="pw\n",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "parloir: " + SENTENCE[Failure.UNREACHABLE].format(host="127.0.0.1")
    ]


def test_the_cli_says_no_keyring_and_exits_2(mastodon: Any) -> None:
    result = parloir(
        "account", "add", "mastodon", "--server", mastodon.url, "--token-stdin",
        stdin="alice_token\n", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == ["parloir: " + SENTENCE[Failure.NO_KEYRING]]
