"""What the command line accepts: numbers, times and stdin text, checked.

Every value a person gives is checked here before it reaches a service or
SQLite, so a mistake is one sentence and exit 2, never a traceback: a
number out of range (SQLite integers stop at 2**63), a time the cache cannot
hold (console/models/timebounds.py), bytes that are not UTF-8 text.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import BinaryIO

from console.models import settings_registry
from console.models.timebounds import user_time_problem

#: ``queue --limit``: beyond this, leave --limit out (every row is listed).
MAX_LIMIT = 1_000_000
#: ``demo generate``: far above any benchmark, far below what SQLite or memory refuses.
MAX_DEMO_CONVERSATIONS = 10_000_000
MAX_DEMO_MESSAGES = 100_000_000
#: ``--size WxH`` (a screenshot of the window): beyond an 8K screen, and far
#: below the sizes where Qt aborts the process instead of raising.
MIN_WINDOW_SIDE = 100
MAX_WINDOW_SIDE = 10_000


_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


class InputError(Exception):
    """A value a person gave cannot be used; the message is one sentence."""


def shown(value: str, limit: int = 40) -> str:
    """``value`` for an error sentence: quoted, and cut when it is long."""
    cut = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(cut)


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high``."""

    def parse(value: str) -> int:
        wanted = f"give a whole number from {low:,} to {high:,}".replace(",", " ")
        text = value.strip()
        if not _NUMBER.fullmatch(text):
            raise argparse.ArgumentTypeError(f"{shown(value)} is not a number; {wanted}.")
        number = int(text)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{shown(value)} is out of range; {wanted}.")
        return number

    parse.__name__ = "whole number"  # argparse names the type in its own messages
    return parse


def user_time(value: str) -> datetime:
    """A time a person typed: ISO 8601, local time when it has no offset (CLI.md),
    within what the cache holds (1970 to 2099)."""
    example = "give an ISO 8601 time such as 2026-12-01T09:00"
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{shown(value)} is not a time; {example}.") from None
    if when.tzinfo is None:
        try:
            when = when.astimezone()
        except (ValueError, OverflowError, OSError):
            raise InputError(f"{shown(value)} cannot be used; {example}.") from None
    problem = user_time_problem(when)
    if problem is not None:
        raise InputError(problem)
    return when


def setting_value(key: str, text: str) -> object:
    """``settings set KEY VALUE``: the value typed as text, checked by the
    setting's own rule (console/models/settings_registry.py)."""
    try:
        return settings_registry.spec(key).parse(text)
    except settings_registry.SettingError as exc:
        raise InputError(str(exc)) from None


def decode_stdin(data: bytes) -> str:
    """Bytes read from stdin as text: UTF-8 whatever the locale says (a byte
    order mark is dropped); anything else is refused in one sentence."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"The text on stdin is not valid UTF-8 (byte {exc.start + 1}); "
            "convert it to UTF-8 and try again."
        ) from None
    return text.removeprefix("\ufeff")


def read_stdin() -> str:
    """All of stdin as text (see :func:`decode_stdin`)."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # stdin replaced by a text stream (tests)
        return sys.stdin.read()
    return decode_stdin(raw.read())


class Utf8Stdin:
    """A text stdin for code that reads line by line (sign-in: a token, a
    password, a pasted code), decoding like :func:`decode_stdin`."""

    def __init__(self, raw: BinaryIO | None = None) -> None:
        self._raw = raw

    def read(self, size: int = -1) -> str:
        if self._raw is None:
            return sys.stdin.read(size)
        return decode_stdin(self._raw.read(size) if size >= 0 else self._raw.read())

    def readline(self, size: int = -1) -> str:
        if self._raw is None:
            return sys.stdin.readline(size)
        return decode_stdin(self._raw.readline(size))


def utf8_stdin() -> Utf8Stdin:
    return Utf8Stdin(getattr(sys.stdin, "buffer", None))


def argv_problem(argv: Sequence[str]) -> str | None:
    """One sentence when an argument is not text (bytes that were not UTF-8
    arrive as lone surrogates and would fail deep inside SQLite)."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            readable = arg.encode("utf-8", "replace").decode("utf-8")
            return f"The argument {shown(readable)} is not valid UTF-8 text; retype it."
    return None
