"""Bluesky JSON in, records out: pure functions, no XRPC.

Every answer is read as plain JSON with ``.get``; union members this
version does not know (``$type``) are skipped, never an error (docs/bluesky.md).
Tested from recorded PDS answers (tests/fixtures/bluesky/,
tests/test_bluesky_parse.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from console.models.timebounds import bound_and_keep, bound_remote_time, parse_remote_time
from console.sync.base import BadRecord, ContactRecord, Direction, Kind, MessageRecord, Tombstone

POST = "app.bsky.feed.post"
MESSAGE_VIEW = "chat.bsky.convo.defs#messageView"
DELETED_VIEW = "chat.bsky.convo.defs#deletedMessageView"
LOG_CREATE = "chat.bsky.convo.defs#logCreateMessage"
LOG_DELETE = "chat.bsky.convo.defs#logDeleteMessage"


def rkey_of(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def contact(author: Mapping[str, Any]) -> ContactRecord:
    did = str(author["did"])
    handle = str(author.get("handle") or did)
    return ContactRecord(
        network="bluesky",
        remote_id=did,
        handle=handle,
        name=str(author.get("displayName") or handle),
        avatar_url=author.get("avatar") if isinstance(author.get("avatar"), str) else None,
    )


def post_message(post: Mapping[str, Any], key: str, own_did: str) -> MessageRecord:
    """A post view as a message of thread ``key``; our DID's posts are outbound."""
    try:
        author = post["author"]
        record = post.get("record") or {}
        text = str(record.get("text") or "")
        reply = record.get("reply") or {}
        parent = (reply.get("parent") or {}).get("uri")
        raw: dict[str, Any] = {
            "cid": post.get("cid"),
            "root": (reply.get("root") or {}).get("uri"),
        }
        # The sender chooses createdAt: bounded (console/models/timebounds.py).
        sent_at = bound_and_keep(
            record.get("createdAt") or post.get("indexedAt"), None, raw, "createdAt"
        )
        return MessageRecord(
            remote_id=str(post["uri"]),
            thread_key=key,
            kind=Kind.PUBLIC,
            direction=Direction.OUT if author.get("did") == own_did else Direction.IN,
            author=contact(author),
            sent_at=sent_at,
            text=text,
            url=web_url(str(post["uri"]), str(author.get("handle") or author.get("did"))),
            in_reply_to=str(parent) if parent else None,
            raw=raw,
            mentions=[],
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise BadRecord(f"malformed post: {exc!r}", str(post.get("uri"))) from exc


def chat_message(
    convo_id: str,
    item: Mapping[str, Any],
    members: Callable[[], Mapping[str, Any]],
    own_did: str,
) -> MessageRecord:
    """A chat messageView as a direct message of ``convo:<id>``; the sender's
    profile comes from the conversation's members (asked for only once the
    message has a sender)."""
    sender = str(item["sender"]["did"])
    profile = members().get(sender) or {"did": sender, "handle": sender}
    raw: dict[str, Any] = {"convo": convo_id, "rev": item.get("rev")}
    sent_at = bound_and_keep(item.get("sentAt"), None, raw, "sentAt")
    return MessageRecord(
        remote_id=f"chat:{convo_id}:{item['id']}",
        thread_key=f"convo:{convo_id}",
        kind=Kind.DIRECT,
        direction=Direction.OUT if sender == own_did else Direction.IN,
        author=contact(profile),
        sent_at=sent_at,
        text=str(item.get("text") or ""),
        raw=raw,
    )


def chat_tombstone(convo_id: str, message_id: Any) -> Tombstone:
    return Tombstone(f"chat:{convo_id}:{message_id}")


def thread_posts(thread: Mapping[str, Any], uri: str) -> tuple[list[Mapping[str, Any]], str]:
    """The posts of a getPostThread answer (ancestors, the post, replies
    breadth first) and the thread's key: the root's AT-URI."""
    chain: list[Mapping[str, Any]] = []
    node: Any = thread.get("parent")
    while isinstance(node, dict) and isinstance(node.get("post"), dict):
        chain.append(node["post"])
        node = node.get("parent")
    chain.reverse()
    posts = [*chain, thread["post"]]
    replies: list[Any] = as_list(thread.get("replies"))
    while replies:
        reply = replies.pop(0)
        if isinstance(reply, dict) and isinstance(reply.get("post"), dict):
            posts.append(reply["post"])
            replies.extend(as_list(reply.get("replies")))
    root_ref = dig(thread["post"], "record", "reply", "root")
    first = chain[0] if chain else thread["post"]
    return posts, str(root_ref.get("uri") or first.get("uri") or uri)


def members_of(convo: Mapping[str, Any]) -> dict[str, Any]:
    return {
        str(m["did"]): m
        for m in as_list(convo.get("members"))
        if isinstance(m, dict) and m.get("did")
    }


def as_list(value: Any) -> list[Any]:
    """A payload's list, or an empty one when the server sent anything else."""
    return list(value) if isinstance(value, list) else []


def dig(value: Any, *keys: str) -> dict[str, Any]:
    """``value[k1][k2]...`` when every step is an object, else ``{}``."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def stamp(value: Any) -> str:
    """A notification's indexedAt as the cursor compares it (text order),
    or "" when it is not a sane in-bounds time: a year-9999 stamp kept as
    the "seen" cursor would hide every later notification for ever."""
    if not isinstance(value, str) or not value:
        return ""
    parsed = parse_remote_time(value)
    return value if parsed is not None and bound_remote_time(parsed) == parsed else ""


def web_url(uri: str, handle: str) -> str | None:
    """at://did/app.bsky.feed.post/rkey -> the post's page on bsky.app."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) == 3 and parts[1] == POST:
        return f"https://bsky.app/profile/{handle or parts[0]}/post/{parts[2]}"
    return None
