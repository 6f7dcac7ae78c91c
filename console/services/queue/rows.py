"""Queue rows from stored ones: the flat record a row shows, and the
reading that never lets one bad row stop a listing (text SQLite cannot
decode, a value of the wrong type, a time out of bounds: that row is
listed as damaged, with a sentence, and the others as usual)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from console.models import workflow_rules
from console.models.timebounds import in_bounds_ms
from console.models.types import from_ms, iso_z
from console.services.queue.sql import COLUMNS, KEY_COLUMNS, key_of
from console.services.workflow import PRIORITY_NAMES

log = logging.getLogger("console.services.queue")


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
class Unreadable:
    """A row SQLite itself could not hand over (text that is not UTF-8)."""

    id: str
    sort_key: tuple[Any, ...]
    error: BaseException


def fetch(session: Session, sql: str, params: dict[str, Any], sort: str) -> list[Any]:
    """The rows of a queue query (``sql`` selects ``COLUMNS``). When one of
    them holds text SQLite cannot decode, the query fails as a whole: it is
    then run again for the ids only, and each row read on its own, so the
    bad one is listed as damaged and the others as usual."""
    try:
        return list(session.execute(text(sql), params).all())
    except OperationalError as exc:
        if "decode" not in str(exc).lower():
            raise
        log.warning("a queue query met undecodable text; reading its rows one by one")
    keys = session.execute(text(sql.replace(COLUMNS, KEY_COLUMNS)), params).all()
    out: list[Any] = []
    for key in keys:
        try:
            row = session.execute(
                text(f"SELECT {COLUMNS} FROM conversations c WHERE c.id = :id"), {"id": key.id}
            ).one()
        except OperationalError as exc:
            out.append(Unreadable(key.id, key_of(sort, key, params.get("now")), exc))
        else:
            out.append(row)
    return out


def build_rows(
    session: Session, rows: Sequence[Any], now: int, sort: str = "waiting"
) -> list[QueueRow]:
    """Queue rows from stored ones. No single row can stop a listing: one
    that cannot be built is listed as damaged (see :func:`damaged_row`)."""
    if not rows:
        return []
    readable = [r for r in rows if not isinstance(r, Unreadable)]
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
        if isinstance(r, Unreadable):
            log.warning("conversation %s cannot be read: %s", r.id, r.error)
            built.append(damaged_row(r.id, damaged_sentence(r.error), r.sort_key))
            continue
        try:
            built.append(_build_row(r, accounts, members, contacts, tags, now, sort))
        except Exception as exc:  # a listing never stops on one row
            log.warning("conversation %s cannot be built: %r", r.id, exc)
            built.append(damaged_row(str(r.id), damaged_sentence(exc), key_of(sort, r, now)))
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
        sort_key=key_of(sort, r, now),
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
