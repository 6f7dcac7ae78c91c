"""Workflow actions on conversations, as values.

A menu entry, a pane button, a keyboard shortcut and the bulk bar all
produce a :data:`QueueAction`; :func:`run` applies one to some
conversations in one write on the writer, and hands back what it changed
(an UndoToken, services/undo.py) for the status bar's Undo; :func:`run_undo`
puts that back. The CLI has the same verbs (services/workflow.py); this
module only says which service call each action is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from console.models.vocabulary import Priority, Status
from console.models.writer import Tx
from console.services import undo, workflow
from console.views.tasks import Failed, Runner


@dataclass(frozen=True, slots=True)
class Take:
    """Assign to me."""


@dataclass(frozen=True, slots=True)
class Assign:
    """Assign to a team member, or to nobody (None)."""

    member_id: str | None


@dataclass(frozen=True, slots=True)
class SetStatus:
    status: Status


@dataclass(frozen=True, slots=True)
class Snooze:
    """Hide until ``until`` (aware)."""

    until: datetime


@dataclass(frozen=True, slots=True)
class Tag:
    name: str


@dataclass(frozen=True, slots=True)
class Untag:
    name: str


@dataclass(frozen=True, slots=True)
class SetPriority:
    priority: Priority


QueueAction = Take | Assign | SetStatus | Snooze | Tag | Untag | SetPriority


def apply(tx: Tx, action: QueueAction, conv_id: str) -> None:
    """Apply ``action`` to one conversation inside the writer's transaction."""
    match action:
        case Take():
            workflow.take(tx, conv_id)
        case Assign(member_id):
            workflow.assign(tx, conv_id, member_id)
        case SetStatus(status):
            workflow.set_status(tx, conv_id, status)
        case Snooze(until):
            workflow.snooze(tx, conv_id, until)
        case Tag(name):
            workflow.tag(tx, conv_id, name)
        case Untag(name):
            workflow.untag(tx, conv_id, name)
        case SetPriority(priority):
            workflow.set_priority(tx, conv_id, priority)


def leaves_as(action: QueueAction) -> Status | None:
    """The status a conversation leaves its view with after ``action``
    (closed or snoozed), or None when the action keeps it where it is."""
    if isinstance(action, Snooze):
        return Status.SNOOZED
    if isinstance(action, SetStatus) and action.status in (Status.CLOSED, Status.SNOOZED):
        return action.status
    return None


def run(
    runner: Runner,
    action: QueueAction,
    ids: list[str],
    done: Callable[[undo.UndoToken], None] | None = None,
    failed: Failed | None = None,
) -> None:
    """Apply ``action`` to every conversation in ``ids`` in one write; the
    rows and counts update from the writer's change set, and ``done`` gets
    what the write changed, to undo it."""
    targets = list(ids)

    def task(tx: Tx) -> undo.UndoToken:
        return undo.undoable(tx, targets, lambda tx, conv_id: apply(tx, action, conv_id))

    runner.write(task, done, failed)


def run_undo(
    runner: Runner,
    token: undo.UndoToken,
    done: Callable[[undo.UndoResult], None] | None = None,
    failed: Failed | None = None,
) -> None:
    """Put back what ``token``'s write changed, in one write."""
    runner.write(lambda tx: undo.undo(tx, token), done, failed)
