"""The Accounts tab: the accounts, their state, adding, signing in again,
removing."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from console.services import accounts, oauth, signin
from console.views.icons import network_icon
from console.views.settings.common import ID_ROLE, Background, alive
from console.views.tasks import Runner


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: str
    network: str
    handle: str
    server: str
    status: str
    message: str | None


def _load_accounts(session: Session) -> list[AccountRow]:
    return [
        AccountRow(a.id, a.network, a.handle, a.server, a.status, a.status_message)
        for a in accounts.list_accounts(session)
    ]


class MastodonSignIn(QDialog):
    """Server address plus browser sign-in or a pasted token.

    ``work(server, token_or_None)`` runs on a thread; the dialog stays open,
    says "Signing in…", and shows the error sentence so the user can fix the
    token and try again. It closes itself on success.

    Signals:
        succeeded(object): what ``work`` returned.
    """

    succeeded = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        background: Background,
        work: Callable[[str, str | None], Any],
        server: str = "",
    ) -> None:
        super().__init__(parent)
        self.background, self.work = background, work
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Sign in again") if server else self.tr("Add Mastodon account"))
        self.server = QLineEdit(server)
        self.server.setPlaceholderText(self.tr("mastodon.social"))
        self.server.setReadOnly(bool(server))
        self.browser = QRadioButton(self.tr("Sign in with the browser"))
        self.use_token = QRadioButton(self.tr("Use an access token"))
        self.browser.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.browser)
        group.addButton(self.use_token)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("Access token"))
        self.token.setEnabled(False)
        self.use_token.toggled.connect(self.token.setEnabled)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(420)
        form = QFormLayout()
        form.addRow(self.tr("Server:"), self.server)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.browser)
        layout.addWidget(self.use_token)
        layout.addWidget(self.token)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        (self.token if server else self.server).setFocus()

    def sign_in(self) -> None:
        server = self.server.text().strip()
        token = self.token.text().strip() if self.use_token.isChecked() else None
        if not server:
            self.status.setText(self.tr("Type the address of your Mastodon server."))
            return
        if token == "":
            self.status.setText(self.tr("Paste the access token, or sign in with the browser."))
            return
        self._busy(True)
        self.status.setText(
            self.tr("Signing in… finish in the browser window.")
            if token is None
            else self.tr("Signing in…")
        )
        self.background.run(
            lambda: self.work(server, token), alive(self, self._done), alive(self, self._failed)
        )

    def _busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        for widget in (self.browser, self.use_token):
            widget.setEnabled(not busy)
        self.server.setEnabled(not busy)
        self.token.setEnabled(not busy and self.use_token.isChecked())

    def _done(self, result: Any) -> None:
        self.succeeded.emit(result)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.status.setText(message)


def _gui_browser_token(server: str) -> str:
    """A token through the browser; without a browser there is no terminal to
    paste a code into, so the out-of-band fallback gets an empty answer."""
    return oauth.browser_sign_in(
        signin.normalise_server(server), stdin=io.StringIO(), stderr=io.StringIO()
    )


class AccountsTab(QWidget):
    def __init__(self, runner: Runner, background: Background, report: Callable[[str], None]):
        super().__init__()
        self.runner, self.background, self.report = runner, background, report
        self.rows: dict[str, AccountRow] = {}
        self.signin_dialog: MastodonSignIn | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Account"), self.tr("Server"), self.tr("State")])
        self.tree.setRootIsDecorated(False)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.add_mastodon_button = QPushButton(self.tr("Add Mastodon account…"))
        self.add_mastodon_button.clicked.connect(self.add_mastodon)
        self.add_bluesky_button = QPushButton(self.tr("Add Bluesky account…"))
        self.add_email_button = QPushButton(self.tr("Add e-mail account…"))
        self.add_bluesky_button.clicked.connect(self.add_bluesky)
        self.add_email_button.clicked.connect(self.add_email)
        self.reauth_button = QPushButton(self.tr("Re-authenticate…"))
        self.reauth_button.clicked.connect(self.reauthenticate)
        self.reauth_button.setToolTip(self.tr("For an account whose server refused its sign-in"))
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.clicked.connect(self.remove)
        buttons = QVBoxLayout()
        for button in (
            self.add_mastodon_button,
            self.add_bluesky_button,
            self.add_email_button,
            self.reauth_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.insertSpacing(3, 12)
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
        self.reauth_button.setEnabled(
            row is not None and row.network == "mastodon" and row.status != "ok"
        )

    def add_mastodon(self) -> None:
        cache = self.runner.cache

        def work(server: str, token: str | None) -> str:
            account = signin.add_mastodon(cache, server, token, stdin=io.StringIO())
            return account.handle

        self._open_sign_in(work, "", lambda handle: self.tr("Added {0}.").format(handle))

    def add_bluesky(self) -> None:
        from console.views.settings.bluesky_signin import BlueskySignIn

        cache = self.runner.cache

        def work(handle: str, app_password: str, service: str | None) -> str:
            return signin.add_bluesky(cache, handle, app_password, service=service).handle

        dialog = BlueskySignIn(self, self.background, work, alive)
        dialog.succeeded.connect(lambda handle: self.report(self.tr("Added {0}.").format(handle)))
        self.bluesky_dialog = dialog
        dialog.open()

    def add_email(self) -> None:
        from console.views.settings.email_signin import EmailSignIn

        cache = self.runner.cache

        def work(
            imap: str, smtp: str, user: str, address: str | None, password: str, security: str
        ) -> str:
            account = signin.add_email(
                cache,
                imap=imap,
                smtp=smtp,
                user=user,
                address=address,
                password=password,
                security=security,
            )
            return account.handle

        dialog = EmailSignIn(self, self.background, work, alive)
        dialog.succeeded.connect(lambda handle: self.report(self.tr("Added {0}.").format(handle)))
        self.email_dialog = dialog
        dialog.open()

    def reauthenticate(self) -> None:
        row = self.selected()
        if row is None:
            return
        writer = self.runner.cache.writer

        def work(server: str, token: str | None) -> str:
            token = token if token is not None else _gui_browser_token(server)
            return accounts.reauthenticate(writer, row.id, token).handle

        self._open_sign_in(
            work, row.server, lambda handle: self.tr("{0} is signed in again.").format(handle)
        )

    def _open_sign_in(
        self, work: Callable[[str, str | None], str], server: str, said: Callable[[str], str]
    ) -> None:
        dialog = MastodonSignIn(self, self.background, work, server)
        dialog.succeeded.connect(lambda handle: self.report(said(handle)))
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
        self.background.run(
            lambda: accounts.remove_account(writer, row.id),
            alive(self, lambda _: self.report(self.tr("Removed {0}.").format(row.handle))),
            alive(self, self._remove_failed),
        )

    def _remove_failed(self, message: str) -> None:
        self.report(message)
        self._update_buttons()
