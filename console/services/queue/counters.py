"""Counts for the sidebar: conversations per view, open ones per tag and
per member, each one count query per index walk."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.models import workflow_rules
from console.models.types import now_ms
from console.services.queue.filters import VIEWS, QueueFilter
from console.services.queue.sql import plan, where_clauses


def count(
    session: Session, flt: QueueFilter, *, me_id: str | None = None, unread_only: bool = False
) -> int:
    now = now_ms()
    extra, params = where_clauses(flt, session)
    if unread_only:
        extra = [*extra, "c.unread = 1"]
    total = 0
    for branch, branch_params in plan(flt, now, me_id, extra):
        clauses = " AND ".join([branch, *extra])
        total += int(
            session.execute(
                text(f"SELECT count(*) FROM conversations c WHERE {clauses}"),
                {**params, **branch_params},
            ).scalar_one()
        )
    return total


def counts(session: Session, *, me_id: str | None = None) -> dict[str, int]:
    """Live counts for the sidebar, every view at once."""
    return {view: count(session, QueueFilter(view=view), me_id=me_id) for view in VIEWS}


def unread_counts(session: Session, *, me_id: str | None = None) -> dict[str, int]:
    """Unread conversations per view: what is new since someone last looked
    (the sidebar shows it next to each view's count)."""
    return {
        view: count(session, QueueFilter(view=view), me_id=me_id, unread_only=True)
        for view in VIEWS
    }


def open_by_tag(session: Session) -> list[tuple[str, int]]:
    """Every tag with its number of open conversations (the sidebar)."""
    now = now_ms()
    rows = session.execute(
        text(
            "SELECT t.name, count(c.id) FROM tags t "
            "LEFT JOIN conversation_tags ct ON ct.tag_id = t.id "
            "LEFT JOIN conversations c ON c.id = ct.conversation_id "
            f"AND {workflow_rules.OPEN_NOW_SQL} "
            "GROUP BY t.id ORDER BY t.name"
        ),
        {"now": now},
    ).all()
    return [(str(r[0]), int(r[1])) for r in rows]


def open_by_member(session: Session) -> list[tuple[str, str, str, int]]:
    """Every team member (id, name, role) with their open load (for leads)."""
    now = now_ms()
    rows = session.execute(
        text(
            "SELECT m.id, m.name, m.role, count(c.id) FROM team_members m "
            "LEFT JOIN conversations c ON c.assignee_id = m.id "
            f"AND {workflow_rules.OPEN_NOW_SQL} "
            "GROUP BY m.id ORDER BY m.name"
        ),
        {"now": now},
    ).all()
    return [(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]
