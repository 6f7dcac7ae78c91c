"""Signing in to Mastodon in the window: the server, then the browser or a
pasted access token.

The same path as ``parloir account add mastodon`` (services.signin): the
browser sign-in only obtains a token, and a token either way is verified
with the server before it is stored. Signing in again keeps the server
(read-only) and checks that the token belongs to the same account.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QWidget

from console.views.settings.common import AccountRow
from console.views.settings.signin import SignInDialog, Work
from console.views.tasks import Runner


class MastodonSignIn(SignInDialog):
    """Server address plus browser sign-in or a pasted token: the values
    ``server`` and ``token`` (None: sign in with the browser; without a
    browser there is no terminal to paste a code into)."""

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
        self.setMinimumWidth(420)
        self.finish()
        (self.token if server else self.server).setFocus()

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
        saying = (
            self.tr("Signing in… finish in the browser window.")
            if token is None
            else self.tr("Signing in…")
        )
        self.start(saying, {"server": server, "token": token})
