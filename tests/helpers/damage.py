"""Real damage to a real cache file: overwrite some of a table's pages
(found with SQLite's dbstat), never the header page."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def pages_of(path: Path, table: str) -> list[tuple[int, int]]:
    """(page number, cells) of the table's leaf pages."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,),
        ).fetchall()
    finally:
        conn.close()
    return [(int(p), int(n)) for p, n in rows]


def overwrite(path: Path, pages: list[int]) -> None:
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        for page in pages:
            assert page > 1, "never the header page"
            fh.seek((page - 1) * size)
            fh.write(b"\xa5" * size)


def damage_table(path: Path, table: str) -> None:
    """Overwrite every leaf page of ``table`` (the cache must be closed)."""
    overwrite(path, [p for p, _ in pages_of(path, table)])
