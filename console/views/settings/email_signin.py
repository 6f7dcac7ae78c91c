"""Adding an e-mail account in the window: servers, security, login.

The same checks as ``parloir account add email`` (services.signin.add_account):
the IMAP login and, when the SMTP server offers AUTH, the SMTP login are
tried before anything is saved; the password goes to the keyring. The
dialog stays open with the server's answer when it fails.

Signing in again (the password changed) shows the stored address, login
and servers read-only: only the new password is asked for.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from console.views.settings.common import AccountRow
from console.views.settings.signin import SignInDialog, Work
from console.views.tasks import Runner

#: Usual ports per security mode (IMAP, SMTP).
PORTS = {"tls": (993, 465), "starttls": (143, 587), "none": (143, 25)}


class EmailSignIn(SignInDialog):
    """The values ``imap``, ``smtp``, ``user``, ``address`` (None: the user
    name), ``password`` and ``security``. Signing in again shows the
    account's stored settings (its ``config``)."""

    def __init__(
        self, parent: QWidget, runner: Runner, work: Work, account: AccountRow | None = None
    ) -> None:
        super().__init__(parent, runner, work, account)
        self.fixed = account is not None  # signing in again: the settings are the stored ones
        title = self.tr("Sign in again") if self.fixed else self.tr("Add e-mail account")
        self.setWindowTitle(title)
        self.ok_button.setText(self.tr("Sign in") if self.fixed else self.tr("Add"))
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("contact@example.org"))
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("Usually the address"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.imap = QLineEdit()
        self.imap.setPlaceholderText(self.tr("imap.example.org:993"))
        self.smtp = QLineEdit()
        self.smtp.setPlaceholderText(self.tr("smtp.example.org:465"))
        self.security = QComboBox()
        self.security.addItem(self.tr("TLS (recommended)"), "tls")
        self.security.addItem(self.tr("STARTTLS"), "starttls")
        self.security.addItem(self.tr("None — the password travels unencrypted"), "none")
        self._guessed = {"imap": "", "smtp": ""}
        self.address.textChanged.connect(self._guess)
        self.security.currentIndexChanged.connect(self._guess)
        self.form.addRow(self.tr("Address:"), self.address)
        self.form.addRow(self.tr("User name:"), self.user)
        self.form.addRow(self.tr("Password:"), self.password)
        self.form.addRow(self.tr("IMAP server:"), self.imap)
        self.form.addRow(self.tr("SMTP server:"), self.smtp)
        self.form.addRow(self.tr("Security:"), self.security)
        self.finish()
        if account is not None:
            self._show_known(account)

    def _show_known(self, account: AccountRow) -> None:
        """The stored account, read-only (its address and IMAP server are
        also its handle and server); the focus on the password."""
        known = account.config
        self.security.setCurrentIndex(max(0, self.security.findData(known.get("security"))))
        address = str(known.get("address") or account.handle)
        for field, text in (
            (self.address, address),
            (self.user, str(known.get("user") or address)),
            (self.imap, str(known.get("imap") or account.server)),
            (self.smtp, str(known.get("smtp") or "")),
        ):
            field.setText(text)
            field.setReadOnly(True)
        self.security.setEnabled(False)
        self.password.setFocus()

    def _guess(self, *_: Any) -> None:
        """Fill the servers from the address's domain until the user types one."""
        if self.fixed:
            return
        domain = self.address.text().partition("@")[2].strip()
        imap_port, smtp_port = PORTS[str(self.security.currentData())]
        for key, field, port in (("imap", self.imap, imap_port), ("smtp", self.smtp, smtp_port)):
            if field.text() in ("", self._guessed[key]):
                guess = f"{key}.{domain}:{port}" if domain else ""
                field.setText(guess)
                self._guessed[key] = guess

    def inputs(self) -> list[QWidget]:
        widgets: list[QWidget] = [self.address, self.user, self.password, self.imap, self.smtp]
        return widgets if self.fixed else [*widgets, self.security]

    def sign_in(self) -> None:
        address = self.address.text().strip()
        user = self.user.text().strip() or address
        password = self.password.text()
        imap, smtp = self.imap.text().strip(), self.smtp.text().strip()
        if not (user and password and imap and smtp):
            self.say(self.tr("Fill in the address, password and both servers."))
            return
        values = {
            "imap": imap,
            "smtp": smtp,
            "user": user,
            "address": address or None,
            "password": password,
            "security": str(self.security.currentData()),
        }
        self.start(self.tr("Checking the login on both servers…"), values)
