"""The whole of a message the render caps cut ("show the whole message").

The thread shows at most caps.MAX_MARKUP of each message. The whole text is
prepared off the GUI thread (HTML to text, tamed, long lines wrapped: see
caps.whole_text) and shown as plain text in a read-only QPlainTextEdit,
which lays out only the lines on screen: a 10 MB message opens without
freezing the window.
"""

from __future__ import annotations

import html as html_lib
import re

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from console.services.conversation_view import MessageView
from console.views import caps

# [^<>]*, never [^>]*: a scan stops at the next "<", so a flood of "<"
# without ">" stays linear.
_TAG = re.compile(r"<[^<>]*>")
_BREAK = re.compile(r"<(?:br|/p|/div|/li|/tr|/h[1-6]|/blockquote|/pre)\b[^<>]*>", re.I)


def whole_text_of(message: MessageView, kind: str = "") -> str:
    """The message's whole text for the dialog, from what the thread shows
    (an e-mail's text, else its HTML, else its text). Slow on huge input:
    call it off the GUI thread, e.g. with Runner.call."""
    text = message.text or ""
    if message.html and not (kind == "email" and text):
        text = markup_text(message.html)
    return caps.whole_text(text)


def markup_text(markup: str) -> str:
    """HTML as plain text, fast enough for 10 MB (html_to_text's Python
    parser took 23 s): a line break where a block ends, every tag dropped,
    entities decoded. Stored HTML is sanitised already (no scripts); the
    result is shown as plain text, so nothing in it can act."""
    text = _BREAK.sub("\n", markup)
    text = html_lib.unescape(_TAG.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


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
