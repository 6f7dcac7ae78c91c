"""The Settings dialog: accounts, team, saved replies, workflow,
notifications, language, appearance.

Every tab loads through the :class:`Runner` and saves through services on
the writer, so the dialog opens at once and never runs SQL on the GUI
thread. Lists and the team save as soon as the user acts (add, remove, a new
role); the Workflow, Notifications and Language tabs are forms, saved on OK / Apply.

Each tab is its own module under views/settings/ (and so are the sign-in
dialogs, on one base: views/settings/signin.py); this one assembles them
and saves the forms.

The dialog deletes itself when closed (``SettingsDialog(runner, self).open()``
does not leak), so every late callback checks that its widget still exists.

Signals:
    loaded(): every tab holds its first data (tests wait for it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from console.models.writer import ChangeSet, Tx
from console.services import settings
from console.views import theme
from console.views.settings.accounts import AccountsTab
from console.views.settings.common import alive
from console.views.settings.forms import FORM_KEYS, AppearanceTab, LanguageTab, WorkflowTab
from console.views.settings.notifications_tab import NotificationsTab
from console.views.settings.replies import RepliesTab
from console.views.settings.team import TeamTab
from console.views.tab_bar import accent_tabs
from console.views.tasks import Runner


def _load_form(session: Session) -> dict[str, Any]:
    return {key: settings.base_value(session, key) for key in FORM_KEYS}


class SettingsDialog(QDialog):
    """See the module docstring."""

    loaded = Signal()

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Settings"))
        self.accounts = AccountsTab(runner, self.show_message)
        self.team = TeamTab(runner, self.show_message)
        self.replies = RepliesTab(runner, self.show_message)
        self.workflow = WorkflowTab()
        self.notifications = NotificationsTab()
        self.language = LanguageTab()
        self.appearance = AppearanceTab()
        self.tabs = accent_tabs(QTabWidget())
        self.tabs.addTab(self.accounts, self.tr("Accounts"))
        self.tabs.addTab(self.team, self.tr("Team"))
        self.tabs.addTab(self.replies, self.tr("Saved replies"))
        self.tabs.addTab(self.workflow, self.tr("Workflow"))
        self.tabs.addTab(self.notifications, self.tr("Notifications"))
        self.tabs.addTab(self.language, self.tr("Language"))
        self.tabs.addTab(self.appearance, self.tr("Appearance"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        self.buttons.accepted.connect(lambda: self.apply(then=self.accept))
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self.buttons.setEnabled(False)  # until the forms hold the stored values
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(760, 500)
        self.form_values: dict[str, Any] = {}
        self._waiting = 4
        for tab in (self.accounts, self.team, self.replies):
            tab.load(self._one_loaded)
        runner.read(_load_form, alive(self, self._form_loaded))
        runner.changed.connect(self._changed)

    def _form_loaded(self, values: dict[str, Any]) -> None:
        self.form_values = values
        self.workflow.show_values(values)
        self.notifications.show_values(values)
        self.language.show_value(str(values["language"]))
        self.appearance.show_value(str(values["appearance"]))
        self.buttons.setEnabled(True)
        self._one_loaded()

    def _one_loaded(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self.loaded.emit()

    def _changed(self, changes: ChangeSet) -> None:
        """Another write (a sync marking an account, our own saves): refresh the lists.
        The forms are not reloaded, so nothing typed is overwritten."""
        if changes.accounts:
            self.accounts.load()
        if changes.team:
            self.team.load()
        if changes.settings:
            self.replies.load()

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def form(self) -> dict[str, Any]:
        return {
            **self.workflow.values(),
            **self.notifications.values(),
            "language": self.language.value(),
            "appearance": self.appearance.value(),
        }

    def apply(self, *_: Any, then: Callable[[], None] | None = None) -> None:
        """Save what differs from the stored values (an untouched default stays a
        default, so a later version's better default still reaches this user)."""
        values = self.form()
        changed = {k: v for k, v in values.items() if v != self.form_values.get(k)}
        if "appearance" in changed:  # shown at once; the language waits for a restart
            app = QApplication.instance()
            if isinstance(app, QApplication):
                theme.current(app).set_mode(changed["appearance"])
        if not changed:
            if then is not None:
                then()
            return

        def task(tx: Tx) -> None:
            for key, value in changed.items():
                settings.put(tx, key, value)

        def saved(_: Any) -> None:
            self.form_values.update(changed)
            self.buttons.setEnabled(True)
            self.show_message(self.tr("Saved."))
            if then is not None:
                then()

        self.buttons.setEnabled(False)
        self.runner.write(task, alive(self, saved), alive(self, self._save_failed))

    def _save_failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.show_message(str(exc))
