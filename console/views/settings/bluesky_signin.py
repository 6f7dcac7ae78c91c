"""Signing in to Bluesky in the window: handle and an app password.

The same path as ``parloir account add bluesky`` (services.signin.add_account):
one createSession (Bluesky limits them tightly, so Parloir never signs in
again on each sync), the session and the app password into the keyring. An
app password, not the account's password: it can be revoked on its own, and
one created with "Allow access to your direct messages" lets Parloir read DMs.

Signing in again (the app password was revoked) keeps the handle and the
server (read-only): only a new app password is asked for.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from console.views.settings.common import AccountRow
from console.views.settings.signin import SignInDialog, Work
from console.views.tasks import Runner


class BlueskySignIn(SignInDialog):
    """The values ``handle``, ``app_password`` and ``service`` (None: found
    from the handle)."""

    def __init__(
        self, parent: QWidget, runner: Runner, work: Work, account: AccountRow | None = None
    ) -> None:
        super().__init__(parent, runner, work, account)
        again = account is not None
        handle, service = (account.handle, account.server) if account is not None else ("", "")
        self.setWindowTitle(self.tr("Sign in again") if again else self.tr("Add Bluesky account"))
        self.ok_button.setText(self.tr("Sign in"))
        self.handle = QLineEdit(handle)
        self.handle.setPlaceholderText(self.tr("yourname.bsky.social"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("xxxx-xxxx-xxxx-xxxx"))
        self.service = QLineEdit(service)
        self.service.setPlaceholderText(self.tr("Found from the handle; or https://your.pds"))
        for known in (self.handle, self.service):
            known.setReadOnly(again)
        hint = QLabel(
            self.tr(
                "Use an app password (Settings → Privacy and security → App passwords). "
                "Allow access to direct messages to answer DMs here."
            )
        )
        hint.setWordWrap(True)
        self.form.addRow(self.tr("Handle:"), self.handle)
        self.form.addRow(self.tr("App password:"), self.password)
        self.form.addRow(self.tr("Server (optional):"), self.service)
        self.extras.addWidget(hint)
        self.finish()
        if again:
            self.password.setFocus()

    def inputs(self) -> list[QWidget]:
        return [self.handle, self.password, self.service]

    def sign_in(self) -> None:
        handle = self.handle.text().strip().lstrip("@")
        password = self.password.text().strip()
        service = self.service.text().strip() or None
        if not handle or not password:
            self.say(self.tr("Type the handle and an app password."))
            return
        values = {"handle": handle, "app_password": password, "service": service}
        self.start(self.tr("Signing in…"), values)
