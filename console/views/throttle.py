"""A throttle for the composer's autosave.

A debounce (wait for a pause) loses everything typed without a pause when
the process dies; a throttle runs at most ``interval_ms`` after the first
poke since it last ran, however fast the pokes come, so continuous typing is
saved every interval (docs/decisions.md, "Autosave is a throttle").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer


class TimerLike(Protocol):
    """What the throttle needs of a timer (a QTimer, or a test's simulated clock)."""

    timeout: Any

    def isActive(self) -> bool: ...  # Qt names it so

    def start(self) -> None: ...

    def stop(self) -> None: ...


class Throttle(QObject):
    """Runs ``fn`` no later than ``interval_ms`` after the first :meth:`poke`
    since it last ran; pokes while a run is due do not push it back."""

    def __init__(self, interval_ms: int, fn: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self.interval_ms = interval_ms
        self._fn = fn
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval_ms)
        self._timer: TimerLike = timer
        timer.timeout.connect(self._run)

    def use_timer(self, timer: TimerLike) -> None:
        """Drive the throttle from another timer (tests: a simulated clock)."""
        self._timer.stop()
        self._timer = timer
        timer.timeout.connect(self._run)

    @property
    def due(self) -> bool:
        """A run is scheduled."""
        return self._timer.isActive()

    def poke(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _run(self) -> None:
        self._fn()
