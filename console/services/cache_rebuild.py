"""``parloir cache rebuild``: recover from a damaged cache without losing work.

What people typed and decided cannot be fetched again, so it is saved:
drafts, unsent outbox items, notes, tags and assignments (the conversation
rows carry status, assignee, priority and snooze), the team, settings,
saved replies, contacts and their links, the activity history, and the
accounts with their ids (their keyring entries are named after the id).
Messages and their index are what the networks give back: they are left
behind, and each account's cursors are reset so the next sync fetches its
history window again, into the same conversations (matched by remote key).

Everything readable is kept: a table whose pages are damaged is read row by
row (a scan from each end, then every rowid its indexes still list), so one
bad page loses the rows on it, not the table. The fresh cache is built
beside the old one and swapped in at the end; the damaged file is kept,
renamed, and its path is reported. Other Parloir processes must be closed:
the sync engine's lock is taken for the whole rebuild.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from console import paths
from console.models.cache_errors import CacheForeign, CacheTooNew
from console.models.db import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    open_cache,
    quick_check,
)
from console.models.vocabulary import OutboxState
from console.services.errors import InvalidArgument
from console.sync.lock import EngineLock, lock_path

log = logging.getLogger(__name__)

#: Tables the networks give back (or that only describe other writes):
#: not copied. Every other table is, so a table added later is kept.
REFETCHED = frozenset({"messages", "message_locations", "change_log", "alembic_version"})
#: Outbox states that mean the reply is still to go (or to be decided).
UNSENT = tuple(s for s in OutboxState if s != OutboxState.SENT)

Row = tuple[Any, ...]


class RebuildRefused(InvalidArgument):
    """Rebuilding now would be unsafe or pointless; nothing was changed."""


@dataclass(slots=True)
class RebuildReport:
    """What was kept (rows per table), what could not be read, and where
    the damaged file now is."""

    damaged_copy: Path
    kept: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)
    problem: str | None = None

    def summary(self) -> str:
        def n(table: str) -> int:
            return self.kept.get(table, 0)

        lost = sum(self.unreadable.values())
        tail = f"; {lost} damaged rows could not be read" if lost else ""
        return (
            f"Rebuilt the cache: kept {n('accounts')} accounts, {n('drafts')} drafts, "
            f"{n('outbox')} unsent replies, {n('notes')} notes, {n('conversation_tags')} tags "
            f"on conversations and {n('conversations')} conversations with their assignments"
            f"{tail}; the {'damaged' if self.problem else 'previous'} file is kept at "
            f"{self.damaged_copy}; run `parloir sync` "
            "to fetch the messages again."
        )


def _header(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(100)


def _check_ours(path: Path) -> None:
    """Refuse a file that is not a Parloir cache, or a newer one: rebuilding
    would throw away what another application or version needs."""
    header = _header(path)
    if not header.startswith(SQLITE_MAGIC) or len(header) < 72:
        raise CacheForeign(
            f"{path} is not a Parloir cache (it is not an SQLite database); it was left untouched."
        )
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise CacheForeign(
            f"{path} is not a Parloir cache (its header names another application); "
            "it was left untouched."
        )
    version = int.from_bytes(header[60:64], "big")
    if version > SCHEMA_VERSION:
        raise CacheTooNew(
            f"{path} was written by a newer Parloir (schema {version}); rebuild it with that "
            "version. It was left untouched."
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({_quote(table)})")]


def _scan(conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> Iterator[Row]:
    """Rows of ``sql`` until the first damaged page stops the cursor."""
    try:
        yield from conn.execute(sql, params)
    except sqlite3.DatabaseError as exc:
        log.info("rebuild: a scan stopped: %s (%s)", exc, sql)


def salvage(conn: sqlite3.Connection, table: str, columns: list[str]) -> tuple[list[Row], int]:
    """Every row of ``table`` that can still be read, and how many listed
    rows could not be: a whole scan first; when a page is damaged, a scan
    from each end, then each rowid an index still lists, one by one."""
    cols = ", ".join(_quote(c) for c in columns)
    name = _quote(table)
    try:
        return list(conn.execute(f"SELECT {cols} FROM {name}")), 0
    except sqlite3.DatabaseError as exc:
        log.warning("rebuild: table %s is damaged (%s); reading it row by row", table, exc)
    found: dict[int, Row] = {}
    for order in ("ASC", "DESC"):
        for row in _scan(conn, f"SELECT rowid, {cols} FROM {name} ORDER BY rowid {order}"):
            found[int(row[0])] = tuple(row[1:])
    listed: set[int] = set()
    indexes = [str(r[1]) for r in _scan(conn, f"PRAGMA index_list({name})")]
    for index in indexes:
        listed |= {
            int(r[0]) for r in _scan(conn, f"SELECT rowid FROM {name} INDEXED BY {_quote(index)}")
        }
    unreadable = 0
    for rowid in sorted(listed - found.keys()):
        try:
            row = conn.execute(f"SELECT {cols} FROM {name} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            unreadable += 1
            continue
        if row is not None:
            found[rowid] = tuple(row)
    return [found[k] for k in sorted(found)], unreadable


def _aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def rebuild(path: Path, *, force: bool = False) -> RebuildReport:
    """Rebuild the cache at ``path`` (see the module docstring)."""
    if not path.exists() or path.stat().st_size == 0:
        raise RebuildRefused(f"There is no cache at {path} to rebuild; nothing was changed.")
    _check_ours(path)
    lock = EngineLock(lock_path(path))
    if not lock.acquire(timeout=0):
        raise RebuildRefused(
            "Another Parloir process is using the cache (the window or `parloir sync`); "
            "close it and run `parloir cache rebuild` again. Nothing was changed."
        )
    try:
        problem = quick_check(path)
        if problem is None and not force:
            raise RebuildRefused(
                "The cache passed its integrity check, so there is nothing to rebuild; "
                "nothing was changed (add --force to rebuild it anyway)."
            )
        return _rebuild(path, problem)
    finally:
        lock.release()


def _rebuild(path: Path, problem: str | None) -> RebuildReport:
    fresh = _sidecar(path, ".rebuild")
    for leftover in (fresh, _sidecar(fresh, "-wal"), _sidecar(fresh, "-shm")):
        leftover.unlink(missing_ok=True)
    open_cache(fresh).close()
    report = RebuildReport(damaged_copy=_aside(path), problem=problem)

    old = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    new = sqlite3.connect(fresh, isolation_level=None)
    try:
        new.execute("PRAGMA foreign_keys = OFF")
        new.execute("BEGIN IMMEDIATE")
        tables = [
            str(r[0])
            for r in new.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'message_fts%' AND name NOT LIKE 'note_fts%' ORDER BY name"
            )
        ]
        old_tables = {
            str(r[0]) for r in _scan(old, "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in tables:
            if table in REFETCHED or table not in old_tables:
                continue
            _copy(old, new, table, report)
        _resolve_references(new)
        _fresh_start(new)
        report.kept = {t: _count(new, t) for t in tables if t not in REFETCHED}
        new.execute("COMMIT")
        new.execute("PRAGMA foreign_keys = ON")
    finally:
        old.close()
        new.close()
    _swap(path, fresh, report.damaged_copy)
    log.info("cache rebuilt: kept %s, unreadable %s", report.kept, report.unreadable)
    return report


def _copy(
    old: sqlite3.Connection, new: sqlite3.Connection, table: str, report: RebuildReport
) -> None:
    try:
        old_cols = set(_columns(old, table))
    except sqlite3.DatabaseError:
        report.unreadable[table] = report.unreadable.get(table, 0) + 1
        return
    columns = [c for c in _columns(new, table) if c in old_cols]
    rows, unreadable = salvage(old, table, columns)
    if unreadable:
        report.unreadable[table] = unreadable
    if table == "outbox" and "state" in columns:
        at = columns.index("state")
        rows = [r for r in rows if r[at] in UNSENT]
    if table == "conversations" and "message_count" in columns:
        # Recounted as the networks give the messages back.
        at = columns.index("message_count")
        rows = [(*r[:at], 0, *r[at + 1 :]) for r in rows]
    cols = ", ".join(_quote(c) for c in columns)
    marks = ", ".join("?" * len(columns))
    new.executemany(f"INSERT OR IGNORE INTO {_quote(table)} ({cols}) VALUES ({marks})", rows)


def _resolve_references(conn: sqlite3.Connection) -> None:
    """Rows whose parent was on a damaged page: a nullable reference is
    cleared (a conversation whose contact was lost), otherwise the row goes
    (a note whose conversation was lost), until no reference dangles."""
    for _ in range(10):
        problems = list(conn.execute("PRAGMA foreign_key_check"))
        if not problems:
            return
        for table, rowid, _parent, fkid in problems:
            fk = [
                r for r in conn.execute(f"PRAGMA foreign_key_list({_quote(table)})") if r[0] == fkid
            ]
            column = str(fk[0][3]) if fk else None
            info = {
                str(r[1]): bool(r[3]) for r in conn.execute(f"PRAGMA table_info({_quote(table)})")
            }
            if column is not None and not info.get(column, True):
                conn.execute(
                    f"UPDATE {_quote(table)} SET {_quote(column)} = NULL WHERE rowid = ?", (rowid,)
                )
            else:
                conn.execute(f"DELETE FROM {_quote(table)} WHERE rowid = ?", (rowid,))


def _fresh_start(conn: sqlite3.Connection) -> None:
    """The next sync fetches each account's history again from the start."""
    conn.execute("UPDATE accounts SET cursors = '{}', initial_sync_done = 0")


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])


def _swap(path: Path, fresh: Path, aside: Path) -> None:
    """Keep the damaged file (with its WAL, which holds committed pages)
    under ``aside``, then put the fresh cache in its place."""
    os.replace(path, aside)
    wal = _sidecar(path, "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        os.replace(wal, _sidecar(aside, "-wal"))
    wal.unlink(missing_ok=True)
    _sidecar(path, "-shm").unlink(missing_ok=True)
    for leftover in (_sidecar(fresh, "-wal"), _sidecar(fresh, "-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(fresh, path)
    paths.private_file(path)
    paths.private_file(aside)
