"""HTTP helpers every network shares: server addresses as people type them,
the connect/read timeouts, and the time spent waiting on HTTP."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:  # requests itself is loaded by the providers only
    import requests


def normalise_server(url: str) -> str:
    """``social.example`` -> ``https://social.example``; no trailing slash."""
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parsed = urlparse(url)
    if not parsed.netloc:
        raise ValueError(f"{url!r} is not a server address.")
    return f"{parsed.scheme}://{parsed.netloc}{parsed.path.rstrip('/')}"


def net_timeout() -> tuple[float, float]:
    """Connect and read timeouts in seconds: 5 and 20, or both PARLOIR_NET_TIMEOUT
    (for slow links, and for the tests, which use 1-2 s)."""
    value = os.environ.get("PARLOIR_NET_TIMEOUT", "")
    try:
        seconds = float(value)
    except ValueError:
        return (5.0, 20.0)
    return (seconds, seconds) if 0 < seconds <= 3600 else (5.0, 20.0)


class Stopwatch:
    """Adds up the seconds spent inside ``with stopwatch:`` blocks: the time
    a provider waits on HTTP, request sent to body read (the benchmarks
    report the rest as Parloir's own work)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds += time.perf_counter() - self._started


def read_whole(response: requests.Response) -> requests.Response:
    """The response with its body read (inside the caller's stopwatch: the
    body is part of the HTTP time)."""
    response.content  # noqa: B018 - reading the body is the point
    return response
