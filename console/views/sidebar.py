"""The sidebar: the queue's views with their counts, then the accounts,
the tags and (for leads) the team, each a filter of the queue.

Each item carries ``(kind, value)`` in its UserRole: ("view", "open"),
("account", id), ("tag", name), ("member", id); section headers carry
("header", section) and cannot be chosen. :func:`filter_for` turns the
choice into the queue's filter.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from console.models.vocabulary import LEADS
from console.services import queue
from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.icons import network_icon
from console.views.ops.overview import Overview

# Marked for lupdate in the context that translates them (the window's).
VIEW_LABELS = {
    "mine": QT_TRANSLATE_NOOP("MainWindow", "Mine"),
    "unassigned": QT_TRANSLATE_NOOP("MainWindow", "Unassigned"),
    "open": QT_TRANSLATE_NOOP("MainWindow", "All open"),
    "pending": QT_TRANSLATE_NOOP("MainWindow", "Pending"),
    "snoozed": QT_TRANSLATE_NOOP("MainWindow", "Snoozed"),
    "closed": QT_TRANSLATE_NOOP("MainWindow", "Closed"),
}

#: The row of "All open", the view the window starts on.
ALL_OPEN_ROW = list(VIEW_LABELS).index("open")

#: One sidebar entry: (key, text, tooltip, network or "").
Entry = tuple[str, str, str, str]


def filter_for(kind: str, value: str, search: str | None, sort: str) -> queue.QueueFilter:
    """The queue filter of a sidebar choice: a view, or the open
    conversations of an account, a tag or a member."""
    if kind == "account":
        return queue.QueueFilter(view="open", account_id=value, search=search, sort=sort)
    if kind == "tag":
        return queue.QueueFilter(view="open", tag=value, search=search, sort=sort)
    if kind == "member":
        return queue.QueueFilter(view="open", assignee_id=value, search=search, sort=sort)
    if kind != "view":
        value = "open"
    return queue.QueueFilter(view=value, search=search, sort=sort)


def _tr(marked: str) -> str:
    """Translate a label marked with QT_TRANSLATE_NOOP("MainWindow", ...)."""
    return QCoreApplication.translate("MainWindow", marked)


class Sidebar(QListWidget):
    """The list of views and sections (see module doc)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumWidth(280)
        self.setMinimumWidth(170)
        self.setSpacing(1)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        for view, label in VIEW_LABELS.items():
            item = QListWidgetItem(_tr(label))
            item.setData(Qt.ItemDataRole.UserRole, ("view", view))
            self.addItem(item)
        self.headers: dict[str, QListWidgetItem] = {}
        for section, label in (
            ("account", QCoreApplication.translate("MainWindow", "Accounts")),
            ("tag", QCoreApplication.translate("MainWindow", "Tags")),
            ("member", QCoreApplication.translate("MainWindow", "Team")),
        ):
            header = QListWidgetItem(label)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setData(Qt.ItemDataRole.UserRole, ("header", section))
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.addItem(header)
            self.headers[section] = header

    def choice(self) -> tuple[str, str]:
        """The chosen item's (kind, value); "All open" when none is."""
        item = self.currentItem()
        if item is None:
            return "view", "open"
        kind, value = item.data(Qt.ItemDataRole.UserRole)
        return str(kind), str(value)

    def choice_label(self) -> str:
        """The chosen item's name without its count ("Mine", "#livraison")."""
        kind, value = self.choice()
        if kind == "view" and value in VIEW_LABELS:
            return _tr(VIEW_LABELS[value])
        item = self.currentItem()
        return item.text().split("    ")[0] if item is not None else _tr(VIEW_LABELS["open"])

    def start_on_all_open(self) -> None:
        """Choose "All open" without announcing it (the window loads it)."""
        self.blockSignals(True)
        self.setCurrentRow(ALL_OPEN_ROW)
        self.blockSignals(False)

    def select(self, kind: str, value: str, *, announce: bool = False) -> bool:
        """Choose the item of ``(kind, value)`` if it is listed; the window
        hears of it only with ``announce`` (else it loads it itself)."""
        for row in range(self.count()):
            item = self.item(row)
            if tuple(item.data(Qt.ItemDataRole.UserRole)) == (kind, value) and kind != "header":
                self.blockSignals(not announce)
                self.setCurrentItem(item)
                self.blockSignals(False)
                return True
        return False

    def show_overview(self, overview: Overview, me_role: str) -> None:
        """Counts on the views, and the sections as ``overview`` has them;
        the team section only for leads."""
        for row in range(self.count()):
            item = self.item(row)
            kind, value = item.data(Qt.ItemDataRole.UserRole)
            if kind == "view" and value in VIEW_LABELS:
                self._show_count(item, value, overview)
        state = {
            "ok": "",
            "needs_reauth": QCoreApplication.translate("MainWindow", " — sign in again"),
            "error": " ⚠",
        }
        synced = QCoreApplication.translate("MainWindow", "Synced")
        self.sync_section(
            "account",
            [
                (a.id, a.handle + state.get(a.status, ""), a.message or synced, a.network)
                for a in overview.accounts
            ],
        )
        self.sync_section("tag", [(name, f"#{name}    {n}", "", "") for name, n in overview.tags])
        leader = me_role in LEADS
        load = QCoreApplication.translate("MainWindow", "{0} open")
        self.sync_section(
            "member",
            [
                (m.id, f"{m.name}    {m.open_count}", load.format(m.open_count), "")
                for m in overview.members
            ]
            if leader
            else [],
        )
        self.headers["member"].setHidden(not leader)

    def _show_count(self, item: QListWidgetItem, view: str, overview: Overview) -> None:
        """ "Mine · 2 new    5", in bold while something in it is unread (the
        total stays last, where scripts and eyes find it)."""
        total, new = overview.counts.get(view, 0), overview.unread.get(view, 0)
        label = _tr(VIEW_LABELS[view])
        if new:
            label += " · " + QCoreApplication.translate("MainWindow", "{0} new").format(new)
        item.setText(f"{label}    {total}")
        font = item.font()
        font.setBold(bool(new))
        item.setFont(font)
        item.setToolTip(
            QCoreApplication.translate("MainWindow", "{0} conversations, {1} unread").format(
                total, new
            )
        )

    def sync_section(self, section: str, entries: list[Entry]) -> None:
        """Make the items of one section match ``entries`` without touching
        the selection (an item that stays is updated in place)."""
        header = self.headers[section]
        start = self.row(header) + 1
        existing: dict[str, QListWidgetItem] = {}
        row = start
        while row < self.count():
            item = self.item(row)
            kind, value = item.data(Qt.ItemDataRole.UserRole)
            if kind != section:
                break
            existing[value] = item
            row += 1
        wanted = {key for key, *_ in entries}
        for key, old in existing.items():
            if key not in wanted:
                self.takeItem(self.row(old))
        for offset, (key, text, tip, network) in enumerate(entries):
            entry = existing.get(key)
            if entry is None:
                entry = QListWidgetItem(text)
                entry.setData(Qt.ItemDataRole.UserRole, (section, key))
                if network:
                    entry.setIcon(network_icon(network))
                self.insertItem(start + offset, entry)
            entry.setText(text)
            entry.setToolTip(tip)
        header.setHidden(not entries)
