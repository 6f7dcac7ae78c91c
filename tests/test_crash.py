"""kill -9 at random moments of a sync: afterwards exactly the server's
messages, once each, with consistent conversation aggregates."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from sqlalchemy import text

from tests.helpers.factories import add_account, cache_at
from tests.helpers.fake_provider import FakeServer

ROOT = Path(__file__).resolve().parents[1]

SYNC = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from console.models.db import open_cache
    from console.sync.engine import SyncEngine
    from console.sync.registry import account_info
    from tests.helpers.fake_provider import FakeProvider, FakeServer

    class Slow(FakeProvider):
        def fetch(self, cursors):
            time.sleep(0.005)
            return super().fetch(cursors)

    server = FakeServer(Path(sys.argv[2]))
    cache = open_cache(Path(sys.argv[1]))
    engine = SyncEngine(cache, provider_factory=lambda a, s: Slow(account_info(a), s, server))
    print("ready", flush=True)  # start-up done: the kill timing counts from here
    report = engine.run_once()
    print(report.accounts[0].state, flush=True)
    cache.close()
    """
)


def _wait_for_growth(
    path: Path, stored: int, proc: subprocess.Popen[bytes], timeout: float
) -> None:
    """Until the cache holds more than ``stored`` messages (read-only reads
    beside the writer, as WAL allows), the child exits, or ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            count = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        except sqlite3.Error:
            count = stored
        finally:
            conn.close()
        if count > stored:
            return
        time.sleep(0.01)


def test_twenty_kills_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    add_account(cache, config={"demo": True})
    cache.close()
    server = FakeServer(tmp_path / "server.json")
    total = 400
    server.add_inbox(
        *[
            {
                "id": f"n{i}",
                "thread": f"t{i % 37}",
                "author": f"u{i % 11}@x.example",
                "at": 1_900_000_000 - 60 * (total - i),
                "text": f"message number {i}",
            }
            for i in range(total)
        ]
    )
    rng = random.Random(20261124)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [
        sys.executable,
        "-c",
        SYNC,
        str(tmp_path / "cache.sqlite"),
        str(tmp_path / "server.json"),
        str(ROOT),
    ]
    kills = 0
    mid_sync = 0  # kills that hit with part of the inbox stored
    last_stored = 0
    while kills < 20:
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None
        # Start-up time varies with the machine's load: wait for the child
        # to say it is about to sync, then kill it at a random moment of it.
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        if ready:
            proc.stdout.readline()
        # Half the kills land as soon as something new is committed (a
        # commit just made, the next in flight), half at a random moment.
        if kills % 2 == 0:
            _wait_for_growth(tmp_path / "cache.sqlite", last_stored, proc, timeout=20)
            time.sleep(rng.uniform(0.0, 0.05))
        else:
            time.sleep(rng.uniform(0.0, 0.35))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=30)
        if proc.returncode != 0:
            probe = cache_at(tmp_path)
            with probe.read() as s:
                stored = s.execute(text("SELECT count(*) FROM messages")).scalar_one()
            probe.close()
            if last_stored < stored < total:
                mid_sync += 1
            last_stored = stored
        if proc.returncode == 0:
            # It finished before the kill: add more so the next one syncs again.
            start = total
            total += 40
            server.add_inbox(
                *[
                    {
                        "id": f"n{i}",
                        "thread": f"t{i % 37}",
                        "author": "late@x.example",
                        "at": 1_900_000_000 - 60 * (total - i),
                        "text": f"late {i}",
                    }
                    for i in range(start, total)
                ]
            )
    assert mid_sync >= 5, f"only {mid_sync} kills landed mid-sync"
    final = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert final.stdout.split() == ["ready", "ok"]

    cache = cache_at(tmp_path)
    with cache.read() as s:
        ids = s.execute(text("SELECT remote_id FROM messages")).scalars().all()
        assert sorted(ids) == sorted(f"n{i}" for i in range(total))
        assert s.execute(text("SELECT count(*) FROM message_fts")).scalar() == total
        bad = s.execute(
            text(
                "SELECT c.id FROM conversations c WHERE c.message_count != "
                "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)"
            )
        ).all()
        assert bad == []
        assert s.execute(text("SELECT count(*) FROM conversations")).scalar() == 37
    cache.close()
