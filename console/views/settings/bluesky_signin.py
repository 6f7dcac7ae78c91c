"""Adding a Bluesky account in the window: handle and an app password.

The same path as ``parloir account add bluesky`` (services.signin.add_bluesky):
one createSession (Bluesky limits them tightly, so Parloir never signs in
again on each sync), the session and the app password into the keyring. An
app password, not the account's password: it can be revoked on its own, and
one created with "Allow access to your direct messages" lets Parloir read DMs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class BlueskySignIn(QDialog):
    """Signals:
    succeeded(object): what ``work(handle, app_password, service_or_None)`` returned.
    """

    succeeded = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        background: Any,
        work: Callable[[str, str, str | None], Any],
        alive: Callable[[Any, Callable[[Any], None]], Callable[[Any], None]],
    ) -> None:
        super().__init__(parent)
        self.background, self.work, self._alive = background, work, alive
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Add Bluesky account"))
        self.handle = QLineEdit()
        self.handle.setPlaceholderText(self.tr("yourname.bsky.social"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("xxxx-xxxx-xxxx-xxxx"))
        self.service = QLineEdit()
        self.service.setPlaceholderText(self.tr("Found from the handle; or https://your.pds"))
        hint = QLabel(
            self.tr(
                "Use an app password (Settings → Privacy and security → App passwords). "
                "Allow access to direct messages to answer DMs here."
            )
        )
        hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Handle:"), self.handle)
        form.addRow(self.tr("App password:"), self.password)
        form.addRow(self.tr("Server (optional):"), self.service)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def sign_in(self) -> None:
        handle = self.handle.text().strip().lstrip("@")
        password = self.password.text().strip()
        service = self.service.text().strip() or None
        if not handle or not password:
            self.status.setText(self.tr("Type the handle and an app password."))
            return
        self._busy(True)
        self.status.setText(self.tr("Signing in…"))
        self.background.run(
            lambda: self.work(handle, password, service),
            self._alive(self, self._done),
            self._alive(self, self._failed),
        )

    def _busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        for widget in (self.handle, self.password, self.service):
            widget.setEnabled(not busy)

    def _done(self, result: Any) -> None:
        self.succeeded.emit(result)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.status.setText(message)
