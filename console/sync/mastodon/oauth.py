"""Mastodon browser sign-in: OAuth 2 authorization code with PKCE.

Why a browser: the user types their password into their own server's page,
never into Parloir, and can see and revoke what Parloir is allowed to do.

How (RFC 8252, "OAuth for native apps"):

1. Parloir listens on a loopback port (127.0.0.1 only) for the browser's
   redirect, registers itself with the server as an app (once per server and
   redirect URI, then reused), and opens the authorize page in the browser.
2. The server redirects the browser to ``http://127.0.0.1:PORT/callback`` with
   a one-time code; PKCE (RFC 7636) binds that code to this process, so another
   program that sees the code cannot redeem it.
3. Parloir exchanges the code for an access token; the caller verifies and
   stores it exactly like a pasted token.

When no browser can be started (a server over SSH), the out-of-band redirect
``urn:ietf:wg:oauth:2.0:oob`` makes the server show the code instead, and the
user pastes it on standard input.

Secrets: the app's client secret lives only in the keyring (``console.credentials``);
the registry file ``oauth-apps.json`` holds the public half (client id, redirect
URI, scopes) so that reuse survives restarts without a secret on disk.

No Qt here and no sync imports beyond the typed errors: the CLI and the GUI
both call :func:`browser_sign_in`. The loopback listener is loopback.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlencode, urlparse

import requests

from console import credentials, paths
from console.sync.base import AuthError, NotAServer, SignInRefused, TransientError
from console.sync.mastodon.loopback import (
    CALLBACK_PATH,
    LOOPBACK_HOST,
    Callback,
    LoopbackServer,
    loopback_redirect,
)
from console.sync.reasons import connection_reason

__all__ = [
    "CALLBACK_PATH",
    "LOOPBACK_HOST",
    "OOB_REDIRECT",
    "TIMEOUT_ENV",
    "App",
    "Callback",
    "LoopbackServer",
    "app_secret_name",
    "authorize_url",
    "browser_sign_in",
    "code_challenge",
    "code_verifier",
    "ensure_app",
    "exchange_code",
    "forget_app",
    "loopback_redirect",
    "requested_scopes",
    "wait_timeout",
]

log = logging.getLogger(__name__)

HTTP_TIMEOUT = (5, 15)
CLIENT_NAME = "Parloir"
# Shown on the consent page; blank until the project has a public address
# (Mastodon accepts a blank website).
WEBSITE = ""
BASE_SCOPES = (
    "read:notifications",
    "read:statuses",
    "read:accounts",
    "write:statuses",
    "write:conversations",
)
OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
DEFAULT_TIMEOUT = 300.0
TIMEOUT_ENV = "PARLOIR_OAUTH_TIMEOUT"
REGISTRY_FILE = "oauth-apps.json"


# --------------------------------------------------------------------------
# PKCE and URLs


def code_verifier() -> str:
    """A fresh PKCE verifier: 86 URL-safe characters, inside RFC 7636's 43–128."""
    return secrets.token_urlsafe(64)


def code_challenge(verifier: str) -> str:
    """The S256 challenge: base64url(sha256(verifier)) without padding (RFC 7636 §4.2).

    Only the challenge travels through the browser; the verifier goes straight
    to the token endpoint, so a stolen code is useless without this process.
    """
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def requested_scopes(server: str) -> str:
    """The scopes Parloir asks for, plus ``profile`` where the server knows it.

    Granular scopes keep the grant to what a support console needs. Older
    servers do not publish their OAuth metadata (or reject ``profile``), so any
    failure of that request just means "no profile".
    """
    scopes = list(BASE_SCOPES)
    try:
        response = requests.get(
            f"{server}/.well-known/oauth-authorization-server", timeout=HTTP_TIMEOUT
        )
        supported = response.json().get("scopes_supported") if response.ok else None
        if isinstance(supported, list) and "profile" in supported:
            scopes.append("profile")
    except (requests.RequestException, ValueError, AttributeError):
        log.info("oauth: no authorization-server metadata at %s", server)
    return " ".join(scopes)


def authorize_url(
    server: str, client_id: str, redirect_uri: str, scope: str, state: str, challenge: str
) -> str:
    """The server's consent page for this request (response_type=code, PKCE S256)."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{server}/oauth/authorize?{query}"


def wait_timeout() -> float:
    """Seconds to wait for the browser: PARLOIR_OAUTH_TIMEOUT (tests) or 300."""
    value = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        seconds = float(value) if value else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_TIMEOUT


# --------------------------------------------------------------------------
# app registration: public half in a JSON file, secret in the keyring


@dataclass(frozen=True)
class App:
    """Parloir's registration with one server for one loopback redirect URI.

    The registration also lists the out-of-band redirect, so the same app
    serves the no-browser fallback without a second registration.
    """

    server: str
    redirect_uri: str
    client_id: str
    client_secret: str
    scopes: str


def app_secret_name(server: str, redirect_uri: str) -> str:
    """The keyring entry of an app's client secret."""
    return f"oauth-app:{server}:{redirect_uri}"


def registry_path() -> Path:
    return paths.config_dir() / REGISTRY_FILE


def load_registry() -> dict[str, dict[str, str]]:
    """{server: {redirect_uri, client_id, scopes}}; a damaged file counts as empty
    (the cost is one new registration, not a failed sign-in)."""
    try:
        raw = json.loads(registry_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("oauth: ignoring unreadable %s: %s", REGISTRY_FILE, exc)
        return {}
    if not isinstance(raw, dict):
        return {}
    out: dict[str, dict[str, str]] = {}
    for server, entry in raw.items():
        if isinstance(entry, dict) and all(
            isinstance(entry.get(k), str) for k in ("redirect_uri", "client_id")
        ):
            out[str(server)] = {k: str(v) for k, v in entry.items() if isinstance(v, str)}
    return out


def _save_registry(registry: dict[str, dict[str, str]]) -> None:
    """Write through a temporary file so a crash never leaves half a file."""
    path = registry_path()
    tmp = path.with_name(path.name + ".tmp")
    fd = paths.open_private(tmp, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(registry, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def previous_port(server: str) -> int | None:
    """The loopback port of the last registration with ``server``, if any."""
    entry = load_registry().get(server)
    if entry is None:
        return None
    try:
        parsed = urlparse(entry["redirect_uri"])
        return parsed.port if parsed.hostname == LOOPBACK_HOST else None
    except ValueError:
        return None


def forget_app(server: str) -> None:
    """Drop the registration with ``server`` (file entry and keyring secret)."""
    registry = load_registry()
    entry = registry.pop(server, None)
    if entry is None:
        return
    credentials.delete_secret(app_secret_name(server, entry["redirect_uri"]))
    _save_registry(registry)


def _cannot_reach(server: str, exc: Exception) -> TransientError:
    return TransientError(f"Cannot reach {server}: {connection_reason(exc)}.")


def _register(server: str, redirect_uri: str, scopes: str) -> App:
    """POST /api/v1/apps for the loopback and the out-of-band redirects."""
    try:
        response = requests.post(
            f"{server}/api/v1/apps",
            data={
                "client_name": CLIENT_NAME,
                "redirect_uris": f"{redirect_uri}\n{OOB_REDIRECT}",
                "scopes": scopes,
                "website": WEBSITE,
            },
            timeout=HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise _cannot_reach(server, exc) from exc
    if response.status_code in (404, 405, 410):  # no Mastodon API at this address
        raise NotAServer(f"{server} answered {response.status_code} to the app registration.")
    if response.status_code >= 400:
        raise TransientError(
            f"{server} answered {response.status_code} when Parloir asked to register."
        )
    try:
        data = response.json()
        client_id, client_secret = str(data["client_id"]), str(data["client_secret"])
    except (ValueError, KeyError, TypeError) as exc:
        raise NotAServer(f"{server} does not look like a Mastodon server.") from exc
    return App(server, redirect_uri, client_id, client_secret, scopes)


def _still_registered(app: App) -> bool:
    """Whether the server still knows ``app``.

    Mastodon deletes apps that never got a token after a while (an abandoned
    sign-in), and the user would only meet an error page in the browser. A
    client-credentials request answers 401 ``invalid_client`` for such an app;
    the short-lived app token it may issue is revoked at once.
    """
    try:
        response = requests.post(
            f"{app.server}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "scope": app.scopes.split()[0],
            },
            timeout=HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise _cannot_reach(app.server, exc) from exc
    if response.status_code == 401 or _oauth_error(response) == "invalid_client":
        return False
    if response.ok:
        try:
            token = response.json().get("access_token")
        except (ValueError, AttributeError):
            token = None
        if isinstance(token, str) and token:
            try:
                requests.post(
                    f"{app.server}/oauth/revoke",
                    data={
                        "token": token,
                        "client_id": app.client_id,
                        "client_secret": app.client_secret,
                    },
                    timeout=HTTP_TIMEOUT,
                )
            except requests.RequestException:
                log.info("oauth: could not revoke the check token at %s", app.server)
    return True


def ensure_app(server: str, redirect_uri: str, scopes: str) -> App:
    """The kept registration for (server, redirect_uri), or a new one.

    A new registration replaces the server's previous one (different port or
    scopes): its secret leaves the keyring, so nothing is left behind.
    """
    registry = load_registry()
    entry = registry.get(server)
    name = app_secret_name(server, redirect_uri)
    # Reading first also proves the keyring works before the server sees us.
    secret = credentials.load_secret(name)
    if (
        entry is not None
        and secret
        and entry["redirect_uri"] == redirect_uri
        and entry.get("scopes", scopes) == scopes
    ):
        app = App(server, redirect_uri, entry["client_id"], secret, scopes)
        if _still_registered(app):
            return app
        log.info("oauth: %s no longer knows app %s; registering again", server, app.client_id)
    app = _register(server, redirect_uri, scopes)
    credentials.store_secret(name, app.client_secret)
    if entry is not None and entry["redirect_uri"] != redirect_uri:
        credentials.delete_secret(app_secret_name(server, entry["redirect_uri"]))
    registry[server] = {"redirect_uri": redirect_uri, "client_id": app.client_id, "scopes": scopes}
    _save_registry(registry)
    return app


# --------------------------------------------------------------------------
# the token exchange


def _oauth_error(response: requests.Response) -> str:
    """The error text of an OAuth error answer (Doorkeeper's or a plain ``detail``)."""
    try:
        data = response.json()
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    for key in ("error_description", "error", "detail"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def exchange_code(app: App, code: str, redirect_uri: str, verifier: str) -> str:
    """POST /oauth/token for the code; return the access token."""
    try:
        response = requests.post(
            f"{app.server}/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "code_verifier": verifier,
                "scope": app.scopes,
            },
            timeout=HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise _cannot_reach(app.server, exc) from exc
    if response.status_code in (400, 401, 403):
        reason = _oauth_error(response) or f"error {response.status_code}"
        if reason == "invalid_client":
            forget_app(app.server)  # the next attempt registers afresh
        raise AuthError(f"{app.server} refused the sign-in: {reason.rstrip('.')}.")
    if response.status_code >= 400:
        raise TransientError(f"{app.server} answered {response.status_code} to the sign-in.")
    try:
        token = response.json()["access_token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise TransientError(f"{app.server} sent no access token.") from exc
    if not isinstance(token, str) or not token:
        raise TransientError(f"{app.server} sent no access token.")
    return token


# --------------------------------------------------------------------------
# the whole flow


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _code_from(result: Callback | None, server: str, timeout: float) -> str:
    """Turn the browser's answer into a code, or one sentence for the user."""
    if result is None:
        raise SignInRefused(
            f"No answer from the browser within {_seconds(timeout)} s; "
            "try again, or use --token-stdin."
        )
    if result.error == "access_denied":
        raise SignInRefused("Sign-in was declined in the browser; nothing was saved.")
    if result.error:
        reason = (result.description or result.error).rstrip(".")
        raise SignInRefused(f"{server} did not sign you in: {reason}.")
    if not result.code:
        raise SignInRefused("The browser came back without a sign-in code; try again.")
    return result.code


def _open_browser(url: str) -> bool:
    try:
        return bool(webbrowser.open(url))
    except webbrowser.Error:
        return False


def browser_sign_in(
    server: str,
    *,
    stdin: TextIO,
    stderr: TextIO,
    open_browser: Callable[[str], bool] | None = None,
    show_address: Callable[[str], None] | None = None,
    timeout: float | None = None,
) -> str:
    """Sign in to ``server`` (normalised) through the browser; return an access token.

    ``stdin`` is read only in the out-of-band fallback (one line: the code).
    ``open_browser`` returns False when no browser could be started
    (default: the system's, through ``webbrowser``). Then, with
    ``show_address`` (the window), the person is shown the address to open
    in a browser of their own and the loopback keeps waiting for it;
    without (the command line), the out-of-band fallback asks for the code.
    """
    opener = _open_browser if open_browser is None else open_browser
    timeout = wait_timeout() if timeout is None else timeout
    scopes = requested_scopes(server)
    verifier = code_verifier()
    challenge = code_challenge(verifier)
    with LoopbackServer(previous_port(server)) as loopback:
        app = ensure_app(server, loopback.redirect_uri, scopes)
        state = secrets.token_urlsafe(32)
        loopback.expect(state)
        url = authorize_url(server, app.client_id, app.redirect_uri, scopes, state, challenge)
        # Printed before opening: some browsers block until closed, and an "opened"
        # browser may be on another screen or not come up at all.
        stderr.write(f"Sign in in your browser; if none opened, visit: {url}\n")
        stderr.flush()
        opened = opener(url)
        if not opened and show_address is not None:
            log.info("oauth: no browser opened; showing the address to open")
            show_address(url)
        if opened or show_address is not None:
            code = _code_from(loopback.wait(timeout), server, timeout)
            return exchange_code(app, code, app.redirect_uri, verifier)
    # No browser: the server shows the code and the user pastes it here.
    state = secrets.token_urlsafe(32)
    url = authorize_url(server, app.client_id, OOB_REDIRECT, scopes, state, challenge)
    stderr.write(f"Open this address, authorize Parloir, and paste the code here: {url}\n")
    stderr.flush()
    code = stdin.readline().strip()
    if not code:
        raise SignInRefused("No sign-in code was pasted; try again, or use --token-stdin.")
    return exchange_code(app, code, OOB_REDIRECT, verifier)
