"""The Bluesky parser from recorded answers (tests/fixtures/bluesky/, made by
tests/record_fixtures.py from the test network's PDS and AppView): no
server needed.

The fixtures: we ("parloir.test") posted the root; alice mentioned us,
bob replied to our root, alice quoted it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from console.sync.base import BadRecord, Direction, Kind
from console.sync.bluesky import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bluesky"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def our_did() -> str:
    return str(load("session")["did"])


def test_notifications_are_the_reasons_we_read_with_sane_stamps() -> None:
    notes = load("notifications")["notifications"]
    assert {n["reason"] for n in notes} == {"mention", "reply", "quote"}
    for note in notes:
        assert parse.stamp(note["indexedAt"]) == note["indexedAt"]
    assert parse.stamp("9999-12-31T23:59:59Z") == ""  # would hide every later one
    assert parse.stamp(12) == ""


def test_a_reply_to_our_post_is_keyed_by_the_root_and_holds_both_posts() -> None:
    posts = load("posts")
    thread = load("thread_reply")["thread"]
    found, key = parse.thread_posts(thread, posts["reply"]["uri"])
    assert key == posts["root"]["uri"]
    assert [p["uri"] for p in found] == [posts["root"]["uri"], posts["reply"]["uri"]]
    ours, theirs = (parse.post_message(p, key, our_did()) for p in found)
    assert ours.direction == Direction.OUT and theirs.direction == Direction.IN
    assert theirs.author.handle == "bob.test" and theirs.author.remote_id.startswith("did:")
    assert theirs.in_reply_to == posts["root"]["uri"]
    assert theirs.kind == Kind.PUBLIC
    assert theirs.url is not None and theirs.url.startswith("https://bsky.app/profile/bob.test/")
    assert theirs.raw is not None and theirs.raw["cid"] == posts["reply"]["cid"]


def test_a_mention_without_parent_is_its_own_thread() -> None:
    posts = load("posts")
    thread = load("thread_mention")["thread"]
    found, key = parse.thread_posts(thread, posts["mention"]["uri"])
    assert key == posts["mention"]["uri"]
    [message] = [parse.post_message(p, key, our_did()) for p in found]
    assert message.direction == Direction.IN
    assert "parloir.test" in message.text
    assert message.sent_at.tzinfo is not None


def test_a_post_without_its_author_is_a_bad_record() -> None:
    post = dict(load("thread_quote")["thread"]["post"])
    del post["author"]
    with pytest.raises(BadRecord):
        parse.post_message(post, "k", our_did())


def test_a_chat_message_takes_its_sender_from_the_members() -> None:
    """The test network has no chat service, so there is nothing to record:
    this is the messageView shape tests/helpers/fake_chat.py serves (and
    test_bluesky.py syncs), the sender's profile from the conversation."""
    members = {"did:plc:bob": {"did": "did:plc:bob", "handle": "bob.test", "displayName": "Bob"}}
    item = {
        "$type": parse.MESSAGE_VIEW,
        "id": "m1",
        "rev": "r1",
        "text": "Bonjour",
        "sender": {"did": "did:plc:bob"},
        "sentAt": "2026-11-30T10:00:00Z",
    }
    message = parse.chat_message("c1", item, lambda: members, our_did())
    assert message.remote_id == "chat:c1:m1" and message.thread_key == "convo:c1"
    assert message.kind == Kind.DIRECT and message.direction == Direction.IN
    assert message.author.name == "Bob"
    asked: list[bool] = []

    def look_up() -> dict[str, Any]:
        asked.append(True)
        return {}

    with pytest.raises(KeyError):
        parse.chat_message("c1", {"id": "m2"}, look_up, our_did())
    assert not asked  # no sender: the members are never looked up


def test_web_urls_and_rkeys() -> None:
    uri = load("posts")["root"]["uri"]
    assert parse.rkey_of(uri) == uri.rsplit("/", 1)[1]
    assert parse.web_url(uri, "parloir.test") == (
        f"https://bsky.app/profile/parloir.test/post/{parse.rkey_of(uri)}"
    )
    assert parse.web_url("at://did:plc:x/app.bsky.feed.like/abc", "x") is None
