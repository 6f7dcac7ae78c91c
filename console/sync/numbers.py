"""Numbers read from servers, validated where they are parsed.

A server (or anything between us and it) can send any value where a
number is expected: ``X-RateLimit-Reset: 99999999999999999999``, an
instance's ``max_characters: 1e999`` (JSON's infinity), a string, a
negative count, a UID that is not a number. Turning such a value into an
``int`` or a ``datetime`` raised OverflowError or ValueError deep inside a
sync, on every run. Every number a provider takes from the network goes
through :func:`server_int` (a value in a stated range, else None: the
caller's default applies) or :func:`wait_seconds` (a wait the engine will
honour, always finite and capped).
"""

from __future__ import annotations

import math
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: The longest wait a server can impose on one account. Beyond an hour the
#: account asks again (and is told to wait again) rather than sleep for days
#: on a header that may simply be wrong.
MAX_WAIT_S = 3600.0
#: The shortest wait after a rate limit: never hammer a server that said no.
MIN_WAIT_S = 1.0
#: When the server gives no usable time.
DEFAULT_WAIT_S = 60.0

_INTEGER = re.compile(r"[+-]?\d{1,30}")


def server_int(value: object, low: int, high: int) -> int | None:
    """``value`` as an int when it is one (an int, integral finite float,
    or decimal text, bytes included) and lies in ``low..high``; else None."""
    number: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            number = int(value)
    elif isinstance(value, bytes | str):
        text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
        text = text.strip()
        if _INTEGER.fullmatch(text):
            number = int(text)
    if number is None or not low <= number <= high:
        return None
    return number


def server_float(value: object) -> float | None:
    """A finite number from a payload (``exp`` of a token), else None."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float | str):
            number = float(value)
        else:
            return None
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def clamp_wait(seconds: object) -> float:
    """A wait in seconds the engine can honour: finite, MIN..MAX_WAIT_S."""
    number = server_float(seconds)
    if number is None:
        return DEFAULT_WAIT_S
    return min(MAX_WAIT_S, max(MIN_WAIT_S, number))


def wait_seconds(
    *,
    reset_epoch: object = None,
    reset_at: object = None,
    reset_delta: object = None,
    retry_after: object = None,
) -> float:
    """How long to wait after a 429, from whichever header the server sent:
    an epoch time (``RateLimit-Reset`` on Bluesky), an ISO time
    (``X-RateLimit-Reset`` on Mastodon, sometimes epoch seconds), a delta,
    or ``Retry-After`` (seconds or an HTTP date). The first usable one
    wins; garbage is ignored; the result is always finite and capped."""
    now = time.time()
    for kind, value in (
        ("epoch", reset_epoch),
        ("at", reset_at),
        ("delta", reset_delta),
        ("retry", retry_after),
    ):
        if value is None or value == "":
            continue
        text = str(value).strip()[:100]
        seconds: float | None = None
        number = server_float(text) if _INTEGER.fullmatch(text) else None
        if kind == "delta" or (kind == "retry" and number is not None):
            seconds = number
        elif number is not None:  # epoch seconds
            seconds = number - now
        else:
            seconds = _until(text, now)
        if seconds is not None:
            return clamp_wait(seconds)
    return DEFAULT_WAIT_S


def _until(text: str, now: float) -> float | None:
    """Seconds from now until an ISO 8601 or HTTP date, None if unreadable."""
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when.timestamp() - now
    except (OverflowError, OSError, ValueError):
        return None
