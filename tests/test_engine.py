"""The sync engine: paging with cursors, typed errors, per-account state."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from console.models.schema import Account
from console.sync.base import AuthError, FetchResult, RateLimited, TransientError
from console.sync.engine import SyncEngine
from console.sync.registry import account_info
from tests.helpers.factories import add_account, cache_at
from tests.helpers.fake_provider import FakeProvider, FakeServer


class Scripted(FakeProvider):
    """FakeProvider whose fetch raises the errors a test lines up."""

    errors: list[Exception] = []
    calls = 0

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        type(self).calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return super().fetch(cursors)


@pytest.fixture
def env(tmp_path: Path):
    cache = cache_at(tmp_path)
    server = FakeServer(tmp_path / "server.json")
    acc = add_account(cache, config={"demo": True})
    Scripted.errors = []
    Scripted.calls = 0
    engine = SyncEngine(cache, provider_factory=lambda a, s: Scripted(account_info(a), s, server))
    yield cache, server, engine, acc
    engine.close()
    cache.close()


def _inbox(server: FakeServer, n: int, start: int = 0) -> None:
    server.add_inbox(
        *[
            {
                "id": f"n{i}",
                "thread": f"t{i % 4}",
                "author": f"u{i}@x.example",
                "at": 1_900_000_000 - 60 * (100 - i),
                "text": f"hello {i}",
            }
            for i in range(start, start + n)
        ]
    )


def _count(cache, sql: str) -> int:
    with cache.read() as s:
        return int(s.execute(text(sql)).scalar_one())


def test_pages_until_done_then_incremental(env) -> None:
    cache, server, engine, acc = env
    _inbox(server, 12)
    report = engine.run_once()
    assert [a.new_messages for a in report.accounts] == [12]
    assert Scripted.calls == 3  # pages of 5, 5, 2
    assert _count(cache, "SELECT count(*) FROM messages") == 12
    with cache.read() as s:
        account = s.get(Account, acc)
        assert account is not None
        assert account.cursors == {"position": 12} and account.initial_sync_done
    _inbox(server, 1, start=12)
    report = engine.run_once()
    assert [a.new_messages for a in report.accounts] == [1]
    assert _count(cache, "SELECT count(*) FROM messages") == 13


def test_auth_error_marks_needs_reauth_and_stops_polling(env) -> None:
    cache, server, engine, acc = env
    Scripted.errors = [AuthError("The access token was revoked")]
    report = engine.run_once()
    assert report.accounts[0].state == "needs_reauth" and not report.ok
    with cache.read() as s:
        account = s.get(Account, acc)
        assert account is not None
        assert (account.status, account.status_message) == (
            "needs_reauth",
            "The access token was revoked",
        )
    calls = Scripted.calls
    report = engine.run_once()
    assert report.accounts[0].state == "needs_reauth"
    assert Scripted.calls == calls  # no further request


def test_rate_limit_waits_for_that_account(env) -> None:
    cache, server, engine, acc = env
    Scripted.errors = [RateLimited("Too many requests", retry_after=120)]
    report = engine.run_once()
    assert report.accounts[0].state == "rate_limited"
    assert 119 <= engine._not_before_in(acc) <= 120


def test_transient_errors_back_off_and_then_succeed(env) -> None:
    cache, server, engine, acc = env
    _inbox(server, 3)
    Scripted.errors = [TransientError("timed out"), TransientError("502")]
    first = engine.run_once()
    assert first.accounts[0].state == "offline"
    delay1 = engine._not_before_in(acc)
    engine.run_once()
    delay2 = engine._not_before_in(acc)
    assert 0 < delay1 <= 5 and delay2 > 0
    assert engine._backoff[acc].failures == 2
    third = engine.run_once()
    assert third.accounts[0].state == "ok" and third.accounts[0].new_messages == 3
    with cache.read() as s:
        assert s.scalar(select(Account.status).where(Account.id == acc)) == "ok"


def test_polling_loop_syncs_on_demand_and_delivers_the_outbox(env) -> None:
    import threading
    import time

    from console.services import drafts, outbox, team
    from tests.helpers.factories import conv_by_key

    cache, server, engine, acc = env
    events: list[str] = []
    engine.add_listener(lambda e: events.append(e.state))
    loop = threading.Thread(target=engine.run_forever, daemon=True)
    loop.start()

    def wait_for(predicate, what: str) -> None:
        deadline = time.monotonic() + 120
        while not predicate():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.02)

    wait_for(lambda: "ok" in events, "the first poll")
    _inbox(server, 2)
    engine.sync_now()
    wait_for(lambda: _count(cache, "SELECT count(*) FROM messages") == 2, "sync now")

    conv = conv_by_key(cache, acc, "t0").id
    cache.writer.call(lambda tx: team.ensure_me(tx))
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv, "On it"))
    cache.writer.call(lambda tx: outbox.enqueue(tx, conv))
    engine.wake()
    wait_for(lambda: len(server.posts()) == 1, "the outbox")
    engine.stop()
    loop.join(timeout=10)
    assert not loop.is_alive()


def test_an_account_added_while_polling_is_polled_without_a_restart(env) -> None:
    """Signing in from Settings while the window (and its engine) runs: the
    new account is synced at the next wake, not after a restart."""
    import queue
    import threading

    from console.sync.engine import SyncEvent

    cache, server, engine, acc = env
    events: queue.Queue[SyncEvent] = queue.Queue()
    engine.add_listener(lambda e: events.put(e) if e.state != "syncing" else None)
    loop = threading.Thread(target=engine.run_forever, daemon=True)
    loop.start()
    try:
        assert events.get(timeout=60).account_id == acc
        second = add_account(cache, handle="second@social.example", config={"demo": True})
        engine.wake()
        seen = events.get(timeout=60)
        while seen.account_id != second:
            seen = events.get(timeout=60)
        assert seen.state == "ok"
    finally:
        engine.stop()
        loop.join(timeout=30)
