"""XRPC to the account's PDS over plain ``requests``, and the session.

Every call goes to the account's PDS (app.bsky is proxied by the PDS to the
AppView; chat carries ``atproto-proxy: did:web:api.bsky.chat#bsky_chat``).

Session: the keyring holds JSON {did, handle, pds, accessJwt, refreshJwt,
appPassword}. The access token is refreshed when it expires (or the server
says ExpiredToken); the NEW refresh token is saved at once because the old
one is revoked on use. Refreshing happens under a per-account file lock
(console/sync/lock.py), re-reading the keyring first: two processes never
both spend one refresh token. createSession (tightly rate limited) only
when the refresh token itself is refused, with the stored app password.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from typing import Any

import requests

from console import credentials, paths
from console.sync.base import (
    AccountInfo,
    AuthError,
    NotAServer,
    Provider,
    RateLimited,
    SendOutcomeUnknown,
    TransientError,
)
from console.sync.base import never_left as _never_left
from console.sync.http import Stopwatch, read_whole
from console.sync.lock import exclusive
from console.sync.numbers import server_float, wait_seconds
from console.sync.reasons import connection_reason

CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
DEFAULT_TIMEOUT = (5.0, 20.0)


def jwt_expiry(token: str) -> float:
    """The token's ``exp`` (epoch seconds), 0 when unreadable."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if not isinstance(data, dict):
            return 0.0
        return server_float(data.get("exp", 0)) or 0.0
    except (IndexError, ValueError, TypeError):
        return 0.0


class BlueskyClient(Provider):
    """The XRPC half of the Bluesky provider (provider.py reads the inbox,
    send.py sends): the account's session, its PDS and DID."""

    network = "bluesky"

    def __init__(
        self,
        account: AccountInfo,
        secret: str | None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(account, secret)
        try:
            self.session: dict[str, Any] = json.loads(secret or "{}")
        except ValueError:
            self.session = {}
        self.pds = str(self.session.get("pds") or account.server).rstrip("/")
        self.did = str(self.session.get("did") or account.settings.get("remote_id") or "")
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "Parloir/0.1"
        self.stopwatch = Stopwatch()
        self._handles: dict[str, str | None] = {}

    @property
    def http_seconds(self) -> float:
        """Seconds spent waiting on HTTP, request sent to body read."""
        return self.stopwatch.seconds

    def _call(
        self,
        method: str,
        nsid: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        auth: str | None = None,
        retried: bool = False,
        chat: bool = False,
        sending: bool = False,
    ) -> Any:
        """One XRPC call. ``sending``: it creates the reply, so a failure once
        the request may have left (no answer, a 5xx) is SendOutcomeUnknown;
        a failure before it left (token refresh, connection refused) stays a
        TransientError: the reply is still queued, not unknown."""
        token = self._access() if auth is None else auth
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if chat:
            headers["atproto-proxy"] = CHAT_PROXY
        try:
            with self.stopwatch:
                response = read_whole(
                    self.http.request(
                        method,
                        f"{self.pds}/xrpc/{nsid}",
                        params=params,
                        json=body,
                        headers=headers,
                        timeout=self.timeout,
                    )
                )
        except requests.RequestException as exc:
            if sending and not _never_left(exc):
                raise SendOutcomeUnknown(
                    "No answer after sending; checking whether it arrived."
                ) from exc
            raise TransientError(f"{self.pds} did not answer: {connection_reason(exc)}.") from exc
        error, message = xrpc_error(response)
        if response.status_code == 429:
            raise RateLimited(f"{self.pds} asks us to slow down.", rate_limit_wait(response))
        if chat and error == "InvalidToken":
            # The PDS refuses to proxy chat for an app password without DM access.
            raise ClientError(response.status_code, error, message)
        if response.status_code in (400, 401) and error in ("ExpiredToken", "InvalidToken"):
            if auth is None and not retried:
                self._refresh(force=True)
                return self._call(
                    method, nsid, params=params, body=body, retried=True, chat=chat, sending=sending
                )
            raise AuthError(f"{self.pds} refused the session: {message or error}.")
        if response.status_code == 401 or error == "AuthMissing":
            raise AuthError(f"{self.pds} refused the session: {message or error}.")
        if response.status_code >= 500:
            if sending:
                raise SendOutcomeUnknown(
                    f"{self.pds} failed ({response.status_code}) after sending."
                )
            raise TransientError(f"{self.pds} had a problem ({response.status_code}).")
        if response.status_code >= 400:
            raise ClientError(response.status_code, error, message)
        try:
            return response.json()
        except ValueError as exc:
            if sending:
                raise SendOutcomeUnknown(
                    f"{self.pds} sent a malformed answer after sending."
                ) from exc
            raise NotAServer(f"{self.pds} sent a malformed answer to {nsid}.") from exc

    def _access(self) -> str:
        token = str(self.session.get("accessJwt") or "")
        if not token or jwt_expiry(token) - time.time() < 60:
            self._refresh(force=False)
            token = str(self.session.get("accessJwt") or "")
        return token

    def _refresh(self, *, force: bool) -> None:
        """New tokens, spending the refresh token at most once across
        processes: under a file lock, the keyring is read again first, and
        tokens another process just got are used instead."""
        lock_path = paths.data_dir() / f"bluesky-{self.account.id or 'new'}.lock"
        with exclusive(lock_path):
            stored = self._stored_session()
            if stored and stored.get("refreshJwt") != self.session.get("refreshJwt"):
                self.session = stored  # refreshed by another process meanwhile
                fresh = jwt_expiry(str(stored.get("accessJwt") or "")) - time.time() > 60
                if force or fresh:
                    return
            refresh = str(self.session.get("refreshJwt") or "")
            try:
                data = self._call("POST", "com.atproto.server.refreshSession", auth=refresh)
            except AuthError:
                data = self._login()
            self._keep(data)

    def _login(self) -> Any:
        password = self.session.get("appPassword")
        if not password:
            raise AuthError("The Bluesky session ended; add the account again.")
        return self.create_session(str(self.session.get("did") or self.account.handle), password)

    def create_session(self, identifier: str, password: str) -> Any:
        try:
            return self._call(
                "POST",
                "com.atproto.server.createSession",
                body={"identifier": identifier, "password": password},
                auth="",
            )
        except ClientError as exc:
            if exc.status in (404, 405) or not exc.error:
                # No XRPC error name: not a PDS (a web page, another API).
                raise NotAServer(f"{self.pds} has no createSession ({exc.status}).") from exc
            raise AuthError(f"{self.pds} refused the sign-in: {exc.message or exc.error}.") from exc
        except AuthError as exc:
            words = str(exc).split(": ", 1)[-1]
            raise AuthError(f"{self.pds} refused the sign-in: {words}") from exc

    def _keep(self, data: Mapping[str, Any]) -> None:
        """Store the new tokens at once (the old refresh token is revoked)."""
        self.session.update(
            {
                "accessJwt": data.get("accessJwt"),
                "refreshJwt": data.get("refreshJwt"),
                "did": data.get("did") or self.session.get("did"),
                "handle": data.get("handle") or self.session.get("handle"),
                "pds": self.pds,
            }
        )
        self.did = str(self.session.get("did") or self.did)
        if self.account.id:
            credentials.store_secret(
                credentials.account_key(self.account.id), json.dumps(self.session)
            )

    def _stored_session(self) -> dict[str, Any] | None:
        if not self.account.id:
            return None
        raw = credentials.load_secret(credentials.account_key(self.account.id))
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def secret_update(self) -> str | None:
        return None  # stored at once by _keep, under the lock

    def _resolve(self, handle: str) -> str | None:
        if handle not in self._handles:
            try:
                data = self._call(
                    "GET", "com.atproto.identity.resolveHandle", params={"handle": handle}
                )
                self._handles[handle] = str(data.get("did")) if data.get("did") else None
            except (ClientError, TransientError):
                self._handles[handle] = None
        return self._handles[handle]

    def close(self) -> None:
        self.http.close()


class ClientError(Exception):
    """A 4xx the caller may interpret (RecordNotFound, NotFound …)."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status, self.error, self.message = status, error, message


def xrpc_error(response: requests.Response) -> tuple[str, str]:
    if response.status_code < 400:
        return "", ""
    try:
        data = response.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("error") or ""), str(data.get("message") or "")


def rate_limit_wait(response: requests.Response) -> float:
    """Seconds until the rate-limit window resets (validated:
    console/sync/numbers.py)."""
    return wait_seconds(
        reset_epoch=response.headers.get("ratelimit-reset"),
        retry_after=response.headers.get("Retry-After"),
    )
