"""Undo of a workflow action (take, assign, status, snooze, tag, priority),
on one conversation or many.

:func:`undoable` runs an action inside the writer's transaction between two
snapshots of each target's workflow state (assignee, status and snooze
time, priority, tags) and returns an :class:`UndoToken`: what changed, from
what to what. :func:`undo` puts back the fields the action changed and
records one Activity op ``"undo"`` per conversation, with the restored
values as set semantics ("status := open"), so team mode replays it like
any other op.

A conversation whose changed fields moved on since the action (a colleague,
a new message, another window) is left as it is and counted as skipped:
undo puts back what the person did, never what someone else did since
(docs/decisions.md, "Undo").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from console.models.activity import record_activity
from console.models.schema import Conversation, ConversationTag, Tag
from console.models.types import from_ms, to_ms, utcnow
from console.models.vocabulary import PRIORITY_RANK, Status
from console.models.writer import Tx
from console.services.errors import PermissionDenied
from console.services.team import ensure_me
from console.services.workflow import resolve, tag_twins

PRIORITY_NAMES = {rank: name for name, rank in PRIORITY_RANK.items()}


@dataclass(frozen=True, slots=True)
class State:
    """The workflow fields of one conversation that an action can change."""

    assignee_id: str | None
    status: str
    snoozed_until: int | None  # epoch ms
    priority: int
    tags: frozenset[str]  # tag names as stored


@dataclass(frozen=True, slots=True)
class Change:
    """One conversation's state just before and just after the action."""

    conversation_id: str
    before: State
    after: State


@dataclass(frozen=True, slots=True)
class UndoToken:
    """What an action changed, enough to put it back. ``label`` is the
    caller's words for the action ("Closed 12 conversations."); services
    never read it. Conversations the action left as they were are not in
    ``changes`` (closing a closed one changes nothing to undo)."""

    actor_id: str
    label: str
    changes: tuple[Change, ...]

    @property
    def conversation_ids(self) -> list[str]:
        return [c.conversation_id for c in self.changes]


@dataclass(frozen=True, slots=True)
class UndoResult:
    """How many conversations were put back, and how many were left alone
    because they had changed since the action."""

    restored: int
    skipped: int


def state_of(tx: Tx, conv: Conversation) -> State:
    return states_of(tx, [conv])[0]


#: Conversations per tag query (well under SQLite's bound-variable limit).
CHUNK = 500


def states_of(tx: Tx, convs: list[Conversation]) -> list[State]:
    """The states of ``convs``, in order, with one tag query per CHUNK."""
    tags: dict[str, set[str]] = {c.id: set() for c in convs}
    ids = list(tags)
    for start in range(0, len(ids), CHUNK):
        rows = tx.session.execute(
            select(ConversationTag.conversation_id, Tag.name)
            .join(Tag, ConversationTag.tag_id == Tag.id)
            .where(ConversationTag.conversation_id.in_(ids[start : start + CHUNK]))
        )
        for conv_id, name in rows:
            tags[conv_id].add(name)
    return [
        State(
            assignee_id=conv.assignee_id,
            status=conv.status,
            snoozed_until=to_ms(conv.snoozed_until) if conv.snoozed_until is not None else None,
            priority=conv.priority,
            tags=frozenset(tags[conv.id]),
        )
        for conv in convs
    ]


def undoable(
    tx: Tx, ids: Iterable[str], apply: Callable[[Tx, str], object], label: str = ""
) -> UndoToken:
    """Run ``apply(tx, id)`` for each conversation in ``ids`` (in this
    transaction) and return what it changed, as an UndoToken."""
    actor = ensure_me(tx)
    convs: dict[str, Conversation] = {}  # by id, in order: an id given twice counts once
    for conv_id in ids:
        conv = resolve(tx.session, conv_id)
        convs.setdefault(conv.id, conv)
    targets = list(convs.values())
    before = states_of(tx, targets)
    for conv in targets:
        apply(tx, conv.id)
    tx.session.flush()
    changes = []
    for conv, was, now in zip(targets, before, states_of(tx, targets), strict=True):
        if now != was:
            changes.append(Change(conv.id, was, now))
    return UndoToken(actor.id, label, tuple(changes))


def undo(tx: Tx, token: UndoToken) -> UndoResult:
    """Put back what the token's action changed, on each conversation still
    as the action left it in those fields; one "undo" op per conversation."""
    actor = ensure_me(tx)
    if actor.id != token.actor_id:
        # Only the person who acted undoes: the roles allowed them the
        # action, so they allow putting it back.
        raise PermissionDenied("Only the person who made a change can undo it.")
    restored = skipped = 0
    for change in token.changes:
        conv = tx.session.get(Conversation, change.conversation_id)
        if conv is None:  # merged away or removed since
            skipped += 1
            continue
        now = state_of(tx, conv)
        if not _unchanged_since(change, now):
            skipped += 1
            continue
        payload = _restore(tx, conv, change)
        record_activity(tx.session.connection(), actor.id, conv.id, "undo", payload)
        conv.updated_at = utcnow()
        tx.changes.conversations.add(conv.id)
        restored += 1
    return UndoResult(restored, skipped)


def _unchanged_since(change: Change, now: State) -> bool:
    """Whether the fields the action changed still hold what it set."""
    before, after = change.before, change.after
    if before.assignee_id != after.assignee_id and now.assignee_id != after.assignee_id:
        return False
    if _status(before) != _status(after) and _status(now) != _status(after):
        return False
    if before.priority != after.priority and now.priority != after.priority:
        return False
    return all((t in now.tags) == (t in after.tags) for t in before.tags ^ after.tags)


def _status(state: State) -> tuple[str, int | None]:
    return state.status, state.snoozed_until


def _restore(tx: Tx, conv: Conversation, change: Change) -> dict[str, Any]:
    """Write the prior values back; the op's payload: what the undo undoes
    (CLI.md's op name and value, for the history) and the restored values."""
    before, after = change.before, change.after
    payload: dict[str, Any] = {}
    undone: list[tuple[str, Any]] = []
    if before.assignee_id != after.assignee_id:
        conv.assignee_id = before.assignee_id
        payload["assignee"] = before.assignee_id
        undone.append(("assign", after.assignee_id) if after.assignee_id else ("unassign", None))
    if _status(before) != _status(after):
        conv.status = before.status
        conv.snoozed_until = (
            from_ms(before.snoozed_until) if before.snoozed_until is not None else None
        )
        payload["status"] = before.status
        payload["snoozed_until"] = before.snoozed_until
        if after.status == Status.SNOOZED:
            undone.append(("snooze", after.snoozed_until))
        else:
            undone.append(("status", after.status))
    if before.priority != after.priority:
        conv.priority = before.priority
        name = PRIORITY_NAMES.get(before.priority, str(before.priority))
        payload["priority"] = name
        undone.append(("priority", PRIORITY_NAMES.get(after.priority, str(after.priority))))
    flipped = sorted(before.tags ^ after.tags)
    if flipped:
        payload["tags"] = {name: name in before.tags for name in flipped}
        for name in flipped:
            _set_tag(tx, conv, name, name in before.tags)
            undone.append(("tag", name) if name in after.tags else ("untag", name))
    op, value = undone[0] if undone else ("", None)
    payload["undoes"] = op
    payload["undone"] = value
    return payload


def _set_tag(tx: Tx, conv: Conversation, name: str, present: bool) -> None:
    found = next((t for t in tag_twins(tx.session, name) if t.name == name), None)
    if present:
        if found is None:
            found = Tag(name=name)
            tx.session.add(found)
            tx.session.flush()
        if tx.session.get(ConversationTag, (conv.id, found.id)) is None:
            tx.session.add(ConversationTag(conversation_id=conv.id, tag_id=found.id))
    elif found is not None:
        tx.session.execute(
            delete(ConversationTag).where(
                ConversationTag.conversation_id == conv.id, ConversationTag.tag_id == found.id
            )
        )
