"""a log of what each write changed, for other processes' windows

Every write through the writer appends one row naming what it changed (the
ChangeSet as JSON) and which writer made it. A window notices another
process's commit by SQLite's data_version, then reads the rows after the
last one it saw to refresh exactly those conversations
(console/models/db.py, ``Cache.foreign_changes``). The writer keeps only the
newest rows (console/models/writer.py, ``CHANGE_LOG_KEEP``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("change_log")
