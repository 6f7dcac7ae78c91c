"""Full-text search over message text, subjects and contact names (FTS5).

User input is turned into a safe FTS query (every word quoted, as a prefix):
operators typed by a user are treated as words, never as syntax errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.models.types import from_ms
from console.services.queue import fts_query


@dataclass(frozen=True, slots=True)
class Hit:
    conversation_id: str
    message_id: str
    snippet: str
    sent_at: datetime


def search_messages(session: Session, query: str, limit: int = 50) -> list[Hit]:
    """The newest matching messages first. Newest-first (not bm25 rank) is
    what someone looking for a conversation expects, and FTS5 walks rowids
    in order, so a common word costs no more than a rare one."""
    fts = fts_query(query)
    if fts is None:
        return []
    rows = session.execute(
        text(
            "SELECT m.conversation_id, m.id, snippet(message_fts, 0, '[', ']', '…', 12), "
            "m.sent_at FROM message_fts JOIN messages m ON m.seq = message_fts.rowid "
            "WHERE message_fts MATCH :q ORDER BY message_fts.rowid DESC LIMIT :limit"
        ),
        {"q": fts, "limit": limit},
    ).all()
    return [Hit(r[0], r[1], r[2], from_ms(r[3])) for r in rows]
