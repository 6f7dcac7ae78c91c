"""Sending a Bluesky reply once, and finding one that may have gone.

A post is created with the outbox key as its record key (a TID chosen
before the first attempt), so a lookup of that rkey says whether it went:
a resend after the lookup is safe. A direct message has no such key
(sendMessage): it is looked up by its text among our latest messages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from console.sync.base import Kind, ReplyRequest, SendRejected, SentReply, TransientError
from console.sync.bluesky.client import ClientError
from console.sync.bluesky.parse import POST, web_url
from console.sync.richtext import MAX_BYTES, MAX_GRAPHEMES, facets, graphemes

if TYPE_CHECKING:
    from console.sync.bluesky.provider import BlueskyProvider


def parent_refs(provider: BlueskyProvider, reply: ReplyRequest) -> dict[str, Any] | None:
    if not reply.in_reply_to:
        return None
    data = provider._call("GET", "app.bsky.feed.getPosts", params={"uris": reply.in_reply_to})
    posts = data.get("posts") if isinstance(data, dict) else None
    if not isinstance(posts, list) or not posts:
        raise SendRejected("The post answered no longer exists.")
    parent = posts[0]
    parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
    root = ((parent.get("record") or {}).get("reply") or {}).get("root") or parent_ref
    return {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent_ref}


def send_dm(provider: BlueskyProvider, reply: ReplyRequest) -> SentReply:
    convo_id = reply.thread_key.removeprefix("convo:")
    message: dict[str, Any] = {"text": reply.body}
    found = facets(reply.body, provider._resolve)
    if found:
        message["facets"] = found
    try:
        data = provider._call(
            "POST",
            "chat.bsky.convo.sendMessage",
            body={"convoId": convo_id, "message": message},
            chat=True,
            sending=True,
        )
    except ClientError as exc:
        raise SendRejected(f"Bluesky refused the message: {exc.message or exc.error}.") from exc
    return SentReply(remote_id=f"chat:{convo_id}:{data.get('id')}")


def send(provider: BlueskyProvider, reply: ReplyRequest) -> SentReply:
    if reply.kind == Kind.DIRECT:
        return send_dm(provider, reply)
    text = reply.body
    if graphemes(text) > MAX_GRAPHEMES or len(text.encode("utf-8")) > MAX_BYTES:
        raise SendRejected("The reply is longer than Bluesky allows (300 characters).")
    record: dict[str, Any] = {
        "$type": POST,
        "text": text,
        "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    refs = parent_refs(provider, reply)
    if refs:
        record["reply"] = refs
    found = facets(text, provider._resolve)
    if found:
        record["facets"] = found
    lang = reply.extra.get("lang")
    if lang:
        record["langs"] = [str(lang)]
    body = {"repo": provider.did, "collection": POST, "rkey": reply.key, "record": record}
    try:
        data = provider._call("POST", "com.atproto.repo.createRecord", body=body, sending=True)
    except ClientError as exc:
        raise SendRejected(f"{provider.pds} refused the post: {exc.message or exc.error}.") from exc
    uri = str(data.get("uri"))
    return SentReply(remote_id=uri, url=web_url(uri, str(provider.session.get("handle") or "")))


def find_sent(provider: BlueskyProvider, reply: ReplyRequest) -> SentReply | None:
    """A post: the record under our rkey. A DM: our latest messages in
    the conversation, one with this very text."""
    if reply.kind == Kind.DIRECT:
        convo_id = reply.thread_key.removeprefix("convo:")
        page = provider._call(
            "GET",
            "chat.bsky.convo.getMessages",
            params={"convoId": convo_id, "limit": 50},
            chat=True,
        )
        for item in page.get("messages") or [] if isinstance(page, dict) else []:
            if (
                isinstance(item, dict)
                and (item.get("sender") or {}).get("did") == provider.did
                and item.get("text") == reply.body
            ):
                return SentReply(remote_id=f"chat:{convo_id}:{item.get('id')}")
        return None
    try:
        data = provider._call(
            "GET",
            "com.atproto.repo.getRecord",
            params={"repo": provider.did, "collection": POST, "rkey": reply.key},
        )
    except ClientError as exc:
        if exc.error in ("RecordNotFound", "NotFound") or exc.status == 404:
            return None
        raise TransientError(f"{provider.pds}: {exc.message or exc.error}.") from exc
    uri = str(data.get("uri"))
    return SentReply(remote_id=uri, url=web_url(uri, str(provider.session.get("handle") or "")))
