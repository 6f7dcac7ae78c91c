"""Property tests over the provider parsers and ingest: whatever a server or
a sender writes (times of any year or none, numbers of any size or type,
text with control characters, lone surrogates, bytes that are not UTF-8),
no exception escapes a parser beyond the typed "skip this record" path, and
nothing it produces, once ingested, breaks a listing: the queue lists every
conversation undamaged, ``show`` and the pane build each one, and every
stored time is inside the bounds.

The Mastodon and Bluesky providers run their real fetch code against
answers from these strategies (their HTTP call replaced by a function
returning the payload); e-mail goes through mailparse on raw bytes. The
profile ("ci", tests/conftest.py) fixes the examples and drops deadlines.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from console.models.db import Cache  # noqa: E402
from console.models.ingest import ingest  # noqa: E402
from console.models.timebounds import in_bounds_ms  # noqa: E402
from console.services import queue  # noqa: E402
from console.services.conversation import detail_json, pane_view  # noqa: E402
from console.sync.base import AccountInfo, BadRecord, FetchResult, MessageRecord  # noqa: E402
from console.sync.bluesky.provider import BlueskyProvider  # noqa: E402
from console.sync.email.parse import parse  # noqa: E402
from console.sync.email.provider import EmailProvider  # noqa: E402
from console.sync.mastodon.provider import MastodonProvider  # noqa: E402
from console.sync.streams import STREAM_ERRORS  # noqa: E402
from tests.helpers.factories import add_account  # noqa: E402

# -- strategies ------------------------------------------------------------------

HOSTILE = st.sampled_from(
    [
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\x00",
        "\x7f",
        "\x9b31m",
        "\u202e",
        "\u2066",
        "\ud800",
        "\udfff",
        "\r\n",
        "<div>",
        "</p><script>x</script>",
        "&amp;&#0;&#x110000;",
        "@alice@x.example",
    ]
)
TEXT = st.lists(st.one_of(st.characters(), HOSTILE), max_size=20).map("".join)

ISO_TIMES = st.builds(
    lambda when, minutes, z: (
        when.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat().replace("+00:00", z)
    ),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-23 * 60, max_value=23 * 60),
    st.sampled_from(["Z", "+00:00"]),
)
TIMES = st.one_of(
    ISO_TIMES,
    st.sampled_from(
        [
            "9999-12-31T23:59:59.999Z",
            "0001-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "",
            "now",
        ]
    ),
    TEXT,
    st.integers(),
    st.floats(),
    st.none(),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.booleans(),
    st.sampled_from(["99999999999999999999", "-1", "1e999", "NaN", ""]),
)
ANYTHING = st.one_of(
    st.none(), NUMBERS, TEXT, st.lists(TEXT, max_size=2), st.dictionaries(TEXT, TEXT, max_size=2)
)
IDS = st.one_of(st.integers(min_value=0, max_value=10**20).map(str), TEXT, NUMBERS)


def _maybe(strategy: Any) -> Any:
    """Mostly the well-formed value, sometimes anything at all."""
    return st.one_of(strategy, strategy, strategy, ANYTHING)


# -- Mastodon ----------------------------------------------------------------------

M_ACCOUNT = st.fixed_dictionaries(
    {"id": _maybe(IDS), "acct": _maybe(TEXT), "display_name": ANYTHING, "avatar": ANYTHING}
)
M_STATUS = st.fixed_dictionaries(
    {
        "id": _maybe(IDS),
        "uri": ANYTHING,
        "url": ANYTHING,
        "created_at": TIMES,
        "edited_at": st.one_of(st.none(), TIMES),
        "content": _maybe(TEXT),
        "visibility": _maybe(st.sampled_from(["public", "unlisted", "direct"])),
        "in_reply_to_id": st.one_of(st.none(), IDS),
        "account": _maybe(M_ACCOUNT),
        "mentions": _maybe(st.lists(M_ACCOUNT, max_size=3)),
    }
)
M_NOTE = st.fixed_dictionaries(
    {
        "id": _maybe(IDS),
        "type": _maybe(st.just("mention")),
        "created_at": TIMES,
        "status": _maybe(M_STATUS),
    }
)
M_CONVERSATION = st.fixed_dictionaries(
    {
        "id": _maybe(IDS),
        "accounts": _maybe(st.lists(M_ACCOUNT, max_size=3)),
        "last_status": _maybe(M_STATUS),
    }
)


class _Answer:
    """What the providers read of a requests.Response."""

    def __init__(self, data: Any) -> None:
        self.data, self.status_code = data, 200
        self.links: dict[str, Any] = {}
        self.headers: dict[str, str] = {}

    def json(self) -> Any:
        return self.data


def _mastodon(
    notes: list[Any], context: Any, conversations: list[Any], instance: Any
) -> MastodonProvider:
    info = AccountInfo(
        id="m",
        network="mastodon",
        handle="alice@mock.local",
        server="https://mock.local",
        settings={"remote_id": "1", "domain": "mock.local"},
    )
    provider = MastodonProvider(info, "token")

    def get(path: str, params: Any = None) -> _Answer:
        if path.endswith("/context"):
            return _Answer(context)
        if path == "/api/v1/notifications":
            # The first page, then nothing (as min_id paging would end).
            page, notes[:] = list(notes), []
            return _Answer(page)
        if path == "/api/v1/conversations":
            return _Answer(conversations)
        return _Answer(instance)

    provider._get = get  # type: ignore[method-assign,assignment]
    return provider


# -- Bluesky -----------------------------------------------------------------------

B_AUTHOR = st.fixed_dictionaries(
    {"did": _maybe(TEXT), "handle": ANYTHING, "displayName": ANYTHING, "avatar": ANYTHING}
)
B_POST = st.fixed_dictionaries(
    {
        "uri": _maybe(TEXT.map(lambda t: f"at://did:plc:x/app.bsky.feed.post/{t}")),
        "cid": ANYTHING,
        "author": _maybe(B_AUTHOR),
        "record": _maybe(
            st.fixed_dictionaries({"text": _maybe(TEXT), "createdAt": TIMES, "reply": ANYTHING})
        ),
        "indexedAt": TIMES,
    }
)
B_NOTE = st.fixed_dictionaries(
    {
        "uri": _maybe(TEXT),
        "reason": _maybe(st.sampled_from(["mention", "reply", "quote", "like"])),
        "indexedAt": TIMES,
    }
)
B_DM = st.fixed_dictionaries(
    {
        "$type": _maybe(st.sampled_from(["chat.bsky.convo.defs#messageView", "x#unknown"])),
        "id": _maybe(IDS),
        "rev": ANYTHING,
        "text": _maybe(TEXT),
        "sender": _maybe(st.fixed_dictionaries({"did": _maybe(TEXT)})),
        "sentAt": TIMES,
    }
)


def _bluesky(notes: list[Any], thread: Any, dms: list[Any], members: list[Any]) -> BlueskyProvider:
    info = AccountInfo(id="", network="bluesky", handle="shop.bsky.social", server="https://pds")
    provider = BlueskyProvider(info, json.dumps({"did": "did:plc:shop", "pds": "https://pds"}))

    def call(method: str, nsid: str, **kw: Any) -> Any:
        if nsid == "app.bsky.notification.listNotifications":
            return {"notifications": notes}
        if nsid == "app.bsky.feed.getPostThread":
            return thread
        if nsid == "chat.bsky.convo.listConvos":
            convo = {"id": "c1", "rev": "1", "members": members, "lastMessage": {}}
            return {"convos": [convo]}
        if nsid == "chat.bsky.convo.getMessages":
            return {"messages": dms}
        return {}

    provider._call = call  # type: ignore[method-assign]
    return provider


# -- e-mail ------------------------------------------------------------------------

HEADER_VALUE = st.one_of(
    TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=60)
)
DATES = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
        lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000").encode()
    ),
    st.sampled_from(
        [b"Fri, 31 Dec 9999 23:59:59 -1200", b"Mon, 1 Jan 0001 00:00:00 +1400", b"yesterday"]
    ),
    st.binary(max_size=40),
)
RAW_MAIL = st.one_of(
    st.builds(
        lambda sender, date, subject, mid, extra, body: (
            b"From: "
            + sender
            + b"\r\nTo: shop@example.com\r\nDate: "
            + date
            + b"\r\nSubject: "
            + subject
            + b"\r\nMessage-ID: <"
            + mid
            + b">\r\n"
            + extra
            + b"\r\n"
            + body
        ),
        HEADER_VALUE,
        DATES,
        HEADER_VALUE,
        HEADER_VALUE,
        st.sampled_from(
            [
                b"",
                b"Content-Type: text/html; charset=unknown-8bit\r\n",
                b"Content-Type: multipart/mixed; boundary=zz\r\n",
                b"Content-Transfer-Encoding: base64\r\n",
                b"References: <a@x> <" + b"\xff" * 3 + b">\r\nIn-Reply-To: <a@x>\r\n",
            ]
        ),
        st.binary(max_size=300),
    ),
    st.binary(max_size=500),
)


def _email() -> EmailProvider:
    info = AccountInfo(
        id="e",
        network="email",
        handle="shop@example.com",
        server="imap.example.com",
        settings={"imap": "imap.example.com", "smtp": "smtp.example.com"},
    )
    return EmailProvider(info, "pw")


# -- the check: ingest, then every listing -----------------------------------------------


def _stores_and_lists(cache: Cache, account: str, records: list[MessageRecord]) -> None:
    ingest(cache.writer, account, FetchResult(messages=records))
    with cache.read() as s:
        rows = queue.iterate(s, queue.QueueFilter(view="all"))
        damaged = [r.damaged for r in rows if r.damaged is not None]
        assert damaged == [], damaged
        for row in rows:
            json.dumps(row.to_json())
            detail = detail_json(s, row.id)
            assert not [m for m in detail["messages"] if m.get("damaged")]
            pane_view(s, row.id)
        from sqlalchemy import text

        for column in ("sent_at", "edited_at"):
            for (value,) in s.execute(text(f"SELECT {column} FROM messages")):
                assert value is None or in_bounds_ms(value), (column, value)
        for column in ("waiting_since", "last_activity_at", "last_inbound_at"):
            for (value,) in s.execute(text(f"SELECT {column} FROM conversations")):
                assert value is None or in_bounds_ms(value), (column, value)


@given(
    notes=st.lists(M_NOTE, max_size=4),
    # A context that is not an object is the server's malformed answer: a
    # typed TransientError (the stream retries), not a parser's business.
    context=st.fixed_dictionaries(
        {
            "ancestors": _maybe(st.lists(M_STATUS, max_size=2)),
            "descendants": _maybe(st.lists(M_STATUS, max_size=2)),
        }
    ),
    conversations=st.lists(M_CONVERSATION, max_size=3),
)
def test_mastodon_fetch_never_breaks_and_stores_only_listable_rows(
    cache: Cache, notes: list[Any], context: Any, conversations: list[Any]
) -> None:
    account = _account(cache, "mastodon")
    provider = _mastodon(notes, context, conversations, {})
    result = provider.fetch({})
    while result.more:  # every page of the pass
        _stores_and_lists(cache, account, result.messages)
        result = provider.fetch(result.cursors)
    assert STREAM_ERRORS not in result.cursors, result.cursors.get(STREAM_ERRORS)
    _stores_and_lists(cache, account, result.messages)


@given(status=M_STATUS)
def test_a_mastodon_status_parses_or_is_skipped(cache: Cache, status: Any) -> None:
    from console.sync.base import Kind

    provider = _mastodon([], {}, [], {})
    try:
        record = provider._message(status, "k", Kind.PUBLIC)
    except BadRecord:
        return
    _stores_and_lists(cache, _account(cache, "mastodon"), [record])


@given(instance=st.fixed_dictionaries(
    {"configuration": _maybe(st.fixed_dictionaries({"statuses": _maybe(st.fixed_dictionaries(
        {"max_characters": NUMBERS, "characters_reserved_per_url": NUMBERS}))}))}))  # fmt: skip
def test_mastodon_instance_limits_are_always_sane(instance: Any) -> None:
    limits = _mastodon([], {}, [], instance).limits()
    assert limits.max_length is not None and 1 <= limits.max_length <= 1_000_000
    assert limits.url_length is not None and 0 <= limits.url_length <= 1000


@given(
    notes=st.lists(B_NOTE, max_size=4),
    thread=_maybe(
        st.fixed_dictionaries(
            {
                "thread": _maybe(
                    st.fixed_dictionaries(
                        {
                            "post": B_POST,
                            "parent": _maybe(st.fixed_dictionaries({"post": B_POST})),
                            "replies": _maybe(
                                st.lists(st.fixed_dictionaries({"post": B_POST}), max_size=2)
                            ),
                        }
                    )
                )
            }
        )
    ),
    dms=st.lists(B_DM, max_size=4),
    members=_maybe(st.lists(B_AUTHOR, max_size=2)),
)
def test_bluesky_fetch_never_breaks_and_stores_only_listable_rows(
    cache: Cache, notes: list[Any], thread: Any, dms: list[Any], members: Any
) -> None:
    account = _account(cache, "bluesky")
    result = _bluesky(notes, thread, dms, members).fetch({})
    assert STREAM_ERRORS not in result.cursors, result.cursors.get(STREAM_ERRORS)
    _stores_and_lists(cache, account, result.messages)


@given(raw=RAW_MAIL)
def test_any_mail_bytes_parse_and_store_as_a_listable_row(cache: Cache, raw: bytes) -> None:
    mail = parse(raw)
    assert mail.date is None or datetime(1970, 1, 1, tzinfo=UTC) <= mail.date
    record = _email()._record(mail, "INBOX", 1, 1, [], False)
    _stores_and_lists(cache, _account(cache, "email"), [record])


def _account(cache: Cache, network: str) -> str:
    """One account per network and test, created on first use."""
    from sqlalchemy import text

    with cache.read() as s:
        found = s.execute(
            text("SELECT id FROM accounts WHERE network = :n"), {"n": network}
        ).scalar()
    return str(found) if found else add_account(cache, network, handle=f"us-{network}@x.example")
