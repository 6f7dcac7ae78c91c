"""The Saved replies tab: a list and an editor; saved on the button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from console.models.writer import Tx
from console.services import saved_replies
from console.views.settings.common import ID_ROLE, alive
from console.views.tasks import Runner

REPLY_FIELDS = (
    "contact.name",
    "contact.first_name",
    "contact.handle",
    "me.name",
    "me.first_name",
)


def _load_replies(session: Session) -> list[tuple[str, str, str]]:
    return [(r.id, r.name, r.body) for r in saved_replies.list_replies(session)]


class RepliesTab(QWidget):
    def __init__(self, runner: Runner, report: Callable[[str], None]) -> None:
        super().__init__()
        self.runner, self.report = runner, report
        self.bodies: dict[str, tuple[str, str]] = {}
        self.current_id: str | None = None
        self._loads = 0
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._selection_changed)
        self.name = QLineEdit()
        self.body = QPlainTextEdit()
        fields = ", ".join("{{" + f + "}}" for f in REPLY_FIELDS)
        self.hint = QLabel(self.tr("Fields you can use: {0}").format(fields))
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_button = QPushButton(self.tr("New"))
        self.new_button.clicked.connect(self.new)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self.delete)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Text:"), self.body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        editor = QVBoxLayout()
        editor.addLayout(form, 1)
        editor.addWidget(self.hint)
        editor.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(editor, 2)
        self.delete_button.setEnabled(False)

    def load(self, then: Callable[[], None] | None = None) -> None:
        """Reload the list. Reads may finish out of order (a refresh after
        another window's write, ours after a save): only the newest is shown."""
        self._loads += 1
        number = self._loads

        def loaded(rows: list[tuple[str, str, str]]) -> None:
            if number == self._loads:
                self._show(rows)
            if then is not None:
                then()

        self.runner.read(_load_replies, alive(self, loaded))

    def _show(self, rows: list[tuple[str, str, str]]) -> None:
        """Refresh the list; the editor keeps what is being typed."""
        self.bodies = {rid: (name, body) for rid, name, body in rows}
        self.list.blockSignals(True)
        self.list.clear()
        for rid, name, _body in rows:
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, rid)
            self.list.addItem(item)
            if rid == self.current_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.current_id is not None and self.current_id not in self.bodies:
            self.new()  # deleted (here or elsewhere)
        self.delete_button.setEnabled(self.current_id is not None)

    def _selection_changed(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is None:
            return
        self.current_id = item.data(ID_ROLE)
        name, body = self.bodies.get(self.current_id or "", ("", ""))
        self.name.setText(name)
        self.body.setPlainText(body)
        self.delete_button.setEnabled(True)

    def new(self) -> None:
        self.current_id = None
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.blockSignals(False)
        self.name.clear()
        self.body.clear()
        self.delete_button.setEnabled(False)
        self.name.setFocus()

    def save(self) -> None:
        rid, name, body = self.current_id, self.name.text(), self.body.toPlainText()

        def task(tx: Tx) -> tuple[str, str, str]:
            if rid is None:
                reply = saved_replies.add_reply(tx, name, body)
            else:
                reply = saved_replies.update_reply(tx, rid, name, body)
            return reply.id, reply.name, reply.body

        def saved(stored: tuple[str, str, str]) -> None:
            new_id, stored_name, stored_body = stored
            # Known at once, before the reload: a Delete right after Save
            # names the reply as it now is.
            self.bodies[new_id] = (stored_name, stored_body)
            self.current_id = new_id
            self.report(self.tr("Saved {0}.").format(name.strip()))
            self.load()

        self.runner.write(task, alive(self, saved), alive(self, lambda e: self.report(str(e))))

    def delete(self) -> None:
        rid = self.current_id
        if rid is None:
            return
        name = self.bodies.get(rid, ("", ""))[0]
        answer = QMessageBox.question(
            self, self.tr("Delete saved reply"), self.tr("Delete {0}?").format(name)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.runner.write(
            lambda tx: saved_replies.delete_reply(tx, rid),
            alive(self, lambda _: self.load()),
            alive(self, lambda e: self.report(str(e))),
        )
