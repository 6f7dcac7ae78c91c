"""What each cell of the queue shows, per Qt role: one row of services.queue
as text, tooltips, icons, fonts and colours.

Kept apart from the model (console/views/queue_model.py), which only pages
and updates rows: a cell is a function of the row, its column and the role.
Every text from a stranger is tamed and cut for one line (``line``). The
words translate in the model's context ("QueueModel").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from console.services.queue import QueueRow
from console.views import caps, dates, kinds, theme
from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.icons import icon, network_icon

STATUS_NAMES = {
    "open": QT_TRANSLATE_NOOP("QueueModel", "open"),
    "pending": QT_TRANSLATE_NOOP("QueueModel", "pending"),
    "snoozed": QT_TRANSLATE_NOOP("QueueModel", "snoozed"),
    "closed": QT_TRANSLATE_NOOP("QueueModel", "closed"),
}
PRIORITY_NAMES = {
    "urgent": QT_TRANSLATE_NOOP("QueueModel", "urgent"),
    "high": QT_TRANSLATE_NOOP("QueueModel", "high"),
    "normal": QT_TRANSLATE_NOOP("QueueModel", "normal"),
    "low": QT_TRANSLATE_NOOP("QueueModel", "low"),
}
#: The colours of the priorities that stand out (normal and low are dim).
PRIORITY_COLOURS = {"urgent": "#c0392b", "high": "#d35400"}
Role = Qt.ItemDataRole
#: The colour of what is late or damaged.
ALARM = theme.ALARM


def waiting_text(since: datetime | None, now: datetime | None = None) -> str:
    """How long someone has waited, short: "now", "12 min", "3 h", "2 d"."""
    if since is None:
        return ""
    return span_text(int(((now or datetime.now(UTC)) - since).total_seconds()))


def span_text(seconds: int) -> str:
    """A length of time, short: "now", "12 min", "3 h", "2 d"."""
    if seconds < 60:
        return QCoreApplication.translate("QueueModel", "now")
    if seconds < 3600:
        return QCoreApplication.translate("QueueModel", "{0} min").format(seconds // 60)
    if seconds < 86400:
        return QCoreApplication.translate("QueueModel", "{0} h").format(seconds // 3600)
    return QCoreApplication.translate("QueueModel", "{0} d").format(seconds // 86400)


def due_text(row: QueueRow, now: datetime | None = None) -> str:
    """The waiting cell's legend: "Overdue by 3 h", "Due in 20 min", else
    "Waiting since …"."""
    now = now or datetime.now(UTC)
    tr = QCoreApplication.translate
    if row.due_at is not None:
        seconds = int((row.due_at - now).total_seconds())
        if seconds <= 0:
            return tr("QueueModel", "Overdue by {0}").format(span_text(-seconds))
        return tr("QueueModel", "Due in {0}").format(span_text(seconds))
    if row.waiting_since is not None:
        when = dates.date_time(row.waiting_since, now)
        return tr("QueueModel", "Waiting since {0}").format(when)
    return tr("QueueModel", "Not waiting")


def priority_word(priority: str) -> str:
    return QCoreApplication.translate("QueueModel", PRIORITY_NAMES.get(priority, priority))


def status_word(status: str) -> str:
    return QCoreApplication.translate("QueueModel", STATUS_NAMES.get(status, status))


def line(text: str | None, limit: int = 200) -> str:
    """A stranger's text for one cell: tamed (no bidi override can reverse
    the row, no control character) and cut."""
    shown = caps.cap_text(text or "", limit)
    return shown.text + ("…" if shown.truncated else "")


def initials(name: str | None) -> str:
    if not name:
        return ""
    parts = name.split()
    return "".join(p[0] for p in parts[:2]).upper()


def _dim() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def damaged_cell(sentence: str, column: str, role: int) -> Any:
    """A row services.queue could not build: "damaged" and why, never an
    empty or missing row."""
    if role == Role.DisplayRole:
        if column == "contact":
            return QCoreApplication.translate("QueueModel", "damaged")
        if column == "message":
            return line(sentence, 500)
    if role in (Role.ToolTipRole, Role.AccessibleTextRole):
        return QCoreApplication.translate("QueueModel", "Damaged: {0}").format(line(sentence, 500))
    if role == Role.DecorationRole and column == "contact":
        return icon("damaged")
    if role == Role.ForegroundRole:
        return QColor(theme.readable(ALARM))
    return None


def display_cell(row: QueueRow, column: str) -> Any:
    if column == "contact":
        return line(row.contact_name or row.contact_handle or row.account_handle)
    if column == "message":
        preview = line(row.preview, 500)
        return f"{line(row.subject)} — {preview}" if row.subject else preview
    if column == "waiting":
        return waiting_text(row.waiting_since)
    if column == "assignee":
        return initials(row.assignee_name)
    if column == "priority":
        # normal is the usual case: left blank so the others stand out
        return "" if row.priority == "normal" else priority_word(row.priority)
    if column == "status":
        return status_word(row.status)
    if column == "tags":
        return line(" ".join(f"#{t}" for t in row.tags))
    return None


def _tooltip(row: QueueRow, column: str) -> Any:
    if column == "contact":
        who = f"{line(row.contact_name)} ({line(row.contact_handle)})"
        return f"{who}\n{row.network}: {row.account_handle}"
    if column == "assignee":
        return row.assignee_name or QCoreApplication.translate("QueueModel", "Unassigned")
    tr = QCoreApplication.translate
    if column == "waiting":
        return due_text(row)
    if column == "priority":
        return tr("QueueModel", "Priority: {0}").format(priority_word(row.priority))
    if column == "status":
        return tr("QueueModel", "Status: {0}").format(status_word(row.status))
    if column == "tags":
        if not row.tags:
            return tr("QueueModel", "No tags")
        return tr("QueueModel", "Tags: {0}").format(line(", ".join(row.tags), 500))
    if column == "message":
        return f"{kinds.sentence(row.kind)}\n{line(row.preview, 500)}"
    return None


def cell(row: QueueRow, column: str, role: int, *, leaving: bool = False) -> Any:
    """What ``column`` of ``row`` shows for ``role`` (None: Qt's default).
    A ``leaving`` row (no longer in the view, kept until the person moves
    on) is dimmed and says so."""
    if row.damaged is not None:
        return damaged_cell(row.damaged, column, role)
    if leaving:
        if role == Role.ForegroundRole:
            return _dim()
        if role == Role.ToolTipRole:
            return QCoreApplication.translate(
                "QueueModel", "No longer in this view; it goes when you move on."
            )
    if role == Role.DisplayRole:
        return display_cell(row, column)
    if role == Role.ToolTipRole:
        return _tooltip(row, column)
    if role == Role.AccessibleTextRole:
        if column == "message":
            return f"{kinds.label(row.kind)}: {display_cell(row, column)}"
        if column == "contact":
            return f"{display_cell(row, column)}, {row.network}"
        if column == "waiting":
            return f"{display_cell(row, column)}, {due_text(row)}"
        if column in ("priority", "status", "tags", "assignee"):
            return _tooltip(row, column)
    if role == Role.DecorationRole:
        if column == "contact":
            return network_icon(row.network)
        if column == "message":
            return kinds.kind_icon(row.kind)
    if role == Role.FontRole and row.unread:
        font = QFont()
        font.setBold(True)
        return font
    if role == Role.ForegroundRole:
        if column == "waiting" and row.due_at is not None and row.due_at < datetime.now(UTC):
            return QColor(theme.readable(ALARM))
        if column == "priority":
            colour = PRIORITY_COLOURS.get(row.priority)
            return QColor(theme.readable(colour)) if colour else _dim()
        if column in ("assignee", "tags"):
            return _dim()
    if role == Role.FontRole and column == "priority" and row.priority in PRIORITY_COLOURS:
        font = QFont()
        font.setBold(True)
        return font
    if role == Role.TextAlignmentRole and column in ("waiting", "assignee", "priority"):
        return int(Qt.AlignmentFlag.AlignCenter)
    return None
