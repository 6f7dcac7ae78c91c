"""E-mail threading: which conversation a message joins.

E-mail's own headers (In-Reply-To, References: a record's ``parents``) win
over the key the provider guessed; replies that arrived before their parent
are joined or merged when it comes; a "Re:" with no headers at all joins the
latest thread with that subject and correspondent. The result is the
records' ``thread_key`` rewritten in place and the merges to apply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import Connection

from console.models.ingest import conversations
from console.models.ingest.rules import DAY_MS
from console.models.ingest.sql import chunks, marks
from console.models.records import Direction, Kind, MessageRecord, ThreadMerge
from console.models.types import to_ms

#: How far back a "Re:" without reference headers looks for its thread.
SUBJECT_MATCH_DAYS = 90


def thread_by_parents(
    conn: Connection, account_id: str, recs: list[MessageRecord]
) -> list[ThreadMerge]:
    """Threading by ancestry (e-mail's In-Reply-To / References).

    A record whose ``parents`` name a message we hold (or one earlier in this
    chunk) joins that message's conversation, whatever key the provider
    guessed. A record that stored replies already answer (they arrived
    first, as orphans) joins their conversation when its own is new, or
    merges theirs into its own (a late parent): one thread either way.
    Returns the merges to apply; rewrites ``thread_key`` in place.
    """
    wanted = list({p for r in recs for p in r.parents})
    known: dict[str, str] = {}
    for part in chunks(wanted):
        rows = conn.exec_driver_sql(
            "SELECT m.remote_id, c.remote_key FROM messages m "
            "JOIN conversations c ON c.id = m.conversation_id "
            f"WHERE m.account_id = ? AND m.remote_id IN ({marks(len(part))})",
            (account_id, *part),
        ).all()
        known.update({str(r[0]): str(r[1]) for r in rows})
    orphans: dict[str, str] = {}
    ids = [r.remote_id for r in recs]
    for part in chunks(ids):
        rows = conn.exec_driver_sql(
            "SELECT m.in_reply_to, c.remote_key FROM messages m "
            "JOIN conversations c ON c.id = m.conversation_id "
            f"WHERE m.account_id = ? AND m.in_reply_to IN ({marks(len(part))})",
            (account_id, *part),
        ).all()
        orphans.update({str(r[0]): str(r[1]) for r in rows})
    existing_keys = set(
        conversations.load_conversations(conn, account_id, list({r.thread_key for r in recs}))
    )
    merges: list[ThreadMerge] = []
    placed: dict[str, str] = {}
    by_topic: dict[tuple[str, str], str] = {}
    for rec in sorted(recs, key=lambda r: r.sent_at):
        key = next(
            (
                placed.get(p) or known.get(p)
                for p in reversed(rec.parents)
                if p in placed or p in known
            ),
            None,
        )
        child = orphans.get(rec.remote_id)
        topic = subject_topic(rec)
        if key is None and topic is not None and child is None and _REPLY.match(rec.subject or ""):
            # Last resort: "Re: <subject>" with no reference headers joins the
            # latest thread with that subject and that correspondent.
            key = by_topic.get(topic) or thread_by_subject(conn, account_id, topic, rec)
        if key is None:
            key = rec.thread_key
            if child is not None and child != key and key not in existing_keys:
                key = child  # our replies came first: join their thread
        if child is not None and child != key:
            merges.append(ThreadMerge(from_key=child, into_key=key))
        rec.thread_key = key
        placed[rec.remote_id] = key
        if topic is not None:
            by_topic[topic] = key
    return merges


_REPLY = re.compile(r"^\s*(re|aw|sv|vs|antw|réf|ref)\s*(\[\d+\])?\s*:", re.I)
_PREFIXES = re.compile(r"^\s*((re|aw|sv|vs|antw|réf|ref|tr|fwd?|wg)\s*(\[\d+\])?\s*:\s*)+", re.I)


def subject_topic(rec: MessageRecord) -> tuple[str, str] | None:
    """(subject without Re:/Fwd:, the correspondent) of an e-mail, or None."""
    if rec.kind != Kind.EMAIL or not rec.subject:
        return None
    root = _PREFIXES.sub("", rec.subject).strip().lower()
    if not root:
        return None
    if rec.direction == Direction.IN:
        who = rec.author.handle.lower()
    else:
        to = (rec.raw or {}).get("to") if isinstance(rec.raw, Mapping) else None
        who = str(to[0]).lower() if isinstance(to, list) and to else ""
    return (root, who) if who else None


def thread_by_subject(
    conn: Connection, account_id: str, topic: tuple[str, str], rec: MessageRecord
) -> str | None:
    """The most recent e-mail thread of the last 90 days with this subject
    whose contact is this correspondent."""
    root, who = topic
    pattern = "%" + root.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    since = to_ms(rec.sent_at) - SUBJECT_MATCH_DAYS * DAY_MS
    rows = conn.exec_driver_sql(
        "SELECT c.remote_key, c.subject, ct.handle FROM conversations c "
        "LEFT JOIN contacts ct ON ct.id = c.contact_id "
        "WHERE c.account_id = ? AND c.kind = 'email' AND c.subject LIKE ? ESCAPE '\\' "
        "AND c.last_activity_at >= ? ORDER BY c.last_activity_at DESC LIMIT 20",
        (account_id, pattern, since),
    ).all()
    for key, subject, handle in rows:
        if _PREFIXES.sub("", subject or "").strip().lower() == root and (handle or "") == who:
            return str(key)
    return None
