"""Workflow operations on a conversation: take, assign, status, snooze,
tags, priority, read marks.

Each function runs inside a writer transaction (``cache.writer.call(lambda
tx: assign(tx, ...))``) and records one replayable Activity operation with
an idempotent payload ("assignee := X"), which team mode pushes as is.

Roles (enforced here for solo desktops, and by the team database in team
mode): an agent may take or assign an unassigned thread and hand on their
own, but cannot reassign or unassign a colleague's thread; leads and admins
can.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, literal_column, select
from sqlalchemy.orm import Session

from console.models.activity import record_activity
from console.models.schema import (
    Conversation,
    ConversationRedirect,
    ConversationTag,
    Tag,
    TeamMember,
)
from console.models.types import to_ms, utcnow
from console.models.vocabulary import LEADS, PRIORITY_RANK, SETTABLE_STATUSES, Status
from console.models.writer import Tx
from console.services import names
from console.services.errors import InvalidArgument, NotFound, PermissionDenied
from console.services.team import ensure_me, find_member

STATUSES = SETTABLE_STATUSES
PRIORITIES = PRIORITY_RANK
PRIORITY_NAMES = {v: k for k, v in PRIORITIES.items()}
MIN_PREFIX = 4


def resolve(session: Session, conv_id: str) -> Conversation:
    """A conversation by id, following merge redirects; a unique start or
    end of the id (four characters or more) also works."""
    conv_id = conv_id.strip()
    conv = session.get(Conversation, conv_id)
    if conv is not None:
        return conv
    target = session.scalar(
        select(ConversationRedirect.new_id).where(ConversationRedirect.old_id == conv_id)
    )
    if target is not None:
        conv = session.get(Conversation, target)
        if conv is not None:
            return conv
    if len(conv_id) >= MIN_PREFIX:
        # Ids are time-ordered (UUIDv7), so their starts repeat; the CLI
        # shows the random tail, and a unique start or tail both work.
        found = list(
            session.scalars(
                select(Conversation)
                .where(
                    # autoescape: % and _ in what was typed are themselves, not wildcards
                    Conversation.id.startswith(conv_id, autoescape=True)
                    | Conversation.id.endswith(conv_id, autoescape=True)
                )
                .limit(2)
            )
        )
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise InvalidArgument(
                f"{conv_id!r} matches several conversations; give more of the id."
            )
    raise NotFound(f"No conversation {conv_id!r}; see `parloir queue`.")


def _log(
    tx: Tx, actor: TeamMember | None, conv: Conversation, op: str, payload: dict[str, Any]
) -> None:
    record_activity(tx.session.connection(), actor.id if actor else None, conv.id, op, payload)
    conv.updated_at = utcnow()
    tx.changes.conversations.add(conv.id)


def _may_reassign(actor: TeamMember, conv: Conversation, new_assignee: str | None) -> None:
    if actor.role in LEADS:
        return
    current = conv.assignee_id
    if current is None or current == actor.id or current == new_assignee:
        return
    raise PermissionDenied(
        "Only a lead can reassign a colleague's conversation; ask a lead or add a note."
    )


def assign(tx: Tx, conv_id: str, member: str | None) -> Conversation:
    """Assign to a member (name or id), or unassign with None."""
    actor = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    target = find_member(tx.session, member) if member is not None else None
    target_id = target.id if target else None
    _may_reassign(actor, conv, target_id)
    if conv.assignee_id != target_id:
        conv.assignee_id = target_id
        _log(tx, actor, conv, "assign", {"assignee": target_id})
    return conv


def take(tx: Tx, conv_id: str) -> Conversation:
    actor = ensure_me(tx)
    return assign(tx, conv_id, actor.id)


def unassign(tx: Tx, conv_id: str) -> Conversation:
    return assign(tx, conv_id, None)


def set_status(tx: Tx, conv_id: str, status: str) -> Conversation:
    if status not in STATUSES:
        raise InvalidArgument(f"Status must be one of {', '.join(STATUSES)}, not {status!r}.")
    actor = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    if conv.status != status or conv.snoozed_until is not None:
        conv.status = status
        conv.snoozed_until = None
        _log(tx, actor, conv, "status", {"status": status})
    return conv


def snooze(tx: Tx, conv_id: str, until: datetime) -> Conversation:
    """Hide until ``until``; a snooze whose time has passed counts as open
    at query time, so no timer is needed to wake it."""
    if until.tzinfo is None:
        raise InvalidArgument("A snooze time needs a time zone.")
    actor = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    conv.status = Status.SNOOZED
    conv.snoozed_until = until.astimezone(UTC)
    _log(tx, actor, conv, "snooze", {"until": to_ms(until)})
    return conv


def tag_name(name: str) -> str:
    """A tag's name as typed, made valid (services/names.py; a leading # is
    not part of it), or InvalidArgument in one sentence."""
    return names.clean(name.strip().lstrip("#"), "A tag")


def tag_twins(session: Session, name: str) -> list[Tag]:
    """The stored tags that are ``name`` (twins by case and spacing), oldest
    first. More than one only in a cache from before the name rule."""
    wanted = names.key(name)
    in_creation_order = select(Tag).order_by(literal_column("tags.rowid"))
    return [t for t in session.scalars(in_creation_order) if names.key(t.name) == wanted]


def find_tag(session: Session, name: str) -> Tag | None:
    """The tag ``name`` means: the existing one it is a twin of, if any.
    Finding does not check the name rule, so a tag an old cache holds that
    breaks it can still be found (and removed); only creating checks."""
    twins = tag_twins(session, name.strip().lstrip("#"))
    return twins[0] if twins else None


def _tag_named(session: Session, name: str) -> Tag:
    """The tag to put on a conversation: the existing twin, else a new one."""
    name = tag_name(name)
    twins = tag_twins(session, name)
    if twins:
        return twins[0]
    tag = Tag(name=name)
    session.add(tag)
    session.flush()
    return tag


def tag(tx: Tx, conv_id: str, name: str) -> Conversation:
    """Tag the conversation; a twin of an existing tag is that tag."""
    actor = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    found = _tag_named(tx.session, name)
    exists = tx.session.get(ConversationTag, (conv.id, found.id))
    if exists is None:
        tx.session.add(ConversationTag(conversation_id=conv.id, tag_id=found.id))
        _log(tx, actor, conv, "tag", {"tag": found.name, "present": True})
    return conv


def untag(tx: Tx, conv_id: str, name: str) -> Conversation:
    """Remove the tag, and any twin of it an old cache holds, from the conversation."""
    actor = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    twins = tag_twins(tx.session, name.strip().lstrip("#"))  # see find_tag
    if twins:
        result = tx.session.execute(
            delete(ConversationTag).where(
                ConversationTag.conversation_id == conv.id,
                ConversationTag.tag_id.in_([t.id for t in twins]),
            )
        )
        if getattr(result, "rowcount", 0):
            _log(tx, actor, conv, "tag", {"tag": twins[0].name, "present": False})
    return conv


def set_priority(tx: Tx, conv_id: str, priority: str) -> Conversation:
    if priority not in PRIORITIES:
        raise InvalidArgument(f"Priority must be one of {', '.join(PRIORITIES)}.")
    actor = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    value = PRIORITIES[priority]
    if conv.priority != value:
        conv.priority = value
        _log(tx, actor, conv, "priority", {"priority": priority})
    return conv


def mark_read(tx: Tx, conv_id: str, read: bool = True) -> Conversation:
    """Read marks are personal and frequent: no Activity line."""
    conv = resolve(tx.session, conv_id)
    if conv.unread == read:
        conv.unread = not read
        tx.changes.conversations.add(conv.id)
    return conv
