"""One conversation with its messages and notes (``parloir show``, the
conversation pane)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from console.models.schema import Account, Conversation, Message, TeamMember
from console.models.types import iso_z
from console.services.drafts import my_draft
from console.services.notes import notes_for
from console.services.outbox import length_rule
from console.services.queue import QueueRow, damaged_sentence, rows_by_id, stored_time
from console.services.workflow import resolve
from console.sync.textlength import configured_limit

log = logging.getLogger(__name__)


def row(session: Session, conv_id: str) -> QueueRow:
    conv = resolve(session, conv_id)
    return rows_by_id(session, [conv.id])[conv.id]


def messages(session: Session, conversation_id: str) -> list[Message]:
    return list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.sent_at, Message.seq)
        )
    )


@dataclass(slots=True)
class MessageItem:
    """One message as ``show`` and the pane use it: ``json`` is CLI.md's
    message object (``{"id", "damaged"}`` and nulls for a message that
    cannot be built), the rest is what only the pane needs."""

    json: dict[str, Any]
    html: str | None = None
    attachments: list[Any] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    damaged: str | None = None


_MESSAGE_FIELDS = ("id", "remote_id", "direction", "author", "sent_at", "text", "url", "deleted")
_MESSAGE_COLUMNS = (
    "id, remote_id, direction, author_name, author_handle, sent_at, text, url, deleted, "
    "html, attachments, raw"
)


def message_items(session: Session, conversation_id: str) -> list[MessageItem]:
    """The messages of a conversation, oldest first. Read without the ORM
    so that one message that cannot be built (a time out of bounds,
    malformed JSON, text that is not UTF-8) is listed as damaged and the
    others as usual."""
    where = "FROM messages WHERE conversation_id = :c ORDER BY sent_at, seq"
    params = {"c": conversation_id}
    try:
        rows: list[Any] = list(
            session.execute(text(f"SELECT {_MESSAGE_COLUMNS} {where}"), params).all()
        )
    except OperationalError as exc:
        if "decode" not in str(exc).lower():
            raise
        rows = []
        for (mid,) in session.execute(text(f"SELECT id {where}"), params).all():
            try:
                rows.append(
                    session.execute(
                        text(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = :i"), {"i": mid}
                    ).one()
                )
            except OperationalError as inner:
                rows.append((mid, inner))
    out = []
    for r in rows:
        if len(r) == 2 and isinstance(r[1], BaseException):
            out.append(_damaged_message(str(r[0]), r[1]))
            continue
        try:
            out.append(_message_item(r))
        except Exception as exc:  # one message never stops the conversation
            log.warning("message %s cannot be built: %r", r[0], exc)
            out.append(_damaged_message(str(r[0]), exc))
    return out


def _message_item(r: Any) -> MessageItem:
    attachments = json.loads(r.attachments) if r.attachments is not None else []
    raw = json.loads(r.raw) if r.raw is not None else {}
    return MessageItem(
        json={
            "id": _string(r.id),
            "remote_id": _string(r.remote_id),
            "direction": _string(r.direction),
            "author": {"name": _string(r.author_name), "handle": _string(r.author_handle)},
            "sent_at": iso_z(stored_time(r.sent_at)),
            "text": _string(r.text),
            "url": None if r.url is None else _string(r.url),
            "deleted": bool(r.deleted),
        },
        html=None if r.html is None else _string(r.html),
        attachments=attachments if isinstance(attachments, list) else [],
        raw=raw if isinstance(raw, dict) else {},
    )


def _damaged_message(message_id: str, exc: BaseException) -> MessageItem:
    sentence = damaged_sentence(exc).replace("This conversation", "This message", 1)
    return MessageItem(
        json={**dict.fromkeys(_MESSAGE_FIELDS), "id": message_id, "damaged": sentence},
        damaged=sentence,
    )


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def detail_json(session: Session, conv_id: str) -> dict[str, Any]:
    """CLI.md's ``show --json`` object: the queue object plus messages
    (oldest first), notes, my draft and whom a reply would reach. A
    conversation or a message that cannot be built is there as damaged
    (``{"id", "damaged"}``), never an error."""
    return _detail(session, conv_id)[0]


def _detail(session: Session, conv_id: str) -> tuple[dict[str, Any], list[MessageItem]]:
    from console.services.outbox import recipients

    head = row(session, conv_id)
    out = head.to_json()
    items = message_items(session, head.id)
    out["messages"] = [item.json for item in items]
    names = {m.id: m.name for m in session.scalars(select(TeamMember))}
    out["notes"] = [
        {
            "id": n.id,
            "author": names.get(n.author_id or ""),
            "text": n.text,
            "created_at": iso_z(n.created_at),
        }
        for n in notes_for(session, head.id)
    ]
    draft = my_draft(session, head.id)
    out["draft"] = (
        None
        if draft is None
        else {"text": draft.body, "updated_at": iso_z(draft.updated_at), "state": draft.state}
    )
    out["recipients"] = recipients(session, head.id)
    return out, items


def pane_json(session: Session, conv_id: str) -> dict[str, Any]:
    """What the conversation pane shows: ``detail_json`` plus each message's
    sanitised HTML, the contact id, the account's handle and the audience a
    reply would address (for the mass-reply guard)."""
    out, items = _detail(session, conv_id)
    conv = session.get(Conversation, out["id"])
    assert conv is not None
    for item, shown in zip(items, out["messages"], strict=True):
        shown["html"] = item.html
        shown["attachments"] = [
            {"name": a.get("name"), "mime_type": a.get("mime_type"), "size": a.get("size")}
            for a in item.attachments
            if isinstance(a, dict)
        ]
    out["contact_id"] = conv.contact_id
    out["assignee_id"] = conv.assignee_id
    account = session.get(Account, conv.account_id)
    own = (account.handle if account else "").lower()
    audience: list[str] = []
    last_in = next(
        (
            m
            for m in reversed(items)
            if m.damaged is None and m.json["direction"] == "in" and not m.json["deleted"]
        ),
        None,
    )
    if last_in is not None:
        listed = last_in.raw.get("mentions")
        mentioned: list[Any] = listed if isinstance(listed, list) else []
        for handle in [last_in.json["author"]["handle"], *mentioned]:
            h = str(handle or "").lower().lstrip("@")
            if h and h != own and h not in audience:
                audience.append(h)
    out["audience"] = audience
    out["account_handle"] = account.handle if account else ""
    # The instance's own limit, when it is a sane number (the same that send obeys).
    out["max_length"] = configured_limit(account.config) if account else None
    # The rule the composer counts with, the one `send` obeys (services.outbox).
    out["length_rule"] = length_rule(session, conv.id) if account else None
    return out
