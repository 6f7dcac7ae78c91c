"""The outbox sender: exactly once, through faults, offline and crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.models.schema import Account, OutboxItem
from console.services import drafts, outbox, team
from console.sync.outbox import OutboxSender
from tests.helpers.factories import add_account, cache_at, conv_by_key, msg, put
from tests.helpers.fake_provider import FakeProvider, FakeServer


@pytest.fixture
def env(tmp_path: Path):
    cache = cache_at(tmp_path)
    server = FakeServer(tmp_path / "server.json")
    acc = add_account(cache, config={"demo": True})  # no keyring needed
    put(cache, acc, msg("t", remote_id="parent-1"))
    conv = conv_by_key(cache, acc, "t").id
    cache.writer.call(lambda tx: team.ensure_me(tx))

    def factory(account: Account, secret: str | None) -> FakeProvider:
        from console.sync.registry import account_info

        return FakeProvider(account_info(account), secret, server)

    sender = OutboxSender(cache, provider_factory=factory)
    yield cache, server, sender, conv
    cache.close()


def _queue(cache, conv: str, body: str) -> str:
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv, body))
    return cache.writer.call(lambda tx: outbox.enqueue(tx, conv).id)


def _item(cache, item_id: str) -> OutboxItem:
    with cache.read() as s:
        item = s.get(OutboxItem, item_id)
        assert item is not None
        s.expunge(item)
        return item


def test_send_posts_once_and_the_reply_joins_the_thread(env) -> None:
    cache, server, sender, conv = env
    item_id = _queue(cache, conv, "Thanks for writing!")
    assert sender.deliver(item_id) == "sent"
    assert sender.deliver(item_id) == "sent"  # a second call does nothing
    assert [p["text"] for p in server.posts()] == ["Thanks for writing!"]
    assert server.posts()[0]["in_reply_to"] == "parent-1"
    item = _item(cache, item_id)
    assert item.remote_id == "s1" and item.attempts == 1
    with cache.read() as s:
        from console.services.conversation import messages

        thread = messages(s, conv)
        assert [m.direction for m in thread] == ["in", "out"]
        assert thread[-1].remote_id == "s1"
        draft = drafts.my_draft(s, conv)  # sent: kept as sent, out of the composer
        assert draft is not None and draft.state == "sent"
        assert not drafts.shows_in_composer(draft)
    assert conv_by_key(cache, item.account_id, "t").waiting_since is None


def test_offline_items_wait_and_go_when_back(env) -> None:
    cache, server, sender, conv = env
    server.add_faults("refuse")
    item_id = _queue(cache, conv, "Hello")
    assert sender.deliver(item_id) == "queued"
    assert "Offline" in (_item(cache, item_id).error or "")
    assert server.posts() == []

    def due_now(tx):
        tx.session.get(OutboxItem, item_id).next_attempt_at = None

    cache.writer.call(due_now)
    assert sender.deliver_pending() == {item_id: "sent"}
    assert len(server.posts()) == 1


def test_dropped_response_goes_unknown_then_is_found_not_resent(env) -> None:
    cache, server, sender, conv = env
    server.add_faults("drop")
    item_id = _queue(cache, conv, "Reply that the server got")
    assert sender.deliver(item_id) == "unknown"
    assert len(server.posts()) == 1
    assert sender.deliver_pending() == {item_id: "sent"}
    assert len(server.posts()) == 1
    assert _item(cache, item_id).remote_id == "s1"


def test_a_crash_while_sending_is_settled_by_lookup(env) -> None:
    cache, server, sender, conv = env
    item_id = _queue(cache, conv, "Sent just before the crash")
    # Simulate: another process claimed it, posted, and died before recording.
    server._update(
        lambda d: d["posts"].append(
            {"id": "s1", "key": _item(cache, item_id).key, "text": "x", "in_reply_to": None}
        )
    )

    def claimed_by_dead(tx):
        item = tx.session.get(OutboxItem, item_id)
        item.state = "sending"
        item.claimed_by = "otherhost:999999:dead"
        item.attempts = 1
        from datetime import timedelta

        from console.models.types import utcnow

        item.updated_at = utcnow() - timedelta(minutes=10)

    cache.writer.call(claimed_by_dead)
    assert sender.deliver_pending() == {item_id: "sent"}
    assert len(server.posts()) == 1


def test_items_of_a_conversation_go_in_order(env) -> None:
    cache, server, sender, conv = env
    server.add_faults("refuse")
    first = _queue(cache, conv, "first")
    second = _queue(cache, conv, "second")
    assert sender.deliver(first) == "queued"  # offline
    assert sender.deliver(second) == "queued"  # must wait behind the first
    assert server.posts() == []

    def due_now(tx):
        tx.session.get(OutboxItem, first).next_attempt_at = None

    cache.writer.call(due_now)
    sender.deliver_pending()
    sender.deliver_pending()
    assert [p["text"] for p in server.posts()] == ["first", "second"]


def test_cancel_puts_the_text_back_in_the_draft(env) -> None:
    cache, _server, _sender, conv = env
    item_id = _queue(cache, conv, "to be cancelled")
    cache.writer.call(lambda tx: outbox.cancel(tx, item_id))
    with cache.read() as s:
        assert outbox.list_items(s) == []
        draft = drafts.my_draft(s, conv)
        assert draft is not None and draft.body == "to be cancelled"
    assert acc_state_ok(cache)


def acc_state_ok(cache) -> bool:
    from sqlalchemy import select

    with cache.read() as s:
        return all(a.status == "ok" for a in s.scalars(select(Account)))
