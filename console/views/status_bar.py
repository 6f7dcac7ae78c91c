"""The main window's status bar: the accounts' sync state, the outbox, the
Undo offer and my name, left to right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.views.outbox_dialog import OutboxStatus
from console.views.sync_status import SyncStatus
from console.views.undo_bar import UndoBar
from console.views.whoami import MeLabel

if TYPE_CHECKING:
    from console.views.main_window import MainWindow


def install_status_bar(window: MainWindow) -> None:
    bar = window.statusBar()
    window.sync_status = SyncStatus(bar, window)
    window.sync_label = window.sync_status.label
    window.outbox_status = OutboxStatus(window.runner, window)
    window.outbox_status.open_conversation.connect(window.open_conversation)
    bar.addPermanentWidget(window.outbox_status)
    window.undo_bar = UndoBar(window.runner, bar, window.team_data, window)
    window.undo_bar.undoing.connect(window.model.allow_enter)
    window.undo_bar.undoing.connect(window.model.allow_leave)
    window.undo_bar.undoing.connect(window.reopen_undone)
    window.me_label = MeLabel()
    bar.addPermanentWidget(window.me_label)
