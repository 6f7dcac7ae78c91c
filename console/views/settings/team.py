"""The Team tab: members, their roles, and which one is "me"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from console.models.writer import Tx
from console.services import team
from console.views.settings.common import ID_ROLE, alive
from console.views.tasks import Runner


@dataclass(frozen=True, slots=True)
class MemberRow:
    id: str
    name: str
    role: str
    is_me: bool


def _load_members(session: Session) -> list[MemberRow]:
    return [MemberRow(m.id, m.name, m.role, m.is_me) for m in team.list_members(session)]


class TeamTab(QWidget):
    def __init__(self, runner: Runner, report: Callable[[str], None]) -> None:
        super().__init__()
        self.runner, self.report = runner, report
        self.rows: dict[str, MemberRow] = {}
        self.role_names = {
            "agent": self.tr("Agent"),
            "lead": self.tr("Lead"),
            "admin": self.tr("Admin"),
        }
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Team")  # a11y.py: names are English, fixed
        self.tree.setAccessibleDescription(self.tr("Team members and their roles"))
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Role"), ""])
        self.tree.setRootIsDecorated(False)
        self.tree.currentItemChanged.connect(self._selection_changed)
        self.role = self._role_combo()
        self.role.activated.connect(self.change_role)
        self.me_button = QPushButton(self.tr("This is me"))
        self.me_button.clicked.connect(self.set_me)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("Name"))
        self.new_role = self._role_combo()
        self.add_button = QPushButton(self.tr("Add member"))
        self.add_button.clicked.connect(self.add_member)
        self.new_name.returnPressed.connect(self.add_member)
        selected = QHBoxLayout()
        selected.addWidget(QLabel(self.tr("Role:")))
        selected.addWidget(self.role)
        selected.addWidget(self.me_button)
        selected.addStretch()
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(self.new_role)
        adding.addWidget(self.add_button)
        note = QLabel(
            self.tr(
                "Agents answer; leads also reassign colleagues' conversations; "
                "admins also change these settings."
            )
        )
        note.setWordWrap(True)
        #: Who "me" is, in words (the window's status bar says it too).
        self.me_label = QLabel()
        self.me_label.setWordWrap(True)
        self.me_label.setAccessibleName("Me")
        layout = QVBoxLayout(self)
        layout.addWidget(self.me_label)
        layout.addWidget(self.tree, 1)
        layout.addLayout(selected)
        layout.addWidget(note)
        layout.addLayout(adding)
        self._selection_changed()

    def _role_combo(self) -> QComboBox:
        combo = QComboBox()
        for role in team.ROLES:
            combo.addItem(self.role_names[role], role)
        return combo

    def load(self, then: Callable[[], None] | None = None) -> None:
        def loaded(rows: list[MemberRow]) -> None:
            self._show(rows)
            if then is not None:
                then()

        self.runner.read(_load_members, alive(self, loaded))

    def _show(self, rows: list[MemberRow]) -> None:
        current = self.selected()
        self.rows = {r.id: r for r in rows}
        self.tree.clear()
        for row in rows:
            item = QTreeWidgetItem(
                [
                    row.name,
                    self.role_names.get(row.role, row.role),
                    self.tr("you") if row.is_me else "",
                ]
            )
            item.setData(0, ID_ROLE, row.id)
            self.tree.addTopLevelItem(item)
            if current is not None and row.id == current.id:
                self.tree.setCurrentItem(item)
        me = next((r for r in rows if r.is_me), None)
        self.me_label.setText(
            self.tr("You are {0} ({1}).").format(me.name, self.role_names.get(me.role, me.role))
            if me is not None
            else self.tr("Nobody is you yet: choose yourself in the list, then “This is me”.")
        )
        self._selection_changed()

    def selected(self) -> MemberRow | None:
        item = self.tree.currentItem()
        return self.rows.get(item.data(0, ID_ROLE)) if item is not None else None

    def _selection_changed(self, *_: Any) -> None:
        row = self.selected()
        self.role.setEnabled(row is not None)
        self.me_button.setEnabled(row is not None and not row.is_me)
        if row is not None:
            self.role.setCurrentIndex(self.role.findData(row.role))

    def _write(self, task: Callable[[Tx], Any]) -> None:
        self.runner.write(task, None, alive(self, self._failed))

    def _failed(self, exc: Exception) -> None:
        self.report(str(exc))
        self._selection_changed()  # the combo goes back to the stored role

    def add_member(self) -> None:
        name, role = self.new_name.text().strip(), str(self.new_role.currentData())
        if not name:
            self.report(self.tr("Type the new member's name."))
            return
        self.runner.write(
            lambda tx: team.add_member(tx, name, role).id,
            alive(self, lambda _: self.new_name.clear()),
            alive(self, self._failed),
        )

    def change_role(self, _index: int = 0) -> None:
        row, role = self.selected(), str(self.role.currentData())
        if row is not None and role != row.role:
            self._write(lambda tx: team.set_role(tx, row.id, role).id)

    def set_me(self) -> None:
        row = self.selected()
        if row is not None:
            self._write(lambda tx: team.set_me(tx, row.id).id)
