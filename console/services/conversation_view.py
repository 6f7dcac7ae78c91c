"""One conversation as the pane and ``parloir show`` see it: typed, frozen
values built once from the cache (services/conversation.py builds them).

The pane reads attributes; the CLI prints ``to_json()``, which is CLI.md's
``show --json`` object, key for key. A message that cannot be built is
there as damaged (``damaged`` holds the sentence, the other fields are
empty), never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.services.outbox import LengthRule
from console.services.queue import QueueRow

#: CLI.md's message object, in order (a damaged one has these, null, and "damaged").
MESSAGE_FIELDS = ("id", "remote_id", "direction", "author", "sent_at", "text", "url", "deleted")


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """An attachment as listed (its bytes are fetched when opened)."""

    name: str | None = None
    mime_type: str | None = None
    size: Any = None  # as stored: a number, or whatever the server sent


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message of the thread. Times are ISO UTC strings ("...Z"), as
    the CLI prints them."""

    id: str
    remote_id: str | None = None
    direction: str | None = None  # "in" or "out"
    author_name: str | None = None
    author_handle: str | None = None
    sent_at: str | None = None
    text: str | None = None
    url: str | None = None
    deleted: bool = False
    #: The stored (sanitised) HTML, when the network sent some.
    html: str | None = None
    attachments: tuple[AttachmentView, ...] = ()
    #: Why the message cannot be shown (one sentence), or None.
    damaged: str | None = None

    @property
    def author(self) -> str:
        """The name to show: the author's name, else the handle."""
        return self.author_name or self.author_handle or ""

    def to_json(self) -> dict[str, Any]:
        """CLI.md's message object."""
        if self.damaged is not None:
            return {**dict.fromkeys(MESSAGE_FIELDS), "id": self.id, "damaged": self.damaged}
        return {
            "id": self.id,
            "remote_id": self.remote_id,
            "direction": self.direction,
            "author": {"name": self.author_name, "handle": self.author_handle},
            "sent_at": self.sent_at,
            "text": self.text,
            "url": self.url,
            "deleted": self.deleted,
        }


@dataclass(frozen=True, slots=True)
class NoteView:
    """An internal note (the author's name, None when they left the team)."""

    id: str
    author: str | None
    text: str
    created_at: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author": self.author,
            "text": self.text,
            "created_at": self.created_at,
        }


@dataclass(frozen=True, slots=True)
class DraftView:
    """My draft of a reply (``state``: drafts' state, e.g. "draft", "queued")."""

    text: str
    updated_at: str | None
    state: str

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "updated_at": self.updated_at, "state": self.state}


@dataclass(frozen=True, slots=True)
class HistoryView:
    """One line of the activity history (CLI.md's history object): when
    (ISO UTC "...Z"), who (a member's name, None when automatic), the op
    (assign, unassign, status, snooze, tag, untag, priority, note, send,
    merge, …), the new value as a short string, and why an automatic
    change was made."""

    at: str
    actor: str | None
    op: str
    value: str | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "actor": self.actor,
            "op": self.op,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class ConversationView:
    """The queue row plus the thread (oldest first), the notes, my draft
    and whom a reply reaches. The last group is what only the pane needs
    (``pane_view`` fills it; ``show`` leaves it empty)."""

    row: QueueRow
    messages: tuple[MessageView, ...] = ()
    notes: tuple[NoteView, ...] = ()
    draft: DraftView | None = None
    recipients: tuple[str, ...] = ()
    #: The activity history, oldest first.
    history: tuple[HistoryView, ...] = ()
    # -- the pane's ---------------------------------------------------------
    contact_id: str | None = None
    assignee_id: str | None = None
    #: The account's handle ("" when the account is gone).
    account_handle: str = ""
    #: The instance's own length limit, when it is a sane number.
    max_length: int | None = None
    #: The rule the composer counts with (the one ``send`` obeys).
    length_rule: LengthRule | None = None

    @property
    def id(self) -> str:
        return self.row.id

    def message(self, message_id: str) -> MessageView | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def to_json(self) -> dict[str, Any]:
        """CLI.md's ``show --json`` object: the queue object plus messages,
        notes, draft, recipients and history."""
        out = self.row.to_json()
        out["messages"] = [m.to_json() for m in self.messages]
        out["notes"] = [n.to_json() for n in self.notes]
        out["draft"] = None if self.draft is None else self.draft.to_json()
        out["recipients"] = list(self.recipients)
        out["history"] = [h.to_json() for h in self.history]
        return out
