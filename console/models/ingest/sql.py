"""Small SQL helpers the ingest modules share: bounded ``IN (...)`` lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Bound parameters per ``IN (...)`` query, well under SQLite's limit.
IN_CHUNK = 400


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterable[Sequence[T]]:
    """``items`` in slices a single ``IN (...)`` query can bind."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(n: int) -> str:
    """``n`` question marks for an ``IN (...)`` list."""
    return ",".join("?" * n)
