"""Read marks: a conversation becomes read once the person has had it open
for a moment, and unread again when a new message comes in (ingest) or
when they ask ("u").

The dwell keeps a row from being marked read while the person runs down
the list with j/k: only what stayed on screen for DWELL_MS was looked at
(docs/decisions.md "Unread"). Read marks are personal and frequent, so they
write no activity line (services/workflow.mark_read).
"""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import QObject, QTimer

from console.models.writer import Tx, WriterClosed
from console.services import workflow
from console.views.tasks import Runner

#: How long a conversation stays open before it counts as read.
DWELL_MS = 1500


class ReadMarks(QObject):
    """Follows the open conversation and marks it read after the dwell."""

    def __init__(self, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DWELL_MS)
        self.timer.timeout.connect(self._dwelt)
        self._open: str | None = None
        #: Marked unread by the person while open: stays so until they move.
        self._kept_unread: str | None = None

    def shown(self, conv_id: str, unread: bool) -> None:
        """The pane shows ``conv_id`` (a first load or a reload)."""
        if conv_id != self._open:
            self._open = conv_id
            self._kept_unread = None
            self.timer.stop()
        if not unread or conv_id == self._kept_unread:
            self.timer.stop()
        elif not self.timer.isActive():
            self.timer.start()

    def left(self) -> None:
        """Nothing is open any more (or something that cannot be read)."""
        self._open = None
        self.timer.stop()

    def mark_unread(self, conv_ids: list[str]) -> None:
        """The person marks conversations unread; the open one stays unread
        while it stays open."""
        if self._open in conv_ids:
            self._kept_unread = self._open
            self.timer.stop()
        ids = list(conv_ids)

        def task(tx: Tx) -> None:
            for conv_id in ids:
                workflow.mark_read(tx, conv_id, read=False)

        self.runner.write(task)

    def _dwelt(self) -> None:
        conv_id = self._open
        if conv_id is None or self.runner.closed:
            return
        # A cache closed under a window that is going: nothing to mark.
        with suppress(WriterClosed):
            self.runner.write(lambda tx: workflow.mark_read(tx, conv_id))
