"""The Accounts tab: the accounts and their state; adding one, signing
one in again (signin_kinds: which dialog for which network), removing one.

Removing asks the keyring first, so it runs off the GUI thread (the
network pool of the Runner), like the sign-ins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from console.services import accounts
from console.sync.netspec import NetworkSpec
from console.sync.networks import all_networks
from console.views.icons import network_icon
from console.views.settings.common import ID_ROLE, AccountRow, alive
from console.views.settings.signin import Refusal, SignInDialog, attempt, sentence
from console.views.settings.signin_kinds import (
    adding,
    can_sign_in_again,
    dialog_of,
    signing_in_again,
)
from console.views.tasks import Runner


def _load_accounts(session: Session) -> list[AccountRow]:
    return [
        AccountRow(
            a.id, a.network, a.handle, a.server, a.status, a.status_message, dict(a.config or {})
        )
        for a in accounts.list_accounts(session)
    ]


class AccountsTab(QWidget):
    """Lists the accounts with their state; adds, signs in again, removes.

    ``report(sentence)`` says how an action ended (the dialog's message line).
    """

    def __init__(self, runner: Runner, report: Callable[[str], None]) -> None:
        super().__init__()
        self.runner, self.report = runner, report
        self.rows: dict[str, AccountRow] = {}
        self.signin_dialog: SignInDialog | None = None
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Accounts")  # a11y.py: names are English, fixed
        self.tree.setAccessibleDescription(self.tr("Connected accounts and their state"))
        self.tree.setHeaderLabels([self.tr("Account"), self.tr("Server"), self.tr("State")])
        self.tree.setRootIsDecorated(False)
        self.tree.currentItemChanged.connect(self._update_buttons)
        #: One "Add … account…" button per registered network that has a
        #: sign-in dialog, in the registry's order.
        self.add_buttons: dict[str, QPushButton] = {}
        for network in all_networks():
            if dialog_of(network.name) is not None:
                button = QPushButton(self._add_label(network))
                button.clicked.connect(lambda _=False, name=network.name: self.add(name))
                self.add_buttons[network.name] = button
        self.reauth_button = QPushButton(self.tr("Sign in again…"))
        self.reauth_button.clicked.connect(self.reauthenticate)
        self.reauth_button.setToolTip(self.tr("For an account whose server refused its sign-in"))
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.clicked.connect(self.remove)
        buttons = QVBoxLayout()
        for button in (*self.add_buttons.values(), self.reauth_button, self.remove_button):
            buttons.addWidget(button)
        buttons.insertSpacing(len(self.add_buttons), 12)
        buttons.addStretch()
        layout = QHBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def load(self, then: Callable[[], None] | None = None) -> None:
        def loaded(rows: list[AccountRow]) -> None:
            self._show(rows)
            if then is not None:
                then()

        self.runner.read(_load_accounts, alive(self, loaded))

    def _show(self, rows: list[AccountRow]) -> None:
        current = self.selected()
        self.rows = {r.id: r for r in rows}
        states = {"ok": self.tr("Signed in"), "needs_reauth": self.tr("Needs signing in again")}
        self.tree.clear()
        for row in rows:
            state = states.get(row.status) or self.tr("Error: {0}").format(row.message or "")
            item = QTreeWidgetItem([row.handle, row.server, state])
            item.setIcon(0, network_icon(row.network))
            item.setData(0, ID_ROLE, row.id)
            item.setToolTip(2, row.message or state)
            self.tree.addTopLevelItem(item)
            if current is not None and row.id == current.id:
                self.tree.setCurrentItem(item)
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)
        self._update_buttons()

    def selected(self) -> AccountRow | None:
        item = self.tree.currentItem()
        return self.rows.get(item.data(0, ID_ROLE)) if item is not None else None

    def _update_buttons(self, *_: Any) -> None:
        row = self.selected()
        self.remove_button.setEnabled(row is not None)
        self.reauth_button.setEnabled(row is not None and can_sign_in_again(row))

    def _add_label(self, network: NetworkSpec) -> str:
        """The spec's button text, translated here (the sync layer has no Qt)."""
        if network.add_label:
            return QCoreApplication.translate("AccountsTab", network.add_label)
        return self.tr("Add {0} account…").format(network.display_name)

    def add(self, network: str) -> None:
        """Open the sign-in dialog that adds an account of ``network``."""
        self._open(adding(network, self, self.runner), self.tr("Added {0}."))

    def reauthenticate(self) -> None:
        row = self.selected()
        if row is None or not can_sign_in_again(row):
            return
        self._open(signing_in_again(self, self.runner, row), self.tr("{0} is signed in again."))

    def _open(self, dialog: SignInDialog, said: str) -> None:
        """Show a sign-in dialog; its success is reported with ``said``."""
        dialog.succeeded.connect(lambda handle: self.report(said.format(handle)))
        self.signin_dialog = dialog
        dialog.open()

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove account"),
            self.tr(
                "Remove {0}? Its conversations, drafts and notes are deleted from this "
                "computer; nothing is deleted on the server."
            ).format(row.handle),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        writer = self.runner.cache.writer
        self.remove_button.setEnabled(False)
        removed = self.tr("Removed {0}.").format(row.handle)

        def done(outcome: str | Refusal) -> None:
            if isinstance(outcome, Refusal):
                self._remove_failed(outcome.sentence)
            else:
                self.report(removed)

        self.runner.call(
            lambda: attempt(lambda: accounts.remove_account(writer, row.id)),
            alive(self, done),
            alive(self, lambda exc: self._remove_failed(sentence(exc))),
        )

    def _remove_failed(self, message: str) -> None:
        self.report(message)
        self._update_buttons()
