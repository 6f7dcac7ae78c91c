"""One conversation with its messages and notes (``parloir show``, the
conversation pane), built once as typed values (services/conversation_view.py)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from console.models.schema import Account, Conversation, Message, TeamMember
from console.models.types import iso_z
from console.services.conversation_view import (
    AttachmentView,
    ConversationView,
    DraftView,
    MessageView,
    NoteView,
)
from console.services.drafts import my_draft
from console.services.history import history_views
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


_MESSAGE_COLUMNS = (
    "id, remote_id, direction, author_name, author_handle, sent_at, text, url, deleted, "
    "html, attachments, raw"
)


def message_views(session: Session, conversation_id: str) -> list[MessageView]:
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
            out.append(_message_view(r))
        except Exception as exc:  # one message never stops the conversation
            log.warning("message %s cannot be built: %r", r[0], exc)
            out.append(_damaged_message(str(r[0]), exc))
    return out


def _message_view(r: Any) -> MessageView:
    attachments = json.loads(r.attachments) if r.attachments is not None else []
    # The raw payload is not shown, but one that does not parse makes the
    # message damaged (as ``show`` has always listed it).
    if r.raw is not None:
        json.loads(r.raw)
    listed = attachments if isinstance(attachments, list) else []
    return MessageView(
        id=_string(r.id),
        remote_id=_string(r.remote_id),
        direction=_string(r.direction),
        author_name=_string(r.author_name),
        author_handle=_string(r.author_handle),
        sent_at=iso_z(stored_time(r.sent_at)),
        text=_string(r.text),
        url=None if r.url is None else _string(r.url),
        deleted=bool(r.deleted),
        html=None if r.html is None else _string(r.html),
        attachments=tuple(
            AttachmentView(name=a.get("name"), mime_type=a.get("mime_type"), size=a.get("size"))
            for a in listed
            if isinstance(a, dict)
        ),
    )


def _damaged_message(message_id: str, exc: BaseException) -> MessageView:
    sentence = damaged_sentence(exc).replace("This conversation", "This message", 1)
    return MessageView(id=message_id, damaged=sentence)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def detail_json(session: Session, conv_id: str) -> dict[str, Any]:
    """CLI.md's ``show --json`` object (see ConversationView.to_json)."""
    return conversation_view(session, conv_id).to_json()


def conversation_view(session: Session, conv_id: str) -> ConversationView:
    """The queue row plus messages (oldest first), notes, my draft and whom
    a reply would reach. A conversation or a message that cannot be built
    is there as damaged, never an error."""
    from console.services.outbox import recipients

    head = row(session, conv_id)
    names = {m.id: m.name for m in session.scalars(select(TeamMember))}
    draft = my_draft(session, head.id)
    return ConversationView(
        row=head,
        messages=tuple(message_views(session, head.id)),
        notes=tuple(
            NoteView(
                id=n.id,
                author=names.get(n.author_id or ""),
                text=n.text,
                created_at=iso_z(n.created_at),
            )
            for n in notes_for(session, head.id)
        ),
        draft=(
            None
            if draft is None
            else DraftView(text=draft.body, updated_at=iso_z(draft.updated_at), state=draft.state)
        ),
        recipients=tuple(recipients(session, head.id)),
        history=tuple(history_views(session, head.id, names)),
    )


def pane_view(session: Session, conv_id: str) -> ConversationView:
    """What the conversation pane shows: ``conversation_view`` plus the
    contact and assignee ids, the account's handle and the length rule a
    reply is counted with."""
    view = conversation_view(session, conv_id)
    conv = session.get(Conversation, view.id)
    assert conv is not None
    account = session.get(Account, conv.account_id)
    return replace(
        view,
        contact_id=conv.contact_id,
        assignee_id=conv.assignee_id,
        account_handle=account.handle if account else "",
        # The instance's own limit, when it is a sane number (the same that send obeys).
        max_length=configured_limit(account.config) if account else None,
        # The rule the composer counts with, the one `send` obeys (services.outbox).
        length_rule=length_rule(session, conv.id) if account else None,
    )
