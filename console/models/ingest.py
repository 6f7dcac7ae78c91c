"""The ingest rules: how fetched records become conversations and messages.

Everything here runs on the writer thread inside one transaction (a chunk).
It is written against the SQL connection with ``executemany`` rather than
the ORM because ingest is the hot path (tens of thousands of messages a
second); the ORM classes in schema.py describe the same tables.

Rules (DESIGN.md, "Data model"; the workflow ones are functions in
workflow_rules.py, applied here):

- Upsert on (account, remote id): a message seen twice is stored once; an
  edit keeps the new text; a message deleted remotely becomes a tombstone
  (text dropped, ``deleted`` set) and leaves the search index.
- ``waiting_since`` is the time of the first live inbound message after the
  last outbound one; ``due_at`` is ``waiting_since`` plus the due target of
  the conversation's kind (settings ``due_targets``, seconds).
- A new inbound message that makes someone wait (newer than our last reply,
  and inside the account's history window) reopens a closed, pending or
  snoozed conversation, and writes an Activity line saying so. An old
  message arriving late (a missing middle e-mail) does not reopen.
- A conversation seen for the first time arrives open only when someone
  waits and its last inbound message is inside the history window (the
  account's, else the workspace's: settings_registry.HISTORY_DAYS);
  otherwise it arrives closed. This is what makes the first sync of an
  account quiet: old and answered threads do not flood the queue.
- Replies the account sent outside Parloir are outbound messages like ours.
- Merges: two threads that turn out to be one (a late e-mail parent) merge
  into the survivor; notes, drafts, activity, tags and the outbox move with
  them; the old id redirects and the old remote key becomes an alias.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from console.models import settings_registry, workflow_rules
from console.models.activity import record_activity
from console.models.records import (
    ContactRecord,
    Direction,
    FetchResult,
    Kind,
    MessageRecord,
    ThreadMerge,
)
from console.models.timebounds import EARLIEST, FUTURE_SKEW, bound_and_keep
from console.models.types import new_id, now_ms, to_ms, utcnow
from console.models.vocabulary import Status
from console.models.writer import BULK, Tx, Writer

log = logging.getLogger(__name__)

DAY_MS = 86_400_000
_IN_CHUNK = 400  # bound parameters per IN (...) query, well under SQLite's limit


_LEADING_MENTIONS = re.compile(r"^(?:@[\w.@-]+[\s,:]+)+")


def preview_of(text: str, limit: int = 200) -> str:
    """First meaningful line of a message, for the queue row: not a quote,
    not a bare greeting such as "Bonjour," or "Hi team,", without the
    @mentions a public reply starts with."""
    for line in text.splitlines():
        line = _LEADING_MENTIONS.sub("", " ".join(line.split()))
        if not line or line.startswith(">"):
            continue
        if line.endswith(",") and len(line) <= 30:
            continue
        return line[:limit]
    return " ".join(text.split())[:limit]


def due_targets(conn: Connection) -> dict[str, int]:
    """Seconds to answer, per kind (the registry's rule and defaults)."""
    return settings_registry.get(conn, settings_registry.DUE_TARGETS)


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


# --------------------------------------------------------------------------
# contacts


def upsert_contacts(
    conn: Connection, records: Iterable[ContactRecord]
) -> dict[tuple[str, str], str]:
    """Insert or refresh contacts; return their ids by (network, remote_id)."""
    wanted: dict[tuple[str, str], ContactRecord] = {}
    for rec in records:
        wanted[(rec.network, rec.remote_id)] = rec
    ids: dict[tuple[str, str], str] = {}
    by_network: dict[str, list[str]] = {}
    for network, remote_id in wanted:
        by_network.setdefault(network, []).append(remote_id)
    known: dict[tuple[str, str], tuple[str, str, str, str | None, str | None]] = {}
    for network, remote_ids in by_network.items():
        for part in _chunks(remote_ids):
            rows = conn.exec_driver_sql(
                "SELECT id, remote_id, handle, name, avatar_url, email FROM contacts "
                f"WHERE network = ? AND remote_id IN ({_marks(len(part))})",
                (network, *part),
            ).all()
            for row in rows:
                known[(network, row[1])] = (row[0], row[2], row[3], row[4], row[5])
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    new_with_email: list[tuple[str, str]] = []
    for key, rec in wanted.items():
        if key in known:
            cid, handle, name, avatar, email = known[key]
            ids[key] = cid
            fresh = (
                rec.handle or handle,
                rec.name or name,
                rec.avatar_url or avatar,
                rec.email.lower() if rec.email else email,
            )
            if fresh != (handle, name, avatar, email):
                updates.append((*fresh, cid))
        else:
            cid = new_id()
            ids[key] = cid
            inserts.append(
                (
                    cid,
                    rec.network,
                    rec.remote_id,
                    rec.handle,
                    rec.name,
                    rec.avatar_url,
                    rec.email.lower() if rec.email else None,  # stored lower: indexed lookups
                )
            )
            if rec.email:
                new_with_email.append((cid, rec.email.lower()))
    if inserts:
        conn.exec_driver_sql(
            "INSERT INTO contacts (id, network, remote_id, handle, name, avatar_url, email) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            inserts,
        )
    if updates:
        conn.exec_driver_sql(
            "UPDATE contacts SET handle = ?, name = ?, avatar_url = ?, email = ? WHERE id = ?",
            updates,
        )
    for cid, email in new_with_email:
        _autolink_by_email(conn, cid, email)
    return ids


def _autolink_by_email(conn: Connection, contact_id: str, email: str) -> None:
    """The one automatic link (DESIGN.md): the same e-mail address."""
    other = conn.exec_driver_sql(
        "SELECT id, person_id FROM contacts WHERE email = ? AND id != ? LIMIT 1",
        (email, contact_id),
    ).first()
    if other is None:
        return
    person_id = other[1]
    if person_id is None:
        person_id = new_id()
        conn.exec_driver_sql(
            "INSERT INTO persons (id, name, created_at) VALUES (?, '', ?)", (person_id, now_ms())
        )
        conn.exec_driver_sql(
            "UPDATE contacts SET person_id = ? WHERE id = ?", (person_id, other[0])
        )
    conn.exec_driver_sql("UPDATE contacts SET person_id = ? WHERE id = ?", (person_id, contact_id))


# --------------------------------------------------------------------------
# conversations


_CONV_COLUMNS = (
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
        state = cls._from_row(row)
        state.loaded_status = (state.status, state.snoozed_until)
        state.loaded_contact = state.contact_id
        return state

    @classmethod
    def _from_row(cls, row: Sequence[Any]) -> ConvState:
        return cls(
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


def load_conversations(
    conn: Connection, account_id: str, keys: Sequence[str]
) -> dict[str, ConvState]:
    """Conversations by remote key, following aliases of merged threads."""
    found: dict[str, ConvState] = {}
    for part in _chunks(list(keys)):
        rows = conn.exec_driver_sql(
            f"SELECT {_CONV_COLUMNS} FROM conversations "
            f"WHERE account_id = ? AND remote_key IN ({_marks(len(part))})",
            (account_id, *part),
        ).all()
        for row in rows:
            found[row[1]] = ConvState.from_row(row)
    missing = [k for k in keys if k not in found]
    for part in _chunks(missing):
        rows = conn.exec_driver_sql(
            f"SELECT a.remote_key, {', '.join('c.' + c.strip() for c in _CONV_COLUMNS.split(','))} "
            "FROM conversation_aliases a JOIN conversations c ON c.id = a.conversation_id "
            f"WHERE a.account_id = ? AND a.remote_key IN ({_marks(len(part))})",
            (account_id, *part),
        ).all()
        by_id = {s.id: s for s in found.values()}
        for row in rows:
            state = by_id.get(row[1]) or ConvState.from_row(row[1:])
            by_id[state.id] = state
            found[row[0]] = state
    return found


def _aggregates(s: ConvState, targets: dict[str, int], now: int) -> tuple[Any, ...]:
    due = workflow_rules.due_at(s.waiting_since, settings_registry.due_seconds(targets, s.kind))
    return (
        s.subject,
        s.preview,
        s.first_in,
        s.last_in,
        s.last_out,
        s.last_activity if s.last_activity is not None else now,
        s.waiting_since,
        due,
        workflow_rules.sort_wait_key(s.waiting_since, s.last_activity),
        int(s.unread),
        s.message_count,
        now,
    )


def _insert_conversations(
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
            *_aggregates(s, targets, now),
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


def _write_conversations(
    conn: Connection, account_id: str, states: Iterable[ConvState], targets: dict[str, int]
) -> None:
    """Update existing conversations. Status and contact are written only
    where they changed: SQLite rewrites an index entry for every indexed
    column named in SET, and the status column is in every queue index."""
    now = now_ms()
    aggregates: list[tuple[Any, ...]] = []
    statuses: list[tuple[Any, ...]] = []
    contacts: list[tuple[Any, ...]] = []
    seen: set[str] = set()
    for s in states:
        if s.id in seen or not s.dirty:
            continue
        seen.add(s.id)
        aggregates.append((*_aggregates(s, targets, now), s.id))
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


def recompute_conversation(conn: Connection, conversation_id: str) -> None:
    """Recompute every aggregate of one conversation from its messages.

    The incremental path in :func:`ingest_chunk` is the fast one; this is the
    slow, obviously-right one, used after tombstones, merges and erasure.
    """
    row = conn.exec_driver_sql(
        f"SELECT {_CONV_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
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
    s.waiting_since = _first_inbound_after(conn, conversation_id, s.last_out)
    last = conn.exec_driver_sql(
        "SELECT text, author_contact_id FROM messages WHERE conversation_id = ? "
        "AND direction = 'in' AND deleted = 0 ORDER BY sent_at DESC, seq DESC LIMIT 1",
        (conversation_id,),
    ).first()
    s.preview = preview_of(last[0]) if last else ""
    if last is not None and last[1]:
        s.contact_id = last[1]
    s.dirty = True
    account_id = conn.exec_driver_sql(
        "SELECT account_id FROM conversations WHERE id = ?", (conversation_id,)
    ).scalar_one()
    _write_conversations(conn, account_id, [s], due_targets(conn))


def _first_inbound_after(conn: Connection, conversation_id: str, after: int | None) -> int | None:
    value = conn.exec_driver_sql(
        "SELECT min(sent_at) FROM messages WHERE conversation_id = ? AND direction = 'in' "
        "AND deleted = 0 AND sent_at > ?",
        (conversation_id, after if after is not None else -1),
    ).scalar()
    return int(value) if value is not None else None


# --------------------------------------------------------------------------
# messages


@dataclass(slots=True)
class IngestReport:
    """What one chunk did (for logs, the status bar and benchmarks)."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    merged: int = 0
    reopened: list[str] = field(default_factory=list)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(value: Any) -> Any:
    """Text SQLite can store: a lone surrogate (JSON's "\\ud800", which a
    sender can write) cannot be encoded as UTF-8 and made the whole chunk
    fail on every pass; it becomes U+FFFD. Lists and dicts are walked."""
    if isinstance(value, str):
        if value.isascii():
            return value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, Mapping):
        return {_clean(str(k)): _clean(v) for k, v in value.items()}
    return value


def _clean_text(rec: MessageRecord) -> None:
    """Every text of a record as :func:`_clean` makes it (in place)."""
    for name in ("remote_id", "thread_key", "text", "html", "url", "in_reply_to", "subject"):
        setattr(rec, name, _clean(getattr(rec, name)))
    rec.visibility = _clean(rec.visibility)
    author = rec.author
    for name in ("network", "remote_id", "handle", "name", "avatar_url", "email"):
        setattr(author, name, _clean(getattr(author, name)))
    rec.mentions = _clean(list(rec.mentions))
    rec.parents = _clean(list(rec.parents))
    for attachment in rec.attachments:
        for name in ("name", "mime_type", "url", "ref"):
            setattr(attachment, name, _clean(getattr(attachment, name)))
    for location in rec.locations:
        location.folder = _clean(location.folder)
    if rec.raw is not None:
        rec.raw = _clean(rec.raw)


def _in_bounds(value: object, latest: datetime) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None and EARLIEST <= value <= latest


def _bound_times(rec: MessageRecord, latest: datetime) -> None:
    """The last line of defence behind the providers' own bounds: no record
    from any provider stores a time a listing cannot turn back into a date
    (console/models/timebounds.py). A replaced time is kept, as given, in
    the record's raw payload."""
    if _in_bounds(rec.sent_at, latest) and (
        rec.edited_at is None or _in_bounds(rec.edited_at, latest)
    ):
        return
    raw: dict[str, Any] = dict(rec.raw) if isinstance(rec.raw, Mapping) else {}
    rec.sent_at = bound_and_keep(rec.sent_at, None, raw, "sent_at")
    if rec.edited_at is not None:
        rec.edited_at = bound_and_keep(rec.edited_at, None, raw, "edited_at")
    rec.raw = raw
    log.warning("message %s: a time outside the bounds was replaced", rec.remote_id[:200])


def _names(rec: MessageRecord) -> str:
    return f"{rec.author.name} {rec.author.handle}".strip()


def _thread_by_parents(conn: Any, account_id: str, recs: list[MessageRecord]) -> list[ThreadMerge]:
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
    for part in _chunks(wanted):
        rows = conn.exec_driver_sql(
            "SELECT m.remote_id, c.remote_key FROM messages m "
            "JOIN conversations c ON c.id = m.conversation_id "
            f"WHERE m.account_id = ? AND m.remote_id IN ({_marks(len(part))})",
            (account_id, *part),
        ).all()
        known.update({str(r[0]): str(r[1]) for r in rows})
    orphans: dict[str, str] = {}
    ids = [r.remote_id for r in recs]
    for part in _chunks(ids):
        rows = conn.exec_driver_sql(
            "SELECT m.in_reply_to, c.remote_key FROM messages m "
            "JOIN conversations c ON c.id = m.conversation_id "
            f"WHERE m.account_id = ? AND m.in_reply_to IN ({_marks(len(part))})",
            (account_id, *part),
        ).all()
        orphans.update({str(r[0]): str(r[1]) for r in rows})
    existing_keys = set(load_conversations(conn, account_id, list({r.thread_key for r in recs})))
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
        topic = _subject_topic(rec)
        if key is None and topic is not None and child is None and _REPLY.match(rec.subject or ""):
            # Last resort: "Re: <subject>" with no reference headers joins the
            # latest thread with that subject and that correspondent.
            key = by_topic.get(topic) or _thread_by_subject(conn, account_id, topic, rec)
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


def _subject_topic(rec: MessageRecord) -> tuple[str, str] | None:
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


def _thread_by_subject(
    conn: Any, account_id: str, topic: tuple[str, str], rec: MessageRecord
) -> str | None:
    """The most recent e-mail thread of the last 90 days with this subject
    whose contact is this correspondent."""
    root, who = topic
    pattern = "%" + root.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    since = to_ms(rec.sent_at) - 90 * DAY_MS
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


def ingest_chunk(
    tx: Tx,
    account_id: str,
    messages: Sequence[MessageRecord] = (),
    tombstones: Sequence[str] = (),
    merges: Sequence[ThreadMerge] = (),
    cursors: dict[str, Any] | None = None,
) -> IngestReport:
    """Apply one chunk of fetched records in the current transaction.

    ``cursors`` (when given) are stored in the same transaction: records and
    cursor commit together, so a crash resumes with no gap, and because every
    record is an upsert, replaying a chunk adds no duplicate.
    """
    conn = tx.session.connection()
    report = IngestReport()
    acct = conn.exec_driver_sql("SELECT 1 FROM accounts WHERE id = ?", (account_id,)).first()
    if acct is None:
        raise LookupError(f"no account {account_id}")
    now = now_ms()
    # The window the engine gave the provider: the account's, else the workspace's.
    history = settings_registry.get(conn, settings_registry.HISTORY_DAYS, account=account_id)
    window_start = now - history * DAY_MS
    targets = due_targets(conn)

    latest = utcnow() + FUTURE_SKEW
    unique: dict[str, MessageRecord] = {}
    for rec in messages:
        _bound_times(rec, latest)
        _clean_text(rec)
        unique[rec.remote_id] = rec
    recs = list(unique.values())

    contact_ids = upsert_contacts(conn, (r.author for r in recs))
    if any(r.parents or r.kind == Kind.EMAIL for r in recs):
        merges = [*merges, *_thread_by_parents(conn, account_id, recs)]
    keys = list(dict.fromkeys(r.thread_key for r in recs))
    convs = load_conversations(conn, account_id, keys)
    for rec in recs:
        if rec.thread_key not in convs:
            convs[rec.thread_key] = ConvState(
                id=new_id(), remote_key=rec.thread_key, kind=str(rec.kind), new=True
            )

    existing: dict[str, tuple[Any, ...]] = {}
    remote_ids = list(unique)
    for part in _chunks(remote_ids):
        rows = conn.exec_driver_sql(
            "SELECT remote_id, seq, id, conversation_id, text, html, deleted, subject, "
            f"author_name, author_handle FROM messages WHERE account_id = ? "
            f"AND remote_id IN ({_marks(len(part))})",
            (account_id, *part),
        ).all()
        for row in rows:
            existing[row[0]] = tuple(row)

    seq = conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM messages").scalar_one()
    msg_rows: list[tuple[Any, ...]] = []
    fts_rows: list[tuple[Any, ...]] = []
    edits: list[tuple[Any, ...]] = []
    fts_edits: list[tuple[Any, ...]] = []
    locations: list[tuple[Any, ...]] = []
    message_ids: dict[str, str] = {}
    touched: set[str] = set()
    edited_convs: set[str] = set()

    for rec in recs:
        conv = convs[rec.thread_key]
        sent = to_ms(rec.sent_at)
        old = existing.get(rec.remote_id)
        if old is not None:
            message_ids[rec.remote_id] = old[2]
            changed = (rec.text, rec.html) != (old[4], old[5]) and not old[6]
            if rec.deleted and not old[6]:
                tombstones = [*tombstones, rec.remote_id]
            elif changed and not rec.deleted:
                edited = to_ms(rec.edited_at) if rec.edited_at else now
                edits.append((rec.text, rec.html, edited, old[1]))
                fts_edits.append((old[1], rec.text, old[7] or "", f"{old[8]} {old[9]}".strip()))
                touched.add(old[3])
                edited_convs.add(old[3])
                report.updated += 1
            if rec.locations:
                locations.extend(
                    (account_id, old[2], loc.folder, loc.uidvalidity, loc.uid)
                    for loc in rec.locations
                )
            continue
        seq += 1
        mid = new_id()
        message_ids[rec.remote_id] = mid
        author_id = contact_ids.get((rec.author.network, rec.author.remote_id))
        text = "" if rec.deleted else rec.text
        msg_rows.append(
            (
                seq,
                mid,
                account_id,
                conv.id,
                rec.remote_id,
                str(rec.direction),
                author_id,
                rec.author.name,
                rec.author.handle,
                sent,
                text,
                None if rec.deleted else rec.html,
                rec.url,
                rec.in_reply_to,
                rec.subject,
                rec.visibility,
                json.dumps([asdict(a) for a in rec.attachments]) if rec.attachments else None,
                json.dumps(dict(rec.raw), default=str) if rec.raw is not None else None,
                to_ms(rec.edited_at) if rec.edited_at else None,
                int(rec.deleted),
                now,
            )
        )
        if not rec.deleted:
            fts_rows.append((seq, text, rec.subject or "", _names(rec)))
        if rec.locations:
            locations.extend(
                (account_id, mid, loc.folder, loc.uidvalidity, loc.uid) for loc in rec.locations
            )
        report.inserted += 1
        touched.add(conv.id)
        if rec.deleted:
            continue
        _apply_new_message(conv, rec, sent, author_id, window_start)

    states = list({c.id: c for c in convs.values()}.values())
    fresh = [c for c in states if c.new]
    for c in fresh:
        if c.recompute:
            c.waiting_since = workflow_rules.first_waiting(c.inbound, c.last_out)
            c.recompute = False
        c.status = workflow_rules.arrival_status(c.waiting_since, c.last_in, window_start)
        c.unread = c.status == Status.OPEN
    _insert_conversations(conn, account_id, fresh, targets)
    if msg_rows:
        conn.exec_driver_sql(
            "INSERT INTO messages (seq, id, account_id, conversation_id, remote_id, direction, "
            "author_contact_id, author_name, author_handle, sent_at, text, html, url, "
            "in_reply_to, subject, visibility, attachments, raw, edited_at, deleted, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            msg_rows,
        )
    if fts_rows:
        conn.exec_driver_sql(
            "INSERT INTO message_fts (rowid, text, subject, names) VALUES (?, ?, ?, ?)", fts_rows
        )
    if edits:
        conn.exec_driver_sql(
            "UPDATE messages SET text = ?, html = ?, edited_at = ? WHERE seq = ?", edits
        )
        conn.exec_driver_sql(
            "DELETE FROM message_fts WHERE rowid = ?", [(row[0],) for row in fts_edits]
        )
        conn.exec_driver_sql(
            "INSERT INTO message_fts (rowid, text, subject, names) VALUES (?, ?, ?, ?)", fts_edits
        )
    if locations:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO message_locations (account_id, message_id, folder, "
            "uidvalidity, uid) VALUES (?, ?, ?, ?, ?)",
            locations,
        )

    existing_states = [c for c in states if not c.new]
    for c in existing_states:
        if c.recompute:
            c.waiting_since = _first_inbound_after(conn, c.id, c.last_out)
    _write_conversations(conn, account_id, existing_states, targets)
    for cid in edited_convs:
        recompute_conversation(conn, cid)  # an edit may change the preview
    for s in states:
        if s.reopened and not s.new:
            report.reopened.append(s.id)
            record_activity(conn, None, s.id, "status", {"status": "open", "reason": "inbound"})

    if tombstones:
        report.deleted += apply_tombstones(conn, account_id, tombstones, touched)
    for merge in merges:
        if merge_by_keys(tx, account_id, merge):
            report.merged += 1
    if cursors is not None:
        conn.exec_driver_sql(
            "UPDATE accounts SET cursors = ?, last_sync_at = ? WHERE id = ?",
            (json.dumps(cursors), now, account_id),
        )
        tx.changes.accounts.add(account_id)
    tx.changes.conversations |= touched
    tx.changes.messages_added += report.inserted
    return report


def _apply_new_message(
    conv: ConvState, rec: MessageRecord, sent: int, author_id: str | None, window_start: int
) -> None:
    """Fold one newly stored, live message into its conversation's aggregates."""
    conv.dirty = True
    conv.message_count += 1
    if conv.last_activity is None or sent > conv.last_activity:
        conv.last_activity = sent
    if conv.subject is None and rec.subject:
        conv.subject = rec.subject
    if rec.direction == Direction.IN:
        # Only a message newer than every inbound one already known makes
        # someone wait again: a late old one, or one fetched again after a
        # cache rebuild (docs/decisions.md), leaves the status alone.
        newest_in = conv.last_in is None or sent > conv.last_in
        if conv.new:
            conv.inbound.append(sent)
        if conv.first_in is None or sent < conv.first_in:
            conv.first_in = sent
        if conv.last_in is None or sent >= conv.last_in:
            conv.last_in = sent
            conv.preview = preview_of(rec.text)
            if author_id is not None:
                conv.contact_id = author_id
        if conv.last_out is None or sent > conv.last_out:
            if conv.waiting_since is None or sent < conv.waiting_since:
                conv.waiting_since = sent
            conv.unread = True
            if not conv.new and workflow_rules.reopens(
                conv.status, newest_inbound=newest_in, sent=sent, window_start=window_start
            ):
                conv.status = Status.OPEN
                conv.snoozed_until = None
                conv.reopened = True
    else:
        if conv.last_out is None or sent > conv.last_out:
            conv.last_out = sent
            if conv.waiting_since is not None and conv.waiting_since <= sent:
                conv.recompute = True


def apply_tombstones(
    conn: Connection, account_id: str, remote_ids: Sequence[str], touched: set[str]
) -> int:
    """Messages deleted on the network: keep a tombstone, drop text and index."""
    count = 0
    convs: set[str] = set()
    for part in _chunks(list(dict.fromkeys(remote_ids))):
        rows = conn.exec_driver_sql(
            "SELECT seq, conversation_id FROM messages WHERE account_id = ? AND deleted = 0 "
            f"AND remote_id IN ({_marks(len(part))})",
            (account_id, *part),
        ).all()
        if not rows:
            continue
        conn.exec_driver_sql(
            "UPDATE messages SET deleted = 1, text = '', html = NULL WHERE seq = ?",
            [(r[0],) for r in rows],
        )
        conn.exec_driver_sql("DELETE FROM message_fts WHERE rowid = ?", [(r[0],) for r in rows])
        convs.update(r[1] for r in rows)
        count += len(rows)
    for cid in convs:
        recompute_conversation(conn, cid)
    touched |= convs
    return count


# --------------------------------------------------------------------------
# merges and activity


def merge_by_keys(tx: Tx, account_id: str, merge: ThreadMerge) -> bool:
    """Apply a provider's ThreadMerge; True when two conversations merged."""
    conn = tx.session.connection()
    found = load_conversations(conn, account_id, [merge.from_key, merge.into_key])
    src = found.get(merge.from_key)
    dst = found.get(merge.into_key)
    if src is None:
        return False
    if dst is None:
        # Only the old root is known: it simply gets the new key.
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO conversation_aliases (account_id, remote_key, "
            "conversation_id) VALUES (?, ?, ?)",
            (account_id, src.remote_key, src.id),
        )
        conn.exec_driver_sql(
            "UPDATE conversations SET remote_key = ? WHERE id = ?", (merge.into_key, src.id)
        )
        conn.exec_driver_sql(
            "DELETE FROM conversation_aliases WHERE account_id = ? AND remote_key = ?",
            (account_id, merge.into_key),
        )
        tx.changes.conversations.add(src.id)
        return False
    if src.id == dst.id:
        return False
    merge_conversations(tx, src.id, dst.id)
    return True


def merge_conversations(tx: Tx, from_id: str, into_id: str) -> None:
    """Move everything of ``from_id`` into ``into_id`` and redirect the id."""
    conn = tx.session.connection()
    src = conn.exec_driver_sql(
        "SELECT account_id, remote_key, assignee_id, status, priority FROM conversations "
        "WHERE id = ?",
        (from_id,),
    ).one()
    dst = conn.exec_driver_sql(
        "SELECT assignee_id, status, priority FROM conversations WHERE id = ?", (into_id,)
    ).one()
    conn.exec_driver_sql(
        "UPDATE messages SET conversation_id = ? WHERE conversation_id = ?", (into_id, from_id)
    )
    for table in ("notes", "outbox"):
        conn.exec_driver_sql(
            f"UPDATE {table} SET conversation_id = ? WHERE conversation_id = ?", (into_id, from_id)
        )
    conn.exec_driver_sql(
        "UPDATE activities SET conversation_id = ? WHERE conversation_id = ?", (into_id, from_id)
    )
    # Drafts: one per (conversation, author). When both threads hold a draft
    # of the same author, the survivor's draft gets the other's text appended:
    # a draft is never lost.
    for did, author, body in conn.exec_driver_sql(
        "SELECT id, author_id, body FROM drafts WHERE conversation_id = ?", (from_id,)
    ).all():
        other = conn.exec_driver_sql(
            "SELECT id, body FROM drafts WHERE conversation_id = ? AND author_id = ?",
            (into_id, author),
        ).first()
        if other is None:
            conn.exec_driver_sql(
                "UPDATE drafts SET conversation_id = ? WHERE id = ?", (into_id, did)
            )
        else:
            joined = "\n\n".join(b for b in (other[1], body) if b)
            conn.exec_driver_sql(
                "UPDATE drafts SET body = ?, updated_at = ? WHERE id = ?",
                (joined, now_ms(), other[0]),
            )
            conn.exec_driver_sql("DELETE FROM drafts WHERE id = ?", (did,))
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO conversation_tags (conversation_id, tag_id) "
        "SELECT ?, tag_id FROM conversation_tags WHERE conversation_id = ?",
        (into_id, from_id),
    )
    conn.exec_driver_sql(
        "UPDATE conversation_aliases SET conversation_id = ? WHERE conversation_id = ?",
        (into_id, from_id),
    )
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO conversation_aliases (account_id, remote_key, conversation_id) "
        "VALUES (?, ?, ?)",
        (src[0], src[1], into_id),
    )
    assignee = dst[0] or src[2]
    status = workflow_rules.merged_status(dst[1], src[3])
    conn.exec_driver_sql(
        "UPDATE conversations SET assignee_id = ?, status = ?, priority = ? WHERE id = ?",
        (assignee, status, max(src[4], dst[2]), into_id),
    )
    conn.exec_driver_sql("DELETE FROM conversations WHERE id = ?", (from_id,))
    conn.exec_driver_sql(
        "UPDATE conversation_redirects SET new_id = ? WHERE new_id = ?", (into_id, from_id)
    )
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO conversation_redirects (old_id, new_id) VALUES (?, ?)",
        (from_id, into_id),
    )
    recompute_conversation(conn, into_id)
    record_activity(conn, None, into_id, "merge", {"from": from_id, "into": into_id})
    tx.changes.removed.add(from_id)
    tx.changes.redirects[from_id] = into_id
    tx.changes.conversations.add(into_id)


def ingest(
    writer: Writer,
    account_id: str,
    result: FetchResult,
    *,
    target_ms: float = 250.0,
    first_chunk: int = 1000,
) -> IngestReport:
    """Apply a FetchResult through the writer in chunks of about ``target_ms``.

    Small pages go in one transaction. A large batch is cut into chunks,
    each its own transaction at BULK priority, so a draft save or a click
    waits at most one chunk. Tombstones, merges and the new cursors commit
    with the last chunk: a crash in between replays the earlier chunks as
    upserts (no duplicate) from the old cursor (no gap).
    """
    total = IngestReport()
    msgs = result.messages
    size = max(1, first_chunk)
    start = 0
    while True:
        part = msgs[start : start + size]
        last = start + size >= len(msgs)
        began = time.perf_counter()

        def task(tx: Tx, part: Sequence[MessageRecord] = part, last: bool = last) -> IngestReport:
            if not last:
                return ingest_chunk(tx, account_id, part)
            return ingest_chunk(
                tx,
                account_id,
                part,
                [t.remote_id for t in result.tombstones],
                result.merges,
                result.cursors,
            )

        report = writer.call(task, BULK)
        elapsed_ms = (time.perf_counter() - began) * 1000
        total.inserted += report.inserted
        total.updated += report.updated
        total.deleted += report.deleted
        total.merged += report.merged
        total.reopened += report.reopened
        if last:
            return total
        start += size
        if elapsed_ms > 0:
            size = max(50, min(20_000, int(size * target_ms / elapsed_ms)))
