"""Numbers from servers are validated where they are parsed.

A rate-limit header of twenty nines, a Retry-After that is negative or not
a number, an instance's ``max_characters: 1e999`` (JSON infinity), a
string or a negative there, IMAP numbers that are not numbers: each used to
raise deep inside a sync, on every run.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from console.sync.base import AccountInfo, RateLimited
from console.sync.bluesky.client import jwt_expiry as _jwt_expiry
from console.sync.bluesky.client import rate_limit_wait as _reset
from console.sync.mastodon.client import retry_after as _retry_after
from console.sync.mastodon.provider import MastodonProvider

#: console/sync/numbers.py's bounds on a server-imposed wait (seconds).
MIN_WAIT_S, MAX_WAIT_S = 1.0, 3600.0


def _response(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Any:
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers or {})
    response._content = body
    return response


HOSTILE_RESETS = [
    "99999999999999999999",
    "-99999999999999999999",
    "1e999",
    "NaN",
    "inf",
    "-5",
    "0",
    "soon",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "+99999-01-01T00:00:00Z",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "\x00\x1b[2J",
    "9" * 5000,
]


@pytest.mark.parametrize("value", HOSTILE_RESETS)
def test_mastodon_rate_limit_headers_give_a_finite_capped_wait(value: str) -> None:
    for headers in ({"X-RateLimit-Reset": value}, {"Retry-After": value}):
        wait = _retry_after(_response(429, headers))
        assert MIN_WAIT_S <= wait <= MAX_WAIT_S


@pytest.mark.parametrize("value", HOSTILE_RESETS)
def test_bluesky_rate_limit_headers_give_a_finite_capped_wait(value: str) -> None:
    for headers in ({"RateLimit-Reset": value}, {"Retry-After": value}):
        wait = _reset(_response(429, headers))
        assert MIN_WAIT_S <= wait <= MAX_WAIT_S


def test_ordinary_rate_limit_headers_are_honoured() -> None:
    reset = int(time.time()) + 120
    assert 118 <= _reset(_response(429, {"RateLimit-Reset": str(reset)})) <= 120
    assert 118 <= _retry_after(_response(429, {"X-RateLimit-Reset": str(reset)})) <= 120
    assert _retry_after(_response(429, {"Retry-After": "30"})) == 30
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(reset))
    assert 117 <= _retry_after(_response(429, {"X-RateLimit-Reset": iso})) <= 120


def test_rate_limited_itself_never_holds_an_unbounded_wait() -> None:
    assert RateLimited("x", float("inf")).retry_after == MAX_WAIT_S
    assert RateLimited("x", float("nan")).retry_after == 0.0
    assert RateLimited("x", -3).retry_after == 0.0
    assert RateLimited("x", 1e300).retry_after == MAX_WAIT_S


def test_a_hostile_token_expiry_means_refresh() -> None:
    import base64

    def token(payload: bytes) -> str:
        return "h." + base64.urlsafe_b64encode(payload).decode().rstrip("=") + ".s"

    assert _jwt_expiry(token(b'{"exp": 1e999}')) == 0.0
    assert _jwt_expiry(token(b'{"exp": "NaN"}')) == 0.0
    assert _jwt_expiry(token(b"[1, 2]")) == 0.0
    assert _jwt_expiry(token(b'{"exp": 1900000000}')) == 1_900_000_000


def _provider_answering(body: bytes, monkeypatch: pytest.MonkeyPatch) -> MastodonProvider:
    info = AccountInfo(
        id="a", network="mastodon", handle="alice@mock.local", server="https://mock.local"
    )
    provider = MastodonProvider(info, "token")
    monkeypatch.setattr(provider, "_get", lambda path, params=None: _response(200, body=body))
    return provider


@pytest.mark.parametrize(
    "value",
    ["1e999", "-1e999", '"lots"', "-500", "1e300", "12.5", "true", "null", "[]", "{}"],
)
def test_instance_max_characters_garbage_means_the_default(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    statuses = f'{{"max_characters": {value}, "characters_reserved_per_url": {value}}}'
    body = f'{{"configuration": {{"statuses": {statuses}}}}}'.encode()
    limits = _provider_answering(body, monkeypatch).limits()
    assert (limits.max_length, limits.url_length) == (500, 23)


def test_instance_limits_inside_the_bounds_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    body = json.dumps(
        {"configuration": {"statuses": {"max_characters": 5000, "characters_reserved_per_url": 0}}}
    ).encode()
    limits = _provider_answering(body, monkeypatch).limits()
    assert (limits.max_length, limits.url_length) == (5000, 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, 7),
        ("7", 7),
        (b"7", 7),
        (7.0, 7),
        (7.5, None),
        (True, None),
        (float("inf"), None),
        (float("nan"), None),
        ("99999999999999999999", None),
        ("9" * 5000, None),
        ("-1", None),
        (None, None),
        ([7], None),
    ],
)
def test_server_int(value: object, expected: int | None) -> None:
    from console.sync.numbers import server_int

    assert server_int(value, 0, 2**32 - 1) == expected


def test_wait_seconds_without_headers_is_the_default() -> None:
    from console.sync.numbers import MAX_WAIT_S as CAP
    from console.sync.numbers import MIN_WAIT_S as FLOOR
    from console.sync.numbers import wait_seconds

    assert (FLOOR, CAP) == (MIN_WAIT_S, MAX_WAIT_S)
    assert wait_seconds() == 60.0


# -- e-mail: IMAP numbers ------------------------------------------------------------


class _Imap:
    """An IMAP client answering SELECT and SEARCH with hostile numbers."""

    def __init__(self, info: dict[bytes, Any], found: list[Any]) -> None:
        self.info, self.found = info, found
        self.fetched: list[int] = []

    def select_folder(self, folder: str, readonly: bool = True) -> dict[bytes, Any]:
        return self.info

    def search(self, criteria: Any) -> list[Any]:
        return self.found

    def fetch(self, uids: list[int], items: Any) -> dict[int, dict[bytes, Any]]:
        self.fetched.extend(uids)
        return {
            u: {
                b"BODY[]<0>": b"From: a@example.org\r\nMessage-ID: <%d@x>\r\n\r\nhi" % u,
                b"RFC822.SIZE": b"99999999999999999999999",
                b"FLAGS": (b"\\Seen", 17),
            }
            for u in uids
        }


def test_imap_numbers_that_are_not_numbers_do_not_stop_the_folder() -> None:
    from console.sync.base import FetchResult
    from console.sync.email.provider import EmailProvider

    info = AccountInfo(
        id="a",
        network="email",
        handle="shop@example.com",
        server="imap.example.com",
        settings={"imap": "imap.example.com", "smtp": "smtp.example.com"},
    )
    provider = EmailProvider(info, "pw")
    client = _Imap(
        {b"UIDVALIDITY": b"12", b"UIDNEXT": b"lots", b"HIGHESTMODSEQ": float("inf")},
        [3, b"4", "x", -1, 2**40, 5],
    )
    provider._imap = client
    result = FetchResult()
    state, more = provider._sync_folder("INBOX", {}, result)
    assert client.fetched == [3, 4, 5]
    assert [m.remote_id for m in result.messages] == ["3@x", "4@x", "5@x"]
    assert state["v"] == 12 and state["uid"] == 5 and not more
