"""Mastodon browser sign-in (console/services/oauth.py) against mastodon-mock.

End-to-end tests run ``parloir account add mastodon`` in a subprocess with
BROWSER pointing at tests/helpers/fake_browser.py, which plays the user in the
browser; ``webbrowser`` waits for it, so each run is deterministic.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from console import credentials
from console.sync.base import AuthError, SignInRefused
from console.sync.mastodon import oauth
from tests.helpers import fake_browser
from tests.helpers.mastodon_server import Mastodon  # the fixtures come from conftest.py

ROOT = Path(__file__).resolve().parents[1]
FAKE_BROWSER_SCRIPT = ROOT / "tests" / "helpers" / "fake_browser.py"
FAKE_BROWSER = f"{shlex.quote(sys.executable)} {shlex.quote(str(FAKE_BROWSER_SCRIPT))} %s"
PROMPT = "Sign in in your browser; if none opened, visit: "
OOB_PROMPT = "Open this address, authorize Parloir, and paste the code here: "


def cli_env(browser: str, **extra: str) -> dict[str, str]:
    """The test's environment (PARLOIR_HOME, D-Bus) with only ``browser`` available.

    Without a display or terminal, ``webbrowser`` knows no other browser to
    fall back on, so ``false`` really means "no browser".
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "TERM") and not k.startswith("FAKE_BROWSER")
    }
    env.update({"BROWSER": browser, "PYTHONPATH": str(ROOT), **extra})
    return env


def parloir(
    *args: str, browser: str = FAKE_BROWSER, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=cli_env(browser, **extra),
        cwd=ROOT,
        timeout=60,
    )


def sign_in(
    server: str, browser: str = FAKE_BROWSER, **extra: str
) -> subprocess.CompletedProcess[str]:
    return parloir("account", "add", "mastodon", "--server", server, browser=browser, **extra)


def accounts() -> list[dict[str, Any]]:
    result = parloir("account", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def registry(home: Path) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(
        (home / "config" / "oauth-apps.json").read_text(encoding="utf-8")
    )
    return data


def error_lines(stderr: str) -> list[str]:
    """stderr without the sign-in prompt: what the user is told went wrong."""
    return [line for line in stderr.splitlines() if not line.startswith(PROMPT)]


def assert_not_on_disk(home: Path, *secrets: str) -> None:
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, f"a secret is in {path}"


# --------------------------------------------------------------------------
# units


def test_pkce_challenge_matches_rfc7636_appendix_b() -> None:
    # The worked example of RFC 7636, appendix B (verifier and S256 challenge).
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert oauth.code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_code_verifier_is_long_enough_and_url_safe() -> None:
    verifier = oauth.code_verifier()
    assert 43 <= len(verifier) <= 128
    assert re.fullmatch(r"[A-Za-z0-9_-]+", verifier)
    assert verifier != oauth.code_verifier()


def test_authorize_url_carries_pkce_and_state() -> None:
    url = oauth.authorize_url(
        "https://social.example",
        "cid",
        "http://127.0.0.1:5000/callback",
        "read profile",
        "st",
        "ch",
    )
    assert url == (
        "https://social.example/oauth/authorize?response_type=code&client_id=cid"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcallback&scope=read+profile"
        "&state=st&code_challenge=ch&code_challenge_method=S256"
    )


def test_scopes_add_profile_only_when_the_server_lists_it(mastodon: Mastodon) -> None:
    base = "read:notifications read:statuses read:accounts write:statuses write:conversations"
    assert oauth.requested_scopes(mastodon.url) == base  # the mock does not list profile
    assert oauth.requested_scopes("http://127.0.0.1:1") == base  # unreachable: no profile


def test_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(oauth.TIMEOUT_ENV, raising=False)
    assert oauth.wait_timeout() == 300
    monkeypatch.setenv(oauth.TIMEOUT_ENV, "2.5")
    assert oauth.wait_timeout() == 2.5
    monkeypatch.setenv(oauth.TIMEOUT_ENV, "soon")
    assert oauth.wait_timeout() == 300


def test_loopback_ignores_a_foreign_state_and_takes_the_right_one() -> None:
    with oauth.LoopbackServer() as loopback:
        loopback.expect("right")
        stale = requests.get(f"{loopback.redirect_uri}?code=x&state=wrong", timeout=5)
        assert stale.status_code == 400
        assert loopback.wait(0.2) is None
        done = requests.get(f"{loopback.redirect_uri}?code=c0de&state=right", timeout=5)
        assert done.status_code == 200
        assert "You can close this tab and return to Parloir." in done.text
        result = loopback.wait(1)
    assert result == oauth.Callback(code="c0de", error="", description="")
    with pytest.raises(requests.ConnectionError):  # closed: the port is released
        requests.get(loopback.redirect_uri, timeout=5)


def test_loopback_falls_back_to_another_port_when_taken() -> None:
    with oauth.LoopbackServer() as first, oauth.LoopbackServer(first.port) as second:
        assert second.port != first.port
    with oauth.LoopbackServer(first.port) as again:  # free again: reused
        assert again.port == first.port


def test_refused_code_is_an_auth_error_with_the_servers_words(mastodon: Mastodon) -> None:
    app = oauth.App(mastodon.url, oauth.OOB_REDIRECT, "cid", "csecret", "read:accounts")
    with pytest.raises(AuthError, match="invalid_grant"):
        oauth.exchange_code(app, "not-a-code", oauth.OOB_REDIRECT, oauth.code_verifier())


def test_denied_callback_is_a_users_mistake() -> None:
    denied = oauth.Callback(code="", error="access_denied", description="")
    with pytest.raises(SignInRefused, match="declined"):
        oauth._code_from(denied, "https://social.example", 300)
    with pytest.raises(SignInRefused, match="without a sign-in code"):
        oauth._code_from(oauth.Callback("", "", ""), "https://social.example", 300)
    with pytest.raises(SignInRefused, match="within 300 s"):
        oauth._code_from(None, "https://social.example", 300)


# --------------------------------------------------------------------------
# through the CLI


@pytest.mark.keyring
def test_browser_sign_in_adds_the_account_and_keeps_secrets_off_disk(
    mastodon: Mastodon, parloir_home: Path
) -> None:
    result = sign_in(mastodon.url)
    assert result.returncode == 0, result.stderr
    assert "alice@mock.local" in result.stdout
    assert error_lines(result.stderr) == []

    [account] = accounts()
    assert account["handle"] == "alice@mock.local"
    assert account["network"] == "mastodon"
    token = credentials.load_secret(credentials.account_key(account["id"]))
    assert token
    me = requests.get(
        f"{mastodon.url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    assert me["username"] == "alice"

    entry = registry(parloir_home)[mastodon.url]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/callback", entry["redirect_uri"])
    client_secret = credentials.load_secret(
        oauth.app_secret_name(mastodon.url, entry["redirect_uri"])
    )
    assert client_secret
    assert "client_secret" not in json.dumps(registry(parloir_home))
    assert_not_on_disk(parloir_home, token, client_secret)


@pytest.mark.keyring
def test_second_sign_in_reuses_the_app_registration(mastodon: Mastodon, parloir_home: Path) -> None:
    assert sign_in(mastodon.url).returncode == 0
    before = registry(parloir_home)
    [account] = accounts()
    assert parloir("account", "remove", account["id"]).returncode == 0

    # Any new registration would now fail, so success proves the reuse.
    mastodon.fault({"type": "status", "status": 500}, path="/api/v1/apps", methods=["POST"])
    again = sign_in(mastodon.url, FAKE_BROWSER, FAKE_BROWSER_USER="bob")
    assert again.returncode == 0, again.stderr
    assert registry(parloir_home) == before
    assert len(before) == 1
    assert [a["handle"] for a in accounts()] == ["bob@mock.local"]


@pytest.mark.keyring
def test_denied_in_the_browser_exits_2_and_saves_nothing(mastodon: Mastodon) -> None:
    result = sign_in(mastodon.url, FAKE_BROWSER, FAKE_BROWSER_DENY="1")
    assert result.returncode == 2, result.stderr
    [line] = error_lines(result.stderr)
    assert line == "parloir: Sign-in was declined in the browser; nothing was saved."
    assert accounts() == []


@pytest.mark.keyring
def test_no_answer_from_the_browser_times_out(mastodon: Mastodon) -> None:
    started = time.monotonic()
    result = sign_in(mastodon.url, "true", PARLOIR_OAUTH_TIMEOUT="1")
    assert result.returncode == 2, result.stderr
    assert time.monotonic() - started < 30
    [line] = error_lines(result.stderr)
    assert line == (
        "parloir: No answer from the browser within 1 s; try again, or use --token-stdin."
    )
    assert accounts() == []


@pytest.mark.keyring
def test_unreachable_server_exits_1() -> None:
    result = sign_in("http://127.0.0.1:1")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line == (
        "parloir: Parloir could not reach 127.0.0.1:1: check the address and your connection."
    )


def oob_code(url: str) -> str:
    """Do in a "browser elsewhere" what the user does: approve, read the code."""
    form = fake_browser.consent_form(url)
    page = requests.post(
        urljoin(url, form.action),
        data={**form.hidden, "username": "alice"},
        allow_redirects=False,
        timeout=10,
    )
    page.raise_for_status()
    match = re.search(r"Authorization code: (\S+?)<", page.text)
    assert match, page.text
    return match.group(1)


@pytest.mark.keyring
def test_without_a_browser_the_code_is_pasted(mastodon: Mastodon) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", "account", "add", "mastodon", "--server", mastodon.url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env("false"),
        cwd=ROOT,
    )
    killer = threading.Timer(60, proc.kill)
    killer.start()
    try:
        assert proc.stderr is not None and proc.stdin is not None and proc.stdout is not None
        url = ""
        for line in proc.stderr:
            if line.startswith(OOB_PROMPT):
                url = line[len(OOB_PROMPT) :].strip()
                break
        assert "redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob" in url
        assert "code_challenge_method=S256" in url
        proc.stdin.write(oob_code(url) + "\n")
        proc.stdin.close()
        out = proc.stdout.read()
        rest = proc.stderr.read()
        assert proc.wait() == 0, rest
    finally:
        killer.cancel()
        if proc.poll() is None:
            proc.kill()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None and not stream.closed:
                stream.close()
    assert "alice@mock.local" in out
    assert [a["handle"] for a in accounts()] == ["alice@mock.local"]


@pytest.mark.keyring
def test_without_a_browser_an_empty_paste_is_a_users_mistake(mastodon: Mastodon) -> None:
    result = sign_in(mastodon.url, "false")  # stdin is /dev/null: nothing pasted
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "parloir: No sign-in code was pasted; try again, or use --token-stdin."
    )
    assert accounts() == []
