"""Background work for the views, results back on the GUI thread.

Views never run SQL or HTTP themselves (DESIGN.md). They ask the
:class:`Runner` for a read (on a small thread pool, each with its own
read session) or a write (queued on the cache's one writer), and get the
result in a callback that runs on the GUI thread — the shape of Anki's
QueryOp/CollectionOp and Picard's run_task.

Signals:
    changed(ChangeSet): the writer committed something (any thread's write).
    failed(str): a background task failed; one sentence for the status bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from console.models.db import Cache
from console.models.writer import NORMAL, ChangeSet, Tx
from console.services.errors import UserError

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted elsewhere arrive queued."""

    done = Signal(object, object)  # callback, result
    error = Signal(object, object)  # callback or None, exception
    changed = Signal(object)


class _Read(QRunnable):
    def __init__(self, runner: Runner, fn: Callable[[Any], Any], done: Any, failed: Any) -> None:
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


class _Call(QRunnable):
    """Work without a session (network calls): same delivery as _Read."""

    def __init__(self, runner: Runner, fn: Callable[[], Any], done: Any, failed: Any) -> None:
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

    def __init__(self, cache: Cache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
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

    def read(
        self,
        fn: Callable[[Any], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self.pool.start(_Read(self, fn, done, failed))

    def call(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``fn`` (slow, no session: the network) off the GUI thread."""
        self.net_pool.start(_Call(self, fn, done, failed))

    def write(
        self,
        task: Callable[[Tx], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        priority: int = NORMAL,
    ) -> None:
        future = self.cache.writer.submit(task, priority)

        def finished(f: Any) -> None:
            exc = f.exception()
            if exc is not None:
                self._relay.error.emit(failed, exc)
            else:
                self._relay.done.emit(done, f.result())

        future.add_done_callback(finished)

    def _deliver(self, callback: Callable[[Any], None] | None, result: Any) -> None:
        if callback is not None and _alive(callback):
            callback(result)

    def _fail(self, callback: Callable[[Exception], None] | None, exc: Exception) -> None:
        if not isinstance(exc, UserError):
            log.error("background task failed", exc_info=exc)
        if callback is not None and _alive(callback):
            callback(exc)
        self.failed.emit(str(exc) if isinstance(exc, UserError) else f"Something failed: {exc}")

    def shutdown(self) -> None:
        self.cache.writer.remove_listener(self._relay.changed.emit)
        self.pool.waitForDone(5000)
        self.net_pool.waitForDone(5000)


def _alive(callback: Callable[..., Any]) -> bool:
    """False when the callback is a method of a widget that was deleted while
    its read ran (a window closed before its data arrived)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def changeset_ids(changes: ChangeSet) -> set[str]:
    return set(changes.conversations) | set(changes.removed)
