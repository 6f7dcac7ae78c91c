"""A chat.bsky.convo service shaped like its lexicons, reached through the
real PDS proxy (no open-source chat server exists).

Plugged into the local network's chat endpoint (``bluesky.chat_handler``).
State: conversations with members and messages; every change appends to a
log whose revs sort as strings. Faults can be queued per method; a message
kind no version knows and a malformed message can be mixed in, as the real
service may send them.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.helpers.bluesky_network import ChatRequest

DEFS = "chat.bsky.convo.defs"


def _caller(request: ChatRequest) -> str:
    """The DID in the PDS's service-auth token (``iss``)."""
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return str(claims.get("iss", "")).split("#")[0]
    except (IndexError, ValueError):
        return ""


@dataclass
class FakeChat:
    profiles: dict[str, dict[str, Any]]  # did -> profileViewBasic
    convos: dict[str, list[str]] = field(default_factory=dict)  # id -> member dids
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # id -> oldest first
    log: list[dict[str, Any]] = field(default_factory=list)
    faults: list[tuple[str, int]] = field(default_factory=list)  # (nsid, status) to answer once
    lost_answers: set[str] = field(default_factory=set)  # nsids: do it, then answer 500
    sent: list[dict[str, Any]] = field(default_factory=list)
    rev: int = 0
    page_cap: int = 100  # the service may answer fewer than asked

    def _rev(self) -> str:
        self.rev += 1
        return f"{self.rev:016d}"

    def convo(self, convo_id: str, *dids: str) -> None:
        self.convos[convo_id] = list(dids)
        self.messages[convo_id] = []
        self.log.append({"$type": f"{DEFS}#logBeginConvo", "rev": self._rev(), "convoId": convo_id})

    def say(self, convo_id: str, sender: str, text: str, **extra: Any) -> dict[str, Any]:
        message = {
            "$type": f"{DEFS}#messageView",
            "id": f"m{self.rev + 1}",
            "rev": self._rev(),
            "text": text,
            "sender": {"did": sender},
            "sentAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            **extra,
        }
        self.messages[convo_id].append(message)
        self.log.append(
            {"$type": f"{DEFS}#logCreateMessage", "rev": message["rev"], "convoId": convo_id,
             "message": message}
        )  # fmt: skip
        return message

    def add_raw(self, convo_id: str, item: dict[str, Any]) -> None:
        """An item as is (an unknown union member, a malformed message)."""
        item = {**item, "rev": self._rev()}
        self.messages[convo_id].append(item)
        self.log.append(
            {"$type": f"{DEFS}#logCreateMessage", "rev": item["rev"], "convoId": convo_id,
             "message": item}
        )  # fmt: skip

    def _view(self, convo_id: str) -> dict[str, Any]:
        msgs = self.messages[convo_id]
        return {
            "id": convo_id,
            "rev": msgs[-1]["rev"] if msgs else "0",
            "members": [self.profiles[d] for d in self.convos[convo_id]],
            "lastMessage": msgs[-1] if msgs else None,
            "muted": False,
            "unreadCount": 0,
        }

    def handle(self, request: ChatRequest) -> tuple[int, Any]:
        nsid = request.nsid.removeprefix("chat.bsky.convo.")
        for n, (name, status) in enumerate(self.faults):
            if name == nsid:
                del self.faults[n]
                error = "RateLimitExceeded" if status == 429 else "InternalServerError"
                return status, {"error": error, "message": "fault injected"}
        query = {k: v[0] for k, v in request.query.items()}
        if nsid == "listConvos":
            ordered = sorted(self.convos, key=lambda c: self._view(c)["rev"], reverse=True)
            start = int(query.get("cursor") or 0)
            limit = int(query.get("limit") or 50)
            page = ordered[start : start + limit]
            body: dict[str, Any] = {"convos": [self._view(c) for c in page]}
            if start + limit < len(ordered):
                body["cursor"] = str(start + limit)
            return 200, body
        if nsid == "getConvo":
            return 200, {"convo": self._view(query["convoId"])}
        if nsid == "getMessages":
            newest_first = list(reversed(self.messages[query["convoId"]]))
            start = int(query.get("cursor") or 0)
            limit = min(int(query.get("limit") or 50), self.page_cap)
            body = {"messages": newest_first[start : start + limit]}
            if start + limit < len(newest_first):
                body["cursor"] = str(start + limit)
            return 200, body
        if nsid == "getLog":
            after = query.get("cursor") or ""
            logs = [e for e in self.log if e["rev"] > after][:50]
            return 200, {"logs": logs, "cursor": logs[-1]["rev"] if logs else after}
        if nsid == "sendMessage":
            data = request.json()
            message = self.say(data["convoId"], _caller(request), data["message"]["text"])
            self.sent.append(message)
            if "sendMessage" in self.lost_answers:
                self.lost_answers.discard("sendMessage")
                return 500, {"error": "InternalServerError", "message": "answer lost"}
            return 200, message
        return 501, {"error": "MethodNotImplemented", "message": nsid}
