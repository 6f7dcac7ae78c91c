"""index messages by the message they answer

E-mail threads by In-Reply-To/References: when a parent arrives after its
replies, ingest finds the replies by ``in_reply_to`` (console/models/ingest/email_threads.py,
``thread_by_parents``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 02:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_message_reply", "messages", ["account_id", "in_reply_to"])


def downgrade() -> None:
    op.drop_index("ix_message_reply", table_name="messages")
