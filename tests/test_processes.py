"""One home, several processes: one engine at a time, no double claim."""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap
from pathlib import Path

from console.services import drafts, outbox, team
from console.sync.lock import EngineLock, lock_path
from tests.helpers.factories import add_account, cache_at, conv_by_key, msg, put
from tests.helpers.fake_provider import FakeServer

ROOT = Path(__file__).resolve().parents[1]

HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from console.sync.lock import EngineLock
    lock = EngineLock(Path(sys.argv[1]))
    got = lock.acquire(timeout=0)
    print("got" if got else "busy", flush=True)
    if got:
        sys.stdin.readline()   # hold it until told to stop
    """
)

SENDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from console.models.db import open_cache
    from console.sync.outbox import OutboxSender
    from console.sync.registry import account_info
    sys.path.insert(0, sys.argv[3])
    from tests.helpers.fake_provider import FakeProvider, FakeServer
    server = FakeServer(Path(sys.argv[2]))
    cache = open_cache(Path(sys.argv[1]))
    sender = OutboxSender(cache, provider_factory=lambda a, s: FakeProvider(
        account_info(a), s, server, delay=0.02))
    for _ in range(3):
        sender.deliver_pending()
    cache.close()
    """
)


def _python(script: str, *args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        stdin=stdin,
        stdout=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_only_one_process_holds_the_engine_lock(tmp_path: Path) -> None:
    path = lock_path(tmp_path / "cache.sqlite")
    first = _python(HOLD_LOCK, str(path), stdin=subprocess.PIPE)
    assert first.stdout is not None and first.stdout.readline().strip() == "got"
    second = _python(HOLD_LOCK, str(path))
    out, _ = second.communicate(timeout=30)
    assert out.strip() == "busy"
    assert not EngineLock(path).acquire(timeout=0)
    assert first.stdin is not None
    first.communicate("\n", timeout=30)
    # Released on exit (also on kill -9: the OS drops flock locks).
    lock = EngineLock(path)
    assert lock.acquire(timeout=5)
    lock.release()


def test_two_processes_never_send_the_same_item(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    server_path = tmp_path / "server.json"
    server = FakeServer(server_path)
    acc = add_account(cache, config={"demo": True})
    cache.writer.call(lambda tx: team.ensure_me(tx))
    for n in range(12):
        put(cache, acc, msg(f"t{n}"))
        conv = conv_by_key(cache, acc, f"t{n}").id
        cache.writer.call(functools.partial(drafts.save_draft, conv_id=conv, body=f"reply {n}"))
        cache.writer.call(functools.partial(outbox.enqueue, conv_id=conv))
    cache.close()
    procs = [
        _python(SENDER, str(tmp_path / "cache.sqlite"), str(server_path), str(ROOT))
        for _ in range(2)
    ]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    posts = server.posts()
    assert sorted(p["text"] for p in posts) == sorted(f"reply {n}" for n in range(12))
    calls = server.read()["calls"]
    assert len(calls) == 12 and len(set(calls)) == 12  # no item was sent twice
    cache = cache_at(tmp_path)
    with cache.read() as s:
        states = {i.state for i in outbox.list_items(s)}
        attempts = sum(i.attempts for i in outbox.list_items(s))
    cache.close()
    assert states == {"sent"}
    assert attempts == 12  # each item claimed exactly once
