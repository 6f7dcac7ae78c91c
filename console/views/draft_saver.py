"""The composer's autosave: typed text reaches the cache, each under the
conversation it was typed in, and nothing typed is lost when a save fails.

Autosave is a throttle (at most ``AUTOSAVE_MS`` after a keystroke, so
continuous typing is saved as it goes, not only at a pause). Text the cache
has not confirmed stays here per conversation (``unsaved``): the composer
shows it again with its conversation, and a failed save is retried with a
growing delay, up to ``RETRY_MAX_MS``. A save refused for what the text is
(services' UserError) is not retried until the text changes.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from console.models.writer import URGENT
from console.services import drafts
from console.services.errors import UserError
from console.views.i18n import TrContext
from console.views.tasks import Runner
from console.views.throttle import Throttle

#: Typed text is handed to the writer at most this long after a keystroke.
AUTOSAVE_MS = 200
#: A failed autosave is retried after this long, doubling up to RETRY_MAX_MS.
RETRY_MS = 1000
RETRY_MAX_MS = 30_000


class DraftSaver(TrContext, QObject):
    """Signals:
    changed(): what has not reached the cache changed (the marker's words).
    settled(str): a save for this conversation is done (either way).
    notice(str): a sentence for the status bar.
    """

    TR_CONTEXT = "ConversationPane"
    changed = Signal()
    settled = Signal(str)
    notice = Signal(str)

    def __init__(self, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.unsaved: dict[str, str] = {}  # typed, not yet confirmed by the cache
        self.saving: dict[str, str] = {}  # the last text handed to the writer
        self.failing: set[str] = set()  # the last save of these failed: retrying
        self.refused: dict[str, str] = {}  # refused for what the text is (why, in words)
        self._retry_ms = RETRY_MS
        self.autosave = Throttle(AUTOSAVE_MS, self.save_all, self)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.save_all)

    def record(self, conv_id: str, text: str) -> None:
        """A keystroke: ``text`` is what ``conv_id``'s composer holds now."""
        self.unsaved[conv_id] = text
        self.autosave.poke()

    def save_all(self) -> None:
        """Hand every unsaved text to the writer now, each under the
        conversation it was typed in (urgent: never waits behind a sync)."""
        self.autosave.stop()
        self._retry.stop()
        for conv_id, body in list(self.unsaved.items()):
            if self.saving.get(conv_id) != body:
                self._save(conv_id, body)

    def failures(self) -> int:
        """How many conversations hold text the cache refused (retrying)."""
        return len(self.failing)

    def _save(self, conv_id: str, body: str) -> None:
        self.saving[conv_id] = body

        def task(tx: Any) -> None:
            if body.strip():
                drafts.save_draft(tx, conv_id, body)
            else:  # the person cleared the composer: that deletes the draft, explicitly
                drafts.discard_draft(tx, conv_id)

        def saved(_result: Any) -> None:
            if not shiboken6.isValid(self):
                return
            if self.saving.get(conv_id) == body:
                del self.saving[conv_id]
            if self.unsaved.get(conv_id) == body:
                del self.unsaved[conv_id]  # typed since: it stays for the next save
            self.settled.emit(conv_id)
            self.failing.discard(conv_id)
            self.refused.pop(conv_id, None)
            if not self.failing:
                self._retry_ms = RETRY_MS
            self.changed.emit()

        def failed(exc: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            if self.saving.get(conv_id) == body:
                del self.saving[conv_id]
            if conv_id not in self.unsaved:
                return  # sent since, or a newer text was saved: nothing is lost
            self.failing.add(conv_id)
            if isinstance(exc, UserError):
                # Refused for what it is (too long...): kept here, saved again
                # when it changes; retrying the same text would not help.
                self.refused[conv_id] = str(exc)
                self.changed.emit()
                return
            self.changed.emit()
            self.notice.emit(
                self.tr("Your draft could not be saved; Parloir keeps the text and retries.")
            )
            if not self._retry.isActive():
                self._retry.start(self._retry_ms)
                self._retry_ms = min(self._retry_ms * 2, RETRY_MAX_MS)

        self.runner.write(task, saved, failed, priority=URGENT)
