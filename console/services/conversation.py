"""One conversation with its messages and notes (``parloir show``, the
conversation pane)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.schema import Account, Conversation, Message, TeamMember
from console.models.types import iso_z
from console.services.drafts import my_draft
from console.services.notes import notes_for
from console.services.queue import QueueRow, rows_by_id
from console.services.workflow import resolve


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


def detail_json(session: Session, conv_id: str) -> dict[str, Any]:
    """CLI.md's ``show --json`` object: the queue object plus messages
    (oldest first), notes, my draft and whom a reply would reach."""
    from console.services.outbox import recipients

    head = row(session, conv_id)
    out = head.to_json()
    out["messages"] = [
        {
            "id": m.id,
            "remote_id": m.remote_id,
            "direction": m.direction,
            "author": {"name": m.author_name, "handle": m.author_handle},
            "sent_at": iso_z(m.sent_at),
            "text": m.text,
            "url": m.url,
            "deleted": m.deleted,
        }
        for m in messages(session, head.id)
    ]
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
    return out


def pane_json(session: Session, conv_id: str) -> dict[str, Any]:
    """What the conversation pane shows: ``detail_json`` plus each message's
    sanitised HTML, the contact id, the account's handle and the audience a
    reply would address (for the mass-reply guard)."""
    out = detail_json(session, conv_id)
    conv = session.get(Conversation, out["id"])
    assert conv is not None
    rows = messages(session, conv.id)
    by_id = {m.id: m for m in rows}
    for item in out["messages"]:
        item["html"] = by_id[item["id"]].html
        item["attachments"] = [
            {"name": a.get("name"), "mime_type": a.get("mime_type"), "size": a.get("size")}
            for a in by_id[item["id"]].attachments or []
            if isinstance(a, dict)
        ]
    out["contact_id"] = conv.contact_id
    out["assignee_id"] = conv.assignee_id
    account = session.get(Account, conv.account_id)
    own = (account.handle if account else "").lower()
    audience: list[str] = []
    last_in = next((m for m in reversed(rows) if m.direction == "in" and not m.deleted), None)
    if last_in is not None:
        raw = last_in.raw if isinstance(last_in.raw, dict) else {}
        listed = raw.get("mentions")
        mentioned: list[Any] = listed if isinstance(listed, list) else []
        for handle in [last_in.author_handle, *mentioned]:
            h = str(handle or "").lower().lstrip("@")
            if h and h != own and h not in audience:
                audience.append(h)
    out["audience"] = audience
    out["account_handle"] = account.handle if account else ""
    limits = (account.config or {}).get("limits") if account else None
    out["max_length"] = limits.get("max_length") if isinstance(limits, dict) else None
    return out
