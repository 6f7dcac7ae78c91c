"""The main window: sidebar of views, the queue, the conversation pane.

It assembles the widgets (sidebar.py, queue_list.py, the pane, status_bar.py,
welcome.py, window_keys.py, a11y.py) and coordinates them: which
conversation is open, what an action applies to (the selection when several
rows are selected, else the one shown), what a change set refreshes
(window_changes.py). Everything that touches the cache goes through the
Runner via views/ops; the window only arranges what comes back.

The open conversation stays put (docs/decisions.md): its row stays, dimmed,
when it leaves the view, until the person moves; after the person closes or
snoozes it, the next row (below; above when it was the last) opens and that
is announced.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QProcess,
    QSettings,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget

from console.models.writer import ChangeSet
from console.services.queue import QueueFilter, search_words
from console.views import actions, window_changes, window_layout
from console.views.a11y import name_controls
from console.views.conversation import ConversationPane
from console.views.icons import app_icon
from console.views.ops import overview
from console.views.ops import queue as queue_ops
from console.views.ops.queue import QueueAction
from console.views.outbox_dialog import OutboxStatus
from console.views.palette import CommandPalette
from console.views.queue_list import QueueList
from console.views.read_marks import ReadMarks
from console.views.sidebar import Sidebar, filter_for
from console.views.status_bar import install_status_bar
from console.views.sync_status import SYNC_STATES as SYNC_STATES
from console.views.sync_status import SyncStatus
from console.views.tasks import Runner
from console.views.undo_bar import UndoBar
from console.views.welcome import WelcomePage
from console.views.whoami import MeLabel, window_title
from console.views.window_keys import install_menus, install_shortcuts, shortcuts_html
from console.views.window_layout import columns, restore_layout, save_layout

#: Counts refresh at most this often during a busy sync.
SIDEBAR_MS = 300


class MainWindow(QMainWindow):
    """Signals:
    ready(): the first queue page is painted (and the focus conversation, if any).
    """

    ready = Signal()
    # The status bar's parts (status_bar.py).
    sync_status: SyncStatus
    sync_label: QLabel
    outbox_status: OutboxStatus
    undo_bar: UndoBar
    me_label: MeLabel

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
        self.me_id: str | None = None
        self.me_name = ""
        self.me_role = ""
        self._focus = focus
        #: Set by restore_layout: the last run's size and place came back.
        self.geometry_restored = False
        self._was_ready = False
        self.started = False  # views load once we know who "me" is
        self.team_data = actions.TeamData()
        self.setWindowTitle("Parloir — demo" if demo else "Parloir")
        self.setWindowIcon(app_icon())

        self.sidebar = Sidebar()
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)
        self.queue = QueueList(runner)
        self.search, self.sort_box = self.queue.search, self.queue.sort_box
        self.model, self.table = self.queue.model, self.queue.table
        self.bulk_menus = self.queue.bulk_menus
        self.queue.search_timer.timeout.connect(self._apply_filter)
        self.sort_box.currentIndexChanged.connect(self._sort_changed)
        self.queue.scope_box.currentIndexChanged.connect(self._scope_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.loaded.connect(self._first_page)
        self.bulk_menus.chosen.connect(lambda action: self.act(action, self.selected_ids()))

        self.pane = ConversationPane(runner)
        self.pane.queue_action.connect(self._pane_queue_action)
        self.pane.action.connect(self._pane_event)
        self.pane.loaded.connect(self._conversation_loaded)
        self.pane.open_conversation.connect(self.open_conversation)
        self.read_marks = ReadMarks(runner, self)
        #: The command palette while it is open (window_keys.open_palette).
        self.command_palette: CommandPalette | None = None

        # Sidebar | queue | pane, or the welcome page before any account.
        self.splitter = columns(self.sidebar, self.queue, self.pane)
        self.welcome = WelcomePage()
        self.welcome.add_button.clicked.connect(self.open_settings)
        self.welcome.demo_button.clicked.connect(self.open_demo)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)

        install_status_bar(self)
        install_menus(self)

        runner.changed.connect(self._changed)
        runner.failed.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        install_shortcuts(self)
        name_controls(self)
        restore_layout(self)
        #: Reopened where the last run left off, once the data allows.
        self._restore_view = window_layout.saved_view(self)
        self._restore_conv = window_layout.saved_conversation(self) if focus is None else None

        # Refresh waiting times and woken snoozes once a minute (no query
        # beyond the visible rows).
        self._minute = QTimer(self)
        self._minute.setInterval(60_000)
        self._minute.timeout.connect(self.queue.tick)
        self._minute.start()
        self._sidebar_timer = QTimer(self)
        self._sidebar_timer.setSingleShot(True)
        self._sidebar_timer.setInterval(SIDEBAR_MS)
        self._sidebar_timer.timeout.connect(self.refresh_sidebar)

        overview.fetch_me(runner, self._me_loaded)

    # -- start-up ------------------------------------------------------------

    def _me_loaded(self, me: overview.Me) -> None:
        self._show_me(me)
        self.started = True
        if me.account_count == 0 and not self.demo:
            self.stack.setCurrentWidget(self.welcome)
        self.sidebar.start_on_all_open()
        if self._restore_view is not None and self.sidebar.select(*self._restore_view):
            self._restore_view = None  # a view: there already; sections wait for the overview
        self._apply_filter()
        self.refresh_sidebar()

    def _show_me(self, me: overview.Me) -> None:
        """Who I am: what "mine" and "take" mean, and the status bar's name."""
        self.me_id, self.me_name, self.me_role = me.member_id, me.name, me.role
        self.pane.me_id = self.me_id
        self.team_data.me_id = self.me_id
        self.me_label.show_me(me.name)

    def team_changed(self, me: overview.Me) -> None:
        """Someone else may be "me" now: the views that depend on it follow."""
        changed = me.member_id != self.me_id
        self._show_me(me)
        if changed and self.started:
            self._apply_filter()

    def _first_page(self) -> None:
        if self._focus is not None:
            row = self.model.row_of(self._focus)
            if row >= 0:
                self.table.selectRow(row)
                return
            self.show_in_pane(self._focus)
            return
        if self._restore_conv is not None:
            row, self._restore_conv = self.model.row_of(self._restore_conv), None
            if row >= 0:
                self.table.selectRow(row)  # where the last run left off
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
        if self.pane.view is not None:
            self.read_marks.shown(self.pane.view.id, self.pane.view.row.unread)
        if self._focus is None or conv_id == self._focus:
            self._focus = None
            self._ready_once()

    def _ready_once(self) -> None:
        if not self._was_ready:
            self._was_ready = True
            # The keyboard starts where the work is (j/k, Enter, ? answer there).
            if self.stack.currentWidget() is self.splitter:
                self.table.setFocus()
            self.ready.emit()

    # -- sidebar and filters -----------------------------------------------------

    def current_filter(self) -> QueueFilter:
        kind, value = self.sidebar.choice()
        sort = str(self.sort_box.currentData() or "waiting")
        search = self.search.text().strip() or None
        if search and self.queue.scope_all():  # the search's "All" scope
            return QueueFilter(view="all", search=search, sort=sort)
        return filter_for(kind, value, search, sort)

    def _sidebar_changed(self, *_args: object) -> None:
        if self.started:
            self._apply_filter()

    def _sort_changed(self, *_args: object) -> None:
        self.settings.setValue("queue/sort", self.sort_box.currentData())
        if self.started:
            self._apply_filter()

    def _scope_changed(self, *_args: object) -> None:
        self.settings.setValue("queue/scope", self.queue.scope_box.currentData())
        if self.started and self.search.text().strip():
            self._apply_filter()

    def _apply_filter(self) -> None:
        flt = self.current_filter()
        self.queue.view_label = self.sidebar.choice_label()
        self.pane.set_search_words(tuple(search_words(flt.search)))
        self.model.set_filter(flt, self.me_id)

    def refresh_sidebar(self) -> None:
        overview.fetch_overview(self.runner, self.me_id, self._overview_loaded)

    def _overview_loaded(self, loaded: overview.Overview) -> None:
        self.sidebar.show_overview(loaded, self.me_role)
        self.setWindowTitle(window_title(loaded.counts, demo=self.demo))
        self.pane.composer.saved_list = loaded.saved_replies
        if self._restore_view is not None:
            choice, self._restore_view = self._restore_view, None
            self.sidebar.select(*choice, announce=True)  # an account, a tag: now listed
        self.team_data.members = [(m.id, m.name) for m in loaded.members]
        self.team_data.tags = [name for name, _n in loaded.tags]
        self.pane.menus.data = self.team_data
        self.bulk_menus.data = self.team_data
        self.sync_status.show_accounts(loaded.accounts)
        if loaded.accounts and self.stack.currentWidget() is self.welcome:
            self.stack.setCurrentWidget(self.splitter)

    def sidebar_soon(self) -> None:
        """Counts refresh at most every SIDEBAR_MS during a busy sync."""
        if not self._sidebar_timer.isActive():
            self._sidebar_timer.start()

    # -- selection and actions ---------------------------------------------------

    def _row_changed(self, current: QModelIndex | QPersistentModelIndex, _previous: object) -> None:
        conv_id = self.model.conversation_id(current.row()) if current.isValid() else None
        row = self.model.queue_row(conv_id) if conv_id else None
        if row is not None and row.damaged is not None:
            self.model.keep = conv_id  # the person moved: what waited settles
            self.read_marks.left()
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

    def _advance_from(self, ids: list[str]) -> None:
        """Open the next row after the ones the person just closed or snoozed
        (the row below; above when they were the last) and say so."""
        target = self.queue.next_row_after(ids)
        if target is None:
            return
        next_id = self.model.conversation_id(target)
        self.queue.make_current(target)
        row = self.model.queue_row(next_id or "")
        who = (row.contact_name or row.contact_handle or row.account_handle) if row else ""
        self.announce(self.tr("Now showing {0}.").format(who))

    def announce(self, text: str) -> None:
        """Say something in the status bar and to a screen reader."""
        self.statusBar().showMessage(text, 8000)
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.pane, text))

    def selected_ids(self) -> list[str]:
        return self.queue.selected_ids()

    def targets(self) -> list[str]:
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

    def act(self, action: QueueAction, ids: list[str]) -> None:
        """Run one workflow action on ``ids`` in one write.

        The person acted on these rows: they may leave the list at once.
        Closing or snoozing the open conversation opens the next row; the
        status bar then offers to undo it (undo_bar.py)."""
        if not ids:
            return
        self.model.allow_leave(ids)
        leaving = queue_ops.leaves_as(action)
        if leaving is not None and self.pane.conv_id in ids and self.model.filter.view != leaving:
            self._advance_from(ids)
        queue_ops.run(self.runner, action, ids, self.undo_bar.pending(action))

    def reopen_undone(self, ids: list[str]) -> None:
        """Undoing one conversation's close or snooze brings the person back
        to it (the pane had moved on to the next row)."""
        if len(ids) == 1 and ids[0] != self.pane.conv_id:
            self.open_conversation(ids[0])

    def _changed(self, changes: ChangeSet) -> None:
        window_changes.follow(self, changes)

    def open_conversation(self, conv_id: str) -> None:
        row = self.model.row_of(conv_id)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.show_in_pane(conv_id)
        self.raise_()
        self.activateWindow()

    # -- sync (status_bar.py), dialogs ------------------------------------------

    def sync_now(self) -> None:
        self.sync_status.sync_now()

    def open_settings(self) -> None:
        from console.views.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.runner, self)
        dialog.finished.connect(lambda _code: self.refresh_sidebar())
        dialog.open()

    def open_outbox(self) -> None:
        self.outbox_status.click()

    def open_demo(self) -> None:
        """Start Parloir on the demo workspace, in its own process."""
        QProcess.startDetached(sys.executable, ["-m", "console", "--demo"])

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("Keyboard"), shortcuts_html())

    def closeEvent(self, event: QCloseEvent) -> None:
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
        save_layout(self)
        super().closeEvent(event)
