"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 12:03:11.413417
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("handle", sa.String(length=320), nullable=False),
        sa.Column("server", sa.String(length=500), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("remote_id", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_message", sa.Text(), nullable=True),
        sa.Column("cursors", sa.Text(), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("poll_interval", sa.Integer(), nullable=False),
        sa.Column("history_days", sa.Integer(), nullable=True),
        sa.Column("initial_sync_done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("last_sync_at", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("network", "server", "handle", name="uq_account_handle"),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("op", sa.String(length=30), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("at", sa.Integer(), nullable=False),
        sa.Column("pushed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activities_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "conversation_redirects",
        sa.Column("old_id", sa.String(length=36), nullable=False),
        sa.Column("new_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("old_id"),
    )
    with op.batch_alter_table("conversation_redirects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_redirects_new_id"), ["new_id"], unique=False
        )

    op.create_table(
        "persons",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "saved_replies",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("color", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "team_members",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("is_me", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("network", sa.String(length=20), nullable=False),
        sa.Column("remote_id", sa.String(length=500), nullable=False),
        sa.Column("handle", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("avatar_url", sa.Text(), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("network", "remote_id", name="uq_contact_remote"),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_person_id"), ["person_id"], unique=False)

    op.create_table(
        "conversations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("remote_key", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("snoozed_until", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.String(length=36), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("preview", sa.Text(), nullable=False),
        sa.Column("first_inbound_at", sa.Integer(), nullable=True),
        sa.Column("last_inbound_at", sa.Integer(), nullable=True),
        sa.Column("last_outbound_at", sa.Integer(), nullable=True),
        sa.Column("last_activity_at", sa.Integer(), nullable=True),
        sa.Column("waiting_since", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.Integer(), nullable=True),
        sa.Column("sort_wait", sa.Integer(), nullable=False),
        sa.Column("unread", sa.Boolean(), nullable=False),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["assignee_id"], ["team_members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "remote_key", name="uq_conversation_key"),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index("ix_conv_assignee", ["assignee_id"], unique=False)
        batch_op.create_index("ix_conv_snooze", ["status", "snoozed_until"], unique=False)
        batch_op.create_index(
            "ix_conv_status_activity", ["status", "last_activity_at", "id"], unique=False
        )
        batch_op.create_index("ix_conv_status_wait", ["status", "sort_wait", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conversations_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "conversation_aliases",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("remote_key", sa.String(length=1000), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "remote_key"),
    )
    with op.batch_alter_table("conversation_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_aliases_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "conversation_tags",
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("tag_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("conversation_id", "tag_id"),
    )
    with op.batch_alter_table("conversation_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "drafts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("in_reply_to_message_id", sa.String(length=36), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["team_members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", "author_id", name="uq_draft_author"),
    )
    op.create_table(
        "messages",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("remote_id", sa.String(length=1000), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("author_contact_id", sa.String(length=36), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("author_handle", sa.String(length=320), nullable=False),
        sa.Column("sent_at", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("in_reply_to", sa.String(length=1000), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=True),
        sa.Column("attachments", sa.Text(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("edited_at", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_contact_id"], ["contacts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("account_id", "remote_id", name="uq_message_remote"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_message_conv_time", ["conversation_id", "sent_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_messages_author_contact_id"), ["author_contact_id"], unique=False
        )

    op.create_table(
        "notes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("mentions", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["team_members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notes_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("in_reply_to_remote_id", sa.String(length=1000), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=True),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("remote_id", sa.String(length=1000), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("first_attempt_at", sa.Integer(), nullable=True),
        sa.Column("next_attempt_at", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["team_members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index("ix_outbox_state", ["state", "created_at"], unique=False)

    op.create_table(
        "message_locations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("folder", sa.String(length=500), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "folder", "uidvalidity", "uid", name="uq_location"),
    )
    with op.batch_alter_table("message_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_locations_message_id"), ["message_id"], unique=False
        )

    # An expression index Alembic cannot autogenerate: priority sort.
    op.execute(
        "CREATE INDEX ix_conv_status_priority ON conversations "
        "(status, priority DESC, sort_wait, id)"
    )
    # Full-text search over message text, subjects and contact names. A
    # regular (content-owning) FTS5 table: SQLite 3.40 has no
    # contentless_delete, and erasure must be able to delete rows.
    op.execute(
        "CREATE VIRTUAL TABLE message_fts USING fts5("
        "text, subject, names, tokenize = 'unicode61 remove_diacritics 2')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE message_fts")
    op.execute("DROP INDEX ix_conv_status_priority")
    with op.batch_alter_table("message_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_locations_message_id"))

    op.drop_table("message_locations")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state")
        batch_op.drop_index(batch_op.f("ix_outbox_conversation_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_conversation_id"))

    op.drop_table("notes")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_author_contact_id"))
        batch_op.drop_index("ix_message_conv_time")

    op.drop_table("messages")
    op.drop_table("drafts")
    with op.batch_alter_table("conversation_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_tags_tag_id"))

    op.drop_table("conversation_tags")
    with op.batch_alter_table("conversation_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_aliases_conversation_id"))

    op.drop_table("conversation_aliases")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversations_contact_id"))
        batch_op.drop_index("ix_conv_status_wait")
        batch_op.drop_index("ix_conv_status_activity")
        batch_op.drop_index("ix_conv_snooze")
        batch_op.drop_index("ix_conv_assignee")

    op.drop_table("conversations")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_person_id"))
        batch_op.drop_index(batch_op.f("ix_contacts_email"))

    op.drop_table("contacts")
    op.drop_table("team_members")
    op.drop_table("tags")
    op.drop_table("settings")
    op.drop_table("saved_replies")
    op.drop_table("persons")
    with op.batch_alter_table("conversation_redirects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_redirects_new_id"))

    op.drop_table("conversation_redirects")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_conversation_id"))

    op.drop_table("activities")
    op.drop_table("accounts")
