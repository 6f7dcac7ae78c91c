"""The main window: sidebar of views, the queue, the conversation pane.

Everything that touches the cache goes through the Runner (background
reads, writes on the writer); the window only arranges what comes back.
Actions (take, assign, status, snooze, tag, priority) apply to the selected
conversations when several are selected (the bulk bar), else to the one
shown; they are writes on the writer, and the rows and counts update from
the writer's change reports like any other change.

The open conversation stays put (docs/decisions.md): its row stays, dimmed,
when it leaves the view, until the person moves; rows do not move while the
pointer or the keyboard focus is on the list; after the person closes or
snoozes the open conversation, the next row (below; above when it was the
last) opens and that is announced.
"""

from __future__ import annotations

import html
import sys
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    QProcess,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAction,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.models.vocabulary import LEADS, Status
from console.models.writer import ChangeSet
from console.services import queue
from console.views import actions
from console.views.actions import ActionMenus, TeamData
from console.views.conversation import ConversationPane
from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.icons import app_icon, network_icon
from console.views.ops import overview
from console.views.ops import queue as queue_ops
from console.views.ops.queue import QueueAction, SetStatus, Take
from console.views.queue_model import QueueModel
from console.views.tasks import Runner, changeset_ids

# Marked for lupdate in the context that translates them (self.tr in MainWindow).
VIEW_LABELS = {
    "mine": QT_TRANSLATE_NOOP("MainWindow", "Mine"),
    "unassigned": QT_TRANSLATE_NOOP("MainWindow", "Unassigned"),
    "open": QT_TRANSLATE_NOOP("MainWindow", "All open"),
    "pending": QT_TRANSLATE_NOOP("MainWindow", "Pending"),
    "snoozed": QT_TRANSLATE_NOOP("MainWindow", "Snoozed"),
    "closed": QT_TRANSLATE_NOOP("MainWindow", "Closed"),
}

SORT_LABELS = (
    ("waiting", QT_TRANSLATE_NOOP("MainWindow", "Longest waiting")),
    ("activity", QT_TRANSLATE_NOOP("MainWindow", "Last activity")),
    ("priority", QT_TRANSLATE_NOOP("MainWindow", "Priority")),
)

SHORTCUTS = [
    ("j / k", QT_TRANSLATE_NOOP("MainWindow", "next / previous conversation")),
    ("Enter", QT_TRANSLATE_NOOP("MainWindow", "open the conversation (focus the reply)")),
    ("r", QT_TRANSLATE_NOOP("MainWindow", "reply (focus the composer)")),
    ("a", QT_TRANSLATE_NOOP("MainWindow", "assign…")),
    ("t", QT_TRANSLATE_NOOP("MainWindow", "take (assign to me)")),
    ("e", QT_TRANSLATE_NOOP("MainWindow", "close")),
    ("s", QT_TRANSLATE_NOOP("MainWindow", "snooze…")),
    ("#", QT_TRANSLATE_NOOP("MainWindow", "tag…")),
    ("/", QT_TRANSLATE_NOOP("MainWindow", "search")),
    ("Esc", QT_TRANSLATE_NOOP("MainWindow", "back to the queue")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("MainWindow", "send")),
    ("F5", QT_TRANSLATE_NOOP("MainWindow", "sync now")),
    ("Ctrl+,", QT_TRANSLATE_NOOP("MainWindow", "settings")),
    ("?", QT_TRANSLATE_NOOP("MainWindow", "this list")),
]

SYNC_STATES = {
    "ok": ("●", "#27ae60"),
    "syncing": ("◌", "#2980b9"),
    "offline": ("●", "#7f8c8d"),
    "rate_limited": ("●", "#e67e22"),
    "needs_reauth": ("●", "#c0392b"),
    "error": ("●", "#c0392b"),
}


class MainWindow(QMainWindow):
    """Signals:
    ready(): the first queue page is painted (and the focus conversation, if any).
    """

    ready = Signal()

    def __init__(
        self,
        runner: Runner,
        settings: QSettings,
        focus: str | None = None,
        *,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.settings = settings
        self.demo = demo
        self.engine: Any = None
        self.me_id: str | None = None
        self.me_name = ""
        self.me_role = ""
        self._focus = focus
        self._was_ready = False
        self._started = False  # views load once we know who "me" is
        self.team_data = TeamData()
        self._account_labels: dict[str, QLabel] = {}
        self._sync_states: dict[str, tuple[str, str]] = {}
        self.setWindowTitle("Parloir — demo" if demo else "Parloir")
        self.setWindowIcon(app_icon())

        self._build_sidebar()
        self._build_queue()

        self.pane = ConversationPane(runner)
        self.pane.queue_action.connect(self._pane_queue_action)
        self.pane.action.connect(self._pane_event)
        self.pane.loaded.connect(self._conversation_loaded)
        self.pane.open_conversation.connect(self.open_conversation)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.middle)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 5)
        self.splitter.setSizes([170, 570, 700])
        self.splitter.setChildrenCollapsible(False)

        self.welcome = self._build_welcome()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)

        self._build_status_bar()
        self._build_menus()

        runner.changed.connect(self._changed)
        runner.failed.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self._shortcuts()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        for key, splitter in (
            ("window/splitter", self.splitter),
            ("window/pane", self.pane.body_splitter),
            ("window/composer", self.pane.splitter),
        ):
            state = settings.value(key)
            if state is not None:
                splitter.restoreState(state)
        sort = settings.value("queue/sort")
        if isinstance(sort, str):
            index = self.sort_box.findData(sort)
            if index >= 0:
                self.sort_box.setCurrentIndex(index)

        # Refresh waiting times and woken snoozes once a minute (no query
        # beyond the visible rows).
        self._minute = QTimer(self)
        self._minute.setInterval(60_000)
        self._minute.timeout.connect(self._tick)
        self._minute.start()

        overview.fetch_me(runner, self._me_loaded)

    # -- building ----------------------------------------------------------------

    def _build_sidebar(self) -> None:
        self.sidebar = QListWidget()
        self.sidebar.setMaximumWidth(280)
        self.sidebar.setMinimumWidth(170)
        self.sidebar.setSpacing(1)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setTextElideMode(Qt.TextElideMode.ElideRight)
        for view, label in VIEW_LABELS.items():
            item = QListWidgetItem(self.tr(label))
            item.setData(Qt.ItemDataRole.UserRole, ("view", view))
            self.sidebar.addItem(item)
        self._headers: dict[str, QListWidgetItem] = {}
        for section, label in (
            ("account", self.tr("Accounts")),
            ("tag", self.tr("Tags")),
            ("member", self.tr("Team")),
        ):
            header = QListWidgetItem(label)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setData(Qt.ItemDataRole.UserRole, ("header", section))
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.sidebar.addItem(header)
            self._headers[section] = header
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)

    def _build_queue(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search messages, names, subjects  ( / )"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.sort_box = QComboBox()
        for key, label in SORT_LABELS:
            self.sort_box.addItem(self.tr(label), key)
        self.sort_box.setToolTip(self.tr("Sort the queue"))
        self.sort_box.currentIndexChanged.connect(self._sort_changed)

        self.model = QueueModel(self.runner, self)
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
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        # Fixed widths, not ResizeToContents: that re-measures every loaded
        # row on each update, which stalls the window during a big sync.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        for col, sample in (
            (0, "Wwwwwwwwwwww"),  # narrower: the message column has the kind icon
            (2, "Waiting__"),
            (3, "Who__"),
            (4, "#livraison #bug"),
        ):
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 16)
        header.setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        # While the pointer or the keyboard focus is on the list, rows hold still.
        self._pointer_on_list = False
        self._focus_on_list = False
        self.table.installEventFilter(self)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.loaded.connect(self._first_page)
        self.model.rowsInserted.connect(self._rows_inserted)

        # The bulk bar: shown while several conversations are selected.
        self.bulk_menus = ActionMenus(self)
        self.bulk_menus.chosen.connect(self._bulk_action)
        self.bulk_bar = QWidget()
        bulk = QHBoxLayout(self.bulk_bar)
        bulk.setContentsMargins(0, 0, 0, 0)
        self.bulk_label = QLabel()
        bulk.addWidget(self.bulk_label, 1)
        for text, build in (
            (self.tr("Assign"), lambda: self.bulk_menus.assign_menu()),
            (self.tr("Snooze"), self.bulk_menus.snooze_menu),
            (self.tr("Tag"), lambda: self.bulk_menus.tag_menu()),
            (self.tr("Priority"), lambda: self.bulk_menus.priority_menu()),
        ):
            bulk.addWidget(_menu_button(text, build))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(lambda: self._bulk_action(SetStatus(Status.CLOSED)))
        bulk.addWidget(close)
        self.bulk_bar.hide()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.sort_box)
        self.middle = QWidget()
        middle_layout = QVBoxLayout(self.middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addLayout(top)
        middle_layout.addWidget(self.bulk_bar)
        middle_layout.addWidget(self.table, 1)

    def _build_welcome(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        title = QLabel(self.tr("<h1>Welcome to Parloir</h1>"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            self.tr(
                "One calm queue for every mention, reply, direct message and e-mail your "
                "team has to answer. Add the accounts you answer for, or look around in "
                "a demo workspace first."
            )
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(560)
        add = QPushButton(self.tr("Add an account…"))
        add.setDefault(True)
        add.clicked.connect(self.open_settings)
        demo = QPushButton(self.tr("Open the demo workspace"))
        demo.clicked.connect(self.open_demo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(demo)
        buttons.addStretch(1)
        layout.addWidget(title)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(text)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(3)
        self.welcome_add = add
        self.welcome_demo = demo
        return page

    def _build_status_bar(self) -> None:
        self.sync_label = QLabel()
        self.accounts_bar = QWidget()
        self.accounts_layout = QHBoxLayout(self.accounts_bar)
        self.accounts_layout.setContentsMargins(0, 0, 0, 0)
        self.accounts_layout.setSpacing(12)
        self.statusBar().addWidget(self.accounts_bar)
        self.statusBar().addWidget(self.sync_label, 1)
        self.outbox_status: Any = None
        try:
            from console.views.outbox_dialog import OutboxStatus

            self.outbox_status = OutboxStatus(self.runner, self)
            self.outbox_status.open_conversation.connect(self.open_conversation)
            self.statusBar().addPermanentWidget(self.outbox_status)
        except (ImportError, AttributeError):  # pragma: no cover - older builds
            self.outbox_status = None

    def _build_menus(self) -> None:
        bar = self.menuBar()
        app_menu = bar.addMenu(self.tr("&Parloir"))
        sync = QAction(self.tr("Sync now"), self)
        sync.setShortcut(QKeySequence("F5"))
        sync.triggered.connect(self.sync_now)
        app_menu.addAction(sync)
        outbox = QAction(self.tr("Outbox…"), self)
        outbox.triggered.connect(self.open_outbox)
        app_menu.addAction(outbox)
        settings = QAction(self.tr("Settings…"), self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        settings.triggered.connect(self.open_settings)
        app_menu.addAction(settings)
        app_menu.addSeparator()
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        app_menu.addAction(quit_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        keys = QAction(self.tr("Keyboard shortcuts"), self)
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)

    # -- start-up ------------------------------------------------------------

    def _me_loaded(self, me: overview.Me) -> None:
        self.me_id, self.me_name, self.me_role = me.member_id, me.name, me.role
        self.pane.me_id = self.me_id
        self.team_data.me_id = self.me_id
        self._started = True
        if me.account_count == 0 and not self.demo:
            self.stack.setCurrentWidget(self.welcome)
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
            self.show_in_pane(self._focus)
            return
        shown = self.model.row_of(self.pane.conv_id) if self.pane.conv_id else -1
        if shown >= 0:
            self.table.selectRow(shown)  # a new view that holds the open conversation keeps it
            self._ready_once()
        elif self.model.kept_open and self.pane.conv_id:
            self._ready_once()  # reloaded behind the person's back: the pane stays
        elif self.model.rowCount() and not self.table.selectionModel().hasSelection():
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
        text = self.search.text().strip() or None
        sort = str(self.sort_box.currentData() or "waiting")
        if kind == "account":
            return queue.QueueFilter(view="open", account_id=value, search=text, sort=sort)
        if kind == "tag":
            return queue.QueueFilter(view="open", tag=value, search=text, sort=sort)
        if kind == "member":
            return queue.QueueFilter(view="open", assignee_id=value, search=text, sort=sort)
        if kind != "view":
            value = "open"
        return queue.QueueFilter(view=value, search=text, sort=sort)

    def _sidebar_changed(self, *_args: Any) -> None:
        if self._started:
            self._apply_filter()

    def _sort_changed(self, *_args: Any) -> None:
        self.settings.setValue("queue/sort", self.sort_box.currentData())
        if self._started:
            self._apply_filter()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.current_filter(), self.me_id)

    def refresh_sidebar(self) -> None:
        overview.fetch_overview(self.runner, self.me_id, self._sidebar_loaded)

    def _sidebar_loaded(self, loaded: overview.Overview) -> None:
        counts = loaded.counts
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            kind, value = item.data(Qt.ItemDataRole.UserRole)
            if kind == "view" and value in VIEW_LABELS:
                item.setText(f"{self.tr(VIEW_LABELS[value])}    {counts.get(value, 0)}")
        state = {"ok": "", "needs_reauth": self.tr(" — sign in again"), "error": " ⚠"}
        self._sync_section(
            "account",
            [
                (
                    a.id,
                    a.handle + state.get(a.status, ""),
                    a.message or self.tr("Synced"),
                    a.network,
                )
                for a in loaded.accounts
            ],
        )
        self._sync_section("tag", [(name, f"#{name}    {n}", "", "") for name, n in loaded.tags])
        leader = self.me_role in LEADS
        self._sync_section(
            "member",
            [
                (m.id, f"{m.name}    {m.open_count}", self.tr("{0} open").format(m.open_count), "")
                for m in loaded.members
            ]
            if leader
            else [],
        )
        self._headers["member"].setHidden(not leader)
        self.team_data.members = [(m.id, m.name) for m in loaded.members]
        self.team_data.tags = [name for name, _n in loaded.tags]
        self.pane.menus.data = self.team_data
        self.bulk_menus.data = self.team_data
        self._show_accounts(loaded.accounts)
        if loaded.accounts and self.stack.currentWidget() is self.welcome:
            self.stack.setCurrentWidget(self.splitter)

    def _sync_section(self, section: str, entries: list[tuple[str, str, str, str]]) -> None:
        """Make the sidebar items of one section match ``entries``
        (key, text, tooltip, network) without touching the selection."""
        header = self._headers[section]
        start = self.sidebar.row(header) + 1
        existing: dict[str, QListWidgetItem] = {}
        row = start
        while row < self.sidebar.count():
            item = self.sidebar.item(row)
            kind, value = item.data(Qt.ItemDataRole.UserRole)
            if kind != section:
                break
            existing[value] = item
            row += 1
        wanted = {key for key, *_ in entries}
        for key, old in existing.items():
            if key not in wanted:
                self.sidebar.takeItem(self.sidebar.row(old))
        for offset, (key, text, tip, network) in enumerate(entries):
            entry = existing.get(key)
            if entry is None:
                entry = QListWidgetItem(text)
                entry.setData(Qt.ItemDataRole.UserRole, (section, key))
                if network:
                    entry.setIcon(network_icon(network))
                self.sidebar.insertItem(start + offset, entry)
            entry.setText(text)
            entry.setToolTip(tip)
        header.setHidden(not entries)

    def _show_accounts(self, accs: tuple[overview.AccountState, ...]) -> None:
        """One status-bar dot per account: its sync state, the reason on hover."""
        for account in accs:
            account_id, handle = account.id, account.handle
            status, message = account.status, account.message
            label = self._account_labels.get(account_id)
            if label is None:
                label = QLabel()
                self._account_labels[account_id] = label
                self.accounts_layout.addWidget(label)
            state, detail = self._sync_states.get(account_id, (status, message))
            if status in ("needs_reauth", "error"):
                state, detail = status, message
            dot, colour = SYNC_STATES.get(state, SYNC_STATES["ok"])
            label.setText(f"<span style='color:{colour}'>{dot}</span> {html.escape(handle)}")
            label.setToolTip(detail or self.tr("Up to date"))
        for account_id in set(self._account_labels) - {a.id for a in accs}:
            self._account_labels.pop(account_id).deleteLater()

    # -- selection and actions ---------------------------------------------------

    def _row_changed(self, current: Any, _previous: Any) -> None:
        conv_id = self.model.conversation_id(current.row()) if current.isValid() else None
        row = self.model.queue_row(conv_id) if conv_id else None
        if row is not None and row.damaged is not None:
            self.model.keep = conv_id  # the person moved: what waited settles
            self.pane.show_damaged(row.damaged)
            self.model.settle()
        elif conv_id:
            self.show_in_pane(conv_id)

    def show_in_pane(self, conv_id: str) -> None:
        """Open a conversation: the person moved, so rows that waited settle
        (the one left behind goes if it left the view)."""
        self.model.keep = conv_id
        self.pane.show_conversation(conv_id)
        self.model.settle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.table.viewport() and kind in (QEvent.Type.Enter, QEvent.Type.Leave):
            self._pointer_on_list = kind == QEvent.Type.Enter
            self._hold_list()
        elif watched is self.table and kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._focus_on_list = kind == QEvent.Type.FocusIn
            self._hold_list()
        return False

    def _hold_list(self) -> None:
        held = self._pointer_on_list or self._focus_on_list
        if held != self.model.held:
            self.model.held = held

    def _advance_from(self, ids: list[str]) -> None:
        """Open the next row after the ones the person just closed or snoozed
        (the row below; above when they were the last) and say so."""
        rows = sorted(r for i in ids if (r := self.model.row_of(i)) >= 0)
        if not rows:
            return
        gone = set(ids)
        below = [r for r in range(rows[-1] + 1, self.model.rowCount())]
        above = list(range(rows[0] - 1, -1, -1))
        target = next(
            (
                r
                for r in below + above
                if (cid := self.model.conversation_id(r))
                and cid not in gone
                and not self.model.is_leaving(cid)
            ),
            None,
        )
        if target is None:
            return
        next_id = self.model.conversation_id(target)
        self.table.selectionModel().setCurrentIndex(
            self.model.index(target, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        row = self.model.queue_row(next_id or "")
        who = (row.contact_name or row.contact_handle or row.account_handle) if row else ""
        self.announce(self.tr("Now showing {0}.").format(who))

    def announce(self, text: str) -> None:
        """Say something in the status bar and to a screen reader."""
        self.statusBar().showMessage(text, 8000)
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.pane, text))

    def _selection_changed(self, *_args: Any) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.bulk_bar.setVisible(count > 1)
        self.bulk_label.setText(self.tr("{0} selected").format(count))

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [cid for r in rows if (cid := self.model.conversation_id(r))]

    def _targets(self) -> list[str]:
        """The conversations a keyboard action applies to."""
        ids = self.selected_ids()
        if len(ids) > 1:
            return ids
        return [self.pane.conv_id] if self.pane.conv_id else ids

    def _pane_queue_action(self, action: QueueAction) -> None:
        if self.pane.conv_id:
            self.act(action, [self.pane.conv_id])

    def _pane_event(self, name: str, arg: object) -> None:
        if name == "notice":
            self.statusBar().showMessage(str(arg), 5000)
        elif name == "sent":
            self.statusBar().showMessage(
                self.tr("Reply queued in the outbox; it goes out when the network allows."),
                5000,
            )

    def _bulk_action(self, action: QueueAction) -> None:
        self.act(action, self.selected_ids())

    def act(self, action: QueueAction, ids: list[str]) -> None:
        """Run one workflow action on ``ids`` in one write.

        The person acted on these rows: they may leave the list at once.
        Closing or snoozing the open conversation opens the next row."""
        if not ids:
            return
        self.model.allow_leave(ids)
        leaving = queue_ops.leaves_as(action)
        if leaving is not None and self.pane.conv_id in ids and self.model.filter.view != leaving:
            self._advance_from(ids)
        queue_ops.run(self.runner, action, ids)

    def _changed(self, changes: ChangeSet) -> None:
        if changes.everything:
            # Too much changed elsewhere to name (a huge sync in another
            # process, or we fell behind its log): reload what is shown.
            if self._started:
                self.model.set_filter(self.current_filter(), self.me_id, keep_open=True)
            self.pane.reload()
            self._sidebar_soon()
            return
        ids = changeset_ids(changes)
        if ids:
            self.model.refresh_ids(ids)
            if self.pane.conv_id in ids:
                self.pane.reload()
        if self.pane.conv_id in changes.drafts and self.pane.conv_id not in ids:
            self.pane.draft_changed()  # the outbox's Cancel, another process
        if ids or changes.accounts or changes.outbox or changes.team or changes.settings:
            self._sidebar_soon()
        if changes.accounts and self.engine is not None:
            self.engine.wake()  # an account signed in here or elsewhere is polled at once

    def _sidebar_soon(self) -> None:
        """Counts refresh at most every 300 ms during a busy sync."""
        if not hasattr(self, "_sidebar_timer"):
            self._sidebar_timer = QTimer(self)
            self._sidebar_timer.setSingleShot(True)
            self._sidebar_timer.setInterval(300)
            self._sidebar_timer.timeout.connect(self.refresh_sidebar)
        if not self._sidebar_timer.isActive():
            self._sidebar_timer.start()

    def _rows_inserted(self, _parent: Any, first: int, last: int) -> None:
        """Rows inserted above the visible ones must not push the view."""
        top = self.table.rowAt(0)
        if top >= 0 and first <= top and self.table.verticalScrollBar().value() > 0:
            bar = self.table.verticalScrollBar()
            bar.setValue(bar.value() + (last - first + 1))

    def _tick(self) -> None:
        if self.model.rowCount():
            self.model.dataChanged.emit(
                self.model.index(0, 2), self.model.index(self.model.rowCount() - 1, 2)
            )

    def open_conversation(self, conv_id: str) -> None:
        row = self.model.row_of(conv_id)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.show_in_pane(conv_id)
        self.raise_()
        self.activateWindow()

    # -- engine, dialogs ------------------------------------------------------------

    def set_engine(self, engine: Any) -> None:
        self.engine = engine

    def sync_now(self) -> None:
        if self.engine is not None:
            self.engine.sync_now()
            self.sync_label.setText(self.tr("Syncing…"))

    def sync_event(self, event: Any) -> None:
        """A SyncEvent from the engine (relayed onto the GUI thread)."""
        self._sync_states[event.account_id] = (event.state, event.message)
        label = self._account_labels.get(event.account_id)
        if label is not None:
            dot, colour = SYNC_STATES.get(event.state, SYNC_STATES["ok"])
            label.setText(f"<span style='color:{colour}'>{dot}</span> {html.escape(event.handle)}")
            label.setToolTip(event.message or self.tr("Up to date"))
        template = {
            "syncing": self.tr("Syncing {0}…"),
            "ok": "",
            "offline": self.tr("{0}: offline, will retry"),
            "rate_limited": self.tr("{0}: the server asked us to wait"),
            "needs_reauth": self.tr("{0}: sign in again (Settings)"),
        }.get(event.state)
        # The message is a server's or an exception's words: never a format
        # string (a "{" in it made this slot raise, the dot stayed "syncing").
        if template is None:
            self.sync_label.setText(f"{event.handle}: {event.message}")
        else:
            self.sync_label.setText(template.replace("{0}", event.handle))

    def set_sync_state(self, text: str) -> None:
        self.sync_label.setText(text)

    def open_settings(self) -> None:
        try:
            from console.views.settings_dialog import SettingsDialog
        except ImportError:  # pragma: no cover - arrives with the settings dialog
            QMessageBox.information(
                self, self.tr("Settings"), self.tr("Use `parloir account add` for now.")
            )
            return
        dialog = SettingsDialog(self.runner, self)
        dialog.finished.connect(lambda _code: self.refresh_sidebar())
        dialog.open()

    def open_outbox(self) -> None:
        if self.outbox_status is not None:
            self.outbox_status.click()

    def open_demo(self) -> None:
        """Start Parloir on the demo workspace, in its own process."""
        QProcess.startDetached(sys.executable, ["-m", "console", "--demo"])

    # -- keyboard ---------------------------------------------------------------

    def _shortcuts(self) -> None:
        def key(seq: str, fn: Any) -> None:
            for widget in (self.table, self.pane.browser):
                shortcut = QShortcut(QKeySequence(seq), widget)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(fn)

        key("j", lambda: self._move(1))
        key("k", lambda: self._move(-1))
        key("Return", lambda: self.pane.editor.setFocus())
        key("r", lambda: self.pane.editor.setFocus())
        key("t", lambda: self.act(Take(), self._targets()))
        key("e", lambda: self.act(SetStatus(Status.CLOSED), self._targets()))
        key("a", lambda: self._menu_for(self.pane.assign_button))
        key("s", lambda: self._menu_for(self.pane.snooze_button))
        key("#", lambda: self._menu_for(self.pane.tag_button))
        key("/", self.search.setFocus)
        key("?", self.show_shortcuts)
        escape = QShortcut(QKeySequence("Escape"), self.search)
        escape.activated.connect(self.table.setFocus)
        back = QShortcut(QKeySequence("Escape"), self.pane.editor)
        back.activated.connect(self.table.setFocus)

    def _menu_for(self, button: QToolButton) -> None:
        """Open a pane menu from the keyboard; with several rows selected
        the bulk menus answer instead (the choice applies to all)."""
        if len(self.selected_ids()) > 1:
            menus = self.bulk_menus
            menu = {
                self.pane.assign_button: menus.assign_menu,
                self.pane.snooze_button: menus.snooze_menu,
                self.pane.tag_button: menus.tag_menu,
            }[button]()
            actions.show_menu(menu, self.table.mapToGlobal(self.table.rect().center()))
            return
        if button.isEnabled():
            button.pop()  # type: ignore[attr-defined]

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
        rows = "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{self.tr(v)}</td></tr>"
            for k, v in SHORTCUTS
        )
        QMessageBox.information(self, self.tr("Keyboard"), f"<table>{rows}</table>")

    def closeEvent(self, event: Any) -> None:
        self.pane.save_draft()
        if self.pane.unsaved_failures():
            answer = QMessageBox.question(
                self,
                self.tr("Drafts not saved"),
                self.tr("Some drafts could not be saved yet and would be lost; quit anyway?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/pane", self.pane.body_splitter.saveState())
        self.settings.setValue("window/composer", self.pane.splitter.saveState())
        super().closeEvent(event)


def _menu_button(text: str, build: Any) -> QToolButton:
    button = QToolButton()
    button.setText(text + " ▾")

    def pop() -> None:
        menu = build()
        actions.show_menu(menu, button.mapToGlobal(button.rect().bottomLeft()))

    button.clicked.connect(pop)
    return button
