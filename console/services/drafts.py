"""Drafts: one per (conversation, author), autosaved while typing.

Callers submit saves with the writer's URGENT priority so a keystroke's
autosave never waits behind a sync. Saving replaces the body; empty or
whitespace-only text is refused (an empty stdin must never wipe a reply in
progress), and deleting a draft is its own action, :func:`discard_draft`
(the window calls it when the person clears the composer). A draft lives
in the database, so it survives a crash and a restart.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.schema import Draft
from console.models.types import utcnow
from console.models.writer import Tx
from console.services.errors import InvalidArgument
from console.services.team import ensure_me, me
from console.services.workflow import resolve


def save_draft(
    tx: Tx,
    conv_id: str,
    body: str,
    *,
    in_reply_to_message_id: str | None = None,
    visibility: str | None = None,
) -> Draft:
    """Save (replace) my draft for the conversation. Empty or whitespace-only
    text is refused and changes nothing: use :func:`discard_draft` to delete."""
    if not body.strip():
        raise InvalidArgument(
            "The draft text is empty, so nothing was saved; "
            "to delete the draft, use `parloir draft CONV --discard`."
        )
    author = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    draft = tx.session.scalar(
        select(Draft).where(Draft.conversation_id == conv.id, Draft.author_id == author.id)
    )
    tx.changes.drafts.add(conv.id)
    now = utcnow()
    if draft is None:
        draft = Draft(
            conversation_id=conv.id, author_id=author.id, body=body, created_at=now, updated_at=now
        )
        tx.session.add(draft)
    draft.body = body
    draft.updated_at = now
    draft.state = "editing"
    if in_reply_to_message_id is not None:
        draft.in_reply_to_message_id = in_reply_to_message_id
    if visibility is not None:
        draft.visibility = visibility
    tx.session.flush()
    return draft


def discard_draft(tx: Tx, conv_id: str) -> bool:
    """Delete my draft for the conversation; False when there was none
    (not an error: the wanted state, no draft, holds either way)."""
    author = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    draft = tx.session.scalar(
        select(Draft).where(Draft.conversation_id == conv.id, Draft.author_id == author.id)
    )
    if draft is None:
        return False
    tx.session.delete(draft)
    tx.session.flush()
    tx.changes.drafts.add(conv.id)
    return True


def my_draft(session: Session, conversation_id: str) -> Draft | None:
    member = me(session)
    if member is None:
        return None
    return session.scalar(
        select(Draft).where(Draft.conversation_id == conversation_id, Draft.author_id == member.id)
    )


def drafts_for(session: Session, conversation_id: str) -> list[Draft]:
    return list(session.scalars(select(Draft).where(Draft.conversation_id == conversation_id)))
