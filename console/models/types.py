"""Small value types shared by the cache layers.

Times are stored as INTEGER milliseconds since the Unix epoch (UTC). That
keeps the queue indices compact, makes keyset paging a plain integer
comparison, and lets the ingest fast path write numbers without going through
datetime formatting. Python code sees timezone-aware UTC datetimes.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

# Seeded from the OS once (and again in a forked child, so two processes
# never share a sequence); far cheaper than one urandom call per id.
_random = random.Random(os.urandom(32))
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _random.seed(os.urandom(32)))


_fixed: random.Random | None = None
_fixed_clock = 0


def seeded_ids(seed: int | None) -> None:
    """Make :func:`new_id` deterministic (the demo workspace: stable ids on
    every machine), or random again with ``None``. Only for building a
    workspace in a process that does nothing else meanwhile."""
    global _fixed, _fixed_clock
    _fixed = random.Random(seed) if seed is not None else None
    _fixed_clock = 1_700_000_000_000


def new_id() -> str:
    """A fresh UUID string (version 7: time-ordered) for every replayable row.

    Time-ordered ids land at the end of the primary-key index instead of at
    random places in it, which keeps bulk ingest fast once the cache is far
    larger than SQLite's page cache. They stay unique across desktops (74
    random bits per millisecond), which team mode needs.
    """
    global _fixed_clock
    if _fixed is not None:
        _fixed_clock += 1
        millis, rand = _fixed_clock, _fixed.getrandbits(74)
    else:
        millis, rand = time.time_ns() // 1_000_000, _random.getrandbits(74)
    value = (
        (millis & 0xFFFF_FFFF_FFFF) << 80
        | 0x7 << 76
        | (rand >> 62) << 64
        | 0b10 << 62
        | (rand & 0x3FFF_FFFF_FFFF_FFFF)
    )
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_ms(value: datetime) -> int:
    """Aware datetime -> epoch milliseconds. Naive values are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def now_ms() -> int:
    return to_ms(utcnow())


def iso_z(value: datetime | None) -> str | None:
    """ISO 8601 UTC with a trailing Z, as CLI.md's JSON wants."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class UtcMillis(TypeDecorator[datetime]):
    """An aware UTC datetime stored as epoch milliseconds."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, datetime):
            return to_ms(value)
        raise TypeError(f"expected datetime, got {type(value).__name__}")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """A stored time; one that cannot be a datetime (an older version
        stored a sender's year 9999, another program wrote text) reads as
        None with a warning, so loading the object never fails. Listings
        read times themselves and show such a row as damaged."""
        if value is None:
            return None
        try:
            return from_ms(int(value))
        except (TypeError, ValueError, OverflowError, OSError):
            log.warning("a stored time %r cannot be read; taken as none", value)
            return None


class JsonText(TypeDecorator[Any]):
    """JSON stored in a TEXT column.

    SQLAlchemy's JSON type declares a column type with NUMERIC affinity in
    SQLite, which silently turns the JSON text ``30`` into the integer 30;
    TEXT affinity keeps every value as the JSON text we wrote.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """Stored JSON; malformed JSON (written by another program, or a
        damaged page) reads as None with a warning rather than failing the
        whole object."""
        if value is None:
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            log.warning("stored JSON cannot be read; taken as none")
            return None
