"""The workflow vocabulary, typed and defined once: conversation status,
outbox state, team role and priority.

StrEnum members compare equal to their strings, so the stored values, the
JSON the CLI prints and the SQL that filters on them do not change; what
changes is that the allowed values and their groups live here, not as
tuples in four layers. The ingest vocabulary (Kind, Direction, Network)
is in console/models/records.py.
"""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """A conversation's status; "snoozed" reads as open once its time passed
    (workflow_rules.effective_status)."""

    OPEN = "open"
    PENDING = "pending"
    SNOOZED = "snoozed"
    CLOSED = "closed"


#: What `parloir status` and the status menu set (snoozing has its own verb).
SETTABLE_STATUSES = (Status.OPEN, Status.PENDING, Status.CLOSED)


class OutboxState(enum.StrEnum):
    HELD = "held"  # stopped by the guard, waiting for the author's decision
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the network may or may not have it: look before resending


#: Items that may be queued again.
RETRYABLE = frozenset({OutboxState.FAILED, OutboxState.UNKNOWN})
#: Items not yet (being) sent: they may be cancelled, or taken back to edit.
NOT_GONE = frozenset(
    {OutboxState.HELD, OutboxState.QUEUED, OutboxState.FAILED, OutboxState.UNKNOWN}
)


class DraftState(enum.StrEnum):
    """Where a draft's text is: in the composer, or the outbox item it became."""

    EDITING = "editing"
    HELD = "held"
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


#: Draft states whose text belongs in the composer (the others are in the
#: outbox, or went out).
COMPOSER_STATES = frozenset({DraftState.EDITING, DraftState.HELD, DraftState.FAILED})


class Role(enum.StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"


#: Roles that may reassign a colleague's conversation.
LEADS = frozenset({Role.LEAD, Role.ADMIN})


class Priority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


#: The stored integer of each priority (higher sorts first).
PRIORITY_RANK: dict[str, int] = {
    Priority.LOW: -1,
    Priority.NORMAL: 0,
    Priority.HIGH: 1,
    Priority.URGENT: 2,
}
