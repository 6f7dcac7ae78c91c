"""Times chosen by a sender never reach the cache out of bounds.

Each provider's parse is fed recorded-shaped payloads dated year 9999,
year 1, before 1970 and garbage: the message is kept, dated the time it was
received, the original is in its raw payload, and the queue and ``show``
list it. Ingest clamps too, whatever a provider hands it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from console.models.timebounds import in_bounds_ms
from console.models.types import to_ms
from console.services import queue
from console.services.conversation import detail_json
from console.services.queue import QueueFilter
from console.sync.base import AccountInfo, MessageRecord
from console.sync.bluesky.provider import BlueskyProvider
from console.sync.email.parse import parse
from console.sync.email.provider import EmailProvider
from console.sync.mastodon.provider import MastodonProvider
from tests.helpers.factories import add_account, msg, put

BAD_ISO = [
    "9999-12-31T23:59:59.999Z",
    "0001-01-01T00:00:00.000Z",
    "0001-01-01T00:00:00+14:00",
    "1969-07-20T20:17:00Z",
    "2026-13-45T99:99:99Z",
    "yesterday",
    "",
    None,
    12345,
]


def _near_now(when: datetime) -> bool:
    return abs(when - datetime.now(UTC)) < timedelta(minutes=5)


# -- Mastodon ---------------------------------------------------------------------


def _mastodon() -> MastodonProvider:
    info = AccountInfo(
        id="a",
        network="mastodon",
        handle="alice@mock.local",
        server="https://mock.local",
        settings={"remote_id": "1", "domain": "mock.local"},
    )
    return MastodonProvider(info, "token")


def _status(created_at: Any, **extra: Any) -> dict[str, Any]:
    """A status shaped like GET /api/v1/statuses/:id answers."""
    return {
        "id": "109",
        "uri": "https://x.example/users/eve/statuses/109",
        "url": "https://x.example/@eve/109",
        "created_at": created_at,
        "edited_at": None,
        "visibility": "public",
        "in_reply_to_id": None,
        "content": "<p>@alice hello</p>",
        "account": {"id": "2", "acct": "eve@x.example", "display_name": "Eve"},
        "mentions": [{"id": "1", "acct": "alice", "username": "alice"}],
        **extra,
    }


@pytest.mark.parametrize("value", BAD_ISO)
def test_mastodon_created_at_out_of_bounds_is_the_received_time(value: Any) -> None:
    from console.sync.base import Kind

    record = _mastodon()._message(_status(value), "k", Kind.PUBLIC)
    assert _near_now(record.sent_at)
    if value not in (None, ""):
        assert record.raw is not None
        assert record.raw["original_times"]["created_at"] == str(value)


def test_mastodon_edited_at_out_of_bounds() -> None:
    from console.sync.base import Kind

    record = _mastodon()._message(
        _status("2026-11-01T10:00:00.000Z", edited_at="9999-01-01T00:00:00Z"), "k", Kind.PUBLIC
    )
    assert record.sent_at == datetime(2026, 11, 1, 10, tzinfo=UTC)
    assert record.edited_at is not None and _near_now(record.edited_at)
    assert record.raw is not None
    assert record.raw["original_times"] == {"edited_at": "9999-01-01T00:00:00Z"}


def test_mastodon_notification_time_does_not_crash_the_window_check() -> None:
    from console.sync.mastodon.parse import note_time as _note_time

    assert _note_time({"created_at": "0001-01-01T00:00:00Z"}) is not None
    assert _note_time({"created_at": "+10000-01-01"}) is not None
    assert _note_time({"id": "1"}) is None


# -- Bluesky ----------------------------------------------------------------------


def _bluesky() -> BlueskyProvider:
    info = AccountInfo(
        id="", network="bluesky", handle="shop.bsky.social", server="https://pds.example"
    )
    session = {"did": "did:plc:shop", "handle": "shop.bsky.social", "pds": "https://pds.example"}
    return BlueskyProvider(info, json.dumps(session))


def _post(created_at: Any) -> dict[str, Any]:
    """A postView as app.bsky.feed.getPostThread answers."""
    return {
        "uri": "at://did:plc:eve/app.bsky.feed.post/3kabc",
        "cid": "bafyreib",
        "author": {"did": "did:plc:eve", "handle": "eve.bsky.social", "displayName": "Eve"},
        "record": {"$type": "app.bsky.feed.post", "text": "@shop hello", "createdAt": created_at},
        "indexedAt": "not a time either",
    }


@pytest.mark.parametrize("value", BAD_ISO)
def test_bluesky_created_at_out_of_bounds_is_the_received_time(value: Any) -> None:
    record = _bluesky()._message(_post(value), "k")
    assert _near_now(record.sent_at)


@pytest.mark.parametrize("value", BAD_ISO)
def test_bluesky_dm_sent_at_out_of_bounds_is_the_received_time(value: Any) -> None:
    from console.sync.base import FetchResult

    provider = _bluesky()
    provider._members["c1"] = {"did:plc:eve": {"did": "did:plc:eve", "handle": "eve.bsky.social"}}
    result = FetchResult()
    item = {
        "$type": "chat.bsky.convo.defs#messageView",
        "id": "m1",
        "rev": "22",
        "text": "hi",
        "sender": {"did": "did:plc:eve"},
        "sentAt": value,
    }
    record = provider._dm("c1", item, result)
    assert record is not None and _near_now(record.sent_at)
    assert result.skipped == []


def test_bluesky_a_far_future_indexed_at_never_becomes_the_seen_cursor() -> None:
    from console.sync.bluesky.parse import stamp as _stamp

    assert _stamp("9999-12-31T23:59:59.999Z") == ""
    assert _stamp(17) == ""
    assert _stamp("2026-11-30T10:00:00.000Z") == "2026-11-30T10:00:00.000Z"


# -- e-mail -----------------------------------------------------------------------

MAIL = (
    "From: Eve <eve@example.org>\r\n"
    "To: shop@example.com\r\n"
    "Subject: order\r\n"
    "Message-ID: <x1@example.org>\r\n"
    "Date: {date}\r\n"
    "\r\n"
    "Where is my order?\r\n"
)

BAD_DATES = [
    "Fri, 31 Dec 9999 23:59:59 +0000",
    "Fri, 31 Dec 9999 23:59:59 -1200",
    "Mon, 01 Jan 1001 00:00:00 +0000",
    "Thu, 01 Jan 1970 00:00:00 +0100",
    "Sun, 99 Foo 2026 99:99:99 +9999",
    "Tue, 1 Jan 99999999999999999999 00:00:00 +0000",
    "garbage",
]


@pytest.mark.parametrize("date", BAD_DATES)
def test_mail_date_out_of_bounds_is_the_received_time(date: str) -> None:
    mail = parse(MAIL.format(date=date).encode())
    assert mail.date is None
    assert mail.date_header == date
    info = AccountInfo(
        id="a",
        network="email",
        handle="shop@example.com",
        server="imap.example.com",
        settings={"imap": "imap.example.com", "smtp": "smtp.example.com"},
    )
    record = EmailProvider(info, "pw")._record(mail, "INBOX", 7, 1, [], False)
    assert _near_now(record.sent_at)
    assert record.raw is not None and record.raw["original_times"] == {"Date": date}


def test_mail_date_inside_the_bounds_is_kept() -> None:
    mail = parse(MAIL.format(date="Sat, 28 Nov 2026 10:00:00 +0100").encode())
    assert mail.date == datetime(2026, 11, 28, 9, tzinfo=UTC)


# -- ingest, the last line of defence -----------------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1969, 12, 31, tzinfo=UTC),
        datetime(2026, 1, 1),  # naive: taken as UTC
    ],
)
def test_ingest_never_stores_an_unlistable_time(cache, when: datetime) -> None:
    account = add_account(cache)
    bad: MessageRecord = msg("t-bad", text="from the far future")
    bad.sent_at = when
    bad.edited_at = datetime(9999, 1, 1, tzinfo=UTC)
    put(cache, account, bad, msg("t-good", text="an ordinary one"))
    with cache.read() as s:
        stored = [tuple(r) for r in s.execute(text("SELECT sent_at, edited_at FROM messages"))]
        for values in stored:
            assert all(v is None or in_bounds_ms(v) for v in values), values
        for name in ("waiting_since", "due_at", "last_activity_at", "last_inbound_at"):
            for (value,) in s.execute(text(f"SELECT {name} FROM conversations")):
                assert value is None or in_bounds_ms(value), name
        listed = queue.iterate(s, QueueFilter(view="all"))
        assert len(listed) == 2
        for row in listed:
            detail = detail_json(s, row.id)
            assert detail["messages"]
        raw = s.execute(
            text("SELECT raw FROM messages WHERE text = 'from the far future'")
        ).scalar()
    if when.tzinfo is not None:
        assert "sent_at" in json.loads(raw)["original_times"]


def test_ingest_keeps_a_time_in_bounds_as_is(cache) -> None:
    account = add_account(cache)
    when = datetime(2026, 11, 1, 10, tzinfo=UTC)
    put(cache, account, msg("t", at=when))
    with cache.read() as s:
        assert s.execute(text("SELECT sent_at, raw FROM messages")).one() == (to_ms(when), None)


def test_ingest_replaces_lone_surrogates_instead_of_failing(cache) -> None:
    """JSON lets a sender write "\\ud800": such text cannot be stored as
    UTF-8 and made the whole page fail on every pass."""
    from console.models.records import ContactRecord

    account = add_account(cache)
    bad = msg("t-\ud800", text="hi \ud800 there", remote_id="r\udfff")
    bad.author = ContactRecord("mastodon", "eve\ud800@x", "eve\ud800@x", "Eve \udc80")
    bad.raw = {"mentions": ["a\ud800"], "k\ud800": 1}
    put(cache, account, bad)
    with cache.read() as s:
        text_, remote = s.execute(text("SELECT text, remote_id FROM messages")).one()
        assert (text_, remote) == ("hi \ufffd there", "r\ufffd")
        [row] = queue.iterate(s, QueueFilter(view="all"))
        assert row.damaged is None and row.contact_name == "Eve \ufffd"
