"""Telling the person about failures no pane shows in place.

A desktop-launched Parloir has no terminal: a cache it refuses at start, a
cache found damaged while the window runs, and an exception nobody caught
must reach the person as one sentence (a dialog or the status bar) while
the traceback goes to the log file. Nothing here crashes the window.

Signals:
    _unexpected(str): internal; carries a sentence from any thread to the
        GUI thread (queued).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from console import paths
from console.models.cache_errors import CacheDamaged, CacheError

log = logging.getLogger(__name__)

#: How long the status bar shows an unexpected failure (ms).
STATUS_MS = 20_000


class Alerts(QObject):
    """Dialogs for the cache, the status bar for unexpected exceptions."""

    _unexpected = Signal(str)

    def __init__(self, window: QMainWindow | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._damage_told = False
        self._dialog: QMessageBox | None = None
        self._unexpected.connect(self._show_unexpected)

    # -- the cache ---------------------------------------------------------

    def refused(self, message: str) -> None:
        """The cache cannot be opened at start: a modal dialog, then exit."""
        box = QMessageBox(
            QMessageBox.Icon.Critical, self.tr("Parloir cannot open its cache"), message
        )
        box.exec()

    def cache_failed(self, exc: Exception) -> None:
        """A read or write met a CacheError: damage gets a dialog (once per
        session; every later failure says it in the status bar too)."""
        if not isinstance(exc, CacheDamaged) or self._damage_told:
            return
        self._damage_told = True
        parent: QWidget | None = self.window
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("The cache is damaged"), str(exc), parent=parent
        )
        self._dialog = box
        box.open()
        if self.window is not None:
            self.window.statusBar().showMessage(str(exc))

    def checked(self, problem: str | None, path: Any) -> None:
        """The result of the background quick_check after the first paint."""
        if problem is not None:
            self.cache_failed(CacheDamaged(path, problem))

    # -- exceptions nobody caught -----------------------------------------

    def unexpected(
        self,
        kind: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """Log with the traceback, tell the person in one sentence."""
        log.error(
            "unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)).rstrip()
        )
        if isinstance(exc, CacheError):
            sentence = str(exc)
        else:
            log_file = paths.log_dir() / "parloir.log"
            sentence = self.tr(
                "Something unexpected went wrong ({kind}); Parloir keeps running and the "
                "details are in {log}."
            ).format(kind=kind.__name__, log=log_file)
        self._unexpected.emit(sentence)

    def _show_unexpected(self, sentence: str) -> None:
        if self.window is not None:
            self.window.statusBar().showMessage(sentence, STATUS_MS)

    def install_hooks(self) -> Callable[[], None]:
        """sys.excepthook and threading.excepthook for the GUI process;
        returns what puts the previous hooks back."""
        previous_sys, previous_thread = sys.excepthook, threading.excepthook

        def on_main(
            kind: type[BaseException], exc: BaseException, tb: TracebackType | None
        ) -> None:
            if issubclass(kind, KeyboardInterrupt):
                previous_sys(kind, exc, tb)
                return
            self.unexpected(kind, exc, tb)

        def on_thread(args: threading.ExceptHookArgs) -> None:
            if args.exc_value is None or issubclass(args.exc_type, SystemExit):
                return
            self.unexpected(args.exc_type, args.exc_value, args.exc_traceback)

        sys.excepthook = on_main
        threading.excepthook = on_thread

        def uninstall() -> None:
            sys.excepthook, threading.excepthook = previous_sys, previous_thread

        return uninstall
