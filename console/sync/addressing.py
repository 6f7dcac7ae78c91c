"""The facts about a thread that decide whom a reply reaches.

The providers address a reply from facts about the thread (the message
answered, its author, everyone it mentioned, an e-mail's Reply-To), which
the outbox and the composer gather into ``ReplyRequest.extra`` /
``ReplyFacts.extra`` (:func:`thread_extra`). How each network turns them
into recipients and outgoing text is its own (console/sync/<net>/addressing.py,
called by its spec's ``recipients``/``outgoing`` and by its send), so what is
shown is what is sent.

Light on purpose (no HTTP library): ``parloir show`` imports it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session


def thread_extra(
    session: Session, account_id: str, subject: str | None, in_reply_to_remote_id: str | None
) -> dict[str, Any]:
    """Facts about the thread a provider may need: subject, the message
    answered and its author, everyone mentioned in it, its Reply-To."""
    extra: dict[str, Any] = {"subject": subject}
    if in_reply_to_remote_id:
        row = (
            session.connection()
            .exec_driver_sql(
                "SELECT author_handle, subject, raw, visibility FROM messages "
                "WHERE account_id = ? AND remote_id = ?",
                (account_id, in_reply_to_remote_id),
            )
            .first()
        )
        if row is not None:
            extra["reply_to_handle"] = row[0]
            extra["reply_to_subject"] = row[1]
            extra["reply_to_visibility"] = row[3]
            extra["reply_to_mentions"] = _raw_mentions(row[2])
            extra.update(_raw_mail_headers(row[2]))
    return extra


def _raw_dict(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def _raw_mail_headers(raw: Any) -> dict[str, Any]:
    """E-mail: the answered message's Reply-To and References, as the
    provider kept them in ``raw`` (for To and References of the reply)."""
    data = _raw_dict(raw)
    out: dict[str, Any] = {}
    if isinstance(data.get("reply_to"), list):
        out["reply_to_reply_to"] = [str(a) for a in data["reply_to"]]
    if isinstance(data.get("references"), list):
        out["reply_to_references"] = [str(r) for r in data["references"]]
    return out


def _raw_mentions(raw: Any) -> list[str]:
    """The handles a message mentioned, as its provider kept them in ``raw``."""
    mentions = _raw_dict(raw).get("mentions")
    return [str(m) for m in mentions] if isinstance(mentions, list) else []
