"""Messages: the chunk's rows, collected in memory and written with one
``executemany`` per statement (ingest is the hot path).

A record seen before is an upsert: an edit keeps the new text (and its
search entry), a remote deletion becomes a tombstone (tombstones.py), a new
copy of an e-mail adds its location. A new record gets the next ``seq``
(the search index's rowid) and, unless deleted, a search entry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection

from console.models.ingest.sql import chunks, marks
from console.models.records import MessageRecord
from console.models.types import new_id, to_ms

#: The columns of a stored message :meth:`MessageBatch.known` compares with.
_KNOWN_COLUMNS = (
    "remote_id, seq, id, conversation_id, text, html, deleted, subject, author_name, author_handle"
)


def load_known(
    conn: Connection, account_id: str, remote_ids: Sequence[str]
) -> dict[str, tuple[Any, ...]]:
    """The stored messages among ``remote_ids`` (columns of _KNOWN_COLUMNS)."""
    known: dict[str, tuple[Any, ...]] = {}
    for part in chunks(remote_ids):
        rows = conn.exec_driver_sql(
            f"SELECT {_KNOWN_COLUMNS} FROM messages WHERE account_id = ? "
            f"AND remote_id IN ({marks(len(part))})",
            (account_id, *part),
        ).all()
        for row in rows:
            known[row[0]] = tuple(row)
    return known


def names_of(rec: MessageRecord) -> str:
    """The author's name and handle, as the search index holds them."""
    return f"{rec.author.name} {rec.author.handle}".strip()


@dataclass
class MessageBatch:
    """The writes of one chunk's messages, and what they touched."""

    account_id: str
    now: int
    seq: int
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    fts_rows: list[tuple[Any, ...]] = field(default_factory=list)
    edits: list[tuple[Any, ...]] = field(default_factory=list)
    fts_edits: list[tuple[Any, ...]] = field(default_factory=list)
    locations: list[tuple[Any, ...]] = field(default_factory=list)
    #: Remote ids of known messages the network now reports deleted.
    deleted: list[str] = field(default_factory=list)
    #: Conversations with a new or edited message.
    touched: set[str] = field(default_factory=set)
    #: Conversations with an edited message (their preview may change).
    edited: set[str] = field(default_factory=set)
    inserted: int = 0
    updated: int = 0

    @classmethod
    def start(cls, conn: Connection, account_id: str, now: int) -> MessageBatch:
        seq = conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM messages").scalar_one()
        return cls(account_id=account_id, now=now, seq=int(seq))

    def known(self, rec: MessageRecord, old: tuple[Any, ...]) -> None:
        """A record already stored: an edit, a deletion, or a new location."""
        changed = (rec.text, rec.html) != (old[4], old[5]) and not old[6]
        if rec.deleted and not old[6]:
            self.deleted.append(rec.remote_id)
        elif changed and not rec.deleted:
            edited = to_ms(rec.edited_at) if rec.edited_at else self.now
            self.edits.append((rec.text, rec.html, edited, old[1]))
            self.fts_edits.append((old[1], rec.text, old[7] or "", f"{old[8]} {old[9]}".strip()))
            self.touched.add(old[3])
            self.edited.add(old[3])
            self.updated += 1
        if rec.locations:
            self._locate(rec, old[2])

    def new(
        self, rec: MessageRecord, conversation_id: str, author_id: str | None, sent: int
    ) -> None:
        """A record seen for the first time, in ``conversation_id``."""
        self.seq += 1
        mid = new_id()
        text = "" if rec.deleted else rec.text
        self.rows.append(
            (
                self.seq,
                mid,
                self.account_id,
                conversation_id,
                rec.remote_id,
                str(rec.direction),
                author_id,
                rec.author.name,
                rec.author.handle,
                sent,
                text,
                None if rec.deleted else rec.html,
                rec.url,
                rec.in_reply_to,
                rec.subject,
                rec.visibility,
                json.dumps([asdict(a) for a in rec.attachments]) if rec.attachments else None,
                json.dumps(dict(rec.raw), default=str) if rec.raw is not None else None,
                to_ms(rec.edited_at) if rec.edited_at else None,
                int(rec.deleted),
                self.now,
            )
        )
        if not rec.deleted:
            self.fts_rows.append((self.seq, text, rec.subject or "", names_of(rec)))
        if rec.locations:
            self._locate(rec, mid)
        self.inserted += 1
        self.touched.add(conversation_id)

    def _locate(self, rec: MessageRecord, message_id: str) -> None:
        self.locations.extend(
            (self.account_id, message_id, loc.folder, loc.uidvalidity, loc.uid)
            for loc in rec.locations
        )

    def write(self, conn: Connection) -> None:
        """Store the batch (its conversations must exist already)."""
        if self.rows:
            conn.exec_driver_sql(
                "INSERT INTO messages (seq, id, account_id, conversation_id, remote_id, "
                "direction, author_contact_id, author_name, author_handle, sent_at, text, html, "
                "url, in_reply_to, subject, visibility, attachments, raw, edited_at, deleted, "
                "created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.rows,
            )
        if self.fts_rows:
            conn.exec_driver_sql(
                "INSERT INTO message_fts (rowid, text, subject, names) VALUES (?, ?, ?, ?)",
                self.fts_rows,
            )
        if self.edits:
            conn.exec_driver_sql(
                "UPDATE messages SET text = ?, html = ?, edited_at = ? WHERE seq = ?", self.edits
            )
            conn.exec_driver_sql(
                "DELETE FROM message_fts WHERE rowid = ?", [(row[0],) for row in self.fts_edits]
            )
            conn.exec_driver_sql(
                "INSERT INTO message_fts (rowid, text, subject, names) VALUES (?, ?, ?, ?)",
                self.fts_edits,
            )
        if self.locations:
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO message_locations (account_id, message_id, folder, "
                "uidvalidity, uid) VALUES (?, ?, ?, ?, ?)",
                self.locations,
            )
