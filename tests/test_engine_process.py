"""The window's sync engine in its own process (docs/decisions.md, "The
engine runs in its own process"): Sync now reaches it across the pipe, its
commits reach the queue through the cache, a killed child is said and
started again, and the child never outlives the window."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from console import paths
from console.app import start_engine_process
from console.demo import ensure_demo
from console.models.db import open_cache
from tests.helpers.cli import cli_env, run_cli
from tests.helpers.mastodon_server import Mastodon
from tests.helpers.window import open_window

ROOT = Path(__file__).resolve().parents[1]


def _gone(pid: int) -> bool:
    """The process has exited and been reaped (QProcess reaps its child)."""
    return not Path(f"/proc/{pid}").exists()


def _rows_saying(window: Any, words: str) -> list[str]:
    model = window.model
    out = []
    for r in range(model.rowCount()):
        conv_id = model.conversation_id(r)
        row = model.queue_row(conv_id) if conv_id else None
        if row is not None and words in row.preview:
            out.append(conv_id)
    return out


@pytest.mark.keyring
def test_the_window_syncs_through_its_engine_process(
    qtbot: Any, parloir_home: Path, mastodon: Mastodon, tmp_path: Path
) -> None:
    added = run_cli(
        parloir_home,
        "account", "add", "mastodon", "--server", mastodon.url, "--token-stdin",
        stdin="alice_token\n",
        env=cli_env(parloir_home, PARLOIR_NET_TIMEOUT="5"),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    cache = open_cache(paths.cache_path())
    window = open_window(qtbot, cache, tmp_path)
    # What run_gui does; the started signal is emitted by the event loop
    # (the child's first line), so waiting on it after start() misses nothing.
    link = start_engine_process(cache.path, False, window)
    try:
        assert window.sync_status.engine is link
        with qtbot.waitSignal(link.started, timeout=60_000) as first:
            pass
        pid = first.args[0]
        assert link.pid == pid != os.getpid()

        # Sync now crosses the pipe; the child's commits reach the queue.
        mastodon.post("bob", "@alice is the engine process awake?")
        window.sync_now()
        qtbot.waitUntil(lambda: bool(_rows_saying(window, "engine process awake")), timeout=60_000)

        # A killed child is said in the status bar, then started again.
        with qtbot.waitSignal(link.started, timeout=60_000) as again:
            os.kill(pid, signal.SIGKILL)
            qtbot.waitUntil(lambda: "unexpectedly" in window.sync_label.text(), timeout=30_000)
        assert again.args[0] != pid and link.restarts == 1
        qtbot.waitUntil(lambda: _gone(pid), timeout=10_000)
        mastodon.post("bob", "@alice and after a restart?")
        window.sync_now()
        qtbot.waitUntil(lambda: bool(_rows_saying(window, "after a restart")), timeout=60_000)

        # Closing the window ends the child.
        second = link.pid
        assert second is not None
        window.close()
        link.stop()
        assert link.pid is None and _gone(second)
    finally:
        link.stop()
        window.runner.shutdown()
        cache.close()


# -- the child without a window --------------------------------------------------


def _child(cache: Path) -> subprocess.Popen[bytes]:
    env = cli_env(cache.parents[2])
    return subprocess.Popen(
        [sys.executable, "-m", "console.sync.child", str(cache), "--demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )


def _message(child: subprocess.Popen[bytes]) -> dict[str, Any]:
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line, "the child closed its stdout"
    data: dict[str, Any] = json.loads(line)
    return data


def test_the_child_ends_when_its_window_is_gone_and_one_engine_runs_at_a_time(
    parloir_home: Path,
) -> None:
    path = paths.cache_path(demo=True)
    ensure_demo(path)
    first = _child(path)
    children = [first]
    try:
        assert _message(first)["type"] == "started"  # it holds the engine lock
        second = _child(path)
        children.append(second)
        # The second waits for the engine lock: it says nothing until the
        # first is gone. End of file on stdin is the window gone (the kernel
        # closes the pipe however the window ended).
        assert first.stdin is not None
        first.stdin.close()
        assert first.wait(timeout=60) == 0
        assert first.stdout is not None
        rest = [json.loads(line)["type"] for line in first.stdout.read().splitlines()]
        assert "started" not in rest
        started = _message(second)
        assert started == {"type": "started", "pid": second.pid}
        assert second.stdin is not None
        second.stdin.write(b"stop\n")
        second.stdin.flush()
        assert second.wait(timeout=60) == 0
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
            for stream in (child.stdin, child.stdout):
                if stream is not None:
                    stream.close()
