"""The whole of a message the render caps cut ("show the whole message").

The thread shows at most caps.MAX_MARKUP of each message. The whole text is
prepared off the GUI thread (HTML to text, tamed, long lines wrapped: see
caps.whole_text) and shown as plain text in a read-only QPlainTextEdit,
which lays out only the lines on screen: a 10 MB message opens without
freezing the window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from console.sync.html import html_to_text
from console.views import caps


def whole_text_of(message: dict[str, Any], kind: str = "") -> str:
    """The message's whole text for the dialog, from what the thread shows
    (an e-mail's text, else its HTML, else its text). Slow on huge input:
    call it off the GUI thread, e.g. with Runner.call."""
    text = message.get("text") or ""
    if message.get("html") and not (kind == "email" and text):
        text = html_to_text(str(message["html"]))
    return caps.whole_text(text)


class WholeMessageDialog(QDialog):
    """A read-only view of one message's whole text."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Whole message — {0}").format(title))
        self.resize(720, 560)
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setPlainText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
