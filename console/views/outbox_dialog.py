"""The outbox window and its status-bar button.

The outbox is where replies wait for the network. Most of the time it is
empty and nobody looks at it; it matters when something went wrong: a reply
that failed, or one that may or may not have gone out ("unknown"). The
window says which, in words, and offers the three ways out: send again,
rework the text (it goes back to the draft), or drop it.

An unknown e-mail is the one case where sending again can make the person
receive the message twice (a mail server cannot be asked whether it already
delivered a Message-ID), so Retry shows the text and asks first.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.models.vocabulary import NOT_GONE, RETRYABLE, OutboxState
from console.models.writer import URGENT, ChangeSet
from console.services import outbox
from console.services.outbox import OutboxRow, resend_safe
from console.views.outbox_model import ROW_ID, OutboxModel
from console.views.tasks import Runner

#: Which buttons apply to an item in each state.
CANCELLABLE = EDITABLE = NOT_GONE


class OutboxDialog(QDialog):
    """Lists outbox items, newest first, and acts on the selected one.

    Signals:
        open_conversation(str): show this conversation (double-click, or
            after Edit put a reply back into its draft).
    """

    open_conversation = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._loading = False
        self._again = False
        self.setWindowTitle(self.tr("Outbox"))
        self.resize(760, 420)

        self.model = OutboxModel(self)
        self.view = QTreeView()
        self.view.setAccessibleName("Outbox")  # a11y.py: names are English, fixed
        self.view.setAccessibleDescription(
            self.tr("Replies waiting to go out, and those that failed")
        )
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        for column, width in ((0, 150), (1, 190), (3, 44), (4, 90)):
            # at least the column's title, whole ("Tentatives", not "Tentati")
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            needed = header.fontMetrics().horizontalAdvance(title) + 2 * margin + 8
            header.resizeSection(column, max(width, needed))
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(self._double_clicked)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_label = QLabel(self.tr("Nothing waits in the outbox."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.hide_sent = QCheckBox(self.tr("Hide sent"))
        self.hide_sent.setChecked(True)
        self.hide_sent.toggled.connect(self.refresh)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setToolTip(self.tr("Send this reply again, with the same key."))
        self.retry_button.clicked.connect(self.retry)
        self.edit_button = QPushButton(self.tr("Edit"))
        self.edit_button.setToolTip(
            self.tr("Take the reply out of the outbox and back into your draft.")
        )
        self.edit_button.clicked.connect(self.edit)
        self.cancel_button = QPushButton(self.tr("Cancel reply"))
        self.cancel_button.setToolTip(self.tr("Do not send this reply."))
        self.cancel_button.clicked.connect(self.cancel)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        actions = QHBoxLayout()
        actions.addWidget(self.hide_sent)
        actions.addStretch(1)
        for button in (self.retry_button, self.edit_button, self.cancel_button):
            actions.addWidget(button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.detail)
        layout.addLayout(actions)
        layout.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        runner.changed.connect(self._changed)
        self._selection_changed()
        self.refresh()

    # -- loading ---------------------------------------------------------------

    def _changed(self, changes: ChangeSet) -> None:
        if changes.outbox or changes.removed or changes.redirects:
            self._debounce.start()

    def refresh(self) -> None:
        """Reload in the background; a change during a load reloads once more."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        hide_sent = self.hide_sent.isChecked()
        self.runner.read(
            lambda s: outbox.list_rows(s, hide_sent=hide_sent), self._loaded, self._load_failed
        )

    def _load_failed(self, _exc: Exception) -> None:
        self._loading = False

    def _loaded(self, rows: list[OutboxRow]) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()
            return
        selected = self.selected_id()
        self.model.set_rows(rows)
        if selected is not None:
            self.select(selected)
        self.empty_label.setVisible(not rows)
        self._selection_changed()

    def cell(self, item_id: str, column: int) -> str:
        """The text shown for an item in a column ("" when it is not listed)."""
        row = self.model.row_of(item_id)
        return str(self.model.index(row, column).data()) if row >= 0 else ""

    # -- selection ---------------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(ROW_ID)
        return str(value) if value else None

    def selected_row(self) -> OutboxRow | None:
        item_id = self.selected_id()
        row = self.model.row_of(item_id) if item_id else -1
        return self.model.rows[row] if row >= 0 else None

    def select(self, item_id: str) -> bool:
        """Select the row of an item (tests and callers that know the id)."""
        row = self.model.row_of(item_id)
        if row < 0:
            return False
        self.view.setCurrentIndex(self.model.index(row, 0))
        return True

    def _selection_changed(self, *_args: object) -> None:
        row = self.selected_row()
        state = row.state if row else ""
        self.retry_button.setEnabled(state in RETRYABLE)
        self.cancel_button.setEnabled(state in CANCELLABLE)
        self.edit_button.setEnabled(state in EDITABLE)
        if row is None:
            self.detail.clear()
            self.detail.hide()
            return
        parts = [f"<b>{html.escape(self.model.state_label(row.state))}</b>"]
        if row.error:
            parts.append(html.escape(row.error))
        if row.subject:
            parts.append(html.escape(self.tr("Subject: {0}").format(row.subject)))
        self.detail.setText(" — ".join(parts))
        self.detail.show()

    def _double_clicked(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.model.rows):
            self.open_conversation.emit(self.model.rows[index.row()].conversation_id)

    # -- actions -----------------------------------------------------------------

    def _failed(self, exc: Exception) -> None:
        self.message.setText(str(exc))

    def _ask(self, title: str, question: str, body: str) -> bool:
        """Yes/No with the reply's text quoted (escaped: it is the user's text)."""
        quoted = html.escape(body if len(body) <= 1200 else body[:1200] + "…")
        quoted = quoted.replace("\n", "<br>")
        text = f"<p>{html.escape(question)}</p><blockquote>{quoted}</blockquote>"
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def retry(self) -> None:
        row = self.selected_row()
        if row is None or row.state not in RETRYABLE:
            return
        if (
            row.state == OutboxState.UNKNOWN
            and not resend_safe(row.network)
            and not self._ask(
                self.tr("Send again?"),
                self.tr("This e-mail may already have been sent. Send it again?"),
                row.body,
            )
        ):
            return
        item_id = row.id
        self.message.clear()
        self.runner.write(
            lambda tx: outbox.retry(tx, item_id).id, failed=self._failed, priority=URGENT
        )

    def cancel(self) -> None:
        row = self.selected_row()
        if row is None or row.state not in CANCELLABLE:
            return
        question = self.tr(
            "Cancel this reply? It will not be sent; its text goes back to your draft."
        )
        if row.state == OutboxState.UNKNOWN:
            question = self.tr("This reply may already have been sent. Cancel it anyway?")
        if not self._ask(self.tr("Cancel reply"), question, row.body):
            return
        item_id = row.id
        self.message.clear()
        self.runner.write(
            lambda tx: outbox.cancel(tx, item_id), failed=self._failed, priority=URGENT
        )

    def edit(self) -> None:
        row = self.selected_row()
        if row is None or row.state not in EDITABLE:
            return
        if row.state == OutboxState.UNKNOWN and not self._ask(
            self.tr("Edit reply"),
            self.tr("This reply may already have been sent. Take it back into your draft anyway?"),
            row.body,
        ):
            return
        item_id = row.id
        self.message.clear()
        self.runner.write(
            lambda tx: outbox.edit(tx, item_id),
            self.open_conversation.emit,
            self._failed,
            priority=URGENT,
        )


class OutboxStatus(QPushButton):
    """The outbox in the status bar: how many replies wait or need a look.

    Clicking opens the outbox window (one, non-modal).

    Signals:
        open_conversation(str): relayed from the outbox window.
    """

    open_conversation = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.dialog: OutboxDialog | None = None
        self.counts: dict[str, int] = {}
        self._loading = False
        self._again = False
        self.setFlat(True)
        self.setToolTip(self.tr("Show the outbox"))
        self.setText(self.tr("Outbox empty"))
        self.clicked.connect(self.show_dialog)
        runner.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: ChangeSet) -> None:
        if changes.outbox or changes.removed:
            self.refresh()

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        self.runner.read(outbox.state_counts, self._counted, self._count_failed)

    def _count_failed(self, _exc: Exception) -> None:
        self._loading = False

    def _counted(self, counts: dict[str, int]) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()
            return
        self.counts = counts
        waiting = counts.get("queued", 0) + counts.get("sending", 0)
        failed = counts.get("failed", 0)
        unknown = counts.get("unknown", 0)
        parts = []
        if failed:
            parts.append(self.tr("{0} failed").format(failed))
        if unknown:
            parts.append(self.tr("{0} to check").format(unknown))
        if waiting:
            parts.append(self.tr("{0} waiting").format(waiting))
        if parts:
            self.setText(self.tr("Outbox: {0}").format(", ".join(parts)))
        else:
            self.setText(self.tr("Outbox empty"))
        warn = bool(failed or unknown)
        self.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            if warn
            else QIcon()
        )
        self.setToolTip(
            self.tr("Some replies did not go out: click to see them.")
            if warn
            else self.tr("Show the outbox")
        )

    def show_dialog(self) -> OutboxDialog:
        """Open the outbox window, or bring the open one forward."""
        if self.dialog is None:
            self.dialog = OutboxDialog(self.runner, self.window())
            self.dialog.open_conversation.connect(self.open_conversation)
        if self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
        else:
            self.dialog.show()
        return self.dialog
