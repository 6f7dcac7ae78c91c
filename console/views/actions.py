"""Workflow menus shared by the conversation pane and the bulk bar.

Both ask the same questions (assign to whom? snooze until when? which tag?
which priority?) and answer with one signal, ``chosen(name, arg)``; the main
window applies the choice to the selected conversations on the writer.

Names and arguments:
    take None · assign member_id|None · status "open"|"pending"|"closed"
    snooze datetime (aware) · tag str · untag str · priority str
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from PySide6.QtCore import QDateTime, QObject, QPoint, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from console.views.i18n import QT_TRANSLATE_NOOP

PRIORITY_LABELS = (
    ("urgent", QT_TRANSLATE_NOOP("ActionMenus", "Urgent")),
    ("high", QT_TRANSLATE_NOOP("ActionMenus", "High")),
    ("normal", QT_TRANSLATE_NOOP("ActionMenus", "Normal")),
    ("low", QT_TRANSLATE_NOOP("ActionMenus", "Low")),
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


class ActionMenus(QObject):
    """Builds the menus; emits ``chosen(name, arg)``."""

    chosen = Signal(str, object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.data = TeamData()

    def _emitter(self, name: str, arg: object) -> Callable[..., None]:
        """A slot that ignores what the signal passes (``checked``) and emits."""

        def emit(*_ignored: object) -> None:
            self.chosen.emit(name, arg)

        return emit

    def assign_menu(self, current: str | None = None) -> QMenu:
        menu = QMenu(self.tr("Assign"), self.parent_widget)
        if self.data.me_id:
            menu.addAction(self.tr("Me (take)"), lambda: self.chosen.emit("take", None))
            menu.addSeparator()
        for member_id, name in self.data.members:
            action = menu.addAction(name, partial(self.chosen.emit, "assign", member_id))
            action.setCheckable(True)
            action.setChecked(member_id == current)
        menu.addSeparator()
        menu.addAction(self.tr("Nobody"), lambda: self.chosen.emit("assign", None))
        return menu

    def snooze_menu(self) -> QMenu:
        menu = QMenu(self.tr("Snooze"), self.parent_widget)
        now = datetime.now().astimezone()
        for label, when in snooze_presets(now):
            text = f"{self.tr(label)}\t{when.strftime('%a %H:%M')}"
            menu.addAction(text, partial(self.chosen.emit, "snooze", when))
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
            self.chosen.emit("snooze", when.astimezone())

    def tag_menu(self, current: tuple[str, ...] = ()) -> QMenu:
        menu = QMenu(self.tr("Tags"), self.parent_widget)
        for name in self.data.tags:
            action = menu.addAction(name)
            action.setCheckable(True)
            on = name in current
            action.setChecked(on)
            action.triggered.connect(self._emitter("untag" if on else "tag", name))
        if self.data.tags:
            menu.addSeparator()
        menu.addAction(self.tr("New tag…"), self._new_tag)
        return menu

    def _new_tag(self) -> None:
        name, ok = QInputDialog.getText(
            self.parent_widget, self.tr("New tag"), self.tr("Tag name:")
        )
        if ok and name.strip():
            self.chosen.emit("tag", name.strip())

    def priority_menu(self, current: str = "normal") -> QMenu:
        menu = QMenu(self.tr("Priority"), self.parent_widget)
        for key, label in PRIORITY_LABELS:
            action = menu.addAction(self.tr(label), partial(self.chosen.emit, "priority", key))
            action.setCheckable(True)
            action.setChecked(key == current)
        return menu

    def status_menu(self) -> QMenu:
        menu = QMenu(self.tr("Status"), self.parent_widget)
        menu.addAction(self.tr("Open"), lambda: self.chosen.emit("status", "open"))
        menu.addAction(self.tr("Pending"), lambda: self.chosen.emit("status", "pending"))
        menu.addAction(self.tr("Closed"), lambda: self.chosen.emit("status", "closed"))
        return menu
