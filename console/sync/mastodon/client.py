"""The Mastodon client API over plain ``requests``: GET with timeouts and the
time it takes, the server's refusals as typed errors, rate limits.

A small client rather than Mastodon.py: we need the raw status code of
every answer (to tell "refused before sending" from "may have been sent"),
the Link headers as the server gives them, the Idempotency-Key header on
POST, and the rate-limit headers, all of which Mastodon.py hides or
reshapes (docs/mastodon.md).
"""

from __future__ import annotations

from typing import Any

import requests

from console.sync.base import AccountInfo, AuthError, Provider, RateLimited, TransientError
from console.sync.http import Stopwatch, read_whole
from console.sync.numbers import wait_seconds
from console.sync.reasons import connection_reason

DEFAULT_TIMEOUT = (5.0, 20.0)


def retry_after(response: requests.Response) -> float:
    """Seconds until the server's rate-limit window resets (validated:
    console/sync/numbers.py)."""
    return wait_seconds(
        reset_at=response.headers.get("X-RateLimit-Reset"),
        retry_after=response.headers.get("Retry-After"),
    )


def error_text(response: requests.Response) -> str:
    try:
        data = response.json()
        if isinstance(data, dict) and data.get("error"):
            return str(data["error"])
    except ValueError:
        pass
    return f"HTTP {response.status_code}"


class MastodonClient(Provider):
    """The HTTP half of the Mastodon provider (provider.py adds the inbox
    and sending): one ``requests`` session per account, the bearer token,
    and the instance's own domain (handles are user@that-domain)."""

    network = "mastodon"

    def __init__(
        self,
        account: AccountInfo,
        secret: str | None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(account, secret)
        self.base = account.server.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {secret or ''}"
        self.http.headers["User-Agent"] = "Parloir/0.1"
        me = account.settings.get("remote_id")
        self._me: str | None = str(me) if me else None
        self.domain = str(account.settings.get("domain") or self.base)
        self.stopwatch = Stopwatch()

    @property
    def http_seconds(self) -> float:
        """Seconds spent waiting on HTTP (the benchmark's "outside HTTP" share)."""
        return self.stopwatch.seconds

    def _get(self, path: str, params: Any = None) -> requests.Response:
        url = path if path.startswith("http") else f"{self.base}{path}"
        try:
            with self.stopwatch:
                response = read_whole(self.http.get(url, params=params, timeout=self.timeout))
        except requests.RequestException as exc:
            raise TransientError(f"{self.base} did not answer: {connection_reason(exc)}.") from exc
        self._check(response)
        return response

    def _check(self, response: requests.Response) -> None:
        status = response.status_code
        if status in (401, 403):
            raise AuthError(f"{self.base} refused the access token: {error_text(response)}.")
        if status == 429:
            raise RateLimited(f"{self.base} asks us to slow down.", retry_after(response))
        if status >= 500:
            raise TransientError(f"{self.base} had a problem ({status}).")

    def _json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise TransientError(f"{self.base} sent a malformed answer.") from exc

    def me(self) -> str:
        if self._me is None:
            data = self._json(self._get("/api/v1/accounts/verify_credentials"))
            self._me = str(data["id"])
        return self._me

    def close(self) -> None:
        self.http.close()
