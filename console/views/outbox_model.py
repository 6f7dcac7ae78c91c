"""The outbox as a table model: one row per outbox item, words per state.

Kept apart from the window (outbox_dialog.py) because it is plain data
shaping: the same state labels and times serve the dialog's detail line and
the contact card.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from console.services.outbox import OutboxRow
from console.views import dates
from console.views.icons import network_icon

ROW_ID = Qt.ItemDataRole.UserRole
NO_PARENT = QModelIndex()

_STATE_ICONS = {
    "held": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "queued": QStyle.StandardPixmap.SP_ArrowRight,
    "sending": QStyle.StandardPixmap.SP_BrowserReload,
    "sent": QStyle.StandardPixmap.SP_DialogApplyButton,
    "failed": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "unknown": QStyle.StandardPixmap.SP_MessageBoxQuestion,
}


def local_time(when: datetime | None) -> str:
    """A time as people read it: the hour today, the day and hour before."""
    if when is None:
        return ""
    return dates.today_or_date_time(when)


def first_line(text: str, width: int = 80) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


class OutboxModel(QAbstractTableModel):
    """The outbox rows for the view: a handful, replaced whole on each load
    (the dialog keeps the selection by item id). Its words are translated in
    the dialog's context: to a translator they are the dialog's."""

    COLUMNS = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[OutboxRow] = []

    def set_rows(self, rows: list[OutboxRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, item_id: str) -> int:
        return next((n for n, row in enumerate(self.rows) if row.id == item_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            QCoreApplication.translate("OutboxDialog", "State"),
            QCoreApplication.translate("OutboxDialog", "To"),
            QCoreApplication.translate("OutboxDialog", "Reply"),
            QCoreApplication.translate("OutboxDialog", "Tries"),
        )
        return (
            titles[section]
            if 0 <= section < len(titles)
            else QCoreApplication.translate("OutboxDialog", "When")
        )

    def state_label(self, state: str) -> str:
        return {
            "held": QCoreApplication.translate("OutboxDialog", "Held: to confirm"),
            "queued": QCoreApplication.translate("OutboxDialog", "Waiting to send"),
            "sending": QCoreApplication.translate("OutboxDialog", "Sending"),
            "sent": QCoreApplication.translate("OutboxDialog", "Sent"),
            "failed": QCoreApplication.translate("OutboxDialog", "Failed"),
            "unknown": QCoreApplication.translate("OutboxDialog", "Not sure it went out"),
        }.get(state, state)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == 0:
                return state_icon(row.state)
            if column == 1:
                return network_icon(row.network)
        elif role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return Qt.AlignmentFlag.AlignCenter
        elif role == ROW_ID:
            return row.id
        return None

    def _text(self, row: OutboxRow, column: int) -> str:
        if column == 0:
            return self.state_label(row.state)
        if column == 1:
            who = (
                row.contact_name
                or row.contact_handle
                or QCoreApplication.translate("OutboxDialog", "(unknown contact)")
            )
            return QCoreApplication.translate("OutboxDialog", "{0} · from {1}").format(
                who, row.account_handle
            )
        if column == 2:
            return first_line(row.body)
        if column == 3:
            return str(row.attempts)
        return local_time(row.updated_at)

    def _tooltip(self, row: OutboxRow, column: int) -> str | None:
        if column == 0:
            return row.error
        if column == 1:
            return row.contact_handle
        if column == 2:
            return row.body
        if column == 4:
            return QCoreApplication.translate("OutboxDialog", "Queued {0}").format(
                local_time(row.created_at)
            )
        return None


def state_icon(state: str) -> QIcon:
    """The style's own icon for a state (native on every platform)."""
    pixmap = _STATE_ICONS.get(state)
    style = QApplication.style()
    return style.standardIcon(pixmap) if pixmap is not None and style is not None else QIcon()
