"""The workflow rules, once: when a conversation waits, is due, reopens,
arrives open, goes pending after a reply, and what a snooze reads as.

Ingest, the sender (sync/outbox.py), the queue and the workflow services all
apply these; keeping them here, mostly as functions over plain values, means
a rule changes in one place and is unit-tested without a database.
Times are integer milliseconds since the epoch (the cache's storage form),
except ``effective_status``, which the services call with datetimes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from console.models.vocabulary import Status

#: Non-waiting conversations sort after every waiting one: BIG - last activity.
SORT_BIG = 2**53

#: The statuses a new inbound message that makes someone wait reopens.
REOPENABLE = frozenset({Status.CLOSED, Status.PENDING, Status.SNOOZED})

#: SQL (alias ``c``, parameter ``:now`` in ms): open now, a woken snooze included.
OPEN_NOW_SQL = "(c.status = 'open' OR (c.status = 'snoozed' AND c.snoozed_until <= :now))"


def sort_wait_key(waiting_since: int | None, last_activity: int | None) -> int:
    """The default queue order as one integer (see schema.Conversation)."""
    if waiting_since is not None:
        return waiting_since
    return SORT_BIG - (last_activity or 0)


def first_waiting(inbound: list[int], last_out: int | None) -> int | None:
    """``waiting_since``: the first inbound message after our last reply."""
    after = last_out if last_out is not None else -1
    return min((t for t in inbound if t > after), default=None)


def due_at(waiting_since: int | None, target_seconds: int) -> int | None:
    """When an answer is due: ``waiting_since`` plus the kind's target."""
    if not waiting_since:
        return None
    return waiting_since + target_seconds * 1000


def arrival_status(waiting_since: int | None, last_in: int | None, window_start: int) -> str:
    """A conversation seen for the first time arrives open only when someone
    waits and their last message is inside the history window; otherwise
    closed, so an account's first sync does not flood the queue."""
    inside = last_in is not None and last_in >= window_start
    return Status.OPEN if waiting_since is not None and inside else Status.CLOSED


def reopens(status: str, *, newest_inbound: bool, sent: int, window_start: int) -> bool:
    """Whether an inbound message that makes someone wait reopens a known
    conversation: only the newest inbound one, inside the history window (a
    late old e-mail, or one fetched again after a rebuild, does not)."""
    return status in REOPENABLE and newest_inbound and sent >= window_start


def effective_status(status: str, snoozed_until: datetime | None, now: datetime) -> str:
    """A snooze whose time has passed reads as open (no timer wakes it)."""
    woke = snoozed_until is not None and snoozed_until <= now
    return Status.OPEN if status == Status.SNOOZED and woke else status


def merged_status(survivor: str, absorbed: str) -> str:
    """Two threads found to be one: open when either was open (someone may
    be waiting in the absorbed one), else the survivor's status."""
    return Status.OPEN if Status.OPEN in (survivor, absorbed) else survivor


def pending_after_reply(conn: Connection, conversation_id: str) -> None:
    """Answered and nobody else waits: the ball is in the other court.
    "pending" keeps it out of the open queue; their next message reopens it
    (``reopens``). Runs after the reply was ingested (waiting_since is fresh)."""
    conn.exec_driver_sql(
        "UPDATE conversations SET status = 'pending' "
        "WHERE id = ? AND status = 'open' AND waiting_since IS NULL",
        (conversation_id,),
    )
