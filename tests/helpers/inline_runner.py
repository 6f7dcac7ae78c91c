"""A Runner that does its work inline, for GUI tests (Picard's test pool).

A read or a network call runs on the calling (GUI) thread and its callback
runs before ``read``/``call`` returns; a write goes to the cache's real
writer (one writer is the rule) and the caller waits for it, then the
callback runs. So a widget test needs no wait on a pool thread, and no
widget is ever released on one. Other processes' writes are still watched
(the timer, on the GUI thread), and the writer's change sets still arrive
through ``changed`` as with the real Runner.

What this does not test is the threading itself: tests/test_gui_window.py
and the pane tests keep the real Runner for that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from console.models.writer import NORMAL, Tx
from console.views.tasks import Done, Failed, Runner

T = TypeVar("T")


class InlineRunner(Runner):
    """The Runner's contract, with no thread between the ask and the answer."""

    def read(
        self, fn: Callable[[Session], T], done: Done[T] | None = None, failed: Failed | None = None
    ) -> None:
        try:
            with self.cache.read() as session:
                result = fn(session)
        except Exception as exc:
            self._fail(failed, exc)
            return
        self._deliver(done, result)

    def call(
        self, fn: Callable[[], T], done: Done[T] | None = None, failed: Failed | None = None
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            self._fail(failed, exc)
            return
        self._deliver(done, result)

    def write(
        self,
        task: Callable[[Tx], T],
        done: Done[T] | None = None,
        failed: Failed | None = None,
        priority: int = NORMAL,
    ) -> None:
        future = self.cache.writer.submit(task, priority)
        exc = future.exception()  # waits: the writer thread commits it
        if exc is not None:
            self._fail(failed, exc if isinstance(exc, Exception) else RuntimeError(str(exc)))
            return
        self._deliver(done, future.result())
