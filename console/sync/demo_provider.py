"""The demo workspace's network: sends are delivered locally.

It plugs into the same outbox sender as real networks, so the demo shows
the real states (queued -> sending -> sent). Delivery is derived from the
item's key, which makes it idempotent like a real server with an
Idempotency-Key: the same key always yields the same remote id. Nothing
leaves the machine; the raw payload says so ({"demo": true}).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from console.models.types import utcnow
from console.sync.base import (
    ContactRecord,
    Direction,
    FetchResult,
    LengthRule,
    Limits,
    MessageRecord,
    Provider,
    ReplyRequest,
    SentReply,
)
from console.sync.networks import find


class DemoProvider(Provider):
    network = "demo"

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        return FetchResult(cursors=dict(cursors))

    def _remote_id(self, key: str) -> str:
        return "demo-sent:" + hashlib.sha256(key.encode()).hexdigest()[:16]

    def send(self, reply: ReplyRequest) -> SentReply:
        remote_id = self._remote_id(reply.key)
        me = ContactRecord(
            network=self.account.network,
            remote_id=self.account.handle,
            handle=self.account.handle,
            name=str(self.account.settings.get("display_name") or self.account.handle),
        )
        message = MessageRecord(
            remote_id=remote_id,
            thread_key=reply.thread_key,
            kind=reply.kind,
            direction=Direction.OUT,
            author=me,
            sent_at=utcnow(),
            text=reply.body,
            in_reply_to=reply.in_reply_to,
            visibility=reply.visibility,
            raw={"demo": True},
        )
        return SentReply(remote_id=remote_id, message=message)

    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        # Local delivery never half-fails: an attempt that started completed.
        return SentReply(remote_id=self._remote_id(reply.key))

    def limits(self) -> Limits:
        found = find(self.account.network)  # the network's own default rule
        return found.default_limits if found is not None else Limits(None, LengthRule.NONE)
