"""The status bar's Undo: after each workflow action, what was done in words
("Closed 12 conversations.", "Snoozed until Thu 09:00.") and an Undo button
for a few seconds; Ctrl+Z does the same from anywhere in the window except
a text field, where Ctrl+Z undoes typing.

Only the latest action can be undone (docs/decisions.md, "Undo"): a new
action replaces the offer. The undo itself is a write like any other
(views/ops/queue.run_undo), so the rows and the pane come back through the
writer's change set.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStatusBar,
    QTextEdit,
    QWidget,
)

from console.models.vocabulary import Status
from console.services.undo import UndoResult, UndoToken
from console.views import dates
from console.views.actions import TeamData
from console.views.ops import queue as queue_ops
from console.views.ops.queue import (
    Assign,
    QueueAction,
    SetPriority,
    SetStatus,
    Snooze,
    Tag,
    Take,
    Untag,
)
from console.views.tasks import Runner

#: How long the Undo button stays, and the "Undone." that follows it.
OFFER_MS = 10_000


class UndoBar(QWidget):
    """Signals:
    undoing(list[str]): an undo of these conversations is being written
    (their rows may come back into a held list).
    """

    undoing = Signal(list)

    def __init__(
        self,
        runner: Runner,
        bar: QStatusBar,
        team: TeamData,
        window: QWidget,
        duration_ms: int = OFFER_MS,
    ) -> None:
        super().__init__(bar)
        self.runner = runner
        self.team = team
        self.token: UndoToken | None = None
        self._latest = 0  # the latest action started; older answers are ignored
        self.message = QLabel()
        self.button = QPushButton(self.tr("Undo"))
        self.button.setAccessibleName(self.tr("Undo"))
        self.button.setToolTip(self.tr("Undo (Ctrl+Z)"))
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self.undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(duration_ms)
        self.timer.timeout.connect(self.expire)
        bar.addPermanentWidget(self)
        self.shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), window)
        self.shortcut.activated.connect(self.undo_key)
        self.hide()

    def pending(self, action: QueueAction) -> Callable[[UndoToken], None]:
        """An action starts: the earlier offer goes (Ctrl+Z must never undo
        an older action when this one fails), and the callback returned
        offers this one's undo once its write is done, unless yet another
        action started meanwhile."""
        self._latest += 1
        mine = self._latest
        self.expire()

        def done(token: UndoToken) -> None:
            if mine == self._latest:
                self.offer(action, token)

        return done

    def offer(self, action: QueueAction, token: UndoToken) -> None:
        """After an action's write: say what it did, and offer to undo it."""
        count = len(token.changes)
        self.token = token if count else None
        self._say(self.describe(action, count), undoable=count > 0)

    def describe(self, action: QueueAction, count: int) -> str:
        """The action done on ``count`` conversations, as a sentence."""
        if count == 0:
            return self.tr("Nothing to change.")
        one = count == 1
        match action:
            case Take():
                return (
                    self.tr("Assigned to you.")
                    if one
                    else self.tr("Assigned {0} conversations to you.").format(count)
                )
            case Assign(None):
                return (
                    self.tr("Unassigned.")
                    if one
                    else self.tr("Unassigned {0} conversations.").format(count)
                )
            case Assign(member_id):
                name = dict(self.team.members).get(member_id or "", "?")
                if one:
                    return self.tr("Assigned to {0}.").format(name)
                return self.tr("Assigned {0} conversations to {1}.").format(count, name)
            case SetStatus(Status.CLOSED):
                return (
                    self.tr("Closed.")
                    if one
                    else self.tr("Closed {0} conversations.").format(count)
                )
            case SetStatus(Status.PENDING):
                return (
                    self.tr("Marked pending.")
                    if one
                    else self.tr("Marked {0} conversations pending.").format(count)
                )
            case SetStatus(_):
                return (
                    self.tr("Reopened.")
                    if one
                    else self.tr("Reopened {0} conversations.").format(count)
                )
            case Snooze(until):
                when = dates.day_time(until)
                if one:
                    return self.tr("Snoozed until {0}.").format(when)
                return self.tr("Snoozed {0} conversations until {1}.").format(count, when)
            case Tag(name):
                if one:
                    return self.tr("Tagged #{0}.").format(name)
                return self.tr("Tagged {0} conversations #{1}.").format(count, name)
            case Untag(name):
                if one:
                    return self.tr("Removed #{0}.").format(name)
                return self.tr("Removed #{0} from {1} conversations.").format(name, count)
            case SetPriority(priority):
                if one:
                    return self.tr("Priority set to {0}.").format(priority)
                return self.tr("Priority set to {0} on {1} conversations.").format(priority, count)
        return ""

    def undo_key(self) -> None:
        """Ctrl+Z: undo the latest action, unless the focus is in a text
        field (there Ctrl+Z undoes typing; the field normally takes the key
        itself, this is the guard for the ones that do not)."""
        if not _typing_in(QApplication.focusWidget()):
            self.undo()

    def undo(self) -> None:
        """Put back the latest action, if it is still on offer."""
        token, self.token = self.token, None
        if token is None:
            return
        self.button.hide()
        self.timer.stop()
        self.undoing.emit(token.conversation_ids)
        queue_ops.run_undo(self.runner, token, self._undone)

    def _undone(self, result: UndoResult) -> None:
        if result.restored == 0:
            text = self.tr("Nothing undone: the conversations had changed since.")
        elif result.skipped == 0:
            text = self.tr("Undone.")
        elif result.skipped == 1:
            text = self.tr("Undone, except one conversation that had changed since.")
        else:
            text = self.tr("Undone, except {0} conversations that had changed since.").format(
                result.skipped
            )
        self._say(text, undoable=False)

    def expire(self) -> None:
        """The offer's time is up: the message and the button go."""
        self.token = None
        self.timer.stop()
        self.hide()

    def _say(self, text: str, *, undoable: bool) -> None:
        self.message.setText(text)
        self.button.setVisible(undoable)
        self.show()
        self.timer.start()
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, text))


def _typing_in(widget: QObject | None) -> bool:
    """Whether ``widget`` is a field the person types in (where Ctrl+Z is
    the field's own undo)."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox | QComboBox):
        return not isinstance(widget, QComboBox) or widget.isEditable()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return False
