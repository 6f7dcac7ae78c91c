"""The first page of a window with no account: what Parloir is, and the
two ways to start (add an account, or look around in the demo)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomePage(QWidget):
    """The page; the window connects ``add_button`` and ``demo_button``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        title = QLabel(QCoreApplication.translate("MainWindow", "<h1>Welcome to Parloir</h1>"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            QCoreApplication.translate(
                "MainWindow",
                "One calm queue for every mention, reply, direct message and e-mail your "
                "team has to answer. Add the accounts you answer for, or look around in "
                "a demo workspace first.",
            )
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(560)
        self.add_button = QPushButton(QCoreApplication.translate("MainWindow", "Add an account…"))
        self.add_button.setDefault(True)
        self.demo_button = QPushButton(
            QCoreApplication.translate("MainWindow", "Open the demo workspace")
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout.addWidget(title)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(text)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(3)
