"""What is new for me since the last look: the desktop notifications' facts.

The window follows every committed change set (its own writes, the engine
process's, another terminal's); after each one it asks :func:`news` what
arrived for the person at this desktop, and once a minute :func:`due_soon`
which of their conversations are about to pass their answer-within
target. This module only finds facts (Qt-free, so it is tested without a
display and the headless ``parloir sync`` never imports a notifier); the
window words them and sends them (console/views/notifier.py).

"New" is measured by watermarks (the last message ``seq``, activity and
note rowid already looked at), not by the change set's ids: a change set
read late from another process's log, or one that says "everything", still
finds each fact once. Never for my own actions: an assignment I made, a
note I wrote; outbound messages are never news.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection

from console.models import settings_registry as registry
from console.models.types import to_ms

#: At most this many of each kind per look (a flood is cut, not listed).
MAX_NEWS = 200
#: "About to pass": a target within this many minutes.
DUE_SOON_MIN = 15

ASSIGNED, INBOUND, MENTION, DUE = "assigned", "inbound", "mention", "due"


@dataclass(frozen=True, slots=True)
class Notice:
    """One fact for me: ``who`` wrote or is waiting (the contact), ``text``
    a one-line preview, ``by`` the member who assigned or wrote the note."""

    kind: str
    conversation_id: str
    who: str
    text: str = ""
    by: str = ""


@dataclass(slots=True)
class Seen:
    """Watermarks of what was already looked at, and the conversations whose
    target was already announced (once each, until the target moves)."""

    message_seq: int = 0
    activity_row: int = 0
    note_row: int = 0
    due_told: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Prefs:
    """The personal notification settings (settings_registry.NOTIFY_*)."""

    kinds: frozenset[str] = frozenset({ASSIGNED, INBOUND, MENTION, DUE})
    only_mine: bool = False
    quiet_start: int = 0
    quiet_end: int = 0

    def quiet(self, hour: int) -> bool:
        """Within the do-not-disturb hours (local ``hour``); start == end: never.
        22 to 7 spans midnight."""
        start, end = self.quiet_start, self.quiet_end
        if start == end:
            return False
        if start < end:
            return start <= hour < end
        return hour >= start or hour < end


def prefs(conn: Connection) -> Prefs:
    on = {
        ASSIGNED: registry.NOTIFY_ASSIGNED,
        INBOUND: registry.NOTIFY_INBOUND,
        MENTION: registry.NOTIFY_MENTIONS,
        DUE: registry.NOTIFY_DUE,
    }
    return Prefs(
        kinds=frozenset(k for k, s in on.items() if registry.get(conn, s) == "on"),
        only_mine=registry.get(conn, registry.NOTIFY_ONLY_MINE) == "on",
        quiet_start=registry.get(conn, registry.QUIET_START),
        quiet_end=registry.get(conn, registry.QUIET_END),
    )


def start(conn: Connection) -> Seen:
    """Everything already in the cache is old news."""

    def top(sql: str) -> int:
        return int(conn.exec_driver_sql(sql).scalar() or 0)

    return Seen(
        message_seq=top("SELECT max(seq) FROM messages"),
        activity_row=top("SELECT max(rowid) FROM activities"),
        note_row=top("SELECT max(rowid) FROM notes"),
    )


_WHO = "coalesce(nullif(ct.name, ''), nullif(ct.handle, ''), nullif(c.subject, ''), a.handle, '')"
_CONV = """FROM conversations c JOIN accounts a ON a.id = c.account_id
    LEFT JOIN contacts ct ON ct.id = c.contact_id"""


def news(conn: Connection, me_id: str | None, seen: Seen) -> list[Notice]:
    """What arrived for me since ``seen`` (which moves past it): conversations
    someone else assigned to me, inbound messages on mine, notes mentioning me."""
    if me_id is None:
        return []
    out: list[Notice] = []
    rows = conn.exec_driver_sql(
        f"""SELECT m.seq, m.conversation_id, {_WHO}, m.text,
            m.direction = 'in' AND c.assignee_id = ?
        FROM messages m JOIN conversations c ON c.id = m.conversation_id
            JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts ct ON ct.id = c.contact_id
        WHERE m.seq > ? ORDER BY m.seq LIMIT ?""",
        (me_id, seen.message_seq, MAX_NEWS),
    ).all()
    for seq, conv, who, text, mine in rows:
        seen.message_seq = max(seen.message_seq, seq)
        if mine:
            out.append(Notice(INBOUND, conv, who, _line(text)))
    seen.message_seq = max(seen.message_seq, _top(conn, "SELECT max(seq) FROM messages"))
    rows = conn.exec_driver_sql(
        f"""SELECT v.rowid, v.conversation_id, v.payload, {_WHO}, coalesce(t.name, '')
        FROM activities v JOIN conversations c ON c.id = v.conversation_id
            JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts ct ON ct.id = c.contact_id
            LEFT JOIN team_members t ON t.id = v.actor_id
        WHERE v.rowid > ? AND v.op = 'assign' AND c.assignee_id = ?
            AND coalesce(v.actor_id, '') != ?
        ORDER BY v.rowid LIMIT ?""",
        (seen.activity_row, me_id, me_id, MAX_NEWS),
    ).all()
    for _row, conv, payload, who, by in rows:
        if _payload(payload).get("assignee") == me_id:
            out.append(Notice(ASSIGNED, conv, who, by=by))
    seen.activity_row = max(seen.activity_row, _top(conn, "SELECT max(rowid) FROM activities"))
    rows = conn.exec_driver_sql(
        f"""SELECT n.rowid, n.conversation_id, n.mentions, n.text, {_WHO}, coalesce(t.name, '')
        FROM notes n JOIN conversations c ON c.id = n.conversation_id
            JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts ct ON ct.id = c.contact_id
            LEFT JOIN team_members t ON t.id = n.author_id
        WHERE n.rowid > ? AND coalesce(n.author_id, '') != ? ORDER BY n.rowid LIMIT ?""",
        (seen.note_row, me_id, MAX_NEWS),
    ).all()
    for _row, conv, mentions, text, who, by in rows:
        if me_id in _ids(mentions):
            out.append(Notice(MENTION, conv, who, _line(text), by=by))
    seen.note_row = max(seen.note_row, _top(conn, "SELECT max(rowid) FROM notes"))
    return out


def due_soon(
    conn: Connection,
    me_id: str | None,
    lead: bool,
    now: datetime,
    seen: Seen,
    minutes: int = DUE_SOON_MIN,
) -> list[Notice]:
    """Open conversations of mine (and, for a lead, unassigned ones) whose
    target passes within ``minutes`` and was not announced yet."""
    if me_id is None:
        return []
    whose = "(c.assignee_id = ? OR c.assignee_id IS NULL)" if lead else "c.assignee_id = ?"
    rows = conn.exec_driver_sql(
        f"""SELECT c.id, c.due_at, {_WHO}, c.preview {_CONV}
        WHERE c.status = 'open' AND {whose} AND c.due_at > ? AND c.due_at <= ?
        ORDER BY c.due_at LIMIT ?""",
        (me_id, to_ms(now), to_ms(now + timedelta(minutes=minutes)), MAX_NEWS),
    ).all()
    out = []
    for conv, due, who, preview in rows:
        if seen.due_told.get(conv) == due:
            continue
        seen.due_told[conv] = due
        out.append(Notice(DUE, conv, who, _line(preview)))
    return out


def mine(conn: Connection, me_id: str | None, ids: set[str]) -> set[str]:
    """Which of ``ids`` are assigned to me ("notify only for mine")."""
    if me_id is None or not ids:
        return set()
    marks = ",".join("?" * len(ids))
    rows = conn.exec_driver_sql(
        f"SELECT id FROM conversations WHERE assignee_id = ? AND id IN ({marks})",
        (me_id, *sorted(ids)),
    )
    return {r[0] for r in rows}


def keep(notices: list[Notice], p: Prefs, mine_ids: set[str], hour: int) -> list[Notice]:
    """What the settings let through: the kinds switched on, only mine when
    asked, nothing within the quiet hours."""
    if p.quiet(hour):
        return []
    return [
        n
        for n in notices
        if n.kind in p.kinds and (not p.only_mine or n.conversation_id in mine_ids)
    ]


def _line(text: str | None, width: int = 120) -> str:
    one = " ".join((text or "").split())
    return one if len(one) <= width else one[: width - 1] + "…"


def _top(conn: Connection, sql: str) -> int:
    return int(conn.exec_driver_sql(sql).scalar() or 0)


def _payload(raw: object) -> dict[str, object]:
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _ids(raw: object) -> list[object]:
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    return value if isinstance(value, list) else []
