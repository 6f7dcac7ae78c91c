"""The SQL of a queue listing: the index walks a view is made of, the
filter clauses, the full-text search plan, the order and the keyset
(the position after which a page starts).

The "open" views include snoozed conversations whose time has passed (a
snooze wakes at query time, no timer). That OR would defeat the index, so
the query is two index walks (open / expired snoozes) merged by SQLite."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.models.types import now_ms
from console.models.vocabulary import Status
from console.services.queue.filters import QueueFilter

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(search: str) -> str | None:
    """User text -> an FTS5 query: every word must match, each as a prefix
    ("Belg" finds "Belgique"; accents and case are ignored by the
    tokenizer). Quoting each word makes FTS syntax in the input (AND, NEAR,
    *, ") harmless. A word shorter than MIN_PREFIX stays a whole word: as a
    prefix it stands for thousands of terms and nearly every message, the
    costliest query there is and no use to anyone (docs/decisions.md,
    "Search")."""
    words = _WORD.findall(search)
    if not words:
        return None
    return " ".join(_whole_or_prefix(w) for w in words)


#: The shortest word matched as a prefix ("li" is the word "li"; "liv" finds
#: "livraison").
MIN_PREFIX = 3


def _whole_or_prefix(word: str) -> str:
    return f'"{word}"' if len(word) < MIN_PREFIX else f'"{word}"*'


#: A prefix standing for more terms than this stays a prefix query (the
#: set plan); fewer are spelled out (see :func:`expand_prefixes`).
MAX_TERMS = 64


def _index_form(word: str) -> str | None:
    """``word`` as the tokenizer stores it (lower case, no accents), when
    that is certain: Latin letters and digits only; else None."""
    if any(ord(ch) >= 0x250 for ch in word):
        return None
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch)
    ).lower()
    return folded if folded.isascii() and folded.isalnum() else None


def expand_prefixes(session: Session, search: str) -> str | None:
    """:func:`fts_query` for message_fts with each prefix spelled out as the
    terms of the index it stands for ("bike" -> "bike" OR "bikes"). FTS5
    seeks a term per conversation but merges a prefix's doclists each time
    its cursor opens, so only a spelled-out query can take the probe plan
    of common words. A prefix of many terms (or not in Latin letters) stays
    a prefix: the set plan."""
    words = _WORD.findall(search)
    if not words:
        return None
    groups = []
    for word in words:
        key = _index_form(word) if len(word) >= MIN_PREFIX else None
        if key is None:
            groups.append(_whole_or_prefix(word))
            continue
        terms = session.scalars(
            text("SELECT term FROM message_fts_terms WHERE term >= :lo AND term < :hi LIMIT :n"),
            {"lo": key, "hi": key[:-1] + chr(ord(key[-1]) + 1), "n": MAX_TERMS + 1},
        ).all()
        if not terms or len(terms) > MAX_TERMS:
            groups.append(f'"{word}"*')
        else:
            quoted = (str(t).replace('"', '""') for t in terms)
            groups.append("(" + " OR ".join(f'"{t}"' for t in quoted) + ")")
    return " AND ".join(groups)


def search_words(search: str | None) -> list[str]:
    """The words of a search as fts_query reads them (for highlighting)."""
    return _WORD.findall(search or "")


def index_walks(flt: QueueFilter, now: int, me_id: str | None) -> list[tuple[str, dict[str, Any]]]:
    """The WHERE clauses of the index walks that make up a view."""
    open_: tuple[str, dict[str, Any]] = ("c.status = 'open'", {})
    woke = ("c.status = 'snoozed' AND c.snoozed_until <= :now", {"now": now})
    if flt.view in ("open", "mine", "unassigned"):
        parts = [open_, woke]
        if flt.view == "mine":
            parts = [(f"{w} AND c.assignee_id = :me", {**p, "me": me_id}) for w, p in parts]
        elif flt.view == "unassigned":
            parts = [(f"{w} AND c.assignee_id IS NULL", p) for w, p in parts]
        return parts
    if flt.view == "snoozed":
        return [("c.status = 'snoozed' AND c.snoozed_until > :now", {"now": now})]
    if flt.view in ("pending", "closed"):
        return [(f"c.status = '{flt.view}'", {})]
    # "all": one index walk per status, merged, instead of sorting the table.
    return [(f"c.status = '{status}'", {}) for status in Status]


def where_clauses(
    flt: QueueFilter, session: Session | None = None
) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    if flt.account_id:
        where.append("c.account_id = :account_id")
        params["account_id"] = flt.account_id
    if flt.network:
        where.append("c.account_id IN (SELECT id FROM accounts WHERE network = :network)")
        params["network"] = flt.network
    if flt.assignee_id:
        where.append("c.assignee_id = :assignee_id")
        params["assignee_id"] = flt.assignee_id
    if flt.tag:
        where.append(
            "c.id IN (SELECT ct.conversation_id FROM conversation_tags ct "
            "JOIN tags t ON t.id = ct.tag_id WHERE t.name = :tag)"
        )
        params["tag"] = flt.tag.lstrip("#")
    if flt.search is not None:
        query = fts_query(flt.search)
        if query is None:
            where.append("0 = 1")
        else:
            spelled = expand_prefixes(session, flt.search) if session is not None else None
            where.append(search_clause(session, spelled or query))
            params["fts"] = spelled or query
            params["notes_fts"] = query  # notes are few: a prefix query costs nothing
    return where, params


#: Above this many matching messages a term is "common": probing each
#: conversation in queue order finds a page sooner than collecting every match.
DENSE_MATCHES = 50_000


#: Conversations whose internal notes match (note_fts, kept by triggers on
#: notes; a team writes few notes, so the set is small).
NOTES_MATCH = "SELECT n.conversation_id FROM note_fts n WHERE note_fts MATCH :notes_fts"


def search_clause(session: Session | None, query: str) -> str:
    """Pick the cheaper plan for this query (see DENSE_MATCHES). A query
    with a prefix term always takes the set plan: FTS5 merges a prefix's
    doclists each time its cursor opens, so a probe per conversation would
    redo that merge for every row (seconds on a large cache)."""
    dense = False
    if session is not None and "*" not in query:
        hits = session.execute(
            text(
                "SELECT count(*) FROM (SELECT rowid FROM message_fts "
                "WHERE message_fts MATCH :fts LIMIT :n)"
            ),
            {"fts": query, "n": DENSE_MATCHES},
        ).scalar_one()
        dense = hits >= DENSE_MATCHES
    if dense:
        return (
            # CROSS JOIN fixes the loop order: the conversation's few messages
            # outside, a rowid probe into the index inside.
            "(EXISTS (SELECT 1 FROM messages m CROSS JOIN message_fts f "
            "WHERE m.conversation_id = c.id AND f.rowid = m.seq AND message_fts MATCH :fts) "
            f"OR c.id IN ({NOTES_MATCH}))"
        )
    return (
        "c.id IN (SELECT m.conversation_id FROM message_fts f "
        f"JOIN messages m ON m.seq = f.rowid WHERE message_fts MATCH :fts UNION {NOTES_MATCH})"
    )


#: 1 when a conversation is past its due time at :now, else 0.
OVERDUE = "(c.due_at IS NOT NULL AND c.due_at <= :now)"

ORDER = {
    "waiting": ("c.sort_wait ASC, c.id ASC", "c.sort_wait, c.id"),
    "activity": ("c.last_activity_at DESC, c.id DESC", "c.last_activity_at, c.id"),
    "priority": ("c.priority DESC, c.sort_wait ASC, c.id ASC", "c.priority, c.sort_wait, c.id"),
    # Most urgent: priority, then overdue first (a flag computed from the
    # bound :now, the same one the page's rows take their key from).
    "urgent": (
        f"c.priority DESC, {OVERDUE} DESC, c.sort_wait ASC, c.id ASC",
        f"c.priority, {OVERDUE}, c.sort_wait, c.id",
    ),
}


def keyset(sort: str, after: Sequence[Any] | None) -> tuple[str | None, dict[str, Any]]:
    if after is None:
        return None, {}
    if sort == "waiting":
        return "(c.sort_wait, c.id) > (:k0, :k1)", {"k0": after[0], "k1": after[1]}
    if sort == "activity":
        return "(c.last_activity_at, c.id) < (:k0, :k1)", {"k0": after[0], "k1": after[1]}
    if sort == "urgent":
        return (
            f"(c.priority < :k0 OR (c.priority = :k0 AND ({OVERDUE} < :k1 OR "
            f"({OVERDUE} = :k1 AND (c.sort_wait, c.id) > (:k2, :k3)))))",
            {"k0": after[0], "k1": after[1], "k2": after[2], "k3": after[3]},
        )
    return (
        "(c.priority < :k0 OR (c.priority = :k0 AND (c.sort_wait, c.id) > (:k1, :k2)))",
        {"k0": after[0], "k1": after[1], "k2": after[2]},
    )


COLUMNS = (
    "c.id, c.account_id, c.kind, c.status, c.snoozed_until, c.assignee_id, c.contact_id, "
    "c.subject, c.preview, c.waiting_since, c.due_at, c.last_activity_at, c.unread, "
    "c.priority, c.sort_wait"
)


_SPARSE_MARK = "c.id IN (SELECT m.conversation_id"


def plan(
    flt: QueueFilter, now: int, me_id: str | None, extra: list[str]
) -> list[tuple[str, dict[str, Any]]]:
    """The index walks for a query. With a search for a rare term the
    matching set is small and drives the query, so the per-status walks
    collapse into one (else each walk would rebuild the set)."""
    branches = index_walks(flt, now, me_id)
    if len(branches) > 1 and any(e.startswith(_SPARSE_MARK) for e in extra):
        merged: dict[str, Any] = {}
        for _, p in branches:
            merged.update(p)
        # "+c.status" keeps SQLite from walking a status index and testing
        # every row against the set: the set itself drives (by primary key).
        combined = " OR ".join(f"({b})" for b, _ in branches).replace("c.status", "+c.status")
        return [(f"({combined})", merged)]
    return branches


def key_of(sort: str, row: Any, now: int | None = None) -> tuple[Any, ...]:
    """The keyset position of a row for ``sort`` (see :func:`keyset`).
    ``now`` must be the :now the row was ordered with ("urgent" only)."""
    if sort == "urgent":
        at = now_ms() if now is None else now
        due = row.due_at  # SQLite orders text after every number: never overdue
        overdue = int(isinstance(due, int | float) and due <= at)
        return (row.priority, overdue, row.sort_wait, row.id)
    if sort == "activity":
        return (row.last_activity_at, row.id)
    if sort == "priority":
        return (row.priority, row.sort_wait, row.id)
    return (row.sort_wait, row.id)


KEY_COLUMNS = "c.id, c.sort_wait, c.last_activity_at, c.priority, c.due_at"
