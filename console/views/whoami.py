"""What the window says about me: my name in the status bar, and what
waits for me in the window's title ("Parloir — 3 mine, 5 unassigned"),
where the desktop shows it (the task bar, Alt+Tab)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget


def window_title(counts: dict[str, int], *, demo: bool = False) -> str:
    """The title from the sidebar's counts (mine and unassigned are open)."""
    waiting = QCoreApplication.translate("MainWindow", "{0} mine, {1} unassigned").format(
        counts.get("mine", 0), counts.get("unassigned", 0)
    )
    title = f"Parloir — {waiting}"
    return f"{title} — {QCoreApplication.translate('MainWindow', 'demo')}" if demo else title


class MeLabel(QLabel):
    """My name, in the status bar; the tooltip says where to change it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Me")

    def show_me(self, name: str) -> None:
        self.setText(name)
        self.setToolTip(
            QCoreApplication.translate(
                "MainWindow", "You are {0}; change it in Settings, Team."
            ).format(name)
            if name
            else QCoreApplication.translate(
                "MainWindow", "Nobody is you yet: choose yourself in Settings, Team."
            )
        )
