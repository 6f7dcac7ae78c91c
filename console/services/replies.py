"""Where a reply to a conversation goes, and how long it may be.

A reply answers one message (chosen in the draft, else the newest inbound);
the facts about the thread (addressing.thread_extra) and the account's
network spec decide whom it reaches and how its text is counted. The send
guard (send_guard.py), ``enqueue`` (outbox.py) and the composer all read
them from here, so what the composer shows is what ``send`` checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.records import Direction, Kind
from console.models.schema import Account, Conversation, Draft, Message
from console.services.drafts import my_draft
from console.services.errors import NotFound
from console.services.workflow import resolve
from console.sync.addressing import thread_extra
from console.sync.netspec import ReplyFacts, default_recipients
from console.sync.networks import find
from console.sync.textlength import configured_limit, limit_for, measure, policy, reply_problem


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


@dataclass(slots=True)
class ReplyContext:
    """Everything that decides where a reply to a conversation goes."""

    conv: Conversation
    account: Account
    draft: Draft | None
    target: Message | None
    extra: dict[str, Any]


def reply_context(session: Session, conv_id: str) -> ReplyContext:
    conv = resolve(session, conv_id)
    account = session.get(Account, conv.account_id)
    if account is None:
        raise NotFound("This conversation's account was removed.")
    draft = my_draft(session, conv.id)
    target = reply_target(session, conv, draft.in_reply_to_message_id if draft else None)
    extra = thread_extra(
        session, conv.account_id, conv.subject, target.remote_id if target else None
    )
    return ReplyContext(conv, account, draft, target, extra)


def _domain(account: Account) -> str:
    """The account's own domain (a Mastodon instance's, which can differ
    from its API host), else its server."""
    return str((account.config or {}).get("domain") or account.server)


def _facts(session: Session, reply: ReplyContext, body: str) -> ReplyFacts:
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


def reply_recipients(session: Session, reply: ReplyContext, body: str) -> list[str]:
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
    return rule_of(reply_context(session, conv_id))


def rule_of(reply: ReplyContext) -> LengthRule:
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
    reply = reply_context(session, conv_id)
    if body is None:
        body = reply.draft.body if reply.draft else ""
    return reply_recipients(session, reply, body)


def length_problem(session: Session, conv_id: str, body: str) -> str | None:
    """Why the network would refuse this reply for its length, or None."""
    reply = reply_context(session, conv_id)
    return problem_of(reply, body)


def problem_of(reply: ReplyContext, body: str) -> str | None:
    return rule_of(reply).problem(body)
