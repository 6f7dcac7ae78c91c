"""The pane's view model built by hand, for tests of what the pane renders
(no cache needed)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from console.services.conversation_view import ConversationView, MessageView, NoteView
from console.services.queue import damaged_row


def conversation_view(*messages: dict[str, Any], kind: str = "public") -> ConversationView:
    """A conversation of ``kind`` holding one message per dict of
    MessageView fields (ids m0, m1...; an inbound message from Mallory)."""
    row = replace(damaged_row("c0", ""), damaged=None, kind=kind, preview="")
    shown = {
        "direction": "in",
        "author_name": "Mallory",
        "author_handle": "m@x",
        "sent_at": "2026-11-24T10:00:00.000Z",
        "text": "",
    }
    return ConversationView(
        row=row,
        messages=tuple(
            MessageView(**{"id": f"m{n}", **shown, **fields}) for n, fields in enumerate(messages)
        ),
    )


def note(author: str, text: str, created_at: str | None = None) -> NoteView:
    return NoteView(id=f"note-{author}", author=author, text=text, created_at=created_at)
