"""The main window: sidebar of views, the queue, the conversation pane.

Everything that touches the cache goes through the Runner (background
reads, writes on the writer); the window only arranges what comes back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.models.writer import ChangeSet
from console.services import accounts, outbox, queue, team, workflow
from console.views.conversation import ConversationPane
from console.views.icons import app_icon, network_icon
from console.views.queue_model import QueueModel
from console.views.tasks import Runner, changeset_ids

VIEW_LABELS = {
    "mine": "Mine",
    "unassigned": "Unassigned",
    "open": "All open",
    "pending": "Pending",
    "snoozed": "Snoozed",
    "closed": "Closed",
}

SHORTCUTS = [
    ("j / k", "next / previous conversation"),
    ("Enter", "open the conversation"),
    ("r", "reply (focus the composer)"),
    ("t", "take"),
    ("e", "close"),
    ("s", "snooze until tomorrow 9:00"),
    ("/", "search"),
    ("Ctrl+Enter", "send"),
    ("?", "this list"),
]


class MainWindow(QMainWindow):
    """Signals:
    ready(): the first queue page is painted (and the focus conversation, if any).
    """

    ready = Signal()

    def __init__(self, runner: Runner, settings: QSettings, focus: str | None = None) -> None:
        super().__init__()
        self.runner = runner
        self.settings = settings
        self.me_id: str | None = None
        self.me_name = ""
        self._focus = focus
        self._was_ready = False
        self._started = False  # views load once we know who "me" is
        self.setWindowTitle("Parloir")
        self.setWindowIcon(app_icon())

        self.sidebar = QListWidget()
        self.sidebar.setMaximumWidth(260)
        self.sidebar.setMinimumWidth(170)
        self.sidebar.setSpacing(2)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setTextElideMode(Qt.TextElideMode.ElideRight)
        for view, label in VIEW_LABELS.items():
            item = QListWidgetItem(self.tr(label))
            item.setData(Qt.ItemDataRole.UserRole, ("view", view))
            self.sidebar.addItem(item)
        accounts_header = QListWidgetItem(self.tr("Accounts"))
        accounts_header.setFlags(Qt.ItemFlag.NoItemFlags)
        accounts_header.setData(Qt.ItemDataRole.UserRole, ("header", ""))
        font = accounts_header.font()
        font.setBold(True)
        accounts_header.setFont(font)
        self.sidebar.addItem(accounts_header)
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search messages, names, subjects  ( / )"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

        self.model = QueueModel(runner, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, 160)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.loaded.connect(self._first_page)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.search)
        middle_layout.addWidget(self.table, 1)

        self.pane = ConversationPane(runner)
        self.pane.action.connect(self._action)
        self.pane.loaded.connect(self._conversation_loaded)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([190, 640, 610])
        self.setCentralWidget(self.splitter)

        self.sync_label = QLabel()
        self.outbox_label = QLabel()
        self.statusBar().addWidget(self.sync_label, 1)
        self.statusBar().addPermanentWidget(self.outbox_label)

        runner.changed.connect(self._changed)
        runner.failed.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self._shortcuts()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

        self.runner.read(self._load_me, self._me_loaded)

    # -- start-up ------------------------------------------------------------

    def _load_me(self, session: Any) -> tuple[str | None, str]:
        member = team.me(session)
        return (member.id, member.name) if member else (None, "")

    def _me_loaded(self, me: tuple[str | None, str]) -> None:
        self.me_id, self.me_name = me
        self._started = True
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(2)  # All open
        self.sidebar.blockSignals(False)
        self._apply_filter()
        self.refresh_sidebar()

    def _first_page(self) -> None:
        if self._focus is not None:
            row = self.model.row_of(self._focus)
            if row >= 0:
                self.table.selectRow(row)
                return
            self.pane.show_conversation(self._focus)
            return
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        else:
            self._ready_once()

    def _conversation_loaded(self, conv_id: str) -> None:
        if self._focus is None or conv_id == self._focus:
            self._focus = None
            self._ready_once()

    def _ready_once(self) -> None:
        if not self._was_ready:
            self._was_ready = True
            self.ready.emit()

    # -- sidebar and filters -----------------------------------------------------

    def current_filter(self) -> queue.QueueFilter:
        item = self.sidebar.currentItem()
        kind, value = item.data(Qt.ItemDataRole.UserRole) if item else ("view", "open")
        if kind == "header":
            kind, value = "view", "open"
        text = self.search.text().strip() or None
        if kind == "account":
            return queue.QueueFilter(view="open", account_id=value, search=text)
        return queue.QueueFilter(view=value, search=text)

    def _sidebar_changed(self, *_args: Any) -> None:
        if self._started:
            self._apply_filter()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.current_filter(), self.me_id)

    def refresh_sidebar(self) -> None:
        me_id = self.me_id

        def load(session: Any) -> tuple[dict[str, int], list[tuple[str, str, str, str, str]], int]:
            counts = queue.counts(session, me_id=me_id)
            accs = [
                (a.id, a.network, a.handle, a.status, a.status_message or "")
                for a in accounts.list_accounts(session)
            ]
            pending = len(outbox.list_items(session, states=("queued", "sending", "unknown")))
            return counts, accs, pending

        self.runner.read(load, self._sidebar_loaded)

    def _sidebar_loaded(self, loaded: tuple[dict[str, int], list[Any], int]) -> None:
        counts, accs, pending = loaded
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            kind, value = item.data(Qt.ItemDataRole.UserRole)
            if kind == "view" and value in VIEW_LABELS:
                item.setText(f"{self.tr(VIEW_LABELS[value])}    {counts.get(value, 0)}")
        known = {
            self.sidebar.item(r).data(Qt.ItemDataRole.UserRole)[1]: self.sidebar.item(r)
            for r in range(self.sidebar.count())
            if self.sidebar.item(r).data(Qt.ItemDataRole.UserRole)[0] == "account"
        }
        for account_id, network, handle, status, message in accs:
            entry = known.get(account_id)
            if entry is None:
                entry = QListWidgetItem(network_icon(network), handle)
                entry.setData(Qt.ItemDataRole.UserRole, ("account", account_id))
                self.sidebar.addItem(entry)
            item = entry
            state = {"ok": "", "needs_reauth": self.tr(" — sign in again"), "error": " ⚠"}
            item.setText(handle + state.get(status, ""))
            item.setToolTip(message or self.tr("Synced"))
        self.outbox_label.setText(
            self.tr("Outbox: {0} waiting").format(pending) if pending else self.tr("Outbox empty")
        )

    # -- selection and actions ---------------------------------------------------

    def _row_changed(self, current: Any, _previous: Any) -> None:
        conv_id = self.model.conversation_id(current.row()) if current.isValid() else None
        if conv_id:
            self.pane.show_conversation(conv_id)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [cid for r in rows if (cid := self.model.conversation_id(r))]

    def _action(self, name: str, conv_id: str | None) -> None:
        ids = self.selected_ids() or ([conv_id] if conv_id else [])
        if name == "sent":
            self.statusBar().showMessage(self.tr("Reply queued in the outbox."), 5000)
            self.refresh_sidebar()
            return
        if not ids:
            return
        if name == "take":
            op = workflow.take
            self.runner.write(lambda tx: [op(tx, c) for c in ids])
        elif name in ("close", "pending"):
            status = "closed" if name == "close" else "pending"
            self.runner.write(lambda tx: [workflow.set_status(tx, c, status) for c in ids])
        elif name == "snooze":
            tomorrow = (datetime.now().astimezone() + timedelta(days=1)).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            self.runner.write(lambda tx: [workflow.snooze(tx, c, tomorrow) for c in ids])

    def _changed(self, changes: ChangeSet) -> None:
        ids = changeset_ids(changes)
        if ids:
            self.model.refresh_ids(ids)
        if ids or changes.accounts or changes.outbox or changes.team:
            self.refresh_sidebar()

    # -- keyboard ---------------------------------------------------------------

    def _shortcuts(self) -> None:
        def key(seq: str, fn: Any) -> None:
            shortcut = QShortcut(QKeySequence(seq), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(fn)

        key("j", lambda: self._move(1))
        key("k", lambda: self._move(-1))
        key("Return", lambda: self.pane.editor.setFocus())
        key("r", lambda: self.pane.editor.setFocus())
        key("t", lambda: self._action("take", self.pane.conv_id))
        key("e", lambda: self._action("close", self.pane.conv_id))
        key("s", lambda: self._action("snooze", self.pane.conv_id))
        QShortcut(QKeySequence("/"), self.table, self.search.setFocus)
        QShortcut(QKeySequence("?"), self.table, self.show_shortcuts)

    def _move(self, step: int) -> None:
        current = self.table.currentIndex().row()
        target = max(0, min(self.model.rowCount() - 1, current + step))
        index = self.model.index(target, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{self.tr(v)}</td></tr>" for k, v in SHORTCUTS)
        QMessageBox.information(self, self.tr("Keyboard"), f"<table>{rows}</table>")

    def set_sync_state(self, text: str) -> None:
        self.sync_label.setText(text)

    def closeEvent(self, event: Any) -> None:
        self.pane.save_draft()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        super().closeEvent(event)
