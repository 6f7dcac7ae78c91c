"""The window's accessible names, descriptions and keyboard path, in one
place.

Screen readers announce a control by its accessible name, and the
acceptance checks (and any script driving Parloir through AT-SPI) find
controls by it, so the names are a contract: short English words that do
not change with the interface language ("Conversations", "Reply",
"Close"). What a control does is its accessible description, which is
translated like any other sentence the person reads.

The Tab key walks the places a person works in, in the order they work:
the queue, the thread, the reply box, the note field; it never walks the
queue cell by cell (arrows and j/k move between rows).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from console.views.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from console.views.main_window import MainWindow

#: Context of the descriptions in the translation file.
CONTEXT = "Accessibility"

#: (widget attribute path on the window, accessible name, description).
NAMED: tuple[tuple[str, str, str], ...] = (
    ("sidebar", "Views", QT_TRANSLATE_NOOP(CONTEXT, "Views, accounts, tags and team of the queue")),
    ("search", "Search", QT_TRANSLATE_NOOP(CONTEXT, "Search messages, names, subjects and notes")),
    (
        "queue.scope_box",
        "Search scope",
        QT_TRANSLATE_NOOP(CONTEXT, "Search this view only, or every conversation"),
    ),
    ("sort_box", "Sort", QT_TRANSLATE_NOOP(CONTEXT, "Order of the conversations in the queue")),
    (
        "table",
        "Conversations",
        QT_TRANSLATE_NOOP(CONTEXT, "The conversations waiting for an answer"),
    ),
    (
        "pane.browser",
        "Conversation",
        QT_TRANSLATE_NOOP(CONTEXT, "The messages of the open conversation"),
    ),
    ("pane.editor", "Reply", QT_TRANSLATE_NOOP(CONTEXT, "Your reply; Ctrl+Enter sends it")),
    ("pane.send_button", "Send", QT_TRANSLATE_NOOP(CONTEXT, "Queue the reply in the outbox")),
    (
        "pane.saved_button",
        "Saved replies",
        QT_TRANSLATE_NOOP(CONTEXT, "Insert a saved reply at the cursor"),
    ),
    (
        "pane.note_input",
        "Internal note",
        QT_TRANSLATE_NOOP(CONTEXT, "A note only the team sees; Enter adds it"),
    ),
    ("pane.take_button", "Take", QT_TRANSLATE_NOOP(CONTEXT, "Assign the conversation to me")),
    (
        "pane.assign_button",
        "Assign",
        QT_TRANSLATE_NOOP(CONTEXT, "Assign the conversation to a team member"),
    ),
    (
        "pane.snooze_button",
        "Snooze",
        QT_TRANSLATE_NOOP(CONTEXT, "Hide the conversation until a time"),
    ),
    ("pane.tag_button", "Tags", QT_TRANSLATE_NOOP(CONTEXT, "Add or remove tags")),
    ("pane.priority_button", "Priority", QT_TRANSLATE_NOOP(CONTEXT, "Set the priority")),
    ("pane.pending_button", "Pending", QT_TRANSLATE_NOOP(CONTEXT, "Waiting on the other side")),
    ("pane.close_button", "Close", QT_TRANSLATE_NOOP(CONTEXT, "Done: close the conversation")),
)

#: The bulk bar's buttons answer to the same verbs as the pane's.
BULK_DESCRIPTION = QT_TRANSLATE_NOOP(CONTEXT, "Applies to every selected conversation")


def _widget(window: MainWindow, path: str) -> QWidget:
    target: object = window
    for part in path.split("."):
        target = getattr(target, part)
    assert isinstance(target, QWidget), path
    return target


def name_controls(window: MainWindow) -> None:
    """Give every control of the window its accessible name and (translated)
    description, and set the Tab path."""
    for path, name, description in NAMED:
        widget = _widget(window, path)
        widget.setAccessibleName(name)
        widget.setAccessibleDescription(QCoreApplication.translate(CONTEXT, description))
    bulk = QCoreApplication.translate(CONTEXT, BULK_DESCRIPTION)
    for name, button in window.queue.bulk_buttons.items():
        button.setAccessibleName(name)
        button.setAccessibleDescription(bulk)
    keyboard_path(window)


def keyboard_path(window: MainWindow) -> None:
    """Tab: queue → thread → reply → note (then the rest of the window)."""
    table, pane = window.table, window.pane
    # One stop for the whole list: arrows and j/k move between rows.
    table.setTabKeyNavigation(False)
    # Tab leaves the thread and the reply box instead of walking links or
    # typing a tab character.
    pane.browser.setTabChangesFocus(True)
    pane.editor.setTabChangesFocus(True)
    path = [table, pane.browser, pane.editor, pane.note_input]
    for first, second in pairwise(path):
        QWidget.setTabOrder(first, second)
