"""Putting replies in the outbox.

The OutboxItem, with its idempotency key, is committed BEFORE any attempt
to send: whatever happens next (crash, kill, timeout), the sender finds the
item and its key and can tell whether the reply already went out. The key
depends on the network: Mastodon's Idempotency-Key (a UUID), Bluesky's record
key (a TID), an e-mail Message-ID.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.models.ingest import record_activity
from console.models.schema import Account, Contact, Conversation, Draft, Message, OutboxItem
from console.models.types import utcnow
from console.models.writer import Tx
from console.services.errors import InvalidArgument
from console.services.team import ensure_me
from console.services.workflow import resolve
from console.sync.tid import new_tid

OUTBOX_STATES = ("queued", "sending", "sent", "failed", "unknown")


def new_key(account: Account) -> str:
    if account.network == "bluesky":
        return new_tid()
    if account.network == "email":
        domain = account.handle.rpartition("@")[2] or "parloir.invalid"
        return f"<{uuid.uuid4().hex}@{domain}>"
    return str(uuid.uuid4())


def reply_target(session: Session, conv: Conversation, message_id: str | None) -> Message | None:
    """The message a reply answers: the one chosen in the draft, else the
    newest live inbound message, else the newest message."""
    if message_id:
        chosen = session.get(Message, message_id)
        if chosen is not None and chosen.conversation_id == conv.id:
            return chosen
    for direction in ("in", None):
        query = select(Message).where(
            Message.conversation_id == conv.id, Message.deleted.is_(False)
        )
        if direction:
            query = query.where(Message.direction == direction)
        found = session.scalar(query.order_by(Message.sent_at.desc(), Message.seq.desc()).limit(1))
        if found is not None:
            return found
    return None


def enqueue(tx: Tx, conv_id: str) -> OutboxItem:
    """Turn my draft for the conversation into a queued outbox item."""
    author = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    draft = tx.session.scalar(
        select(Draft).where(Draft.conversation_id == conv.id, Draft.author_id == author.id)
    )
    if draft is None or not draft.body.strip():
        raise InvalidArgument("There is no draft to send; write one first (parloir draft).")
    account = tx.session.get(Account, conv.account_id)
    assert account is not None
    target = reply_target(tx.session, conv, draft.in_reply_to_message_id)
    visibility = draft.visibility or (target.visibility if target else None)
    extra: dict[str, Any] = {}
    if target is not None:
        extra["in_reply_to_message"] = target.id
    now = utcnow()
    item = OutboxItem(
        conversation_id=conv.id,
        account_id=conv.account_id,
        author_id=author.id,
        body=draft.body,
        in_reply_to_remote_id=target.remote_id if target else None,
        visibility=visibility,
        key=new_key(account),
        state="queued",
        attempts=0,
        extra=extra,
        created_at=now,
        updated_at=now,
    )
    tx.session.add(item)
    draft.state = "queued"
    tx.session.flush()
    record_activity(tx.session.connection(), author.id, conv.id, "send.queue", {"outbox": item.id})
    tx.changes.outbox = True
    tx.changes.drafts.add(conv.id)
    tx.changes.conversations.add(conv.id)
    return item


def list_items(session: Session, *, states: tuple[str, ...] | None = None) -> list[OutboxItem]:
    query = select(OutboxItem).order_by(OutboxItem.created_at)
    if states:
        query = query.where(OutboxItem.state.in_(states))
    return list(session.scalars(query))


def item_json(item: OutboxItem) -> dict[str, Any]:
    from console.models.types import iso_z

    return {
        "id": item.id,
        "conversation": item.conversation_id,
        "state": item.state,
        "key": item.key,
        "remote_id": item.remote_id,
        "error": item.error,
        "attempts": item.attempts,
        "created_at": iso_z(item.created_at),
    }


def retry(tx: Tx, item_id: str) -> OutboxItem:
    """A failed item goes back to the queue with the SAME key (safe)."""
    item = tx.session.get(OutboxItem, item_id)
    if item is None:
        raise InvalidArgument(f"No outbox item {item_id!r}.")
    if item.state not in ("failed", "unknown"):
        raise InvalidArgument(f"Only failed or unknown items can be retried, not {item.state}.")
    item.state = "queued"
    item.next_attempt_at = None
    item.updated_at = utcnow()
    tx.changes.outbox = True
    return item


def cancel(tx: Tx, item_id: str) -> None:
    """Drop an item that did not go out; its text goes back to the draft."""
    item = tx.session.get(OutboxItem, item_id)
    if item is None:
        raise InvalidArgument(f"No outbox item {item_id!r}.")
    if item.state in ("sent", "sending"):
        raise InvalidArgument(f"An item that is {item.state} cannot be cancelled.")
    draft = None
    if item.author_id:
        draft = tx.session.scalar(
            select(Draft).where(
                Draft.conversation_id == item.conversation_id, Draft.author_id == item.author_id
            )
        )
    if draft is None and item.author_id:
        now = utcnow()
        draft = Draft(
            conversation_id=item.conversation_id,
            author_id=item.author_id,
            body=item.body,
            created_at=now,
            updated_at=now,
        )
        tx.session.add(draft)
    if draft is not None:
        draft.state = "editing"
        tx.changes.drafts.add(item.conversation_id)
    tx.session.delete(item)
    tx.changes.outbox = True


def edit(tx: Tx, item_id: str) -> str:
    """Take a reply that did not go out back into my draft to rework it.

    The item is cancelled (it will not be sent) and its text becomes my draft
    for the conversation again, with the message it answered and its
    visibility. Text I wrote in the draft since the item was queued is kept
    below it: editing never loses words. Returns the conversation's id, so
    the caller can show it.
    """
    from console.services.drafts import my_draft, save_draft

    item = tx.session.get(OutboxItem, item_id)
    if item is None:
        raise InvalidArgument("This reply is no longer in the outbox.")
    if item.state not in ("queued", "failed", "unknown"):
        raise InvalidArgument(f"A reply that is {item.state} cannot be edited.")
    conv = resolve(tx.session, item.conversation_id)
    body = item.body
    draft = my_draft(tx.session, conv.id)
    if (
        draft is not None
        and draft.state == "editing"
        and draft.body.strip()
        and draft.body.strip() != item.body.strip()
    ):
        body = f"{item.body}\n\n{draft.body}"
    target = (item.extra or {}).get("in_reply_to_message")
    save_draft(
        tx,
        conv.id,
        body,
        in_reply_to_message_id=target if isinstance(target, str) else None,
        visibility=item.visibility,
    )
    cancel(tx, item_id)
    tx.changes.conversations.add(conv.id)
    return conv.id


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One outbox item as the outbox window lists it: the item joined with
    its account and the conversation's contact (plain values, safe to hand
    to another thread)."""

    id: str
    conversation_id: str
    state: str
    network: str
    account_handle: str
    contact_name: str
    contact_handle: str
    subject: str | None
    body: str
    attempts: int
    error: str | None
    created_at: datetime
    updated_at: datetime


def list_rows(session: Session, *, hide_sent: bool = False, limit: int = 300) -> list[OutboxRow]:
    """Outbox items, newest first, with who they go to and from which account."""
    query = (
        select(OutboxItem, Account.network, Account.handle, Contact.name, Contact.handle)
        .join(Account, Account.id == OutboxItem.account_id)
        .join(Conversation, Conversation.id == OutboxItem.conversation_id)
        .outerjoin(Contact, Contact.id == Conversation.contact_id)
        .add_columns(Conversation.subject)
        .order_by(OutboxItem.created_at.desc(), OutboxItem.id.desc())
        .limit(limit)
    )
    if hide_sent:
        query = query.where(OutboxItem.state != "sent")
    rows = []
    for item, network, account_handle, name, handle, subject in session.execute(query):
        rows.append(
            OutboxRow(
                id=item.id,
                conversation_id=item.conversation_id,
                state=item.state,
                network=network,
                account_handle=account_handle,
                contact_name=name or "",
                contact_handle=handle or "",
                subject=subject,
                body=item.body,
                attempts=item.attempts,
                error=item.error,
                created_at=item.created_at,
                updated_at=item.updated_at,
            )
        )
    return rows


def state_counts(session: Session) -> dict[str, int]:
    """How many items are in each state (states with none are left out)."""
    query = select(OutboxItem.state, func.count()).group_by(OutboxItem.state)
    return {state: int(n) for state, n in session.execute(query)}
