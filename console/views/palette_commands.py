"""What the command palette offers (palette.py), built from what the window
knows when Ctrl+K is pressed: the workflow actions for the conversations a
key would act on (the selection, else the open one), the team's members
and tags, the saved replies, the views and the window's own commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from console.models.vocabulary import Status
from console.views.actions import PRIORITY_LABELS, snooze_presets
from console.views.i18n import QT_TRANSLATE_NOOP
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
from console.views.palette import Command
from console.views.sidebar import VIEW_LABELS

if TYPE_CHECKING:
    from console.views.main_window import MainWindow

CONTEXT = "Palette"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def commands(window: MainWindow) -> list[Command]:
    """Every entry, in the order a person looks for them: the open
    conversation's actions first, then saved replies, views, the window."""
    out = _conversation_commands(window) if window.targets() else []
    composer = window.pane.composer
    if composer.conv_id is not None:
        saved = _tr("Saved reply: {0}")
        out += [
            Command(saved.format(name), partial(composer.insert_saved, reply_id))
            for reply_id, name in composer.saved_list or ()
        ]
    go = _tr("Go to {0}")
    out += [
        Command(
            go.format(QCoreApplication.translate("MainWindow", label)),
            partial(window.sidebar.select, "view", view, announce=True),
        )
        for view, label in VIEW_LABELS.items()
    ]
    out += [
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Search")), window.search.setFocus, "/"),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Sync now")), window.sync_now, "F5"),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Outbox")), window.open_outbox),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Settings")), window.open_settings, "Ctrl+,"),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Keyboard shortcuts")), window.show_shortcuts, "?"),
    ]
    return out


def _conversation_commands(window: MainWindow) -> list[Command]:
    def act(action: QueueAction) -> Callable[[], None]:
        return lambda: window.act(action, window.targets())

    out = [
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Reply")), window.pane.editor.setFocus, "r"),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Take (assign to me)")), act(Take()), "t"),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Close")), act(SetStatus(Status.CLOSED)), "e"),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Pending")), act(SetStatus(Status.PENDING))),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Reopen")), act(SetStatus(Status.OPEN))),
        Command(
            _tr(QT_TRANSLATE_NOOP(CONTEXT, "Mark unread")),
            lambda: window.read_marks.mark_unread(window.targets()),
            "u",
        ),
        Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Undo")), window.undo_bar.undo, "Ctrl+Z"),
    ]
    snooze = _tr("Snooze: {0}")
    now = datetime.now().astimezone()
    out += [
        Command(snooze.format(QCoreApplication.translate("ActionMenus", label)), act(Snooze(when)))
        for label, when in snooze_presets(now)
    ]
    assign = _tr("Assign to {0}")
    out += [
        Command(assign.format(name), act(Assign(mid))) for mid, name in window.team_data.members
    ]
    out.append(Command(_tr(QT_TRANSLATE_NOOP(CONTEXT, "Unassign")), act(Assign(None))))
    view = window.pane.view
    current = set(view.row.tags) if view is not None and len(window.targets()) == 1 else set()
    add, remove = _tr("Tag #{0}"), _tr("Remove tag #{0}")
    out += [
        Command(remove.format(t), act(Untag(t)))
        if t in current
        else Command(add.format(t), act(Tag(t)))
        for t in window.team_data.tags
    ]
    priority = _tr("Priority: {0}")
    out += [
        Command(
            priority.format(QCoreApplication.translate("ActionMenus", label)), act(SetPriority(key))
        )
        for key, label in PRIORITY_LABELS
    ]
    return out
