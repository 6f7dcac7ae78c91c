"""The team's internal notes on a conversation: the list (newest first,
within the render caps) and the field that adds one.

A note belongs to the conversation it was typed in (docs/decisions.md): the
field is bound to the conversation shown, a half-typed note stays with its
conversation when another is chosen (and is shown again there), and a note
whose write fails comes back to its own conversation's field.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QLineEdit, QScrollArea

from console.services import notes
from console.services.conversation_view import NoteView
from console.views import caps, theme
from console.views.i18n import QT_TRANSLATE_NOOP, TrContext
from console.views.tasks import Runner
from console.views.thread_view import local_time, short_text

# notes_html is called with the panel's tr: its strings live in that context.
NO_NOTES = QT_TRANSLATE_NOOP("ConversationPane", "No notes yet.")
OLDER_NOTES = QT_TRANSLATE_NOOP("ConversationPane", "{0} older notes not shown.")


def notes_html(items: Sequence[NoteView], tr: Any) -> str:
    """The notes as markup, the newest first within caps.NOTES_SHOWN (each
    at most caps.NOTE_SHOWN); older ones are counted, not shown."""
    if not items:
        return f"<span style='color:{theme.dim()}'>{tr(NO_NOTES)}</span>"
    shown: list[str] = []
    budget = caps.NOTES_SHOWN
    for n in reversed(items):
        if budget <= 0:
            older = tr(OLDER_NOTES).format(len(items) - len(shown))
            shown.append(f"<p style='color:{theme.dim()}'>{html.escape(older)}</p>")
            break
        text = caps.cap_text(n.text or "", min(caps.NOTE_SHOWN, budget))
        budget -= len(text.text)
        more = " …" if text.truncated else ""
        shown.append(
            f"<p style='margin:0 0 6px 0'><b>{html.escape(short_text(n.author))}</b> "
            f"<small style='color:{theme.dim()}'>{html.escape(local_time(n.created_at))}</small>"
            f"<br>{_mentions_bold(html.escape(text.text))}{more}</p>"
        )
    return "".join(reversed(shown))


def _mentions_bold(escaped: str) -> str:
    return re.sub(r"(?<![\w@])(@[\w.-]+)", r"<b>\1</b>", escaped)


class NotesPanel(TrContext, QObject):
    """The notes' widgets and what they do; the pane places them in its
    side column (``place``). Signals: notice(str): a sentence for the
    status bar."""

    TR_CONTEXT = "ConversationPane"
    notice = Signal(str)

    def __init__(self, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        #: The conversation the field is bound to (None: read-only, between two).
        self.conv_id: str | None = None
        self._held: dict[str, str] = {}  # half-typed notes of other conversations
        self.title = QLabel(self.tr("<b>Internal notes</b>"))
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.notes)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.note_input = QLineEdit()
        self.note_input.setPlaceholderText(self.tr("Add a note for the team (@name mentions)"))
        self.note_input.returnPressed.connect(self._entered)
        # The field never holds more than a note may be (a 5 MB paste is cut
        # by Qt before any of it is laid out), and says so.
        self.note_input.setMaxLength(caps.NOTE_INPUT)
        self.note_input.textChanged.connect(self._length)

    def place(self, layout: QBoxLayout) -> None:
        """The title, the list (which takes the height) and the field."""
        layout.addWidget(self.title)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.note_input)

    def show_notes(self, items: Sequence[NoteView]) -> None:
        self.notes.setText(notes_html(items, self.tr))

    def bind(self, conv_id: str) -> None:
        """The field now belongs to ``conv_id`` (its held note comes back)."""
        self.conv_id = conv_id
        self.note_input.setText(self._held.pop(conv_id, ""))
        self.note_input.setReadOnly(False)

    def detach(self) -> None:
        """Between two conversations: a half-typed note stays with its own,
        and the field takes nothing until the next one is bound."""
        text = self.note_input.text()
        if text and self.conv_id is not None:
            self._held[self.conv_id] = text
        self.note_input.clear()
        self.conv_id = None
        self.note_input.setReadOnly(True)

    def _length(self, text: str) -> None:
        if len(text) >= caps.NOTE_INPUT:
            self.notice.emit(
                self.tr("A note holds at most {0} characters; the rest was not added.").format(
                    caps.NOTE_INPUT
                )
            )

    def _entered(self) -> None:
        text, conv_id = self.note_input.text(), self.conv_id
        if text.strip() and conv_id is not None:
            self.add_note(text, conv_id)
            self.note_input.clear()

    def add_note(self, text: str, conv_id: str) -> None:
        """Add a note to ``conv_id`` (the conversation it was typed in); when
        the write fails the text comes back to that conversation's field."""
        if not text.strip():
            return

        def failed(_exc: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            if self.conv_id == conv_id and not self.note_input.text():
                self.note_input.setText(text)
            elif self.conv_id != conv_id:
                self._held.setdefault(conv_id, text)

        self.runner.write(lambda tx: notes.add_note(tx, conv_id, text), None, failed)
