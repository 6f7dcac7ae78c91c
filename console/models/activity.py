"""The Activity log: one replayable line per operation on the workspace.

Every layer that changes a conversation, a person or an account writes here
(services, the sender, ingest, the demo); team mode will push these lines.
It lives in the bottom layer on its own so that writing a line does not mean
importing the ingest rules.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from console.models.types import new_id, now_ms


def record_activity(
    conn: Connection,
    actor_id: str | None,
    conversation_id: str | None,
    op: str,
    payload: dict[str, Any],
) -> str:
    """Append one replayable operation (team mode pushes these)."""
    op_id = new_id()
    conn.exec_driver_sql(
        "INSERT INTO activities (id, actor_id, conversation_id, op, payload, at, pushed) "
        "VALUES (?, ?, ?, ?, ?, ?, 0)",
        (op_id, actor_id, conversation_id, op, json.dumps(payload), now_ms()),
    )
    return op_id
