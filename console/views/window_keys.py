"""The main window's menu bar and keyboard shortcuts, and the list of
shortcuts the Help menu shows.

The single-key shortcuts (j, k, t, e...) work while the list or the
conversation has the focus, never while the person types in the composer
or the search field.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QToolButton

from console.models.vocabulary import Status
from console.views import actions
from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.ops.queue import SetStatus, Take

if TYPE_CHECKING:
    from console.views.main_window import MainWindow

SHORTCUTS = [
    ("j / k", QT_TRANSLATE_NOOP("MainWindow", "next / previous conversation")),
    ("Enter", QT_TRANSLATE_NOOP("MainWindow", "open the conversation (focus the reply)")),
    ("r", QT_TRANSLATE_NOOP("MainWindow", "reply (focus the composer)")),
    ("a", QT_TRANSLATE_NOOP("MainWindow", "assign…")),
    ("t", QT_TRANSLATE_NOOP("MainWindow", "take (assign to me)")),
    ("e", QT_TRANSLATE_NOOP("MainWindow", "close")),
    ("s", QT_TRANSLATE_NOOP("MainWindow", "snooze…")),
    ("#", QT_TRANSLATE_NOOP("MainWindow", "tag…")),
    ("p", QT_TRANSLATE_NOOP("MainWindow", "priority…")),
    ("u", QT_TRANSLATE_NOOP("MainWindow", "mark unread")),
    ("/", QT_TRANSLATE_NOOP("MainWindow", "search")),
    ("Esc", QT_TRANSLATE_NOOP("MainWindow", "back to the queue")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("MainWindow", "send")),
    ("Ctrl+Z", QT_TRANSLATE_NOOP("MainWindow", "undo the last action (outside text fields)")),
    ("Ctrl+K", QT_TRANSLATE_NOOP("MainWindow", "commands and saved replies")),
    ("F5", QT_TRANSLATE_NOOP("MainWindow", "sync now")),
    ("Ctrl+,", QT_TRANSLATE_NOOP("MainWindow", "settings")),
    ("?", QT_TRANSLATE_NOOP("MainWindow", "this list")),
]


def key_text(keys: str) -> str:
    """A shortcut's keys as the person's keyboard names them ("Entrée",
    "Échap", "Ctrl+Entrée" under French: Qt's own translations); a single
    character stays as typed (QKeySequence would write "j" as "J")."""
    native = QKeySequence.SequenceFormat.NativeText
    return " / ".join(
        part if len(part) == 1 else QKeySequence(part).toString(native)
        for part in keys.split(" / ")
    )


def shortcuts_html() -> str:
    """The shortcut list as a table, translated."""
    rows = "".join(
        f"<tr><td><b>{html.escape(key_text(k))}</b>&nbsp;&nbsp;</td>"
        f"<td>{QCoreApplication.translate('MainWindow', v)}</td></tr>"
        for k, v in SHORTCUTS
    )
    return f"<table>{rows}</table>"


def install_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    app_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Parloir"))
    sync = QAction(QCoreApplication.translate("MainWindow", "Sync now"), window)
    sync.setShortcut(QKeySequence("F5"))
    sync.triggered.connect(window.sync_now)
    app_menu.addAction(sync)
    outbox = QAction(QCoreApplication.translate("MainWindow", "Outbox…"), window)
    outbox.triggered.connect(window.open_outbox)
    app_menu.addAction(outbox)
    settings = QAction(QCoreApplication.translate("MainWindow", "Settings…"), window)
    settings.setShortcut(QKeySequence("Ctrl+,"))
    settings.setMenuRole(QAction.MenuRole.PreferencesRole)
    settings.triggered.connect(window.open_settings)
    app_menu.addAction(settings)
    app_menu.addSeparator()
    quit_action = QAction(QCoreApplication.translate("MainWindow", "Quit"), window)
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    quit_action.triggered.connect(window.close)
    app_menu.addAction(quit_action)
    help_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Help"))
    keys = QAction(QCoreApplication.translate("MainWindow", "Keyboard shortcuts"), window)
    keys.triggered.connect(window.show_shortcuts)
    help_menu.addAction(keys)


def install_shortcuts(window: MainWindow) -> None:
    table, pane = window.table, window.pane

    def key(seq: str, fn: Callable[[], object]) -> None:
        for widget in (table, pane.browser):
            shortcut = QShortcut(QKeySequence(seq), widget)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(fn)

    key("j", lambda: window.queue.step(1))
    key("k", lambda: window.queue.step(-1))
    key("Return", lambda: pane.editor.setFocus())
    key("r", lambda: pane.editor.setFocus())
    key("t", lambda: window.act(Take(), window.targets()))
    key("e", lambda: window.act(SetStatus(Status.CLOSED), window.targets()))
    key("a", lambda: menu_for(window, pane.assign_button))
    key("s", lambda: menu_for(window, pane.snooze_button))
    key("#", lambda: menu_for(window, pane.tag_button))
    key("p", lambda: menu_for(window, pane.priority_button))
    key("u", lambda: window.read_marks.mark_unread(window.targets()))
    key("/", window.search.setFocus)
    key("?", window.show_shortcuts)
    palette = QShortcut(QKeySequence("Ctrl+K"), window)
    palette.activated.connect(lambda: open_palette(window))
    # Each Escape is local to its widget: two window-wide bindings of the
    # same key made Qt treat Esc as ambiguous, so it did nothing.
    local = Qt.ShortcutContext.WidgetWithChildrenShortcut
    escape = QShortcut(QKeySequence("Escape"), window.search, context=local)
    escape.activated.connect(window.search.clear)
    escape.activated.connect(table.setFocus)
    # Esc from anywhere in the pane (the thread, the reply, the note, the
    # action buttons Tab reaches after them) leaves any text there and
    # gives the keyboard back to the queue: one binding for the whole pane,
    # so no two overlap.
    back = QShortcut(QKeySequence("Escape"), pane, context=local)
    back.activated.connect(table.setFocus)


def menu_for(window: MainWindow, button: QToolButton) -> None:
    """Open a pane menu from the keyboard; with several rows selected the
    bulk menus answer instead (the choice applies to all)."""
    pane, table = window.pane, window.table
    if len(window.selected_ids()) > 1:
        menus = window.bulk_menus
        menu = {
            pane.assign_button: menus.assign_menu,
            pane.snooze_button: menus.snooze_menu,
            pane.tag_button: menus.tag_menu,
            pane.priority_button: menus.priority_menu,
        }[button]()
        actions.show_menu(menu, table.mapToGlobal(table.rect().center()))
        return
    if button.isEnabled():
        button.pop()  # type: ignore[attr-defined]


def open_palette(window: MainWindow) -> None:
    """Ctrl+K: the command palette, built from what the window knows now."""
    from console.views import palette_commands
    from console.views.palette import CommandPalette

    dialog = CommandPalette(palette_commands.commands(window), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.command_palette = dialog
    dialog.finished.connect(lambda _r: setattr(window, "command_palette", None))
    dialog.open()
    dialog.activateWindow()  # the typed letters go to its field at once
    dialog.field.setFocus()
