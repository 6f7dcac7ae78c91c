"""The Mastodon parser from recorded answers (tests/fixtures/mastodon/, made
by tests/record_fixtures.py from mastodon-mock): no server needed.

The fixtures: bob mentions alice, alice answers, bob answers again in the
thread, and carol writes alice a direct message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from console.sync.base import BadRecord, Direction, Kind, LengthRule
from console.sync.mastodon import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mastodon"
DOMAIN = "mock.local"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def me() -> str:
    return str(load("verify_credentials")["id"])


def test_a_public_mention_becomes_an_inbound_message() -> None:
    notes = load("notifications")
    first = next(n for n in notes if n["status"]["visibility"] == "public")
    status = first["status"]
    message = parse.status_message(status, "k", Kind.PUBLIC, me=me(), domain=DOMAIN)
    assert message.remote_id == str(status["id"])
    assert message.direction == Direction.IN
    assert message.author.handle == "bob@mock.local"  # local accounts get the domain
    assert message.author.remote_id == "bob@mock.local"
    assert message.text.startswith("@alice ")
    assert "<p>" not in message.text and message.html is not None
    assert message.mentions == ["alice@mock.local"]
    assert message.visibility == "public"
    assert message.url == status["url"]
    assert message.sent_at.tzinfo is not None


def test_our_own_reply_in_the_thread_is_outbound_and_answers_the_mention() -> None:
    context = load("context")
    ours = next(s for s in context["descendants"] if s["account"]["acct"] == "alice")
    message = parse.status_message(ours, "k", Kind.PUBLIC, me=me(), domain=DOMAIN)
    assert message.direction == Direction.OUT
    assert message.in_reply_to == str(ours["in_reply_to_id"])
    assert parse.thread_key(ours) == ours["uri"]


def test_notifications_give_their_id_and_a_bounded_time() -> None:
    for note in load("notifications"):
        assert parse.note_id(note) == str(note["id"])
        when = parse.note_time(note)
        assert when is not None and when.year >= 2020
    assert parse.note_id({"type": "mention"}) is None
    assert parse.note_time("not a notification") is None


def test_a_direct_conversation_is_keyed_by_who_takes_part() -> None:
    [conversation] = load("conversations")
    key = parse.dm_key(conversation["accounts"], "alice@mock.local", DOMAIN)
    assert key == "dm:carol@mock.local"
    last = conversation["last_status"]
    message = parse.status_message(last, key, Kind.DIRECT, me=me(), domain=DOMAIN)
    assert message.kind == Kind.DIRECT and message.visibility == "direct"
    assert message.author.handle == "carol@mock.local"


def test_the_instance_announces_its_limit() -> None:
    limits = parse.instance_limits(load("instance_v2"))
    assert limits.max_length == 500 and limits.url_length == 23
    assert limits.rule == LengthRule.CHARACTERS
    hostile = {"configuration": {"statuses": {"max_characters": "1e999"}}}
    assert parse.instance_limits(hostile).max_length == 500
    with pytest.raises(AttributeError):
        parse.instance_limits(["not", "an", "instance"])


def test_a_status_without_its_account_is_a_bad_record() -> None:
    status = dict(load("notifications")[0]["status"])
    del status["account"]
    with pytest.raises(BadRecord):
        parse.status_message(status, "k", Kind.PUBLIC, me=me(), domain=DOMAIN)


def test_text_compares_without_mentions_case_or_spacing() -> None:
    assert parse.comparable("@bob  Je REGARDE\n tout") == "je regarde tout"
