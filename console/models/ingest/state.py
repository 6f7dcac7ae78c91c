"""A conversation's aggregates while a chunk is applied, as plain values.

The rules (rules.py) fold messages into a :class:`ConvState`; the
conversations module loads it from a row and writes it back. Keeping it a
plain dataclass is what lets the rules be tested without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: The ``conversations`` columns a ConvState is read from, in field order.
CONV_COLUMNS = (
    "id, remote_key, kind, status, snoozed_until, subject, contact_id, preview, "
    "first_inbound_at, last_inbound_at, last_outbound_at, last_activity_at, "
    "waiting_since, unread, message_count"
)


@dataclass(slots=True)
class ConvState:
    """A conversation's aggregates while a chunk is applied."""

    id: str
    remote_key: str
    kind: str
    status: str = "open"
    snoozed_until: int | None = None
    subject: str | None = None
    contact_id: str | None = None
    preview: str = ""
    #: The text of the newest inbound message folded in this chunk: its
    #: preview is made once, when the conversation is written.
    preview_text: str | None = None
    first_in: int | None = None
    last_in: int | None = None
    last_out: int | None = None
    last_activity: int | None = None
    waiting_since: int | None = None
    unread: bool = False
    message_count: int = 0
    new: bool = False
    dirty: bool = False
    recompute: bool = False
    reopened: bool = False
    # Values as loaded, to write only the column groups that changed.
    loaded_status: tuple[str, int | None] | None = None
    loaded_contact: str | None = None
    # Inbound times seen in this chunk (new conversations only), so their
    # waiting_since is computed in memory, with no query.
    inbound: list[int] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ConvState:
        """A state from a row of :data:`CONV_COLUMNS`, remembering what was loaded."""
        state = cls(
            id=row[0],
            remote_key=row[1],
            kind=row[2],
            status=row[3],
            snoozed_until=row[4],
            subject=row[5],
            contact_id=row[6],
            preview=row[7] or "",
            first_in=row[8],
            last_in=row[9],
            last_out=row[10],
            last_activity=row[11],
            waiting_since=row[12],
            unread=bool(row[13]),
            message_count=row[14] or 0,
        )
        state.loaded_status = (state.status, state.snoozed_until)
        state.loaded_contact = state.contact_id
        return state
