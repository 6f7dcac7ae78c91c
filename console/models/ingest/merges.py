"""Merges: two threads that turn out to be one (a late e-mail parent)
become the survivor. Messages, notes, the outbox, activity, drafts (joined,
never lost), tags and aliases move with them; the old id redirects to the
survivor and the old remote key becomes an alias.
"""

from __future__ import annotations

from console.models import workflow_rules
from console.models.activity import record_activity
from console.models.ingest import conversations
from console.models.records import ThreadMerge
from console.models.types import now_ms
from console.models.writer import Tx


def merge_by_keys(tx: Tx, account_id: str, merge: ThreadMerge) -> bool:
    """Apply a provider's ThreadMerge; True when two conversations merged."""
    conn = tx.session.connection()
    found = conversations.load_conversations(conn, account_id, [merge.from_key, merge.into_key])
    src = found.get(merge.from_key)
    dst = found.get(merge.into_key)
    if src is None:
        return False
    if dst is None:
        # Only the old root is known: it simply gets the new key.
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO conversation_aliases (account_id, remote_key, "
            "conversation_id) VALUES (?, ?, ?)",
            (account_id, src.remote_key, src.id),
        )
        conn.exec_driver_sql(
            "UPDATE conversations SET remote_key = ? WHERE id = ?", (merge.into_key, src.id)
        )
        conn.exec_driver_sql(
            "DELETE FROM conversation_aliases WHERE account_id = ? AND remote_key = ?",
            (account_id, merge.into_key),
        )
        tx.changes.conversations.add(src.id)
        return False
    if src.id == dst.id:
        return False
    merge_conversations(tx, src.id, dst.id)
    return True


def merge_conversations(tx: Tx, from_id: str, into_id: str) -> None:
    """Move everything of ``from_id`` into ``into_id`` and redirect the id."""
    conn = tx.session.connection()
    src = conn.exec_driver_sql(
        "SELECT account_id, remote_key, assignee_id, status, priority FROM conversations "
        "WHERE id = ?",
        (from_id,),
    ).one()
    dst = conn.exec_driver_sql(
        "SELECT assignee_id, status, priority FROM conversations WHERE id = ?", (into_id,)
    ).one()
    conn.exec_driver_sql(
        "UPDATE messages SET conversation_id = ? WHERE conversation_id = ?", (into_id, from_id)
    )
    for table in ("notes", "outbox"):
        conn.exec_driver_sql(
            f"UPDATE {table} SET conversation_id = ? WHERE conversation_id = ?", (into_id, from_id)
        )
    conn.exec_driver_sql(
        "UPDATE activities SET conversation_id = ? WHERE conversation_id = ?", (into_id, from_id)
    )
    # Drafts: one per (conversation, author). When both threads hold a draft
    # of the same author, the survivor's draft gets the other's text appended:
    # a draft is never lost.
    for did, author, body in conn.exec_driver_sql(
        "SELECT id, author_id, body FROM drafts WHERE conversation_id = ?", (from_id,)
    ).all():
        other = conn.exec_driver_sql(
            "SELECT id, body FROM drafts WHERE conversation_id = ? AND author_id = ?",
            (into_id, author),
        ).first()
        if other is None:
            conn.exec_driver_sql(
                "UPDATE drafts SET conversation_id = ? WHERE id = ?", (into_id, did)
            )
        else:
            joined = "\n\n".join(b for b in (other[1], body) if b)
            conn.exec_driver_sql(
                "UPDATE drafts SET body = ?, updated_at = ? WHERE id = ?",
                (joined, now_ms(), other[0]),
            )
            conn.exec_driver_sql("DELETE FROM drafts WHERE id = ?", (did,))
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO conversation_tags (conversation_id, tag_id) "
        "SELECT ?, tag_id FROM conversation_tags WHERE conversation_id = ?",
        (into_id, from_id),
    )
    conn.exec_driver_sql(
        "UPDATE conversation_aliases SET conversation_id = ? WHERE conversation_id = ?",
        (into_id, from_id),
    )
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO conversation_aliases (account_id, remote_key, conversation_id) "
        "VALUES (?, ?, ?)",
        (src[0], src[1], into_id),
    )
    assignee = dst[0] or src[2]
    status = workflow_rules.merged_status(dst[1], src[3])
    conn.exec_driver_sql(
        "UPDATE conversations SET assignee_id = ?, status = ?, priority = ? WHERE id = ?",
        (assignee, status, max(src[4], dst[2]), into_id),
    )
    conn.exec_driver_sql("DELETE FROM conversations WHERE id = ?", (from_id,))
    conn.exec_driver_sql(
        "UPDATE conversation_redirects SET new_id = ? WHERE new_id = ?", (into_id, from_id)
    )
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO conversation_redirects (old_id, new_id) VALUES (?, ?)",
        (from_id, into_id),
    )
    conversations.recompute_conversation(conn, into_id)
    record_activity(conn, None, into_id, "merge", {"from": from_id, "into": into_id})
    tx.changes.removed.add(from_id)
    tx.changes.redirects[from_id] = into_id
    tx.changes.conversations.add(into_id)
