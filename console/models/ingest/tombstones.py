"""Tombstones: a message deleted on the network keeps its row (so a replay
does not bring it back) but loses its text and its place in the search
index; its conversation's aggregates are recomputed without it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from console.models.ingest import conversations
from console.models.ingest.sql import chunks, marks


def apply_tombstones(
    conn: Connection, account_id: str, remote_ids: Sequence[str], touched: set[str]
) -> int:
    """Messages deleted on the network: keep a tombstone, drop text and index."""
    count = 0
    convs: set[str] = set()
    for part in chunks(list(dict.fromkeys(remote_ids))):
        rows = conn.exec_driver_sql(
            "SELECT seq, conversation_id FROM messages WHERE account_id = ? AND deleted = 0 "
            f"AND remote_id IN ({marks(len(part))})",
            (account_id, *part),
        ).all()
        if not rows:
            continue
        conn.exec_driver_sql(
            "UPDATE messages SET deleted = 1, text = '', html = NULL WHERE seq = ?",
            [(r[0],) for r in rows],
        )
        conn.exec_driver_sql("DELETE FROM message_fts WHERE rowid = ?", [(r[0],) for r in rows])
        convs.update(r[1] for r in rows)
        count += len(rows)
    for cid in convs:
        conversations.recompute_conversation(conn, cid)
    touched |= convs
    return count
