"""HTTP helpers every network shares: server addresses as people type them,
and the connect/read timeouts."""

from __future__ import annotations

import os
from urllib.parse import urlparse


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
