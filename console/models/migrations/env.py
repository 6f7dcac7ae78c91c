"""Alembic environment: migrations run on the connection the app hands in
(console.models.db.migrate), never on a URL from an ini file."""

from __future__ import annotations

from alembic import context

from console.models.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies tables
)
context.run_migrations()
