"""Signing a Mastodon account in: a token (pasted, or from the browser
sign-in in oauth.py) is verified with the server before anything is kept."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import requests

from console.sync.base import AuthError, NotAServer, SignInRefused, TransientError
from console.sync.http import normalise_server
from console.sync.mastodon.addressing import canonical_acct
from console.sync.netspec import Known, NewAccount, SignedIn, SignInIO
from console.sync.reasons import connection_reason
from console.sync.signin_errors import host_of, signing_in

TIMEOUT = (5, 15)
#: What a server that is not Mastodon's API answers where the API should be.
NOT_THE_API = (404, 405, 410)


def verify_token(server: str, token: str) -> dict[str, Any]:
    """GET verify_credentials; return the account JSON."""
    try:
        response = requests.get(
            f"{server}/api/v1/accounts/verify_credentials",
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise TransientError(f"Cannot reach {server}: {connection_reason(exc)}.") from exc
    if response.status_code in (401, 403):
        raise AuthError(f"{server} refused the token; create a new one and try again.")
    if response.status_code in NOT_THE_API:
        raise NotAServer(f"{server} answered {response.status_code} to verify_credentials.")
    if response.status_code >= 400:
        raise TransientError(f"{server} answered {response.status_code} to verify_credentials.")
    try:
        data: dict[str, Any] = response.json()
        str(data["id"])
        str(data["acct"])
    except (ValueError, KeyError, TypeError) as exc:
        raise NotAServer(f"{server} does not look like a Mastodon server.") from exc
    return data


def instance_domain(server: str) -> str:
    """The instance's own domain (``domain`` of /api/v2/instance, ``uri`` of v1).

    It can differ from the API host (a split-domain setup, or a test server),
    and handles are user@that-domain. Falls back to the API host.
    """
    for path, field in (("/api/v2/instance", "domain"), ("/api/v1/instance", "uri")):
        try:
            response = requests.get(f"{server}{path}", timeout=TIMEOUT)
            if response.ok:
                value = response.json().get(field)
                if isinstance(value, str) and value:
                    return urlparse(value).hostname or value if "://" in value else value
        except (requests.RequestException, ValueError, AttributeError):
            continue
    return urlparse(server).hostname or server


def browser_token(server: str, io: SignInIO) -> str:
    """A token from the browser sign-in (oauth.py); from there on it is
    treated exactly like a pasted one (verified, then stored)."""
    from console.sync.mastodon.oauth import browser_sign_in

    return browser_sign_in(
        server,
        stdin=sys.stdin if io.stdin is None else io.stdin,
        stderr=sys.stderr if io.stderr is None else io.stderr,
        show_address=io.show_address,
    )


def sign_in(values: Mapping[str, Any], io: SignInIO) -> NewAccount:
    """``server`` and ``token``; without a token, the browser sign-in gets
    one (its out-of-band fallback reads the pasted code from ``io.stdin``,
    unless ``io.show_address`` shows the address to open). A failure is a
    SignInFailed (sync/signin_errors.py)."""
    try:
        server = normalise_server(str(values.get("server") or ""))
    except ValueError as exc:
        raise SignInRefused(str(exc)) from exc
    with signing_in(host_of(server), "Mastodon"):
        token = values.get("token")
        if token is None:
            token = browser_token(server, io)
        data = verify_token(server, str(token))
        domain = instance_domain(server)
    return NewAccount(
        network="mastodon",
        handle=canonical_acct(str(data["acct"]), domain),
        server=server,
        secret=str(token),
        remote_id=str(data["id"]),
        display_name=str(data.get("display_name") or data.get("username") or ""),
        config={"domain": domain},
    )


def sign_in_again(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    """``token``, or None for the browser sign-in; the server stays the stored one."""
    with signing_in(host_of(account.server), "Mastodon"):
        token = values.get("token")
        if token is None:
            token = browser_token(account.server, io)
        data = verify_token(account.server, str(token))
    return SignedIn(str(data["id"]), str(data["acct"]), str(token), "token")
