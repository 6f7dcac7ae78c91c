"""The range of times Parloir stores, and the two ways a time is checked.

Every time a remote sender chooses (an e-mail ``Date:``, a Mastodon
``created_at``, a Bluesky ``createdAt``, an ``edited_at``...) passes through
:func:`bound_remote_time` at the edge, where it is parsed. A time before the
Unix epoch, one that does not parse, or one absurdly far in the future is
replaced by the time the message was received: the message is kept (never
dropped for its date) and the original stays in its raw payload. Times are
stored as INTEGER milliseconds (console/models/types.py); a year-1 or
year-9999 time stored once made every queue listing crash, because turning it
back into a datetime (or adding a due-time target to it) overflows.

Times a person types on the command line (``snooze --until``) are checked by
:func:`user_time_problem`, which says in one sentence why a time is refused.
"""

from __future__ import annotations

import math
from collections.abc import MutableMapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

#: The earliest time stored: the Unix epoch. Nothing Parloir reads predates
#: it, and negative epoch milliseconds are where the conversions break.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)

#: How far past the time it was received a remote time may lie. Clocks and
#: time zones are often wrong by hours in mail (a wrong zone is at most
#: 14 hours off, a bad clock a few more); a day covers those while still
#: refusing a sender's "pin me to the top for ever" date.
FUTURE_SKEW = timedelta(days=1)

#: The latest time a person may give on the command line. Far beyond any
#: snooze that makes sense, far below where date arithmetic overflows.
LATEST_USER_TIME = datetime(2100, 1, 1, tzinfo=UTC)

#: The latest time the cache holds at all: well below datetime's year 9999,
#: so adding a due-time target, a time zone or a day never overflows.
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def parse_remote_time(value: object) -> datetime | None:
    """A remote time value as an aware UTC datetime, or None when it is
    missing or does not parse. Accepts a datetime (naive = UTC), ISO 8601
    text (``Z`` or an offset) or RFC 2822 text (an e-mail ``Date:``).
    Never raises."""
    when: datetime | None = None
    try:
        if isinstance(value, datetime):
            when = value
        elif isinstance(value, str):
            text = value.strip()
            if not text or len(text) > 200:
                return None
            try:
                when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            except ValueError:
                when = parsedate_to_datetime(text)
        else:
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.astimezone(UTC)
    except (ValueError, TypeError, OverflowError, IndexError, AttributeError):
        return None


def bound_remote_time(value: object, received: datetime | None = None) -> datetime:
    """The time to store for a remote time ``value`` received at
    ``received``: the parsed value when it lies between the epoch and
    ``received`` plus :data:`FUTURE_SKEW`, else ``received`` itself (now
    when not given; itself bounded by this machine's clock, so neither a
    server nor a bug can move the bounds). Never raises."""
    received = _bound_received(received)
    when = parse_remote_time(value)
    if when is None or when < EARLIEST:
        return received
    try:
        latest = min(received + FUTURE_SKEW, LATEST)
    except OverflowError:
        latest = LATEST
    if when > latest:
        return received
    return when


def bound_optional_time(value: object, received: datetime | None = None) -> datetime | None:
    """Like :func:`bound_remote_time` for an optional time (``edited_at``):
    None when the value is missing, else the bounded time."""
    if value is None or value == "":
        return None
    return bound_remote_time(value, received)


def bound_and_keep(
    value: object, received: datetime | None, raw: MutableMapping[str, Any], name: str
) -> datetime:
    """:func:`bound_remote_time`, and when the value was replaced, the value
    as sent is kept in ``raw["original_times"][name]`` (the raw payload a
    record stores), so nothing the sender wrote is lost."""
    when = bound_remote_time(value, received)
    if value is not None and value != "" and parse_remote_time(value) != when:
        kept = raw.get("original_times")
        kept = dict(kept) if isinstance(kept, dict) else {}
        kept[name] = str(value)[:200]
        raw["original_times"] = kept
    return when


def in_bounds_ms(value: object) -> bool:
    """Whether a stored epoch-milliseconds value lies in what the cache
    holds (used by readers to tell a damaged row from a good one)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return _EARLIEST_MS <= value <= _LATEST_MS


def user_time_problem(value: datetime) -> str | None:
    """One sentence saying why a time given by a person cannot be used, or
    None when it can. A naive value is taken as UTC."""
    try:
        when = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        when = when.astimezone(UTC)
    except (ValueError, OverflowError):
        return "That time cannot be represented; give a date between 1970 and 2099."
    if when < EARLIEST:
        return "That time is before 1970; give a date between 1970 and 2099."
    if when >= LATEST_USER_TIME:
        return "That time is after 2099; give a date between 1970 and 2099."
    return None


def _bound_received(received: object) -> datetime:
    """The receiving time itself, checked against this machine's clock: a
    server's or a provider's "received" time cannot move the bounds."""
    now = datetime.now(UTC)
    if not isinstance(received, datetime):
        return now
    try:
        when = received if received.tzinfo is not None else received.replace(tzinfo=UTC)
        when = when.astimezone(UTC)
    except (ValueError, OverflowError):
        return now
    if when < EARLIEST or when > now + FUTURE_SKEW:
        return now
    return when


_EARLIEST_MS = 0
_LATEST_MS = int((LATEST - EARLIEST).total_seconds() * 1000)
