"""Putting replies in the outbox.

The OutboxItem, with its idempotency key, is committed BEFORE any attempt
to send: whatever happens next (crash, kill, timeout), the sender finds the
item and its key and can tell whether the reply already went out. The key
depends on the network: Mastodon's Idempotency-Key (a UUID), Bluesky's record
key (a TID), an e-mail Message-ID.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from console.models.activity import record_activity
from console.models.records import Direction, Kind
from console.models.schema import Account, Contact, Conversation, Draft, Message, OutboxItem
from console.models.types import utcnow
from console.models.vocabulary import (
    COMPOSER_STATES,
    NOT_GONE,
    RETRYABLE,
    DraftState,
    OutboxState,
)
from console.models.writer import Tx
from console.services.drafts import my_draft
from console.services.errors import InvalidArgument, NotFound, UserError
from console.services.team import ensure_me, me
from console.services.workflow import resolve
from console.sync.addressing import thread_extra
from console.sync.netspec import ReplyFacts, default_recipients, uuid_key
from console.sync.networks import find
from console.sync.textlength import configured_limit, limit_for, measure, policy, reply_problem


def new_key(account: Account) -> str:
    """The item's idempotency key, in the scheme of the account's network."""
    spec = find(account.network)
    return spec.new_key(account.handle) if spec is not None else uuid_key(account.handle)


def resend_safe(network: str) -> bool:
    """Whether sending an item again after a lookup found nothing cannot
    make a second reply (its key makes the network refuse a duplicate)."""
    spec = find(network)
    return spec.resend_safe if spec is not None else True


def reply_target(session: Session, conv: Conversation, message_id: str | None) -> Message | None:
    """The message a reply answers: the one chosen in the draft, else the
    newest live inbound message, else the newest message."""
    if message_id:
        chosen = session.get(Message, message_id)
        if chosen is not None and chosen.conversation_id == conv.id:
            return chosen
    for direction in (Direction.IN, None):
        query = select(Message).where(
            Message.conversation_id == conv.id, Message.deleted.is_(False)
        )
        if direction:
            query = query.where(Message.direction == direction)
        found = session.scalar(query.order_by(Message.sent_at.desc(), Message.seq.desc()).limit(1))
        if found is not None:
            return found
    return None


class Held(UserError):
    """A guard stopped the reply: ``str()`` is the sentence to show, and
    ``guard`` says which rule and whom it concerns (for a translated
    question in the window). Confirm with ``enqueue(..., anyway=True)``."""

    def __init__(self, guard: Guard) -> None:
        super().__init__(guard.sentence)
        self.guard = guard


#: "Many people": a reply that reaches more than this many is held.
MASS_REPLY = 3


@dataclass(frozen=True, slots=True)
class Guard:
    """Why a reply waits for a confirmation.

    ``reason``: "answered" (someone answered from the account since),
    "recipients" (it would not go, or not only, to the author answered),
    "many" (it reaches more than MASS_REPLY people). ``people``: the
    recipients concerned.
    """

    reason: str
    sentence: str
    people: tuple[str, ...] = ()


@dataclass(slots=True)
class _Reply:
    """Everything that decides where a reply to a conversation goes."""

    conv: Conversation
    account: Account
    draft: Draft | None
    target: Message | None
    extra: dict[str, Any]


def _reply(session: Session, conv_id: str) -> _Reply:
    conv = resolve(session, conv_id)
    account = session.get(Account, conv.account_id)
    if account is None:
        raise NotFound("This conversation's account was removed.")
    draft = my_draft(session, conv.id)
    target = reply_target(session, conv, draft.in_reply_to_message_id if draft else None)
    extra = thread_extra(
        session, conv.account_id, conv.subject, target.remote_id if target else None
    )
    return _Reply(conv, account, draft, target, extra)


def _domain(account: Account) -> str:
    """The account's own domain (a Mastodon instance's, which can differ
    from its API host), else its server."""
    return str((account.config or {}).get("domain") or account.server)


def _facts(session: Session, reply: _Reply, body: str) -> ReplyFacts:
    conv = reply.conv

    def members() -> list[str]:
        return [
            str(h)
            for h in session.scalars(
                select(Message.author_handle)
                .where(Message.conversation_id == conv.id, Message.direction == Direction.IN)
                .distinct()
            )
        ]

    return ReplyFacts(
        body=body,
        extra=reply.extra,
        handle=reply.account.handle,
        domain=_domain(reply.account),
        direct=conv.kind == Kind.DIRECT,
        members=members,
    )


def _recipients(session: Session, reply: _Reply, body: str) -> list[str]:
    spec = find(reply.account.network)
    facts = _facts(session, reply, body)
    return spec.recipients(facts) if spec is not None else default_recipients(facts)


@dataclass(frozen=True, slots=True, eq=False)
class LengthRule:
    """The network's length rule for replies in one conversation, as plain
    values: the composer counts with it on every keystroke (no SQL, safe to
    hand to the GUI thread) and ``enqueue`` refuses with it, so what the
    counter allows is exactly what ``send`` takes (Mastodon counts the
    @mentions the provider puts in front, which the person does not type)."""

    network: str
    kind: str | None
    configured: int | None
    handle: str
    domain: str
    extra: dict[str, Any]

    def outgoing(self, body: str) -> str:
        """The text as the network counts it."""
        spec = find(self.network)
        if spec is None:
            return body
        return spec.outgoing(ReplyFacts(body, self.extra, self.handle, self.domain))

    def limit(self) -> int | None:
        return limit_for(self.network, kind=self.kind, configured=self.configured)

    def count(self, body: str) -> int:
        """The length the counter shows, in the network's unit."""
        return measure(self.outgoing(body), self.network)

    def problem(self, body: str) -> str | None:
        """Why the network would refuse this reply (one sentence), or None."""
        return reply_problem(
            self.outgoing(body), self.network, kind=self.kind, configured=self.configured
        )


def length_rule(session: Session, conv_id: str) -> LengthRule:
    """The length rule of a reply to this conversation (see LengthRule)."""
    return _length_rule(_reply(session, conv_id))


def _length_rule(reply: _Reply) -> LengthRule:
    network = reply.account.network
    return LengthRule(
        network=network,
        kind=reply.conv.kind,
        configured=(
            configured_limit(reply.account.config) if policy(network).honours_configured else None
        ),
        handle=reply.account.handle,
        domain=_domain(reply.account),
        extra=dict(reply.extra),
    )


def recipients(session: Session, conv_id: str, body: str | None = None) -> list[str]:
    """Handles or e-mail addresses a reply to the conversation would reach,
    as its provider addresses it (Mastodon: the author, everyone they
    mentioned and everyone the text names; Bluesky: the author answered
    and the handles named, or a DM's members; e-mail: the Reply-To, else
    the sender). ``body`` defaults to my draft's text."""
    reply = _reply(session, conv_id)
    if body is None:
        body = reply.draft.body if reply.draft else ""
    return _recipients(session, reply, body)


def length_problem(session: Session, conv_id: str, body: str) -> str | None:
    """Why the network would refuse this reply for its length, or None."""
    reply = _reply(session, conv_id)
    return _length_problem(reply, body)


def _length_problem(reply: _Reply, body: str) -> str | None:
    return _length_rule(reply).problem(body)


#: An answer that arrives late (the next sync) still counts when it was
#: written this long before the draft was started.
ARRIVAL_GRACE = timedelta(minutes=15)


def _since(reply: _Reply, since: datetime | None) -> tuple[datetime, datetime] | None:
    """(seen at, oldest answer that counts): ``since`` and anything sent
    before it that arrived after it; else my draft's last save, and what
    arrived after it if it was written while the draft was under way (not
    old history a rebuild or the demo stored later)."""
    if since is not None:
        return since, datetime.min.replace(tzinfo=UTC)
    if reply.draft is None:
        return None
    return reply.draft.updated_at, reply.draft.created_at - ARRIVAL_GRACE


def _answered_since(session: Session, reply: _Reply, seen: tuple[datetime, datetime]) -> int:
    """Answers from the account in the conversation since ``seen`` that
    are not mine: messages out (sent, or arrived in the cache, after it)
    and other authors' outbox items."""
    since, oldest = seen
    member = me(session)
    my_id = member.id if member else None
    mine = {
        r
        for r in session.scalars(
            select(OutboxItem.remote_id).where(
                OutboxItem.conversation_id == reply.conv.id,
                OutboxItem.author_id == my_id,
                OutboxItem.remote_id.is_not(None),
            )
        )
    }
    others = session.scalars(
        select(Message.remote_id).where(
            Message.conversation_id == reply.conv.id,
            Message.direction == Direction.OUT,
            Message.deleted.is_(False),
            or_(
                Message.sent_at > since,
                and_(Message.created_at > since, Message.sent_at >= oldest),
            ),
        )
    )
    count = sum(1 for remote_id in others if remote_id not in mine)
    theirs = session.scalar(
        select(func.count())
        .select_from(OutboxItem)
        .where(
            OutboxItem.conversation_id == reply.conv.id,
            or_(OutboxItem.author_id.is_(None), OutboxItem.author_id != my_id),
            OutboxItem.state.in_(
                (OutboxState.QUEUED, OutboxState.SENDING, OutboxState.SENT, OutboxState.UNKNOWN)
            ),
            OutboxItem.created_at > since,
        )
    )
    return count + int(theirs or 0)


def _same(a: str, b: str) -> bool:
    return a.strip().lower().lstrip("@") == b.strip().lower().lstrip("@")


def guard(
    session: Session, conv_id: str, body: str, *, since: datetime | None = None
) -> Guard | None:
    """The rule that holds this reply, or None (see docs/decisions.md).

    ``since``: when the person last saw the conversation (the window: when
    it was opened); by default when my draft was last saved.
    """
    reply = _reply(session, conv_id)
    return _guard(session, reply, body, since)


def _guard(session: Session, reply: _Reply, body: str, since: datetime | None) -> Guard | None:
    seen = _since(reply, since)
    if seen is not None and _answered_since(session, reply, seen):
        return Guard(
            "answered",
            "Someone answered this conversation from your account after your draft was "
            "last saved: read their answer before sending yours.",
        )
    people = _recipients(session, reply, body)
    target = reply.target
    author = target.author_handle if target is not None and target.direction == Direction.IN else ""
    if author:
        others = [p for p in people if not _same(p, author)]
        spec = find(reply.account.network)
        if others and spec is not None and spec.other_recipients_hold:
            return Guard(
                "recipients",
                f"This reply would go to {', '.join(others)}, not only to the sender "
                f"{author} (their message asks for replies there): check the address.",
                tuple(people),
            )
        if not any(_same(p, author) for p in people):
            return Guard(
                "recipients",
                f"This reply would not reach {author}, who wrote the message answered: "
                "check whom it addresses.",
                tuple(people),
            )
    if len(people) > MASS_REPLY:
        where = "this private conversation" if reply.conv.kind == Kind.DIRECT else "this reply"
        return Guard(
            "many",
            f"{where[0].upper()}{where[1:]} would reach {len(people)} people "
            f"({', '.join(people[:6])}{', …' if len(people) > 6 else ''}): "
            "check that each of them should read it.",
            tuple(people),
        )
    return None


def send_guard(
    session: Session, conv_id: str, body: str, *, since: datetime | None = None
) -> str | None:
    """The sentence that holds this reply until confirmed, or None."""
    found = guard(session, conv_id, body, since=since)
    return found.sentence if found else None


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
    reply = _reply(tx.session, conv_id)
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
    problem = _length_problem(reply, draft.body)
    if problem is not None:
        raise InvalidArgument(problem)
    stop = None if anyway else _guard(tx.session, reply, draft.body, since)
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
