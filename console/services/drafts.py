"""Drafts: one per (conversation, author), autosaved while typing.

Callers submit saves with the writer's URGENT priority so a keystroke's
autosave never waits behind a sync. Saving replaces the body; empty or
whitespace-only text is refused (an empty stdin must never wipe a reply in
progress), and deleting a draft is its own action, :func:`discard_draft`
(the window calls it when the person clears the composer). A draft lives
in the database, so it survives a crash and a restart.

A draft's state says where its text is: "editing" (being written),
"held" (in the outbox, waiting for a confirmation), "queued" (in the
outbox), "sent", "failed". Saving the same text again while the draft is
in the outbox changes nothing: it is still the same reply (so a second
Send press, even one the writer runs after the first, never makes a second
one). Saving different text, or any text once the draft was sent (the
person writes again), makes it a new reply ("editing"); a held reply it
replaces is withdrawn from the outbox. ``parloir send`` without a new save
finds the draft's item, sent or not.
A draft is at most the ceiling of console/sync/textlength.py.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.schema import Account, Draft
from console.models.types import utcnow
from console.models.vocabulary import COMPOSER_STATES, DraftState
from console.models.writer import Tx
from console.services.errors import InvalidArgument
from console.services.team import ensure_me, me
from console.services.workflow import resolve
from console.sync.textlength import draft_problem


def shows_in_composer(draft: Draft | None) -> bool:
    """True when the draft's text is still to be worked on in the composer."""
    return draft is not None and draft.state in COMPOSER_STATES


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
    if (
        draft is not None
        and draft.state not in (DraftState.EDITING, DraftState.SENT)
        and body == draft.body
        and in_reply_to_message_id in (None, draft.in_reply_to_message_id)
        and visibility in (None, draft.visibility)
    ):
        return draft  # the same reply, already in the outbox
    tx.changes.drafts.add(conv.id)
    account = tx.session.get(Account, conv.account_id)
    problem = draft_problem(body, account.network if account else "")
    if problem is not None:
        raise InvalidArgument(problem)
    if draft is not None and draft.state == DraftState.HELD:
        _withdraw_held(tx, draft)
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
    _withdraw_held(tx, draft)
    tx.session.delete(draft)
    tx.session.flush()
    tx.changes.drafts.add(conv.id)
    return True


def _withdraw_held(tx: Tx, draft: Draft) -> None:
    """A held reply whose draft changed or went is no longer wanted as it
    was: drop it from the outbox (its text is the draft's, kept or cleared
    by the person)."""
    removed = tx.session.connection().exec_driver_sql(
        "DELETE FROM outbox WHERE state = 'held' AND json_extract(extra, '$.draft') = ?",
        (draft.id,),
    )
    if removed.rowcount:
        tx.changes.outbox = True


def my_draft(session: Session, conversation_id: str) -> Draft | None:
    member = me(session)
    if member is None:
        return None
    return session.scalar(
        select(Draft).where(Draft.conversation_id == conversation_id, Draft.author_id == member.id)
    )


def drafts_for(session: Session, conversation_id: str) -> list[Draft]:
    return list(session.scalars(select(Draft).where(Draft.conversation_id == conversation_id)))
