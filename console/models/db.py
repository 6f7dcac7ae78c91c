"""Opening the cache: identify the file first, then migrate, then connect.

Before anything that could write, the file is identified on a read-only
connection. A file that is not SQLite, an SQLite file that is not Parloir's,
or a cache written by a newer Parloir is refused with one sentence and left
byte-for-byte untouched. Only then are the write engine and the migrations
allowed near it.

Two engines share the file in WAL mode: readers (GUI, services) get
consistent snapshots while the one writer (console/models/writer.py) holds
``BEGIN IMMEDIATE`` transactions.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from console import paths
from console.models.cache_errors import (
    CacheDamaged,
    CacheError,
    CacheForeign,
    CacheTooNew,
    CacheUnavailable,
    classify,
    from_os_error,
)

__all__ = ["Cache", "CacheDamaged", "CacheError", "open_cache"]

if TYPE_CHECKING:
    from console.models.writer import ChangeSet

log = logging.getLogger(__name__)

#: PRAGMA application_id of a Parloir cache ("PRLR").
APPLICATION_ID = 0x50524C52
#: PRAGMA user_version written after the newest migration; equals the
#: numeric Alembic revision id of the head (a test checks they agree).
SCHEMA_VERSION = 4

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_MAGIC = b"SQLite format 3\x00"


def _header_application_id(path: Path) -> int | None:
    """PRAGMA application_id read from the file's header bytes, which
    survive damage to every other page."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return None
    return int.from_bytes(header[68:72], "big") if len(header) >= 72 else None


@dataclass(frozen=True, slots=True)
class FileState:
    """What :func:`identify` found: a new file, or our schema version."""

    new: bool
    version: int


def identify(path: Path) -> FileState:
    """Look at ``path`` without writing to it, and refuse what is not ours."""
    if not path.exists() or path.stat().st_size == 0:
        return FileState(new=True, version=0)
    with path.open("rb") as fh:
        magic = fh.read(len(SQLITE_MAGIC))
    if magic != SQLITE_MAGIC:
        raise CacheForeign(
            f"{path} is not a Parloir cache (it is not an SQLite database); it was left untouched."
        )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from exc
    if app_id == 0 and tables == 0:
        return FileState(new=True, version=0)
    if app_id != APPLICATION_ID:
        raise CacheForeign(
            f"{path} is an SQLite database of another application, not a Parloir cache; "
            "it was left untouched."
        )
    if version > SCHEMA_VERSION:
        raise CacheTooNew(
            f"{path} was written by a newer Parloir (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); update Parloir to open it. It was left untouched."
        )
    return FileState(new=False, version=version)


def _unreadable(path: Path, exc: sqlite3.Error) -> CacheError:
    """Why the identifying read failed: a damaged page of our file is
    damage (rebuild), of a file that is not ours it is foreign; a read-only
    folder or a full disk (SQLite cannot create the -shm file) is said so."""
    found = classify(exc, path)
    if isinstance(found, CacheDamaged) and _header_application_id(path) != APPLICATION_ID:
        found = CacheForeign(
            f"{path} is an SQLite file Parloir cannot read (damaged, or not a Parloir cache); "
            "it was left untouched."
        )
    if found is None:
        found = CacheUnavailable(path, str(exc))
    log.warning("cache %s could not be identified: %s", path, exc)
    return found


def _configure(engine: Engine, begin: str) -> None:
    """Pragmas on every connection, and explicit BEGIN so the writer takes
    the write lock up front (no deadlock-prone lock upgrades)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA secure_delete = ON")  # erasure must not leave text behind
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA cache_size = -32000")
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


def _make_engine(path: Path, begin: str, *, single: bool) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if single:
        kwargs["poolclass"] = NullPool
    engine = create_engine(f"sqlite:///{path}", **kwargs)
    _configure(engine, begin)
    return engine


def migrate(path: Path, state: FileState) -> None:
    """Bring the file to the newest schema with Alembic (lazy import: most
    starts need no migration and Alembic costs start-up time)."""
    if not state.new and state.version == SCHEMA_VERSION:
        return
    from alembic import command
    from alembic.config import Config

    engine = _make_engine(path, "BEGIN IMMEDIATE", single=True)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        log.info("cache %s migrated from schema %s to %s", path, state.version, SCHEMA_VERSION)
    except Exception as exc:
        found = classify(exc, path)
        if found is None:
            raise
        log.warning("cache %s could not be migrated: %s", path, exc)
        raise found from exc
    finally:
        engine.dispose()


class Cache:
    """An open cache: a read engine, a write engine and the one writer.

    Reads go through :meth:`read` (a short-lived session on a WAL snapshot);
    every write goes through ``cache.writer``.
    """

    def __init__(self, path: Path) -> None:
        from console.models.writer import Writer

        self.path = path
        self.read_engine = _make_engine(path, "BEGIN", single=False)
        self.write_engine = _make_engine(path, "BEGIN IMMEDIATE", single=True)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self.writer = Writer(self.write_engine, path=path)
        self._version_conn: sqlite3.Connection | None = None
        self._version_lock = threading.Lock()
        self._seen_version: int | None = None
        self._closed = False

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; never use it to write. An SQLite error that
        is about the file (damaged pages, an I/O failure) leaves as the
        matching CacheError, so every reader tells the person what to do."""
        try:
            with self._read_sessions() as session, session.begin():
                yield session
        except Exception as exc:
            found = classify(exc, self.path)
            if found is None:
                raise
            log.error("reading the cache failed: %s", exc, exc_info=exc)
            raise found from exc

    def _watch_conn(self) -> sqlite3.Connection:
        """The one long-lived connection that watches the file (autocommit:
        it never holds a read snapshot between calls, so it never delays a
        checkpoint)."""
        if self._version_conn is None:
            self._version_conn = sqlite3.connect(
                str(self.path), check_same_thread=False, isolation_level=None, timeout=30
            )
        return self._version_conn

    def data_version(self) -> int:
        """SQLite's data_version on a dedicated connection: it changes when
        ANOTHER connection (our writer or another process) commits, which is
        how the GUI notices writes it did not make itself."""
        with self._version_lock:
            row = self._watch_conn().execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def foreign_changes(self, after: int | None) -> tuple[int, ChangeSet | None]:
        """What writers other than ours committed after change_log row
        ``after``: ``(newest row seen, their merged ChangeSet or None)``.

        Cheap when nothing happened: one ``PRAGMA data_version`` and no
        query. ``after=None`` starts watching (nothing is reported). When
        the rows after ``after`` were pruned already, the result says
        ``everything``. Call it off the GUI thread (Runner's watcher does).
        """
        from console.models.writer import ChangeSet

        with self._version_lock:
            if self._closed:
                return after or 0, None
            conn = self._watch_conn()
            version = int(conn.execute("PRAGMA data_version").fetchone()[0])
            if after is not None and version == self._seen_version:
                return after, None
            self._seen_version = version
            if after is None:
                newest = conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
                return int(newest or 0), None
            rows = conn.execute(
                "SELECT seq, origin, changes FROM change_log WHERE seq > ? ORDER BY seq",
                (after,),
            ).fetchall()
            oldest = conn.execute("SELECT min(seq) FROM change_log").fetchone()[0]
        if not rows:
            return after, None
        merged = ChangeSet()
        if oldest is not None and oldest > after + 1:
            merged.everything = True  # we fell behind the pruned log
        own = self.writer.origin
        for _seq, origin, raw in rows:
            if origin != own:
                merged.merge(ChangeSet.from_json(raw))
        return int(rows[-1][0]), (merged if merged else None)

    def checkpoint(self, wait: float = 30.0) -> bool:
        """Copy the WAL into the main file and truncate it (after erasure).

        True when the WAL is empty afterwards. False when another
        connection's read snapshot still needs old pages after ``wait``
        seconds (SQLite's busy handler retries meanwhile): those pages, in
        the WAL and in the main file, stay until that reader ends.
        """

        def task(tx: Any) -> None:
            return None

        self.writer.call(task)  # wait for queued writes
        return _truncate_wal(self.path, wait)

    def close(self) -> None:
        self.writer.close()
        with self._version_lock:
            self._closed = True
            if self._version_conn is not None:
                self._version_conn.close()
                self._version_conn = None
        self.read_engine.dispose()
        self.write_engine.dispose()
        # Whichever process closes last finishes an erasure that another
        # process's reader held up (docs/decisions.md, "Erasure").
        _truncate_wal(self.path, 0.0)

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def quick_check(path: Path) -> str | None:
    """None when SQLite's ``PRAGMA quick_check`` finds the file sound, else
    what it found (one line). It reads every page: seconds on a large
    cache, so the window runs it in the background after its first paint
    and the CLI never on its read path (docs/decisions.md)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if found == ["ok"]:
        return None
    log.warning("quick_check of %s: %s", path, found)
    lines = [line for text in found for line in text.splitlines() if not line.startswith("***")]
    return "; ".join(lines)


def _truncate_wal(path: Path, wait: float) -> bool:
    """PRAGMA wal_checkpoint(TRUNCATE), its result checked: busy = 0 and an
    empty log means every frame reached the main file and the WAL is gone."""
    try:
        # mode=rw: never create an empty file where the cache was moved away.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=wait)
        try:
            busy, frames, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.warning("checkpoint of %s failed: %s", path, exc)
        return False
    if busy or frames > 0:
        log.info("checkpoint of %s incomplete: busy=%s frames=%s", path, busy, frames)
        return False
    return True


def _make_private(path: Path) -> None:
    """The cache file 0600 before SQLite first opens it: SQLite gives its
    -wal and -shm files the database file's mode. Files left looser by an
    older Parloir are tightened."""
    if not path.parent.exists():
        paths.private_dir(path.parent)
    paths.private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            paths.private_file(sidecar)


def open_cache(path: Path) -> Cache:
    """Identify, migrate when needed, and open ``path``."""
    try:
        _make_private(path)
    except OSError as exc:
        raise from_os_error(exc, path) from exc
    state = identify(path)
    migrate(path, state)
    return Cache(path)
