"""Putting replies in the outbox.

The OutboxItem, with its idempotency key, is committed BEFORE any attempt
to send: whatever happens next (crash, kill, timeout), the sender finds the
item and its key and can tell whether the reply already went out. The key
depends on the network: Mastodon's Idempotency-Key (a UUID), Bluesky's record
key (a TID), an e-mail Message-ID: the network's spec chooses it.

Where a reply goes and how long it may be are in replies.py, the rules
that hold it in send_guard.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.models.activity import record_activity
from console.models.schema import Account, Contact, Conversation, Draft, OutboxItem
from console.models.types import utcnow
from console.models.vocabulary import (
    COMPOSER_STATES,
    NOT_GONE,
    RETRYABLE,
    DraftState,
    OutboxState,
)
from console.models.writer import Tx
from console.services.errors import InvalidArgument
from console.services.replies import (
    LengthRule,
    length_problem,
    length_rule,
    problem_of,
    recipients,
    reply_context,
    reply_target,
)
from console.services.send_guard import MASS_REPLY, Guard, Held, evaluate, guard, send_guard
from console.services.team import ensure_me
from console.services.workflow import resolve
from console.sync.netspec import uuid_key
from console.sync.networks import find

#: Names of the reply rules, kept importable from here: callers put replies
#: in the outbox and ask these in the same breath.
__all__ = [
    "MASS_REPLY",
    "Guard",
    "Held",
    "LengthRule",
    "OutboxRow",
    "cancel",
    "edit",
    "enqueue",
    "guard",
    "item_for_draft",
    "item_json",
    "length_problem",
    "length_rule",
    "list_items",
    "list_rows",
    "new_key",
    "recipients",
    "reply_target",
    "resend_safe",
    "retry",
    "send_guard",
    "state_counts",
]


def new_key(account: Account) -> str:
    """The item's idempotency key, in the scheme of the account's network."""
    spec = find(account.network)
    return spec.new_key(account.handle) if spec is not None else uuid_key(account.handle)


def resend_safe(network: str) -> bool:
    """Whether sending an item again after a lookup found nothing cannot
    make a second reply (its key makes the network refuse a duplicate)."""
    spec = find(network)
    return spec.resend_safe if spec is not None else True


#: Outbox states in which an item still stands for its draft.
_LIVE = tuple(OutboxState)


def item_for_draft(session: Session, draft: Draft) -> OutboxItem | None:
    """The outbox item my draft became, when the draft has not changed
    since (same draft, same text): then it is the same reply."""
    if draft.state == DraftState.EDITING:
        return None
    found = session.scalar(
        select(OutboxItem)
        .where(
            OutboxItem.conversation_id == draft.conversation_id,
            OutboxItem.author_id == draft.author_id,
            func.json_extract(OutboxItem.extra, "$.draft") == draft.id,
            OutboxItem.state.in_(_LIVE),
        )
        .order_by(OutboxItem.created_at.desc())
        .limit(1)
    )
    if found is not None and found.body == draft.body:
        return found
    return None


def enqueue(
    tx: Tx,
    conv_id: str,
    *,
    anyway: bool = False,
    since: datetime | None = None,
    record_hold: bool = False,
) -> OutboxItem:
    """Turn my draft for the conversation into an outbox item, once.

    Idempotent per draft, decided here inside the writer's transaction (so
    two processes cannot both create one: BEGIN IMMEDIATE serialises them):
    a draft already in the outbox is the same reply, and its item is
    returned as it is (a failed one goes back to the queue with the same
    key; a held one is released when ``anyway``). Raises InvalidArgument for
    a missing or too long draft, and Held when a guard stops the reply
    (nothing is written) unless ``anyway``; with ``record_hold`` the reply is
    kept in the outbox as "held" instead, its sentence in ``error``.
    """
    author = ensure_me(tx)
    reply = reply_context(tx.session, conv_id)
    conv, draft = reply.conv, reply.draft
    if draft is None or not draft.body.strip():
        raise InvalidArgument("There is no draft to send; write one first (parloir draft).")
    existing = item_for_draft(tx.session, draft)
    if existing is None and draft.state == DraftState.SENT:
        # Its item is gone (a cache rebuild keeps only unsent ones): it went
        # out all the same, and must not go twice.
        raise InvalidArgument("This draft was sent already; write a new one to send another reply.")
    if existing is not None and existing.state != OutboxState.HELD:
        if existing.state == OutboxState.FAILED:
            retry(tx, existing.id)
            draft.state = "queued"
            tx.changes.drafts.add(conv.id)
        return existing
    problem = problem_of(reply, draft.body)
    if problem is not None:
        raise InvalidArgument(problem)
    stop = None if anyway else evaluate(tx.session, reply, draft.body, since)
    if existing is not None:  # held before: released, or still held
        if stop is None:
            existing.state = "queued"
            existing.error = None
            existing.updated_at = utcnow()
            draft.state = "queued"
            record_activity(
                tx.session.connection(), author.id, conv.id, "send.queue", {"outbox": existing.id}
            )
            tx.changes.outbox = True
            tx.changes.drafts.add(conv.id)
        elif record_hold:
            existing.error = stop.sentence
        else:
            raise Held(stop)
        return existing
    if stop is not None and not record_hold:
        raise Held(stop)
    account, target = reply.account, reply.target
    visibility = draft.visibility or (target.visibility if target else None)
    extra: dict[str, Any] = {"draft": draft.id}
    if target is not None:
        extra["in_reply_to_message"] = target.id
    now = utcnow()
    state = "held" if stop is not None else "queued"
    item = OutboxItem(
        conversation_id=conv.id,
        account_id=conv.account_id,
        author_id=author.id,
        body=draft.body,
        in_reply_to_remote_id=target.remote_id if target else None,
        visibility=visibility,
        key=new_key(account),
        state=state,
        error=stop.sentence if stop is not None else None,
        attempts=0,
        extra=extra,
        created_at=now,
        updated_at=now,
    )
    tx.session.add(item)
    draft.state = state
    tx.session.flush()
    if state == OutboxState.QUEUED:
        record_activity(
            tx.session.connection(), author.id, conv.id, "send.queue", {"outbox": item.id}
        )
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
    if item.state not in RETRYABLE:
        raise InvalidArgument(f"Only failed or unknown items can be retried, not {item.state}.")
    item.state = "queued"
    item.next_attempt_at = None
    item.updated_at = utcnow()
    tx.changes.outbox = True
    return item


def cancel(tx: Tx, item_id: str) -> None:
    """Drop an item that did not go out; its text goes back to the draft.

    Text written in the draft since the item was queued is kept below it:
    cancelling never loses words.
    """
    item = tx.session.get(OutboxItem, item_id)
    if item is None:
        raise InvalidArgument(f"No outbox item {item_id!r}.")
    if item.state not in NOT_GONE:
        raise InvalidArgument(f"An item that is {item.state} cannot be cancelled.")
    _restore(tx, item)


def _restore(tx: Tx, item: OutboxItem) -> Draft | None:
    """Put the item's text back into its author's draft (above any newer
    text there) and drop the item."""
    draft = None
    if item.author_id:
        draft = tx.session.scalar(
            select(Draft).where(
                Draft.conversation_id == item.conversation_id, Draft.author_id == item.author_id
            )
        )
    now = utcnow()
    if draft is None and item.author_id:
        draft = Draft(
            conversation_id=item.conversation_id,
            author_id=item.author_id,
            body=item.body,
            created_at=now,
            updated_at=now,
        )
        tx.session.add(draft)
    if draft is not None:
        newer = draft.state in COMPOSER_STATES and draft.body.strip()
        if newer and draft.body.strip() != item.body.strip():
            draft.body = f"{item.body}\n\n{draft.body}"
        else:
            draft.body = item.body
        draft.state = "editing"
        draft.updated_at = now
        tx.changes.drafts.add(item.conversation_id)
    tx.session.delete(item)
    tx.session.flush()
    tx.changes.outbox = True
    return draft


def edit(tx: Tx, item_id: str) -> str:
    """Take a reply that did not go out back into my draft to rework it.

    The item is cancelled (it will not be sent) and its text becomes my draft
    for the conversation again, with the message it answered and its
    visibility. Text I wrote in the draft since the item was queued is kept
    below it: editing never loses words. Returns the conversation's id, so
    the caller can show it.
    """
    item = tx.session.get(OutboxItem, item_id)
    if item is None:
        raise InvalidArgument("This reply is no longer in the outbox.")
    if item.state not in NOT_GONE:
        raise InvalidArgument(f"A reply that is {item.state} cannot be edited.")
    conv = resolve(tx.session, item.conversation_id)
    target = (item.extra or {}).get("in_reply_to_message")
    visibility = item.visibility
    item.author_id = ensure_me(tx).id  # the reply is mine to rework from now on
    draft = _restore(tx, item)
    if draft is not None:
        if isinstance(target, str):
            draft.in_reply_to_message_id = target
        if visibility is not None:
            draft.visibility = visibility
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
        query = query.where(OutboxItem.state != OutboxState.SENT)
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
