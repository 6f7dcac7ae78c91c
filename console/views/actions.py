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

from PySide6.QtCore import QDateTime, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent
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
from console.views import dates
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


#: Room a title bar takes beside a dialog's title (its buttons, margins).
TITLE_BAR = 140


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


def on_screen(pos: QPoint, size: QSize, area: QRect, above: int | None = None) -> QPoint:
    """Where a popup of ``size`` opened at ``pos`` lies wholly inside
    ``area`` (the screen's free part): moved left from the right edge, and
    opened upwards from ``above`` (the top of its button) when it does not
    fit below; a popup taller than the screen starts at its top."""
    x = max(area.left(), min(pos.x(), area.right() + 1 - size.width()))
    y = pos.y()
    if y + size.height() > area.bottom() + 1:
        y = (pos.y() if above is None else above) - size.height()
    y = max(area.top(), min(y, area.bottom() + 1 - size.height()))
    return QPoint(x, y)


def show_menu(menu: QMenu, pos: QPoint, above: int | None = None) -> None:
    """Run a menu at ``pos``, on screen (one place, so tests can answer
    menus). The menu is complete before it opens, so its size is known."""
    screen = QGuiApplication.screenAt(pos) or QGuiApplication.primaryScreen()
    if screen is not None:
        menu.ensurePolished()
        pos = on_screen(pos, menu.sizeHint(), screen.availableGeometry(), above)
    menu.exec(pos)


def menu_button(text: str, build: Callable[[], QMenu]) -> QToolButton:
    """A button that opens a menu built when clicked (from current data);
    its ``pop`` opens it from a keyboard shortcut too."""
    button = QToolButton()
    button.setText(text + " ▾")
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAutoRaise(False)

    def pop() -> None:
        top = button.mapToGlobal(button.rect().topLeft()).y()
        show_menu(build(), button.mapToGlobal(button.rect().bottomLeft()), top)

    button.clicked.connect(pop)
    button.pop = pop  # type: ignore[attr-defined]
    return button


class StayOpenMenu(QMenu):
    """A menu whose checkable entries toggle without closing it (a click,
    Enter or Space), like the label menus of mail clients."""

    def _toggle_active(self) -> bool:
        action = self.activeAction()
        if action is None or not action.isCheckable() or not action.isEnabled():
            return False
        action.trigger()
        return True

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._toggle_active():
            super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        toggles = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if event.key() in toggles and self._toggle_active():
            return
        super().keyPressEvent(event)


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

    def _toggler(self, name: str) -> Callable[[bool], None]:
        def toggled(on: bool) -> None:
            self.chosen.emit(Tag(name) if on else Untag(name))

        return toggled

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
            text = f"{self.tr(label)}\t{dates.day_time(when)}"
            menu.addAction(text, self._emitter(Snooze(when)))
        menu.addSeparator()
        menu.addAction(self.tr("Pick a time…"), self._pick_time)
        return menu

    def snooze_dialog(self) -> tuple[QDialog, QDateTimeEdit]:
        """The "Pick a time…" dialog: wide enough for its title (a title bar
        elides a longer one: "Repor…usqu'à")."""
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
        title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
        dialog.setMinimumWidth(max(320, title + TITLE_BAR))
        return dialog, edit

    def _pick_time(self) -> None:
        dialog, edit = self.snooze_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            when = edit.dateTime().toPython()
            assert isinstance(when, datetime)
            self.chosen.emit(Snooze(when.astimezone()))

    def tag_menu(self, current: tuple[str, ...] = ()) -> QMenu:
        """Tags to toggle; the menu stays open so several can be toggled in
        one go (Esc or a click outside closes it)."""
        menu = StayOpenMenu(self.tr("Tags"), self.parent_widget)
        for name in self.data.tags:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in current)
            action.toggled.connect(self._toggler(name))
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
