"""The engine survives everything: an unexpected exception in a provider or
in ingest is logged with its traceback, the account shows it in words,
backs off and retries, and the worker thread never dies."""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from console.models.schema import Account
from console.sync.base import FetchResult
from console.sync.engine import SyncEngine, SyncEvent
from console.sync.registry import account_info
from tests.helpers.factories import add_account, cache_at
from tests.helpers.fake_provider import FakeProvider, FakeServer

ROOT = Path(__file__).resolve().parents[1]


class Faulty(FakeProvider):
    """FakeProvider whose fetch raises whatever a test lines up."""

    faults: list[BaseException] = []

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        if self.faults:
            raise self.faults.pop(0)
        return super().fetch(cursors)


@pytest.fixture
def env(tmp_path: Path):
    cache = cache_at(tmp_path)
    server = FakeServer(tmp_path / "server.json")
    acc = add_account(cache, config={"demo": True})
    Faulty.faults = []
    engine = SyncEngine(cache, provider_factory=lambda a, s: Faulty(account_info(a), s, server))
    yield cache, server, engine, acc
    engine.close()
    cache.close()


def _inbox(server: FakeServer, *ids: str) -> None:
    server.add_inbox(
        *[
            {"id": i, "thread": f"t-{i}", "author": "u@x.example", "at": 1_900_000_000, "text": i}
            for i in ids
        ]
    )


def _status(cache: Any, acc: str) -> tuple[str, str | None]:
    with cache.read() as s:
        row = s.execute(select(Account.status, Account.status_message).where(Account.id == acc))
        status, message = row.one()
        return status, message


def _one_sentence(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message
    assert message.endswith(".")


@pytest.mark.parametrize(
    "fault", [KeyError("status"), ZeroDivisionError("bug"), OverflowError("x"), RuntimeError("?")]
)
def test_an_unexpected_provider_error_is_an_account_error_in_words(
    env, fault: BaseException, caplog: pytest.LogCaptureFixture
) -> None:
    cache, server, engine, acc = env
    _inbox(server, "a")
    Faulty.faults = [fault]
    with caplog.at_level(logging.ERROR):
        outcome = engine.run_once().accounts[0]
    assert outcome.state == "error"
    _one_sentence(outcome.message)
    assert type(fault).__name__ in outcome.message
    assert _status(cache, acc) == ("error", outcome.message)
    assert any(r.exc_info and r.exc_info[0] is type(fault) for r in caplog.records)
    assert engine._not_before_in(acc) > 0  # backs off
    # The fault goes: the next pass syncs and the account is ok again.
    outcome = engine.run_once().accounts[0]
    assert (outcome.state, outcome.new_messages) == ("ok", 1)
    assert _status(cache, acc) == ("ok", None)


@pytest.mark.parametrize("fault", [OSError(28, "No space left on device"), KeyError("x")])
def test_an_unexpected_ingest_error_is_an_account_error_in_words(
    env, fault: BaseException, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import console.sync.account_sync as engine_module  # where a pass calls ingest
    from console.models.ingest import ingest as real

    cache, server, engine, acc = env
    _inbox(server, "a", "b")
    faults = [fault]

    def failing(*args: Any, **kw: Any) -> Any:
        if faults:
            raise faults.pop(0)
        return real(*args, **kw)

    monkeypatch.setattr(engine_module, "ingest", failing)
    with caplog.at_level(logging.ERROR):
        outcome = engine.run_once().accounts[0]
    assert outcome.state == "error"
    assert "stored" in outcome.message and "offline" not in outcome.message
    _one_sentence(outcome.message)
    assert _status(cache, acc)[0] == "error"
    assert any(r.exc_info for r in caplog.records)
    with cache.read() as s:  # nothing committed, the cursor did not move
        assert s.execute(text("SELECT count(*) FROM messages")).scalar_one() == 0
    outcome = engine.run_once().accounts[0]
    assert (outcome.state, outcome.new_messages) == ("ok", 2)


def test_the_worker_keeps_polling_and_recovers_when_the_fault_goes(env) -> None:
    cache, server, engine, acc = env
    _inbox(server, "a")
    Faulty.faults = [KeyError("boom"), MemoryError()]
    events: queue.Queue[SyncEvent] = queue.Queue()
    engine.add_listener(lambda e: events.put(e) if e.state != "syncing" else None)
    loop = threading.Thread(target=engine.run_forever, daemon=True)
    loop.start()
    try:
        first = events.get(timeout=60)
        assert first.state == "error" and "KeyError" in first.message
        engine.sync_now()  # "Sync now" works after a failure
        second = events.get(timeout=60)
        assert second.state == "error" and "MemoryError" in second.message
        engine.sync_now()
        third = events.get(timeout=60)
        assert (third.state, third.fetched) == ("ok", 1)
        assert _status(cache, acc) == ("ok", None)
    finally:
        engine.stop()
        loop.join(timeout=30)
    assert not loop.is_alive()


def test_the_worker_survives_an_error_outside_a_sync(env, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even reading the account list failing (the cache gone away for a
    moment) does not end the worker: it says so and tries again."""
    cache, server, engine, acc = env
    _inbox(server, "a")
    real = engine._accounts
    calls = {"n": 0}

    def flaky(only: str | None) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # the first call is run_forever's own listing
            raise RuntimeError("the cache went away")
        return real(only)

    monkeypatch.setattr(engine, "_accounts", flaky)
    events: queue.Queue[SyncEvent] = queue.Queue()
    engine.add_listener(lambda e: events.put(e) if e.state != "syncing" else None)
    loop = threading.Thread(target=engine.run_forever, daemon=True)
    loop.start()
    try:
        first = events.get(timeout=60)
        assert first.state == "error" and "RuntimeError" in first.message
        engine.sync_now()
        second = events.get(timeout=60)
        assert second.state == "ok"
    finally:
        engine.stop()
        loop.join(timeout=30)


def test_a_listener_that_raises_does_not_stop_the_sync(env) -> None:
    cache, server, engine, acc = env
    _inbox(server, "a")

    def bad(event: SyncEvent) -> None:
        raise ValueError("listener bug")

    engine.add_listener(bad)
    assert engine.run_once().accounts[0].state == "ok"


def test_sync_once_prints_the_error_in_one_line_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``parloir sync --once`` with a provider that raises KeyError."""
    from console import paths
    from console.models.db import open_cache

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLOIR")}
    env.update({"PARLOIR_HOME": str(home), "PYTHONPATH": str(ROOT)})
    monkeypatch.setenv("PARLOIR_HOME", str(home))
    cache = open_cache(paths.cache_path())
    add_account(cache, config={"demo": True})
    cache.close()
    script = (
        "import sys\n"
        "from console.sync import demo_provider\n"
        "def boom(self, cursors):\n"
        "    raise KeyError('created_at')\n"
        "demo_provider.DemoProvider.fetch = boom\n"
        "from console.cli import main\n"
        "sys.exit(main(['sync', '--once']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    [line] = [line for line in done.stdout.splitlines() if "error" in line]
    assert "KeyError" in line and "log" in line
    logs = list(home.rglob("*.log"))
    assert any("KeyError" in p.read_text() for p in logs), logs


def test_the_engine_survives_failing_to_list_its_accounts_at_start(
    env, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, server, engine, acc = env
    _inbox(server, "a")
    real = engine._accounts
    calls = {"n": 0}

    def flaky(only: str | None) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:  # run_forever's own listing
            raise RuntimeError("database is locked")
        return real(only)

    monkeypatch.setattr(engine, "_accounts", flaky)
    events: queue.Queue[SyncEvent] = queue.Queue()
    engine.add_listener(lambda e: events.put(e) if e.state != "syncing" else None)
    loop = threading.Thread(target=engine.run_forever, daemon=True)
    loop.start()
    try:
        engine.sync_now()  # wakes the loop, which lists the accounts again
        first = events.get(timeout=60)
        assert (first.state, first.fetched) == ("ok", 1)
    finally:
        engine.stop()
        loop.join(timeout=30)
    assert not loop.is_alive()
