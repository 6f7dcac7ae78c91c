"""Adding an e-mail account in the window: servers, security, login.

The same checks as ``parloir account add email`` (services.signin.add_account):
the IMAP login and, when the SMTP server offers AUTH, the SMTP login are
tried before anything is saved; the password goes to the keyring. The
dialog stays open with the server's answer when it fails.

Signing in again (the password changed) shows the stored address, login
and servers read-only: only the new password is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from console.views.settings.signin import SignInDialog
from console.views.tasks import Runner

#: Usual ports per security mode (IMAP, SMTP).
PORTS = {"tls": (993, 465), "starttls": (143, 587), "none": (143, 25)}


class EmailSignIn(SignInDialog):
    """``work(imap, smtp, user, address, password, security)`` runs off the
    GUI thread and returns the account's address. With ``known`` (an
    account's stored settings: address, user, imap, smtp, security), the
    dialog signs that account in again."""

    def __init__(
        self,
        parent: QWidget,
        runner: Runner,
        work: Callable[[str, str, str, str | None, str, str], str],
        known: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent, runner)
        self.work = work
        self.fixed = known is not None  # signing in again: the settings are the stored ones
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
        if known is not None:
            self._show_known(known)

    def _show_known(self, known: Mapping[str, Any]) -> None:
        """The stored account, read-only; the focus on the password."""
        self.security.setCurrentIndex(max(0, self.security.findData(known.get("security"))))
        for field, key in (
            (self.address, "address"),
            (self.user, "user"),
            (self.imap, "imap"),
            (self.smtp, "smtp"),
        ):
            field.setText(str(known.get(key) or ""))
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
            self.status.setText(self.tr("Fill in the address, password and both servers."))
            return
        security, work = str(self.security.currentData()), self.work
        self.start(
            self.tr("Checking the login on both servers…"),
            lambda: work(imap, smtp, user, address or None, password, security),
        )
