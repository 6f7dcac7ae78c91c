"""A real local Mastodon API server for the tests (mastodon-mock on 127.0.0.1).

One server per test session (start-up costs about a second); every test that
uses the ``mastodon`` fixture gets it reset to the seed: alice, bob, carol
(tokens ``alice_token`` …) and the remote ``dave@remote.example``. Parloir
signs in as alice; the others write to her with plain HTTP, as any client would.

Faults go through the server's own fault-injection API: a forced status, a
rate limit with ``X-RateLimit-Reset`` (epoch seconds), a held connection, a
truncated body.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

TOKENS = {"alice": "alice_token", "bob": "bob_token", "carol": "carol_token"}


@dataclass
class Mastodon:
    """Handle on the running server for one test."""

    url: str

    def _auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKENS[user]}"}

    def post(self, user: str, text: str, **fields: Any) -> dict[str, Any]:
        """``user`` posts a status (``in_reply_to_id``, ``visibility`` …)."""
        response = requests.post(
            f"{self.url}/api/v1/statuses",
            json={"status": text, **fields},
            headers=self._auth(user),
            timeout=10,
        )
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def get(self, user: str, path: str, **params: Any) -> Any:
        response = requests.get(
            f"{self.url}{path}", params=params, headers=self._auth(user), timeout=10
        )
        response.raise_for_status()
        return response.json()

    def statuses_of(self, user: str) -> list[dict[str, Any]]:
        """Every status of ``user`` (all pages), newest first."""
        me = self.get(user, "/api/v1/accounts/verify_credentials")
        out: list[dict[str, Any]] = []
        url: str | None = f"{self.url}/api/v1/accounts/{me['id']}/statuses?limit=40"
        while url:
            response = requests.get(url, headers=self._auth(user), timeout=10)
            response.raise_for_status()
            page = response.json()
            if not page:
                break
            out.extend(page)
            url = response.links.get("next", {}).get("url")
        return out

    def fault(
        self,
        effect: dict[str, Any],
        *,
        path: str | None = None,
        methods: list[str] | None = None,
        count: int | None = None,
    ) -> str:
        """Register a fault rule; returns its id."""
        match: dict[str, Any] = {}
        if path is not None:
            match["path"] = path
        if methods is not None:
            match["methods"] = methods
        spec: dict[str, Any] = {"match": match, "effect": effect}
        if count is not None:
            spec["count"] = count
        response = requests.post(f"{self.url}/api/v1/_mock/faults", json=spec, timeout=10)
        response.raise_for_status()
        return str(response.json().get("id", ""))

    def clear_faults(self) -> None:
        requests.delete(f"{self.url}/api/v1/_mock/faults", timeout=10).raise_for_status()

    def revoke(self, token: str) -> None:
        requests.post(f"{self.url}/oauth/revoke", data={"token": token}, timeout=10)

    def reset(self) -> None:
        requests.post(f"{self.url}/api/v1/_mock/reset", timeout=30).raise_for_status()
        self.clear_faults()


@pytest.fixture(scope="session")
def mastodon_server() -> Iterator[str]:
    from mastodon_mock.testing.server import MockServer

    server = MockServer(host="127.0.0.1", log_level="error").start()
    try:
        yield server.base_url
    finally:
        server.stop()


@pytest.fixture
def mastodon(mastodon_server: str) -> Mastodon:
    handle = Mastodon(mastodon_server)
    handle.reset()
    return handle
