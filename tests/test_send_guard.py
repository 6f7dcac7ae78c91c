"""The send path's promises, in the services: a reply goes out once, to the
people shown, within the network's length rule; held until confirmed when
it reaches someone unexpected; cancelling never loses text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from console.models.db import Cache
from console.models.schema import Account, Draft, OutboxItem
from console.models.types import utcnow
from console.services import drafts, outbox, team
from console.services.conversation import detail_json
from console.services.errors import InvalidArgument, UserError
from console.sync.base import ContactRecord, Kind
from console.sync.outbox import OutboxSender
from tests.helpers.factories import add_account, cache_at, conv_by_key, msg, person, put
from tests.helpers.fake_provider import FakeProvider, FakeServer


@pytest.fixture
def cache(tmp_path: Path):
    c = cache_at(tmp_path)
    c.writer.call(lambda tx: team.ensure_me(tx))
    yield c
    c.close()


def _conv(cache: Cache, network: str = "mastodon", **fields: Any) -> str:
    """One conversation whose last message is from Alice; ``fields`` on it."""
    handle = {"email": "support@shop.example", "bluesky": "shop.bsky.social"}.get(
        network, "us@social.example"
    )
    acc = add_account(cache, network, handle, config={"demo": True})
    raw = fields.pop("raw", None)
    mentions = fields.pop("mentions", [])
    author = fields.pop("author", None)
    record = msg("t", remote_id="parent-1", author=author, **fields)
    record.raw = raw
    record.mentions = mentions
    put(cache, acc, record)
    return str(conv_by_key(cache, acc, "t").id)


def _save(cache: Cache, conv: str, body: str) -> None:
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv, body))


def _send(cache: Cache, conv: str, **kw: Any) -> OutboxItem:
    item: OutboxItem = cache.writer.call(lambda tx: outbox.enqueue(tx, conv, **kw))
    return item


def _items(cache: Cache) -> list[tuple[str, str]]:
    with cache.read() as s:
        return [(i.id, i.state) for i in outbox.list_items(s)]


def _sender(cache: Cache, server: FakeServer) -> OutboxSender:
    def factory(account: Account, secret: str | None) -> FakeProvider:
        from console.sync.registry import account_info

        return FakeProvider(account_info(account), secret, server)

    return OutboxSender(cache, provider_factory=factory)


# -- whom a reply reaches ----------------------------------------------------------------


def test_recipients_are_who_each_provider_addresses(cache: Cache) -> None:
    public = _conv(
        cache, mentions=["carol@other.example"], raw={"mentions": ["carol@other.example"]}
    )
    with cache.read() as s:
        assert outbox.recipients(s, public, "Thanks @dan!") == [
            "alice@example.org",
            "carol@other.example",
            "dan@social.example",
        ]
    mail = _conv(
        cache,
        "email",
        author=person("Bob", "email"),
        raw={"reply_to": ["returns@example.org", "bob@example.org"]},
    )
    _save(cache, mail, "Bonjour")
    with cache.read() as s:
        assert outbox.recipients(s, mail) == ["returns@example.org", "bob@example.org"]
        assert detail_json(s, mail)["recipients"] == ["returns@example.org", "bob@example.org"]
        assert detail_json(s, mail)["draft"]["state"] == "editing"


# -- the guard -----------------------------------------------------------------------------


def test_an_email_whose_reply_to_lists_others_is_held_until_confirmed(cache: Cache) -> None:
    conv = _conv(
        cache, "email", author=person("Bob", "email"), raw={"reply_to": ["other@elsewhere.example"]}
    )
    _save(cache, conv, "Your parcel left today.")
    with pytest.raises(outbox.Held) as held:
        _send(cache, conv)
    assert isinstance(held.value, UserError)
    assert "other@elsewhere.example" in str(held.value) and held.value.guard.reason == "recipients"
    assert _items(cache) == [], "held: nothing written"
    item = _send(cache, conv, record_hold=True)
    assert item.state == "held" and "other@elsewhere.example" in (item.error or "")
    assert _send(cache, conv, record_hold=True).id == item.id, "held once, not twice"
    released = _send(cache, conv, anyway=True)
    assert (released.id, released.state) == (item.id, "queued")
    assert _items(cache) == [(item.id, "queued")]


def test_a_dm_with_four_mentions_asks_first(cache: Cache) -> None:
    conv = _conv(cache, kind=Kind.DIRECT)
    body = "@a@x.example @b@x.example @c@x.example @d@x.example see you"
    with cache.read() as s:
        assert "5 people" in (outbox.send_guard(s, conv, body) or "")
        assert outbox.send_guard(s, conv, "Just you and me.") is None
    _save(cache, conv, body)
    with pytest.raises(outbox.Held, match="private conversation"):
        _send(cache, conv)
    assert _send(cache, conv, anyway=True).state == "queued"


def test_a_public_reply_reaching_many_people_asks_first(cache: Cache) -> None:
    crowd = [f"p{i}@x.example" for i in range(4)]
    conv = _conv(cache, mentions=crowd, raw={"mentions": crowd})
    with cache.read() as s:
        guard = outbox.guard(s, conv, "Thanks all")
    assert guard is not None and guard.reason == "many" and len(guard.people) == 5


def test_an_answer_from_the_account_since_the_draft_holds_the_reply(cache: Cache) -> None:
    conv = _conv(cache)
    _save(cache, conv, "We will look into it.")
    with cache.read() as s:
        acc = s.scalar(select(Account.id))
    assert acc is not None
    me = ContactRecord("mastodon", "us@social.example", "us@social.example", "Us")
    put(cache, acc, msg("t", direction="out", author=me, at=utcnow()))
    with pytest.raises(outbox.Held) as held:
        _send(cache, conv)
    assert held.value.guard.reason == "answered"
    _save(cache, conv, "We will look into it. (seen your answer)")  # saved again: seen
    assert _send(cache, conv).state == "queued"


# -- once per draft -------------------------------------------------------------------------


def test_one_draft_is_one_reply_however_often_it_is_sent(cache: Cache, tmp_path: Path) -> None:
    conv = _conv(cache)
    server = FakeServer(tmp_path / "server.json")
    sender = _sender(cache, server)
    _save(cache, conv, "Thanks for writing!")
    first = _send(cache, conv)
    _save(cache, conv, "Thanks for writing!")  # the window's second Send press saves again
    assert _send(cache, conv).id == first.id
    assert sender.deliver(first.id) == "sent"
    assert _send(cache, conv).id == first.id, "sent: still the same reply"
    assert [p["text"] for p in server.posts()] == ["Thanks for writing!"]
    cache.writer.call(  # a cache rebuild keeps only unsent items: the draft still says sent
        lambda tx: tx.session.connection().exec_driver_sql("DELETE FROM outbox")
    )
    with pytest.raises(InvalidArgument, match="sent already"):
        _send(cache, conv)
    _save(cache, conv, "Thanks for writing!")  # written again after it went: a new reply
    second = _send(cache, conv)
    assert second.id != first.id
    assert [state for _i, state in _items(cache)] == ["queued"]
    sender.close()


def test_a_failed_reply_sent_again_is_retried_with_its_key(cache: Cache) -> None:
    conv = _conv(cache)
    _save(cache, conv, "Hello")
    item = _send(cache, conv)

    def fail(tx: Any) -> None:
        tx.session.get(OutboxItem, item.id).state = "failed"

    cache.writer.call(fail)
    again = _send(cache, conv)
    assert (again.id, again.state, again.key) == (item.id, "queued", item.key)


# -- lengths --------------------------------------------------------------------------------


def test_a_50_mb_draft_is_refused_with_one_sentence_and_nothing_queued(cache: Cache) -> None:
    conv = _conv(cache, "email", author=person("Bob", "email"))
    huge = "x" * 50_000_000
    with pytest.raises(InvalidArgument, match="1 MB") as refused:
        _save(cache, conv, huge)
    assert "\n" not in str(refused.value)
    with cache.read() as s:
        assert drafts.my_draft(s, conv) is None

    def legacy(tx: Any) -> None:  # stored before the ceiling existed
        author = team.ensure_me(tx)
        now = utcnow()
        tx.session.add(
            Draft(
                conversation_id=conv, author_id=author.id, body=huge, created_at=now, updated_at=now
            )
        )

    cache.writer.call(legacy)
    with pytest.raises(InvalidArgument, match="1 MB"):
        _send(cache, conv, anyway=True)
    assert _items(cache) == []


def test_send_obeys_the_composers_length_rule(cache: Cache) -> None:
    conv = _conv(cache)
    _save(cache, conv, "y" * 600)  # over Mastodon's 500: kept as a draft
    with pytest.raises(InvalidArgument, match="Mastodon allows 500"):
        _send(cache, conv)
    assert _items(cache) == []
    with cache.read() as s:
        draft = drafts.my_draft(s, conv)
        assert draft is not None and len(draft.body) == 600


# -- cancel ---------------------------------------------------------------------------------


def test_cancel_with_a_newer_draft_keeps_both_texts(cache: Cache) -> None:
    conv = _conv(cache)
    _save(cache, conv, "The queued answer.")
    item = _send(cache, conv)
    _save(cache, conv, "A newer thought.")
    cache.writer.call(lambda tx: outbox.cancel(tx, item.id))
    with cache.read() as s:
        draft = drafts.my_draft(s, conv)
        assert draft is not None and draft.state == "editing"
        assert draft.body == "The queued answer.\n\nA newer thought."
    assert _items(cache) == []


# -- the sender ---------------------------------------------------------------------------


def test_a_locked_keyring_leaves_the_reply_queued_with_the_reason(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console import credentials

    acc = add_account(cache, "mastodon", "us@social.example")  # a real account: keyring
    put(cache, acc, msg("k", remote_id="parent-k"))
    conv = str(conv_by_key(cache, acc, "k").id)
    _save(cache, conv, "Hello")
    item = _send(cache, conv)

    def locked(_key: str) -> str | None:
        raise credentials.KeyringUnavailable(credentials.LOCKED)

    monkeypatch.setattr(credentials, "load_secret", locked)
    sender = OutboxSender(cache)
    assert sender.deliver(item.id) == "queued"
    with cache.read() as s:
        stored = s.get(OutboxItem, item.id)
        assert stored is not None and "locked" in (stored.error or "")
    sender.close()


def test_an_unknown_reply_whose_lookup_fails_stays_unknown(
    cache: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conv = _conv(cache)
    server = FakeServer(tmp_path / "server.json")
    _save(cache, conv, "Hello")
    item = _send(cache, conv)
    cache.writer.call(
        lambda tx: tx.session.connection().exec_driver_sql(
            "UPDATE outbox SET state = 'unknown' WHERE id = ?", (item.id,)
        )
    )
    sender = _sender(cache, server)

    def offline(_reply: Any) -> None:
        from console.sync.base import TransientError

        raise TransientError("offline")

    monkeypatch.setattr(sender, "_provider", lambda account: _Lookup(offline))
    assert sender.deliver(item.id) == "unknown"
    with cache.read() as s:
        assert s.execute(text("SELECT count(*) FROM outbox WHERE state = 'queued'")).scalar() == 0
    sender.close()


class _Lookup:
    def __init__(self, find: Any) -> None:
        self.find_sent = find

    def close(self) -> None:
        return None


def test_an_email_that_cannot_be_written_is_refused_not_unknown() -> None:
    from console.sync.base import AccountInfo, ReplyRequest, SendRejected
    from console.sync.email.provider import EmailProvider

    info = AccountInfo(
        "a1", "email", "support@shop.example", "", {"imap": "127.0.0.1:1", "smtp": "127.0.0.1:1"}
    )
    provider = EmailProvider(info, "secret")
    reply = ReplyRequest(
        key="<k1@shop.example>",
        body="Hello",
        thread_key="t",
        kind=Kind.EMAIL,
        in_reply_to=None,
        extra={"reply_to_reply_to": ["bob@example.org\nBcc: spy@evil.example"]},
    )
    with pytest.raises(SendRejected, match="not sent"):
        provider.send(reply)  # refused before any connection is tried


def test_the_instances_own_limit_counts_when_it_is_a_sane_number() -> None:
    from console.sync.textlength import configured_limit, reply_problem

    assert configured_limit({"limits": {"max_length": 1000}}) == 1000
    for hostile in (float("inf"), 10**30, -5, 0, "lots", True, None):
        assert configured_limit({"limits": {"max_length": hostile}}) is None
    assert reply_problem("y" * 600, "mastodon", configured=1000) is None
    assert "500" in (reply_problem("y" * 600, "mastodon") or "")
    assert reply_problem("👍" * 400, "bluesky", kind="direct") is None  # a DM allows 1,000
    assert "300" in (reply_problem("👍" * 400, "bluesky") or "")


def test_a_mastodon_request_that_could_not_be_made_is_not_unknown() -> None:
    from console.sync.base import AccountInfo, ReplyRequest, TransientError
    from console.sync.mastodon.provider import MastodonProvider

    for server in ("social.example", "ftp://social.example"):  # no request can leave
        provider = MastodonProvider(AccountInfo("a1", "mastodon", "us", server, {}), "token")
        reply = ReplyRequest(key="k1", body="Hello", thread_key="t", kind=Kind.PUBLIC,
                             in_reply_to=None)  # fmt: skip
        with pytest.raises(TransientError):
            provider.send(reply)
        provider.close()
