"""A provider for engine and outbox tests, shaped like the real contract.

Its "server" is a JSON file, so several processes can share it: sends are
appended there with their key, exactly as a server would store posts. A
script of faults makes send() fail the way real networks do: refuse the
connection before sending (offline), or time out AFTER storing the post
(the dropped-response case that must never cause a second post).
"""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from console.sync.base import (
    AccountInfo,
    ContactRecord,
    Direction,
    FetchResult,
    Kind,
    LengthRule,
    Limits,
    MessageRecord,
    Provider,
    ReplyRequest,
    SendOutcomeUnknown,
    SentReply,
    TransientError,
)


class FakeServer:
    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            path.write_text(json.dumps({"posts": [], "faults": [], "inbox": []}))

    def _update(self, fn: Any) -> Any:
        with self.path.open("r+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            data = json.load(fh)
            result = fn(data)
            fh.seek(0)
            fh.truncate()
            json.dump(data, fh)
            return result

    def read(self) -> dict[str, Any]:
        return json.loads(self.path.read_text())

    def add_faults(self, *faults: str) -> None:
        self._update(lambda d: d["faults"].extend(faults))

    def add_inbox(self, *items: dict[str, Any]) -> None:
        self._update(lambda d: d["inbox"].extend(items))

    def posts(self) -> list[dict[str, Any]]:
        return list(self.read()["posts"])


class FakeProvider(Provider):
    network = "mastodon"

    def __init__(
        self, account: AccountInfo, secret: str | None, server: FakeServer, delay: float = 0.0
    ) -> None:
        super().__init__(account, secret)
        self.server = server
        self.delay = delay

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        position = int(cursors.get("position", 0))
        inbox = self.server.read()["inbox"]
        page = inbox[position : position + 5]
        messages = [
            MessageRecord(
                remote_id=item["id"],
                thread_key=item["thread"],
                kind=Kind.PUBLIC,
                direction=Direction.IN,
                author=ContactRecord("mastodon", item["author"], item["author"], item["author"]),
                sent_at=datetime.fromtimestamp(item["at"], UTC),
                text=item["text"],
            )
            for item in page
        ]
        return FetchResult(
            messages=messages,
            cursors={"position": position + len(page)},
            more=position + len(page) < len(inbox),
        )

    def send(self, reply: ReplyRequest) -> SentReply:
        time.sleep(self.delay)

        def act(data: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
            data.setdefault("calls", []).append(reply.key)
            fault = data["faults"].pop(0) if data["faults"] else None
            if fault == "refuse":
                return fault, None
            existing = next((p for p in data["posts"] if p["key"] == reply.key), None)
            if existing is None:  # Idempotency-Key: the same key never posts twice
                existing = {
                    "id": f"s{len(data['posts']) + 1}",
                    "key": reply.key,
                    "text": reply.body,
                    "in_reply_to": reply.in_reply_to,
                }
                data["posts"].append(existing)
            return fault, existing

        fault, post = self.server._update(act)
        if fault == "refuse":
            raise TransientError("Connection refused.")
        assert post is not None
        if fault == "drop":
            raise SendOutcomeUnknown("The connection dropped before the server answered.")
        return SentReply(remote_id=post["id"])

    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        for post in self.server.posts():
            if post["key"] == reply.key:
                return SentReply(remote_id=post["id"])
        return None

    def limits(self) -> Limits:
        return Limits(500, LengthRule.CHARACTERS, url_length=23)
