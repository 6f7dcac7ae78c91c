"""Drafts: one per (conversation, author), autosaved while typing.

Callers submit saves with the writer's URGENT priority so a keystroke's
autosave never waits behind a sync. Saving empty text removes the draft
(the user cleared it); anything else replaces the body. A draft lives in
the database, so it survives a crash and a restart.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.schema import Draft
from console.models.types import utcnow
from console.models.writer import Tx
from console.services.team import ensure_me, me
from console.services.workflow import resolve


def save_draft(
    tx: Tx,
    conv_id: str,
    body: str,
    *,
    in_reply_to_message_id: str | None = None,
    visibility: str | None = None,
) -> Draft | None:
    author = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    draft = tx.session.scalar(
        select(Draft).where(Draft.conversation_id == conv.id, Draft.author_id == author.id)
    )
    tx.changes.drafts.add(conv.id)
    if not body.strip():
        if draft is not None:
            tx.session.delete(draft)
        return None
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


def my_draft(session: Session, conversation_id: str) -> Draft | None:
    member = me(session)
    if member is None:
        return None
    return session.scalar(
        select(Draft).where(Draft.conversation_id == conversation_id, Draft.author_id == member.id)
    )


def drafts_for(session: Session, conversation_id: str) -> list[Draft]:
    return list(session.scalars(select(Draft).where(Draft.conversation_id == conversation_id)))
