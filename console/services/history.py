"""A conversation's activity history (``show --json`` ``history``, the
pane's folded lines): the Activity log's lines for one conversation, oldest
first, in CLI.md's words.

The log stores replayable operations ("assign" with ``{"assignee": id}``,
"tag" with ``{"tag", "present"}``, "send.queue", "sent", "undo" …); this module
names them as CLI.md does (assign/unassign, tag/untag, send …) with the new
value as a short string (for an undo, the line it undid: "status closed",
"assign Ana Souza"). A line that cannot be read (a payload that is not
JSON, a time out of bounds) is left out, never an error: the history is an
account of what happened, not something to act on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.models.timebounds import in_bounds_ms
from console.models.types import from_ms, iso_z
from console.services.conversation_view import HistoryView

log = logging.getLogger(__name__)

#: The longest value a history line carries (a tag name, a stray string).
MAX_VALUE = 200


def history_views(
    session: Session, conversation_id: str, names: dict[str, str]
) -> list[HistoryView]:
    """The conversation's history, oldest first; ``names``: member id -> name."""
    rows = session.execute(
        text(
            "SELECT actor_id, op, payload, at FROM activities "
            "WHERE conversation_id = :c ORDER BY at, id"
        ),
        {"c": conversation_id},
    ).all()
    out = []
    for actor_id, op, payload, at in rows:
        try:
            out.append(_entry(actor_id, op, payload, at, names))
        except Exception as exc:  # one line never stops the conversation
            log.warning("activity of %s cannot be read: %r", conversation_id, exc)
    return out


def _entry(actor_id: Any, op: Any, payload: Any, at: Any, names: dict[str, str]) -> HistoryView:
    if not isinstance(at, int) or not in_bounds_ms(at):
        raise ValueError(f"time {at!r} out of bounds")
    data = json.loads(payload) if isinstance(payload, str) else {}
    if not isinstance(data, dict):
        data = {}
    name, value = _named(str(op), data, names)
    reason = data.get("reason")
    return HistoryView(
        at=iso_z(from_ms(at)) or "",
        actor=names.get(actor_id) if isinstance(actor_id, str) else None,
        op=name,
        value=_short(value),
        reason=_short(reason),
    )


def _named(op: str, data: dict[str, Any], names: dict[str, str]) -> tuple[str, Any]:
    """CLI.md's op name and the new value, from a stored op and payload."""
    if op == "assign":
        assignee = data.get("assignee")
        if assignee is None:
            return "unassign", None
        return "assign", names.get(assignee) if isinstance(assignee, str) else None
    if op == "status":
        return "status", data.get("status")
    if op == "snooze":
        until = data.get("until")
        if isinstance(until, int) and in_bounds_ms(until):
            return "snooze", iso_z(from_ms(until))
        return "snooze", None
    if op == "tag":
        return ("tag" if data.get("present", True) else "untag"), data.get("tag")
    if op == "priority":
        return "priority", data.get("priority")
    if op == "send.queue":
        return "send", "queued"
    if op == "sent":
        return "send", "sent"
    if op == "merge":
        return "merge", data.get("from")
    if op == "undo":
        return "undo", _undone(data, names)
    return op, data.get("value")


#: What an "undo" op undid, as the stored op and payload it would have had.
_UNDONE: dict[str, Callable[[Any], tuple[str, dict[str, Any]]]] = {
    "assign": lambda v: ("assign", {"assignee": v}),
    "unassign": lambda v: ("assign", {"assignee": None}),
    "status": lambda v: ("status", {"status": v}),
    "snooze": lambda v: ("snooze", {"until": v}),
    "tag": lambda v: ("tag", {"tag": v, "present": True}),
    "untag": lambda v: ("tag", {"tag": v, "present": False}),
    "priority": lambda v: ("priority", {"priority": v}),
}


def _undone(data: dict[str, Any], names: dict[str, str]) -> str | None:
    """An undo's value: the line it undid, as "op value" ("status closed",
    "assign Ana Souza", "unassign"), or None when the payload does not say."""
    undoes = data.get("undoes")
    rebuild = _UNDONE.get(undoes) if isinstance(undoes, str) else None
    if rebuild is None:
        return None
    name, value = _named(*rebuild(data.get("undone")), names)
    return f"{name} {value}" if value is not None else name


def _short(value: Any) -> str | None:
    if value is None:
        return None
    shown = str(value)
    return shown if len(shown) <= MAX_VALUE else shown[: MAX_VALUE - 1] + "…"
