"""The one writer: every write to the cache runs here, one at a time.

A single thread owns the write connection and runs submitted tasks in
priority order: urgent tasks (a draft save, a click on "assign") jump ahead
of queued ingest chunks, so the user never waits behind a big sync. Each task
runs in its own ``BEGIN IMMEDIATE`` transaction and records what it changed
in a :class:`ChangeSet`; after the commit the writer announces the change set
to its listeners (the GUI's queue model updates those rows only).

Signals (plain callbacks, called on the writer thread after each commit):
    listeners(ChangeSet)
"""

from __future__ import annotations

import itertools
import json
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from uuid import uuid4

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from console.models.write_turns import WriteTurns

log = logging.getLogger(__name__)

T = TypeVar("T")

URGENT = 0
NORMAL = 1
BULK = 2

#: Rows of change_log kept (the newest): a window that fell further behind
#: than this refreshes everything instead (Cache.foreign_changes).
CHANGE_LOG_KEEP = 256
#: A change set naming more conversations than this is logged as
#: "everything changed": a reader reloads its view instead of refetching
#: thousands of rows one by one.
CHANGE_LOG_MAX_IDS = 1000


@dataclass(slots=True)
class ChangeSet:
    """What one committed write changed, for listeners to refresh."""

    conversations: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    redirects: dict[str, str] = field(default_factory=dict)
    accounts: set[str] = field(default_factory=set)
    drafts: set[str] = field(default_factory=set)
    outbox: bool = False
    team: bool = False
    settings: bool = False
    messages_added: int = 0
    #: Too much changed to name (or a reader missed part of the log):
    #: whoever listens reloads what it shows.
    everything: bool = False

    def merge(self, other: ChangeSet) -> None:
        self.conversations |= other.conversations
        self.removed |= other.removed
        self.redirects.update(other.redirects)
        self.accounts |= other.accounts
        self.drafts |= other.drafts
        self.outbox = self.outbox or other.outbox
        self.team = self.team or other.team
        self.settings = self.settings or other.settings
        self.messages_added += other.messages_added
        self.everything = self.everything or other.everything

    def to_json(self) -> str:
        """The change set as stored in change_log (sets become sorted lists)."""
        if len(self.conversations) + len(self.removed) > CHANGE_LOG_MAX_IDS:
            return json.dumps({"everything": True, "messages_added": self.messages_added})
        out: dict[str, Any] = {}
        for name in ("conversations", "removed", "accounts", "drafts"):
            if value := getattr(self, name):
                out[name] = sorted(value)
        if self.redirects:
            out["redirects"] = self.redirects
        for name in ("outbox", "team", "settings", "everything"):
            if getattr(self, name):
                out[name] = True
        if self.messages_added:
            out["messages_added"] = self.messages_added
        return json.dumps(out, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> ChangeSet:
        """Read a change_log row back; anything unreadable means "everything"
        (a reader must never miss a change because a row was odd)."""
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            redirects = data.get("redirects") or {}
            return cls(
                conversations={str(v) for v in data.get("conversations") or ()},
                removed={str(v) for v in data.get("removed") or ()},
                redirects={str(k): str(v) for k, v in dict(redirects).items()},
                accounts={str(v) for v in data.get("accounts") or ()},
                drafts={str(v) for v in data.get("drafts") or ()},
                outbox=bool(data.get("outbox")),
                team=bool(data.get("team")),
                settings=bool(data.get("settings")),
                messages_added=int(data.get("messages_added") or 0),
                everything=bool(data.get("everything")),
            )
        except (TypeError, ValueError, AttributeError):
            log.warning("unreadable change_log row; refreshing everything")
            return cls(everything=True)

    def __bool__(self) -> bool:
        return bool(
            self.everything
            or self.conversations
            or self.removed
            or self.accounts
            or self.drafts
            or self.outbox
            or self.team
            or self.settings
        )


@dataclass(slots=True)
class Tx:
    """What a write task gets: the session (in an open transaction) and the
    change set to fill in."""

    session: Session
    changes: ChangeSet


class WriterClosed(RuntimeError):
    pass


_STOP = object()


class Writer:
    """Serialises every write on one thread (see the module docstring)."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self._engine = engine
        #: Names this writer's rows in change_log, so the window of this
        #: process skips them (it heard them from the listeners already).
        self.origin = uuid4().hex
        self._path = path
        # Across processes a person's write waits at most one bulk chunk.
        self._turns = WriteTurns(path)
        self._queue: queue.PriorityQueue[tuple[int, int, Any]] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._listeners: list[Callable[[ChangeSet], None]] = []
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="parloir-writer", daemon=True)
        self._thread.start()

    # -- public API -------------------------------------------------------

    def add_listener(self, callback: Callable[[ChangeSet], None]) -> None:
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[ChangeSet], None]) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def submit(self, task: Callable[[Tx], T], priority: int = NORMAL) -> Future[T]:
        """Queue ``task``; its result (or exception) arrives in the future."""
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise WriterClosed("the cache is closed")
            self._queue.put((priority, next(self._seq), (task, future)))
        return future

    def call(self, task: Callable[[Tx], T], priority: int = NORMAL) -> T:
        """Run ``task`` on the writer and wait for it (not on the GUI thread)."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("Writer.call from the writer thread would deadlock")
        return self.submit(task, priority).result()

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put((BULK + 1, next(self._seq), _STOP))
        self._thread.join()

    # -- the thread --------------------------------------------------------

    def _run(self) -> None:
        session = Session(self._engine, expire_on_commit=False, autoflush=True)
        try:
            while True:
                priority, _seq, item = self._queue.get()
                if item is _STOP:
                    return
                task, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                changes = ChangeSet()
                try:
                    with self._turns.turn(bulk=priority >= BULK), session.begin():
                        result = task(Tx(session, changes))
                        if changes:
                            self._log(session, changes)
                except BaseException as exc:  # the caller decides what it means
                    session.expunge_all()
                    future.set_exception(self._explain(exc))
                    continue
                session.expunge_all()
                future.set_result(result)
                if changes:
                    self._announce(changes)
        finally:
            session.close()
            self._turns.close()

    def _log(self, session: Session, changes: ChangeSet) -> None:
        """Append the change set to change_log in the task's transaction (a
        reader sees the rows and the log entry together, or neither) and
        drop the oldest entries: one insert and one range delete on the
        primary key per transaction, nothing per row."""
        session.execute(
            text("INSERT INTO change_log (origin, changes) VALUES (:origin, :changes)"),
            {"origin": self.origin, "changes": changes.to_json()},
        )
        session.execute(
            text("DELETE FROM change_log WHERE seq <= (SELECT max(seq) FROM change_log) - :keep"),
            {"keep": CHANGE_LOG_KEEP},
        )

    def _explain(self, exc: BaseException) -> BaseException:
        """A failed write because of the file (disk full, read-only, damaged)
        becomes the CacheError that says so; the transaction was rolled back,
        so nothing committed before is lost. Other errors pass unchanged."""
        if self._path is None or not isinstance(exc, Exception):
            return exc
        from console.models.cache_errors import classify

        found = classify(exc, self._path)
        if found is None:
            return exc
        log.error("a write to the cache failed: %s", exc, exc_info=exc)
        return found

    def _announce(self, changes: ChangeSet) -> None:
        for callback in list(self._listeners):
            try:
                callback(changes)
            except Exception:
                log.exception("writer listener failed")
