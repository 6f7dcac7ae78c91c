"""Adding an e-mail account in the window: servers, security, login.

The same checks as ``parloir account add email`` (services.signin.add_email):
the IMAP login and, when the SMTP server offers AUTH, the SMTP login are
tried before anything is saved; the password goes to the keyring. The
check runs on a thread (the settings dialog's Background (views/settings/common.py)); the dialog
stays open with the server's answer when it fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

#: Usual ports per security mode (IMAP, SMTP).
PORTS = {"tls": (993, 465), "starttls": (143, 587), "none": (143, 25)}


class EmailSignIn(QDialog):
    """Signals:
    succeeded(object): what ``work`` returned (the account's address).

    ``work(imap, smtp, user, address, password, security)`` runs on a thread.
    """

    succeeded = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        background: Any,
        work: Callable[[str, str, str, str | None, str, str], Any],
        alive: Callable[[Any, Callable[[Any], None]], Callable[[Any], None]],
    ) -> None:
        super().__init__(parent)
        self.background, self.work, self._alive = background, work, alive
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Add e-mail account"))
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
        self.address.textChanged.connect(self._guess)
        self.security.currentIndexChanged.connect(self._guess)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Address:"), self.address)
        form.addRow(self.tr("User name:"), self.user)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.tr("IMAP server:"), self.imap)
        form.addRow(self.tr("SMTP server:"), self.smtp)
        form.addRow(self.tr("Security:"), self.security)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._guessed = {"imap": "", "smtp": ""}

    def _guess(self, *_: Any) -> None:
        """Fill the servers from the address's domain until the user types one."""
        domain = self.address.text().partition("@")[2].strip()
        imap_port, smtp_port = PORTS[str(self.security.currentData())]
        for key, field, port in (("imap", self.imap, imap_port), ("smtp", self.smtp, smtp_port)):
            if field.text() in ("", self._guessed[key]):
                guess = f"{key}.{domain}:{port}" if domain else ""
                field.setText(guess)
                self._guessed[key] = guess

    def add(self) -> None:
        address = self.address.text().strip()
        user = self.user.text().strip() or address
        password = self.password.text()
        imap, smtp = self.imap.text().strip(), self.smtp.text().strip()
        if not (user and password and imap and smtp):
            self.status.setText(self.tr("Fill in the address, password and both servers."))
            return
        security = str(self.security.currentData())
        self._busy(True)
        self.status.setText(self.tr("Checking the login on both servers…"))
        self.background.run(
            lambda: self.work(imap, smtp, user, address or None, password, security),
            self._alive(self, self._done),
            self._alive(self, self._failed),
        )

    def _busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        for widget in (self.address, self.user, self.password, self.imap, self.smtp):
            widget.setEnabled(not busy)
        self.security.setEnabled(not busy)

    def _done(self, result: Any) -> None:
        self.succeeded.emit(result)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.status.setText(message)
