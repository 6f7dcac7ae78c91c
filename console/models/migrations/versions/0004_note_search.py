"""make internal notes searchable: a full-text index of notes

``note_fts`` holds each note's text with its note and conversation ids
(unindexed columns). Triggers on ``notes`` keep it in step whoever writes
(services/notes.py, merges moving notes, cascades when a conversation or
an account goes, a cache rebuild copying notes), so no writer can forget
it. A regular FTS5 table keyed by the note id, not an external-content
table: the notes' rowid is not an INTEGER PRIMARY KEY and may change on
VACUUM. Same tokenizer as message_fts, so "creme" finds "crème".

``message_fts_terms`` (fts5vocab, no data of its own) lists the index's
terms: the queue's search turns a prefix into the few terms it stands for,
which FTS5 can seek per conversation (services/queue/sql.py,
``expand_prefixes``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 17:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE message_fts_terms USING fts5vocab(message_fts, 'row')")
    op.execute(
        "CREATE VIRTUAL TABLE note_fts USING fts5("
        "text, note_id UNINDEXED, conversation_id UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO note_fts (text, note_id, conversation_id) "
        "SELECT text, id, conversation_id FROM notes"
    )
    op.execute(
        "CREATE TRIGGER note_fts_insert AFTER INSERT ON notes BEGIN "
        "INSERT INTO note_fts (text, note_id, conversation_id) "
        "VALUES (new.text, new.id, new.conversation_id); END"
    )
    op.execute(
        "CREATE TRIGGER note_fts_delete AFTER DELETE ON notes BEGIN "
        "DELETE FROM note_fts WHERE note_id = old.id; END"
    )
    op.execute(
        "CREATE TRIGGER note_fts_update AFTER UPDATE OF text, conversation_id, id ON notes BEGIN "
        "DELETE FROM note_fts WHERE note_id = old.id; "
        "INSERT INTO note_fts (text, note_id, conversation_id) "
        "VALUES (new.text, new.id, new.conversation_id); END"
    )


def downgrade() -> None:
    for trigger in ("note_fts_insert", "note_fts_delete", "note_fts_update"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE note_fts")
    op.execute("DROP TABLE message_fts_terms")
