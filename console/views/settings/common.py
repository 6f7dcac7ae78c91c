"""What the Settings tabs share: the guard for late callbacks, the item
role holding a row's id, and the thread a slow call runs on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from console.credentials import KeyringUnavailable
from console.services.errors import UserError
from console.sync.base import ProviderError

log = logging.getLogger(__name__)

ID_ROLE = Qt.ItemDataRole.UserRole


def alive(widget: QObject, fn: Callable[[Any], None]) -> Callable[[Any], None]:
    """``fn`` guarded against a widget deleted while its task ran."""

    def call(value: Any) -> None:
        if shiboken6.isValid(widget):
            fn(value)

    return call


class Background(QObject):
    """Runs one slow call on a plain thread; outcome back on the GUI thread.

    ``failed`` callbacks get one sentence: a user error's own words, else a
    generic sentence (and the traceback goes to the log).
    """

    _outcome = Signal(object, object)  # callback, value

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._outcome.connect(self._deliver)

    def run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        def work() -> None:
            try:
                callback, value = done, fn()
            except (UserError, ProviderError, KeyringUnavailable, ValueError) as exc:
                callback, value = failed, str(exc)
            except Exception as exc:
                log.error("settings: background call failed", exc_info=exc)
                sentence = QCoreApplication.translate("Background", "Something went wrong: {0}")
                callback, value = failed, sentence.format(exc)
            try:
                self._outcome.emit(callback, value)
            except RuntimeError:  # the dialog was closed meanwhile: nobody listens
                log.debug("settings: outcome of a closed dialog dropped")

        threading.Thread(target=work, name="parloir-settings", daemon=True).start()

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)
