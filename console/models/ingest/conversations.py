"""Conversations: loaded as :class:`ConvState` by remote key (aliases of
merged threads followed), created with their final aggregates, updated
column group by column group, and recomputed from their messages when an
incremental update cannot be trusted (tombstones, merges, edits, erasure).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection

from console.models import settings_registry
from console.models.ingest import rules
from console.models.ingest.sql import chunks, marks
from console.models.ingest.state import CONV_COLUMNS, ConvState
from console.models.records import MessageRecord
from console.models.types import new_id, now_ms

_ALIASED_COLUMNS = ", ".join("c." + c.strip() for c in CONV_COLUMNS.split(","))


def due_targets(conn: Connection) -> dict[str, int]:
    """Seconds to answer, per kind (the registry's rule and defaults)."""
    return settings_registry.get(conn, settings_registry.DUE_TARGETS)


def load_conversations(
    conn: Connection, account_id: str, keys: Sequence[str]
) -> dict[str, ConvState]:
    """Conversations by remote key, following aliases of merged threads."""
    found: dict[str, ConvState] = {}
    for part in chunks(list(keys)):
        rows = conn.exec_driver_sql(
            f"SELECT {CONV_COLUMNS} FROM conversations "
            f"WHERE account_id = ? AND remote_key IN ({marks(len(part))})",
            (account_id, *part),
        ).all()
        for row in rows:
            found[row[1]] = ConvState.from_row(row)
    missing = [k for k in keys if k not in found]
    for part in chunks(missing):
        rows = conn.exec_driver_sql(
            f"SELECT a.remote_key, {_ALIASED_COLUMNS} "
            "FROM conversation_aliases a JOIN conversations c ON c.id = a.conversation_id "
            f"WHERE a.account_id = ? AND a.remote_key IN ({marks(len(part))})",
            (account_id, *part),
        ).all()
        by_id = {s.id: s for s in found.values()}
        for row in rows:
            state = by_id.get(row[1]) or ConvState.from_row(row[1:])
            by_id[state.id] = state
            found[row[0]] = state
    return found


def states_for(
    conn: Connection, account_id: str, recs: Sequence[MessageRecord]
) -> dict[str, ConvState]:
    """The state of every conversation the records belong to, by thread
    key: loaded when known, a fresh one (``new``) otherwise."""
    keys = list(dict.fromkeys(r.thread_key for r in recs))
    convs = load_conversations(conn, account_id, keys)
    for rec in recs:
        if rec.thread_key not in convs:
            convs[rec.thread_key] = ConvState(
                id=new_id(), remote_key=rec.thread_key, kind=str(rec.kind), new=True
            )
    return convs


def insert_conversations(
    conn: Connection, account_id: str, states: Iterable[ConvState], targets: dict[str, int]
) -> None:
    """Create new conversations with their final aggregates in one INSERT
    (before their messages, which reference them)."""
    now = now_ms()
    rows = [
        (
            s.id,
            account_id,
            s.remote_key,
            s.kind,
            s.status,
            s.snoozed_until,
            s.contact_id,
            *rules.aggregates(s, settings_registry.due_seconds(targets, s.kind), now),
            now,
        )
        for s in states
    ]
    if rows:
        conn.exec_driver_sql(
            "INSERT INTO conversations (id, account_id, remote_key, kind, status, snoozed_until, "
            "contact_id, subject, preview, first_inbound_at, last_inbound_at, last_outbound_at, "
            "last_activity_at, waiting_since, due_at, sort_wait, unread, message_count, "
            "updated_at, created_at, priority) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            rows,
        )


def write_conversations(
    conn: Connection, states: Iterable[ConvState], targets: dict[str, int]
) -> None:
    """Update existing conversations. Status and contact are written only
    where they changed: SQLite rewrites an index entry for every indexed
    column named in SET, and the status column is in every queue index."""
    now = now_ms()
    aggregates = []
    statuses = []
    contacts = []
    seen: set[str] = set()
    for s in states:
        if s.id in seen or not s.dirty:
            continue
        seen.add(s.id)
        due = settings_registry.due_seconds(targets, s.kind)
        aggregates.append((*rules.aggregates(s, due, now), s.id))
        if s.loaded_status != (s.status, s.snoozed_until):
            statuses.append((s.status, s.snoozed_until, s.id))
        if s.loaded_contact != s.contact_id:
            contacts.append((s.contact_id, s.id))
    if aggregates:
        conn.exec_driver_sql(
            "UPDATE conversations SET subject = ?, preview = ?, first_inbound_at = ?, "
            "last_inbound_at = ?, last_outbound_at = ?, last_activity_at = ?, "
            "waiting_since = ?, due_at = ?, sort_wait = ?, unread = ?, message_count = ?, "
            "updated_at = ? WHERE id = ?",
            aggregates,
        )
    if statuses:
        conn.exec_driver_sql(
            "UPDATE conversations SET status = ?, snoozed_until = ? WHERE id = ?", statuses
        )
    if contacts:
        conn.exec_driver_sql("UPDATE conversations SET contact_id = ? WHERE id = ?", contacts)


def update_conversations(
    conn: Connection, states: Iterable[ConvState], targets: dict[str, int]
) -> None:
    """Write back known conversations after their messages are stored; a
    reply newer than the waiting time asks the messages for the new one."""
    states = list(states)
    for s in states:
        if s.recompute:
            s.waiting_since = first_inbound_after(conn, s.id, s.last_out)
    write_conversations(conn, states, targets)


def recompute_conversation(conn: Connection, conversation_id: str) -> None:
    """Recompute every aggregate of one conversation from its messages.

    The incremental path of ingest_chunk is the fast one; this is the slow,
    obviously-right one, used after tombstones, merges and erasure.
    """
    row = conn.exec_driver_sql(
        f"SELECT {CONV_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
    ).first()
    if row is None:
        return
    s = ConvState.from_row(row)
    agg = conn.exec_driver_sql(
        "SELECT min(CASE WHEN direction = 'in' THEN sent_at END), "
        "max(CASE WHEN direction = 'in' THEN sent_at END), "
        "max(CASE WHEN direction = 'out' THEN sent_at END), max(sent_at), count(*) "
        "FROM messages WHERE conversation_id = ? AND deleted = 0",
        (conversation_id,),
    ).one()
    s.first_in, s.last_in, s.last_out, s.last_activity, s.message_count = agg
    s.waiting_since = first_inbound_after(conn, conversation_id, s.last_out)
    last = conn.exec_driver_sql(
        "SELECT text, author_contact_id FROM messages WHERE conversation_id = ? "
        "AND direction = 'in' AND deleted = 0 ORDER BY sent_at DESC, seq DESC LIMIT 1",
        (conversation_id,),
    ).first()
    s.preview = rules.preview_of(last[0]) if last else ""
    if last is not None and last[1]:
        s.contact_id = last[1]
    s.dirty = True
    write_conversations(conn, [s], due_targets(conn))


def first_inbound_after(conn: Connection, conversation_id: str, after: int | None) -> int | None:
    """The first live inbound message after ``after`` (our last reply)."""
    value = conn.exec_driver_sql(
        "SELECT min(sent_at) FROM messages WHERE conversation_id = ? AND direction = 'in' "
        "AND deleted = 0 AND sent_at > ?",
        (conversation_id, after if after is not None else -1),
    ).scalar()
    return int(value) if value is not None else None
