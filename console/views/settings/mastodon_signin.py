"""Signing in to Mastodon in the window: the server, then the browser or a
pasted access token.

The same path as ``parloir account add mastodon`` (services.signin): the
browser sign-in only obtains a token, and a token either way is verified
with the server before it is stored. Signing in again keeps the server
(read-only) and checks that the token belongs to the same account.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from console.views.settings.common import AccountRow
from console.views.settings.signin import SignInDialog, Work
from console.views.tasks import Runner


class MastodonSignIn(SignInDialog):
    """Server address plus browser sign-in or a pasted token: the values
    ``server`` and ``token`` (None: sign in with the browser). When no
    browser can be started, the dialog shows the address to open, with a
    Copy button, and the sign-in waits for it as for the browser."""

    def __init__(
        self, parent: QWidget, runner: Runner, work: Work, account: AccountRow | None = None
    ) -> None:
        super().__init__(parent, runner, work, account)
        server = account.server if account is not None else ""
        self.setWindowTitle(self.tr("Sign in again") if server else self.tr("Add Mastodon account"))
        self.ok_button.setText(self.tr("Sign in"))
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
        self.form.addRow(self.tr("Server:"), self.server)
        for widget in (self.browser, self.use_token, self.token):
            self.extras.addWidget(widget)
        # Shown when no browser could be started: the address to open by hand.
        self.address = QLineEdit()
        self.address.setReadOnly(True)  # selectable, not editable
        self.address.setAccessibleName(self.tr("Sign-in address"))
        self.copy_address = QPushButton(self.tr("Copy address"))
        self.copy_address.clicked.connect(self._copy_address)
        self.address_row = QWidget()
        row = QHBoxLayout(self.address_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.address, 1)
        row.addWidget(self.copy_address)
        self.address_row.hide()
        self.extras.addWidget(self.address_row)
        self.setMinimumWidth(420)
        self.finish()
        (self.token if server else self.server).setFocus()

    def show_address(self, url: str) -> None:
        """No browser opened: the authorisation address, to copy into a
        browser on this computer (the sign-in keeps waiting for it)."""
        self.address.setText(url)
        self.address.setCursorPosition(0)
        self.address_row.show()
        self.say(
            self.tr(
                "No browser could be opened. Copy this address into a browser on this "
                "computer and sign in there; Parloir is waiting for it."
            )
        )
        self.copy_address.setFocus()

    def _copy_address(self) -> None:
        QGuiApplication.clipboard().setText(self.address.text())
        self.copy_address.setText(self.tr("Copied"))

    def inputs(self) -> list[QWidget]:
        return [self.server, self.browser, self.use_token]

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.token.setEnabled(not busy and self.use_token.isChecked())

    def sign_in(self) -> None:
        server = self.server.text().strip()
        token = self.token.text().strip() if self.use_token.isChecked() else None
        if not server:
            self.say(self.tr("Type the address of your Mastodon server."))
            return
        if token == "":
            self.say(self.tr("Paste the access token, or sign in with the browser."))
            return
        self.address_row.hide()
        self.copy_address.setText(self.tr("Copy address"))
        saying = (
            self.tr("Signing in… finish in the browser window.")
            if token is None
            else self.tr("Signing in…")
        )
        self.start(saying, {"server": server, "token": token})
