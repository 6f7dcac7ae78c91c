"""Workflow menus shared by the conversation pane and the bulk bar.

Both ask the same questions (assign to whom? snooze until when? which tag?
which priority?) and answer with one signal, ``chosen(QueueAction)`` (a
value of console/views/ops/queue.py); the main window applies the choice to
the selected conversations on the writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.models.vocabulary import Priority, Status
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

PRIORITY_LABELS = (
    (Priority.URGENT, QT_TRANSLATE_NOOP("ActionMenus", "Urgent")),
    (Priority.HIGH, QT_TRANSLATE_NOOP("ActionMenus", "High")),
    (Priority.NORMAL, QT_TRANSLATE_NOOP("ActionMenus", "Normal")),
    (Priority.LOW, QT_TRANSLATE_NOOP("ActionMenus", "Low")),
)


@dataclass(slots=True)
class TeamData:
    """What the menus offer; refreshed by the main window in the background."""

    members: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    tags: list[str] = field(default_factory=list)
    me_id: str | None = None


def snooze_presets(now: datetime) -> list[tuple[str, datetime]]:
    """Later today (+3 h, or 18:00 when that is later and still today),
    tomorrow 9:00, next Monday 9:00. ``now`` is local and aware."""
    later = now + timedelta(hours=3)
    evening = now.replace(hour=18, minute=0, second=0, microsecond=0)
    if evening > later:
        later = evening
    nine = now.replace(hour=9, minute=0, second=0, microsecond=0)
    tomorrow = nine + timedelta(days=1)
    monday = nine + timedelta(days=(7 - now.weekday()) or 7)
    out = []
    if later.date() == now.date():
        out.append((QT_TRANSLATE_NOOP("ActionMenus", "Later today"), later))
    out.append((QT_TRANSLATE_NOOP("ActionMenus", "Tomorrow 9:00"), tomorrow))
    out.append((QT_TRANSLATE_NOOP("ActionMenus", "Next week"), monday))
    return out


def show_menu(menu: QMenu, pos: QPoint) -> None:
    """Run a menu at ``pos`` (one place, so tests can answer menus)."""
    menu.exec(pos)


def menu_button(text: str, build: Callable[[], QMenu]) -> QToolButton:
    """A button that opens a menu built when clicked (from current data);
    its ``pop`` opens it from a keyboard shortcut too."""
    button = QToolButton()
    button.setText(text + " ▾")
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAutoRaise(False)

    def pop() -> None:
        show_menu(build(), button.mapToGlobal(button.rect().bottomLeft()))

    button.clicked.connect(pop)
    button.pop = pop  # type: ignore[attr-defined]
    return button


class ActionMenus(QObject):
    """Builds the menus; emits ``chosen(QueueAction)``."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.data = TeamData()

    def _emitter(self, action: QueueAction) -> Callable[..., None]:
        """A slot that ignores what the signal passes (``checked``) and emits."""

        def emit(*_ignored: object) -> None:
            self.chosen.emit(action)

        return emit

    def assign_menu(self, current: str | None = None) -> QMenu:
        menu = QMenu(self.tr("Assign"), self.parent_widget)
        if self.data.me_id:
            menu.addAction(self.tr("Me (take)"), self._emitter(Take()))
            menu.addSeparator()
        for member_id, name in self.data.members:
            action = menu.addAction(name, self._emitter(Assign(member_id)))
            action.setCheckable(True)
            action.setChecked(member_id == current)
        menu.addSeparator()
        menu.addAction(self.tr("Nobody"), self._emitter(Assign(None)))
        return menu

    def snooze_menu(self) -> QMenu:
        menu = QMenu(self.tr("Snooze"), self.parent_widget)
        now = datetime.now().astimezone()
        for label, when in snooze_presets(now):
            text = f"{self.tr(label)}\t{when.strftime('%a %H:%M')}"
            menu.addAction(text, self._emitter(Snooze(when)))
        menu.addSeparator()
        menu.addAction(self.tr("Pick a time…"), self._pick_time)
        return menu

    def _pick_time(self) -> None:
        dialog = QDialog(self.parent_widget)
        dialog.setWindowTitle(self.tr("Snooze until"))
        edit = QDateTimeEdit(QDateTime.currentDateTime().addDays(1))
        edit.setCalendarPopup(True)
        edit.setMinimumDateTime(QDateTime.currentDateTime())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(edit)
        layout.addWidget(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            when = edit.dateTime().toPython()
            assert isinstance(when, datetime)
            self.chosen.emit(Snooze(when.astimezone()))

    def tag_menu(self, current: tuple[str, ...] = ()) -> QMenu:
        menu = QMenu(self.tr("Tags"), self.parent_widget)
        for name in self.data.tags:
            action = menu.addAction(name)
            action.setCheckable(True)
            on = name in current
            action.setChecked(on)
            action.triggered.connect(self._emitter(Untag(name) if on else Tag(name)))
        if self.data.tags:
            menu.addSeparator()
        menu.addAction(self.tr("New tag…"), self._new_tag)
        return menu

    def _new_tag(self) -> None:
        name, ok = QInputDialog.getText(
            self.parent_widget, self.tr("New tag"), self.tr("Tag name:")
        )
        if ok and name.strip():
            self.chosen.emit(Tag(name.strip()))

    def priority_menu(self, current: str = Priority.NORMAL) -> QMenu:
        menu = QMenu(self.tr("Priority"), self.parent_widget)
        for key, label in PRIORITY_LABELS:
            action = menu.addAction(self.tr(label), self._emitter(SetPriority(key)))
            action.setCheckable(True)
            action.setChecked(key == current)
        return menu

    def status_menu(self) -> QMenu:
        menu = QMenu(self.tr("Status"), self.parent_widget)
        menu.addAction(self.tr("Open"), self._emitter(SetStatus(Status.OPEN)))
        menu.addAction(self.tr("Pending"), self._emitter(SetStatus(Status.PENDING)))
        menu.addAction(self.tr("Closed"), self._emitter(SetStatus(Status.CLOSED)))
        return menu
