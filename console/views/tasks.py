"""Background work for the views, results back on the GUI thread.

Views never run SQL or HTTP themselves (DESIGN.md). They ask the
:class:`Runner` for a read (on a small thread pool, each with its own
read session) or a write (queued on the cache's one writer), and get the
result in a callback that runs on the GUI thread — the shape of Anki's
QueryOp/CollectionOp and Picard's run_task.

It also watches the file for other processes' writes (a cron ``parloir
sync``, ``parloir assign`` in a terminal): every WATCH_MS a one-thread pool
asks ``Cache.foreign_changes`` (one ``PRAGMA data_version`` when nothing
happened) and what another writer changed is announced on ``changed`` like
our own writer's change sets, so every view refreshes through one path. Our
own writes are skipped there (the writer announced them already).

Signals:
    changed(ChangeSet): something was committed (our writer's or another
        process's write).
    failed(str): a background task failed; one sentence for the status bar.
    cache_failed(CacheError): a read or write met the cache file's problem
        (damaged, disk full, read-only); app.py tells the person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from sqlalchemy.orm import Session

from console.models.cache_errors import CacheError
from console.models.db import Cache
from console.models.writer import NORMAL, ChangeSet, Tx
from console.services.errors import UserError

log = logging.getLogger(__name__)

T = TypeVar("T")

#: What a task's caller is told: the result, or the exception it raised.
Done = Callable[[T], None]
Failed = Callable[[Exception], None]

#: How often the window looks for other processes' writes.
WATCH_MS = 500


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted elsewhere arrive queued."""

    done = Signal(object, object)  # callback, result
    error = Signal(object, object)  # callback or None, exception
    changed = Signal(object)
    watched = Signal(object, object)  # newest change_log seq or None, ChangeSet or None


class _Watch(QRunnable):
    """One look at the file for other writers' commits (Cache.foreign_changes)."""

    def __init__(self, runner: Runner, after: int | None) -> None:
        super().__init__()
        self.runner, self.after = runner, after

    def run(self) -> None:
        try:
            seq, changes = self.runner.cache.foreign_changes(self.after)
        except Exception:
            log.exception("watching the cache for other processes' writes failed")
            self.runner._relay.watched.emit(self.after, None)
            return
        self.runner._relay.watched.emit(seq, changes)


class _Read(QRunnable, Generic[T]):
    def __init__(
        self,
        runner: Runner,
        fn: Callable[[Session], T],
        done: Done[T] | None,
        failed: Failed | None,
    ) -> None:
        super().__init__()
        self.runner, self.fn, self.on_done, self.on_failed = runner, fn, done, failed

    def run(self) -> None:
        try:
            with self.runner.cache.read() as session:
                result = self.fn(session)
        except Exception as exc:
            self.runner._relay.error.emit(self.on_failed, exc)
            return
        self.runner._relay.done.emit(self.on_done, result)


class _Call(QRunnable, Generic[T]):
    """Work without a session (network calls): same delivery as _Read."""

    def __init__(
        self, runner: Runner, fn: Callable[[], T], done: Done[T] | None, failed: Failed | None
    ) -> None:
        super().__init__()
        self.runner, self.fn, self.on_done, self.on_failed = runner, fn, done, failed

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:
            self.runner._relay.error.emit(self.on_failed, exc)
            return
        self.runner._relay.done.emit(self.on_done, result)


class Runner(QObject):
    """Runs reads on a thread pool and writes on the writer (see module doc)."""

    changed = Signal(object)
    failed = Signal(str)
    cache_failed = Signal(object)  # a CacheError (damaged, disk full...): app.py alerts

    def __init__(self, cache: Cache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.closed = False
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        # Network work (an attachment, a sign-in) never occupies the read pool.
        self.net_pool = QThreadPool(self)
        self.net_pool.setMaxThreadCount(2)
        self._relay = _Relay()
        self._relay.done.connect(self._deliver)
        self._relay.error.connect(self._fail)
        self._relay.changed.connect(self.changed)
        cache.writer.add_listener(self._relay.changed.emit)
        # Other processes' writes: one thread, one look at a time.
        self.watch_pool = QThreadPool(self)
        self.watch_pool.setMaxThreadCount(1)
        self._watch_seq: int | None = None
        self._watching = False
        self._relay.watched.connect(self._watched)
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_MS)
        self._watch_timer.timeout.connect(self.look_for_foreign_writes)
        self._watch_timer.start()
        self.look_for_foreign_writes()  # note where the log is before the first read

    def read(
        self,
        fn: Callable[[Session], T],
        done: Done[T] | None = None,
        failed: Failed | None = None,
    ) -> None:
        """Run ``fn`` with a read session on the pool; ``done(result)`` or
        ``failed(exc)`` runs on the GUI thread."""
        self.pool.start(_Read(self, fn, done, failed))

    def call(
        self,
        fn: Callable[[], T],
        done: Done[T] | None = None,
        failed: Failed | None = None,
    ) -> None:
        """Run ``fn`` (slow, no session: the network) off the GUI thread."""
        self.net_pool.start(_Call(self, fn, done, failed))

    def write(
        self,
        task: Callable[[Tx], T],
        done: Done[T] | None = None,
        failed: Failed | None = None,
        priority: int = NORMAL,
    ) -> None:
        """Queue ``task`` on the cache's one writer at ``priority``."""
        future: Future[T] = self.cache.writer.submit(task, priority)

        def finished(f: Future[T]) -> None:
            exc = f.exception()
            if exc is not None:
                self._relay.error.emit(failed, exc)
            else:
                self._relay.done.emit(done, f.result())

        future.add_done_callback(finished)

    def post(self, callback: Callable[[T], None], value: T) -> None:
        """Run ``callback(value)`` on the GUI thread, from any thread (a
        sign-in's worker showing an address); skipped when the widget it
        belongs to is gone by then."""
        self._relay.done.emit(callback, value)

    def look_for_foreign_writes(self) -> None:
        """Ask (off the GUI thread) whether another process committed."""
        if self._watching:
            return
        self._watching = True
        self.watch_pool.start(_Watch(self, self._watch_seq))

    def _watched(self, seq: int | None, changes: ChangeSet | None) -> None:
        self._watching = False
        if seq is not None:
            self._watch_seq = seq
        if changes:
            self.changed.emit(changes)

    def _deliver(self, callback: Callable[[Any], None] | None, result: Any) -> None:
        if callback is not None and _alive(callback):
            callback(result)

    def _fail(self, callback: Callable[[Exception], None] | None, exc: Exception) -> None:
        said = isinstance(exc, UserError | CacheError)  # already one sentence
        if not isinstance(exc, UserError):
            log.error("background task failed", exc_info=exc)
        if callback is not None and _alive(callback):
            callback(exc)
        self.failed.emit(str(exc) if said else f"Something failed: {exc}")
        if isinstance(exc, CacheError):
            self.cache_failed.emit(exc)

    def shutdown(self) -> None:
        #: Set once the window is ending: timers that would still write (a
        #: read mark's dwell) stand down instead of meeting a closed writer.
        self.closed = True
        self.cache.writer.remove_listener(self._relay.changed.emit)
        self._watch_timer.stop()
        self.watch_pool.waitForDone(5000)
        self.pool.waitForDone(5000)
        self.net_pool.waitForDone(5000)


def _alive(callback: Callable[..., Any]) -> bool:
    """False when the callback belongs to a Qt object that was deleted while
    its task ran (a window closed before its data arrived): a method of it,
    or a closure over it (the ``done`` a model defines inside its loader)."""
    owners: list[object] = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            owners.append(cell.cell_contents)
        except ValueError:  # a cell not yet filled
            continue
    return all(shiboken6.isValid(o) for o in owners if isinstance(o, QObject))


def changeset_ids(changes: ChangeSet) -> set[str]:
    return set(changes.conversations) | set(changes.removed)
