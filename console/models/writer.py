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
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

T = TypeVar("T")

URGENT = 0
NORMAL = 1
BULK = 2


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

    def __bool__(self) -> bool:
        return bool(
            self.conversations
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

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
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
                _prio, _seq, item = self._queue.get()
                if item is _STOP:
                    return
                task, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                changes = ChangeSet()
                try:
                    with session.begin():
                        result = task(Tx(session, changes))
                except BaseException as exc:  # the caller decides what it means
                    session.expunge_all()
                    future.set_exception(exc)
                    continue
                session.expunge_all()
                future.set_result(result)
                if changes:
                    self._announce(changes)
        finally:
            session.close()

    def _announce(self, changes: ChangeSet) -> None:
        for callback in list(self._listeners):
            try:
                callback(changes)
            except Exception:
                log.exception("writer listener failed")
