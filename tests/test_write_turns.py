"""A person's write waits at most one bulk chunk, also when the bulk writer
is another process (console/models/write_turns.py). Two Caches on one file
are two writers exactly as two processes are (each its own lock files'
open file descriptions)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from console.models.db import open_cache
from console.models.write_turns import WriteTurns, _lock_base
from console.models.writer import BULK, URGENT, Tx
from tests.helpers.factories import cache_at


def _someone_waits_for_a_turn(path: Path) -> bool:
    """True while a non-bulk writer holds the turn file shared."""
    fd = os.open(_lock_base(path).with_suffix(".turn"), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_a_person_s_write_goes_between_two_bulk_chunks_of_another_writer(
    tmp_path: Path,
) -> None:
    cache_at(tmp_path).close()
    path = tmp_path / "cache.sqlite"
    engine, window = open_cache(path), open_cache(path)
    order: list[str] = []
    inside, go = threading.Event(), threading.Event()

    def first_chunk(tx: Tx) -> None:
        tx.session.execute(text("INSERT INTO settings (key, value) VALUES ('bulk', '1')"))
        inside.set()
        assert go.wait(60)
        order.append("chunk 1")

    def later_chunk(n: int) -> Callable[[Tx], None]:
        def task(_tx: Tx) -> None:
            order.append(f"chunk {n}")

        return task

    try:
        chunks = [engine.writer.submit(first_chunk, BULK)]
        assert inside.wait(60)  # the engine holds the write lock
        chunks += [engine.writer.submit(later_chunk(n), BULK) for n in (2, 3, 4)]
        save = window.writer.submit(lambda tx: order.append("autosave"), URGENT)
        while not _someone_waits_for_a_turn(path):
            threading.Event().wait(0.01)  # until the window's writer is waiting
        go.set()
        save.result(timeout=60)
        for chunk in chunks:
            chunk.result(timeout=60)
        assert order == ["chunk 1", "autosave", "chunk 2", "chunk 3", "chunk 4"]
    finally:
        engine.close()
        window.close()


def test_the_lock_files_stay_out_of_the_cache_s_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    with cache_at(folder) as cache:
        cache.writer.call(lambda tx: None)
        base = _lock_base(cache.path)
    assert sorted(p.name for p in folder.iterdir()) == ["cache.sqlite"]
    assert base.with_suffix(".turn").exists() and base.with_suffix(".write").exists()
    assert base.parent.stat().st_mode & 0o777 == 0o700


def test_without_a_private_folder_for_the_locks_writes_go_without_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared, elsewhere = tmp_path / "runtime", tmp_path / "elsewhere"
    shared.mkdir()
    elsewhere.mkdir()
    (shared / "parloir").symlink_to(elsewhere)  # a link planted there: not trusted
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
    with pytest.raises(PermissionError):
        _lock_base(tmp_path / "cache.sqlite")
    turns = WriteTurns(tmp_path / "cache.sqlite")
    with turns.turn(bulk=False):
        pass  # no lock, no error
    with turns.turn(bulk=True):
        pass
    turns.close()
    assert list(elsewhere.iterdir()) == []
    with WriteTurns(None).turn(bulk=True):
        pass
