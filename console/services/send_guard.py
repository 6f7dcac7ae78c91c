"""The send guard: the rules that hold a reply until the person confirms
(docs/decisions.md, "The send guard").

Someone else answered from the account since the draft was last saved; the
reply would not reach the author answered (or, where the network's spec
says so, would reach someone else too: e-mail's Reply-To); it reaches more
than MASS_REPLY people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from console.models.records import Direction, Kind
from console.models.schema import Message, OutboxItem
from console.models.vocabulary import OutboxState
from console.services.errors import UserError
from console.services.replies import ReplyContext, reply_context, reply_recipients
from console.services.team import me
from console.sync.networks import find


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


#: An answer that arrives late (the next sync) still counts when it was
#: written this long before the draft was started.
ARRIVAL_GRACE = timedelta(minutes=15)


def _since(reply: ReplyContext, since: datetime | None) -> tuple[datetime, datetime] | None:
    """(seen at, oldest answer that counts): ``since`` and anything sent
    before it that arrived after it; else my draft's last save, and what
    arrived after it if it was written while the draft was under way (not
    old history a rebuild or the demo stored later)."""
    if since is not None:
        return since, datetime.min.replace(tzinfo=UTC)
    if reply.draft is None:
        return None
    return reply.draft.updated_at, reply.draft.created_at - ARRIVAL_GRACE


def _answered_since(session: Session, reply: ReplyContext, seen: tuple[datetime, datetime]) -> int:
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
    reply = reply_context(session, conv_id)
    return evaluate(session, reply, body, since)


def evaluate(
    session: Session, reply: ReplyContext, body: str, since: datetime | None
) -> Guard | None:
    seen = _since(reply, since)
    if seen is not None and _answered_since(session, reply, seen):
        return Guard(
            "answered",
            "Someone answered this conversation from your account after your draft was "
            "last saved: read their answer before sending yours.",
        )
    people = reply_recipients(session, reply, body)
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
