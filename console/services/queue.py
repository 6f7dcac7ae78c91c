"""The queue: views, filters, sorting and keyset paging.

Never loads all rows: a page is an index walk from the last row seen
(keyset paging on the sort key plus the id), so page 200 costs what page 1
costs and a row inserted meanwhile is neither skipped nor repeated.

The "open" views include snoozed conversations whose time has passed (a
snooze wakes at query time, no timer). That OR would defeat the index, so
the query is two index walks (open / expired snoozes) merged by SQLite.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from console.models import workflow_rules
from console.models.timebounds import in_bounds_ms
from console.models.types import from_ms, iso_z, now_ms
from console.models.vocabulary import Status
from console.services.errors import InvalidArgument
from console.services.workflow import PRIORITY_NAMES

log = logging.getLogger(__name__)

VIEWS = ("mine", "unassigned", "open", "pending", "snoozed", "closed", "all")
SORTS = ("waiting", "activity", "priority")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    view: str = "open"
    account_id: str | None = None
    network: str | None = None
    tag: str | None = None
    assignee_id: str | None = None
    search: str | None = None
    sort: str = "waiting"

    def __post_init__(self) -> None:
        if self.view not in VIEWS:
            raise InvalidArgument(f"Unknown view {self.view!r}; use one of {', '.join(VIEWS)}.")
        if self.sort not in SORTS:
            raise InvalidArgument(f"Unknown sort {self.sort!r}; use one of {', '.join(SORTS)}.")


@dataclass(frozen=True, slots=True)
class QueueRow:
    """Everything a queue row shows, in one flat record."""

    id: str
    network: str
    account_id: str
    account_handle: str
    kind: str
    status: str
    snoozed_until: datetime | None
    assignee_id: str | None
    assignee_name: str | None
    contact_name: str
    contact_handle: str
    subject: str | None
    preview: str
    waiting_since: datetime | None
    due_at: datetime | None
    last_activity: datetime | None
    unread: bool
    tags: tuple[str, ...]
    priority: str
    sort_key: tuple[Any, ...]
    #: Set when the stored row cannot be built (a value that will not
    #: convert, a time out of bounds): one sentence; the other fields are
    #: then placeholders (see :func:`damaged_row`).
    damaged: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The object of CLI.md's ``queue --json``; a damaged row is
        ``{"id", "damaged"}`` with every other field null."""
        if self.damaged is not None:
            return {**dict.fromkeys(_JSON_FIELDS), "id": self.id, "damaged": self.damaged}
        return {
            "id": self.id,
            "network": self.network,
            "account": {"id": self.account_id, "handle": self.account_handle},
            "kind": self.kind,
            "status": self.status,
            "snoozed_until": iso_z(self.snoozed_until),
            "assignee": (
                {"id": self.assignee_id, "name": self.assignee_name} if self.assignee_id else None
            ),
            "contact": {"name": self.contact_name, "handle": self.contact_handle},
            "subject": self.subject,
            "preview": self.preview,
            "waiting_since": iso_z(self.waiting_since),
            "due_at": iso_z(self.due_at),
            "last_activity": iso_z(self.last_activity),
            "unread": self.unread,
            "tags": list(self.tags),
            "priority": self.priority,
        }


_JSON_FIELDS = (
    "id",
    "network",
    "account",
    "kind",
    "status",
    "snoozed_until",
    "assignee",
    "contact",
    "subject",
    "preview",
    "waiting_since",
    "due_at",
    "last_activity",
    "unread",
    "tags",
    "priority",
)


def damaged_row(conv_id: str, sentence: str, sort_key: tuple[Any, ...] = ()) -> QueueRow:
    """A row that could not be built: its id, the sentence saying why, its
    place in the order (keyset paging goes on past it), and harmless
    placeholders (empty text, no times) for everything else."""
    return QueueRow(
        id=conv_id,
        network="",
        account_id="",
        account_handle="",
        kind="",
        status="",
        snoozed_until=None,
        assignee_id=None,
        assignee_name=None,
        contact_name="",
        contact_handle="",
        subject=None,
        preview=sentence,
        waiting_since=None,
        due_at=None,
        last_activity=None,
        unread=False,
        tags=(),
        priority="normal",
        sort_key=sort_key,
        damaged=sentence,
    )


def damaged_sentence(exc: BaseException) -> str:
    """One sentence for a conversation whose stored data cannot be read."""
    if isinstance(exc, _OutOfBounds):
        what = "a stored time is out of range"
    elif isinstance(exc, json.JSONDecodeError):
        what = "stored JSON is malformed"
    elif isinstance(exc, ValueError | OverflowError | TypeError):
        what = "a stored value has the wrong form"
    elif isinstance(exc, UnicodeError) or "decode" in str(exc).lower():
        what = "stored text is not valid UTF-8"
    else:
        what = f"unexpected {type(exc).__name__}"
    return (
        f"This conversation cannot be shown ({what}); the others are unaffected, and "
        f"`parloir cache rebuild` fetches it again."
    )


class _OutOfBounds(ValueError):
    """A stored time outside what the cache holds (an older version stored
    a sender's year 9999 or year 1)."""


def stored_time(value: Any) -> datetime | None:
    """A stored epoch-milliseconds value as a datetime; raises
    :class:`_OutOfBounds` when it is not one the cache can hold."""
    if value is None:
        return None
    if not in_bounds_ms(value):
        raise _OutOfBounds(f"time {value!r} out of bounds")
    return from_ms(int(value))


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[QueueRow]
    next_after: tuple[Any, ...] | None


# --------------------------------------------------------------------------
# building the SQL

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(search: str) -> str | None:
    """User text -> an FTS5 query: every word must match, as a whole word
    (accents and case ignored by the tokenizer). Quoting each word makes FTS
    syntax in the input (AND, NEAR, *, ") harmless. Whole words, not
    prefixes: a prefix query merges the doclists of every matching term and
    cannot seek, which made common terms cost seconds on a large cache."""
    words = _WORD.findall(search)
    if not words:
        return None
    return " ".join(f'"{w}"' for w in words)


def _branches(flt: QueueFilter, now: int, me_id: str | None) -> list[tuple[str, dict[str, Any]]]:
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


def _filters(flt: QueueFilter, session: Session | None = None) -> tuple[list[str], dict[str, Any]]:
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
            where.append(_search_clause(session, query))
            params["fts"] = query
    return where, params


#: Above this many matching messages a term is "common": probing each
#: conversation in queue order finds a page sooner than collecting every match.
DENSE_MATCHES = 50_000


def _search_clause(session: Session | None, query: str) -> str:
    """Pick the cheaper plan for this query (see DENSE_MATCHES)."""
    dense = False
    if session is not None:
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
            "EXISTS (SELECT 1 FROM messages m CROSS JOIN message_fts f "
            "WHERE m.conversation_id = c.id AND f.rowid = m.seq AND message_fts MATCH :fts)"
        )
    return (
        "c.id IN (SELECT m.conversation_id FROM message_fts f "
        "JOIN messages m ON m.seq = f.rowid WHERE message_fts MATCH :fts)"
    )


_ORDER = {
    "waiting": ("c.sort_wait ASC, c.id ASC", "c.sort_wait, c.id"),
    "activity": ("c.last_activity_at DESC, c.id DESC", "c.last_activity_at, c.id"),
    "priority": ("c.priority DESC, c.sort_wait ASC, c.id ASC", "c.priority, c.sort_wait, c.id"),
}


def _keyset(sort: str, after: Sequence[Any] | None) -> tuple[str | None, dict[str, Any]]:
    if after is None:
        return None, {}
    if sort == "waiting":
        return "(c.sort_wait, c.id) > (:k0, :k1)", {"k0": after[0], "k1": after[1]}
    if sort == "activity":
        return "(c.last_activity_at, c.id) < (:k0, :k1)", {"k0": after[0], "k1": after[1]}
    return (
        "(c.priority < :k0 OR (c.priority = :k0 AND (c.sort_wait, c.id) > (:k1, :k2)))",
        {"k0": after[0], "k1": after[1], "k2": after[2]},
    )


_COLUMNS = (
    "c.id, c.account_id, c.kind, c.status, c.snoozed_until, c.assignee_id, c.contact_id, "
    "c.subject, c.preview, c.waiting_since, c.due_at, c.last_activity_at, c.unread, "
    "c.priority, c.sort_wait"
)


_SPARSE_MARK = "c.id IN (SELECT m.conversation_id"


def _plan(
    flt: QueueFilter, now: int, me_id: str | None, extra: list[str]
) -> list[tuple[str, dict[str, Any]]]:
    """The index walks for a query. With a search for a rare term the
    matching set is small and drives the query, so the per-status walks
    collapse into one (else each walk would rebuild the set)."""
    branches = _branches(flt, now, me_id)
    if len(branches) > 1 and any(e.startswith(_SPARSE_MARK) for e in extra):
        merged: dict[str, Any] = {}
        for _, p in branches:
            merged.update(p)
        # "+c.status" keeps SQLite from walking a status index and testing
        # every row against the set: the set itself drives (by primary key).
        combined = " OR ".join(f"({b})" for b, _ in branches).replace("c.status", "+c.status")
        return [(f"({combined})", merged)]
    return branches


def page(
    session: Session,
    flt: QueueFilter,
    *,
    me_id: str | None = None,
    limit: int = 50,
    after: Sequence[Any] | None = None,
) -> Page:
    """One page of the queue, starting after the sort key ``after``."""
    if limit <= 0:
        raise InvalidArgument("The limit must be a positive number.")
    now = now_ms()
    extra, params = _filters(flt, session)
    key_clause, key_params = _keyset(flt.sort, after)
    order, _ = _ORDER[flt.sort]
    params.update(key_params)
    params["limit"] = limit
    selects = []
    for i, (branch, branch_params) in enumerate(_plan(flt, now, me_id, extra)):
        clauses = [branch, *extra]
        if key_clause:
            clauses.append(key_clause)
        params.update(branch_params)
        selects.append(
            f"SELECT * FROM (SELECT {_COLUMNS} FROM conversations c "
            f"WHERE {' AND '.join(clauses)} ORDER BY {order} LIMIT :limit) AS b{i}"
        )
    outer_order = order.replace("c.", "")
    sql = f"SELECT * FROM ({' UNION ALL '.join(selects)}) ORDER BY {outer_order} LIMIT :limit"
    rows = _fetch(session, sql, params, flt.sort)
    built = _build_rows(session, rows, now, flt.sort)
    next_after = built[-1].sort_key if len(built) == limit else None
    return Page(built, next_after)


def count(session: Session, flt: QueueFilter, *, me_id: str | None = None) -> int:
    now = now_ms()
    extra, params = _filters(flt, session)
    total = 0
    for branch, branch_params in _plan(flt, now, me_id, extra):
        clauses = " AND ".join([branch, *extra])
        total += int(
            session.execute(
                text(f"SELECT count(*) FROM conversations c WHERE {clauses}"),
                {**params, **branch_params},
            ).scalar_one()
        )
    return total


def counts(session: Session, *, me_id: str | None = None) -> dict[str, int]:
    """Live counts for the sidebar, every view at once."""
    return {view: count(session, QueueFilter(view=view), me_id=me_id) for view in VIEWS}


def rows_by_id(session: Session, ids: Sequence[str], sort: str = "waiting") -> dict[str, QueueRow]:
    """Fresh rows for the conversations a write changed (the GUI updates
    those rows only); ``sort`` decides their ``sort_key``."""
    if not ids:
        return {}
    out: dict[str, QueueRow] = {}
    for start in range(0, len(ids), 500):  # SQLite's variable limit
        chunk = ids[start : start + 500]
        marks = ",".join(f":i{n}" for n in range(len(chunk)))
        rows = _fetch(
            session,
            f"SELECT {_COLUMNS} FROM conversations c WHERE c.id IN ({marks})",
            {f"i{n}": v for n, v in enumerate(chunk)},
            sort,
        )
        out.update({r.id: r for r in _build_rows(session, rows, now_ms(), sort)})
    return out


def matches(row: QueueRow, flt: QueueFilter, me_id: str | None) -> bool | None:
    """Whether ``row`` belongs to ``flt`` — None when only the database can
    tell (a text search, a damaged row). Lets the GUI drop or add one row
    without a query."""
    if row.damaged is not None:
        return None
    status = workflow_rules.effective_status(row.status, row.snoozed_until, datetime.now(UTC))
    view = flt.view
    if view in ("open", "mine", "unassigned") and status != Status.OPEN:
        return False
    if view == "mine" and row.assignee_id != me_id:
        return False
    if view == "unassigned" and row.assignee_id is not None:
        return False
    if view in ("pending", "snoozed", "closed") and status != view:
        return False
    if flt.account_id is not None and row.account_id != flt.account_id:
        return False
    if flt.network is not None and row.network != flt.network:
        return False
    if flt.assignee_id is not None and row.assignee_id != flt.assignee_id:
        return False
    if flt.tag and flt.tag.lstrip("#") not in row.tags:
        return False
    return None if flt.search else True


def iterate(
    session: Session, flt: QueueFilter, *, me_id: str | None = None, page_size: int = 500
) -> list[QueueRow]:
    """Every matching row, page by page (for the CLI and exports)."""
    out: list[QueueRow] = []
    after: tuple[Any, ...] | None = None
    while True:
        result = page(session, flt, me_id=me_id, limit=page_size, after=after)
        out.extend(result.rows)
        if result.next_after is None:
            return out
        after = result.next_after


def _key_of(sort: str, row: Any) -> tuple[Any, ...]:
    """The keyset position of a row for ``sort`` (see :func:`_keyset`)."""
    if sort == "activity":
        return (row.last_activity_at, row.id)
    if sort == "priority":
        return (row.priority, row.sort_wait, row.id)
    return (row.sort_wait, row.id)


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A row SQLite itself could not hand over (text that is not UTF-8)."""

    id: str
    sort_key: tuple[Any, ...]
    error: BaseException


_KEY_COLUMNS = "c.id, c.sort_wait, c.last_activity_at, c.priority"


def _fetch(session: Session, sql: str, params: dict[str, Any], sort: str) -> list[Any]:
    """The rows of a queue query (``sql`` selects ``_COLUMNS``). When one of
    them holds text SQLite cannot decode, the query fails as a whole: it is
    then run again for the ids only, and each row read on its own, so the
    bad one is listed as damaged and the others as usual."""
    try:
        return list(session.execute(text(sql), params).all())
    except OperationalError as exc:
        if "decode" not in str(exc).lower():
            raise
        log.warning("a queue query met undecodable text; reading its rows one by one")
    keys = session.execute(text(sql.replace(_COLUMNS, _KEY_COLUMNS)), params).all()
    out: list[Any] = []
    for key in keys:
        try:
            row = session.execute(
                text(f"SELECT {_COLUMNS} FROM conversations c WHERE c.id = :id"), {"id": key.id}
            ).one()
        except OperationalError as exc:
            out.append(_Unreadable(key.id, _key_of(sort, key), exc))
        else:
            out.append(row)
    return out


def _build_rows(
    session: Session, rows: Sequence[Any], now: int, sort: str = "waiting"
) -> list[QueueRow]:
    """Queue rows from stored ones. No single row can stop a listing: one
    that cannot be built is listed as damaged (see :func:`damaged_row`)."""
    if not rows:
        return []
    readable = [r for r in rows if not isinstance(r, _Unreadable)]
    accounts = _lookup(session, "SELECT id, network, handle FROM accounts", None)
    members = _lookup(session, "SELECT id, name FROM team_members", None)
    contact_ids = [r.contact_id for r in readable if isinstance(r.contact_id, str)]
    contacts = _lookup(
        session, "SELECT id, name, handle FROM contacts WHERE id IN ({})", contact_ids
    )
    tags: dict[str, list[str]] = {}
    ids = [r.id for r in readable]
    marks = ",".join(f":i{n}" for n in range(len(ids)))
    if ids:
        for cid, name in session.execute(
            text(
                "SELECT ct.conversation_id, t.name FROM conversation_tags ct "
                f"JOIN tags t ON t.id = ct.tag_id WHERE ct.conversation_id IN ({marks}) "
                "ORDER BY t.name"
            ),
            {f"i{n}": v for n, v in enumerate(ids)},
        ):
            tags.setdefault(cid, []).append(name)
    built = []
    for r in rows:
        if isinstance(r, _Unreadable):
            log.warning("conversation %s cannot be read: %s", r.id, r.error)
            built.append(damaged_row(r.id, damaged_sentence(r.error), r.sort_key))
            continue
        try:
            built.append(_build_row(r, accounts, members, contacts, tags, now, sort))
        except Exception as exc:  # a listing never stops on one row
            log.warning("conversation %s cannot be built: %r", r.id, exc)
            built.append(damaged_row(str(r.id), damaged_sentence(exc), _key_of(sort, r)))
    return built


def _build_row(
    r: Any,
    accounts: dict[str, tuple[Any, ...]],
    members: dict[str, tuple[Any, ...]],
    contacts: dict[str, tuple[Any, ...]],
    tags: dict[str, list[str]],
    now: int,
    sort: str,
) -> QueueRow:
    acc = accounts.get(r.account_id, (r.account_id, "", ""))
    contact = contacts.get(r.contact_id, ("", "", "")) if r.contact_id else ("", "", "")
    member = members.get(r.assignee_id) if r.assignee_id else None
    snoozed_until = stored_time(r.snoozed_until)
    status = workflow_rules.effective_status(r.status, snoozed_until, from_ms(now))
    if status != r.status:
        snoozed_until = None  # woken: reads as open, with no snooze left
    return QueueRow(
        id=_text(r.id),
        network=_text(acc[1]),
        account_id=_text(r.account_id),
        account_handle=_text(acc[2]),
        kind=_text(r.kind),
        status=_text(status),
        snoozed_until=snoozed_until,
        assignee_id=r.assignee_id,
        assignee_name=member[1] if member else None,
        contact_name=_text(contact[1] or ""),
        contact_handle=_text(contact[2] or ""),
        subject=None if r.subject is None else _text(r.subject),
        preview=_text(r.preview or ""),
        waiting_since=stored_time(r.waiting_since),
        due_at=stored_time(r.due_at),
        last_activity=stored_time(r.last_activity_at),
        unread=bool(r.unread),
        tags=tuple(tags.get(r.id, ())),
        priority=PRIORITY_NAMES.get(r.priority, "normal"),
        sort_key=_key_of(sort, r),
    )


def _text(value: Any) -> str:
    """A stored text column; anything else (a number, a blob written by
    another program) makes the row damaged rather than a crash later."""
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _lookup(session: Session, sql: str, ids: Sequence[str] | None) -> dict[str, tuple[Any, ...]]:
    if ids is None:
        return {row[0]: tuple(row) for row in session.execute(text(sql))}
    if not ids:
        return {}
    unique = list(dict.fromkeys(ids))
    marks = ",".join(f":i{n}" for n in range(len(unique)))
    return {
        row[0]: tuple(row)
        for row in session.execute(
            text(sql.format(marks)), {f"i{n}": v for n, v in enumerate(unique)}
        )
    }


def open_by_tag(session: Session) -> list[tuple[str, int]]:
    """Every tag with its number of open conversations (the sidebar)."""
    now = now_ms()
    rows = session.execute(
        text(
            "SELECT t.name, count(c.id) FROM tags t "
            "LEFT JOIN conversation_tags ct ON ct.tag_id = t.id "
            "LEFT JOIN conversations c ON c.id = ct.conversation_id "
            f"AND {workflow_rules.OPEN_NOW_SQL} "
            "GROUP BY t.id ORDER BY t.name"
        ),
        {"now": now},
    ).all()
    return [(str(r[0]), int(r[1])) for r in rows]


def open_by_member(session: Session) -> list[tuple[str, str, str, int]]:
    """Every team member (id, name, role) with their open load (for leads)."""
    now = now_ms()
    rows = session.execute(
        text(
            "SELECT m.id, m.name, m.role, count(c.id) FROM team_members m "
            "LEFT JOIN conversations c ON c.assignee_id = m.id "
            f"AND {workflow_rules.OPEN_NOW_SQL} "
            "GROUP BY m.id ORDER BY m.name"
        ),
        {"now": now},
    ).all()
    return [(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]
