"""The command palette (Ctrl+K): every action and every saved reply, found
by typing a few letters of it.

A person working the queue all day keeps their hands on the keyboard; the
palette is the one place where anything the window can do is a few
keystrokes away, without learning each shortcut. Typing filters (each
typed word must start a word of the entry, accents and case ignored),
Up/Down choose, Enter runs and closes, Esc closes. A saved reply chosen
here goes in at the reply box's cursor, so several can be combined in one
reply. The entries are built when it opens (palette_commands.py), from what
the window knows then.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class Command:
    """One entry: what it says, what it does, and its shortcut if it has one."""

    label: str
    run: Callable[[], object]
    keys: str = ""


def _fold(text: str) -> str:
    """Lower case without accents: "Étiqueter" is found by "etiq"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in _fold(text)).split() if w]


def matches(query: str, label: str) -> bool:
    """Each word of ``query`` starts some word of ``label``."""
    wanted = _words(query)
    have = _words(label)
    return all(any(w.startswith(q) for w in have) for q in wanted)


def filtered(commands: Sequence[Command], query: str) -> list[Command]:
    return [c for c in commands if matches(query, c.label)]


class CommandPalette(QDialog):
    """The palette over the window (see module doc)."""

    def __init__(self, commands: Sequence[Command], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Commands"))
        self.commands = list(commands)
        self.field = QLineEdit()
        self.field.setPlaceholderText(self.tr("Type a command or a saved reply…"))
        self.field.setAccessibleName("Command")
        self.field.setAccessibleDescription(self.tr("Filters the list; Enter runs the chosen one"))
        self.list = QListWidget()
        self.list.setAccessibleName("Commands")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keys
        self.list.itemActivated.connect(lambda _item: self.run_current())
        self.empty = QLabel(self.tr("Nothing matches."))
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        self.field.textChanged.connect(self._refilter)
        self.field.installEventFilter(self)
        self.resize(520, 380)
        self._refilter("")

    def _refilter(self, query: str) -> None:
        self.list.clear()
        shown = filtered(self.commands, query)
        for command in shown:
            text = f"{command.label}\t{command.keys}" if command.keys else command.label
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, self.commands.index(command))
            self.list.addItem(item)
        self.empty.setVisible(not shown)
        if shown:
            self.list.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                count = self.list.count()
                if count:
                    self.list.setCurrentRow((self.list.currentRow() + step) % count)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.run_current()
                return True
        return False

    def done(self, result: int) -> None:
        """Closing gives the keyboard back to the window (and its focus
        widget: the reply box keeps its cursor)."""
        super().done(result)
        parent = self.parentWidget()
        if parent is not None:
            parent.activateWindow()

    def run_current(self) -> None:
        """Close, then run the chosen entry (the window has the focus back
        first, so a saved reply lands where the cursor was)."""
        item = self.list.currentItem()
        if item is None:
            return
        command = self.commands[int(item.data(Qt.ItemDataRole.UserRole))]
        self.accept()
        command.run()
