"""The one writer: urgent work jumps ahead of bulk ingest; readers go on."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from console.models.writer import URGENT
from console.services import drafts, queue
from console.sync.base import FetchResult
from tests.helpers.factories import add_account, cache_at, conv_by_key, msg, put


def test_draft_save_jumps_a_long_ingest_while_readers_read(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    try:
        acc = add_account(cache)
        put(cache, acc, msg("target", ago_min=5))
        target = conv_by_key(cache, acc, "target").id
        total = 10_000
        big = FetchResult(
            messages=[msg(f"bulk{i % 3000}", ago_min=i % 500 + 1) for i in range(total)]
        )
        errors: list[BaseException] = []
        stop = threading.Event()
        reads = [0]

        def reader() -> None:
            try:
                while not stop.is_set():
                    with cache.read() as s:
                        page = queue.page(s, queue.QueueFilter(view="all"), limit=20)
                        assert len(page.rows) <= 20
                        s.execute(text("SELECT count(*) FROM messages")).scalar_one()
                    reads[0] += 1
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        from console.models.ingest import ingest

        readers = [threading.Thread(target=reader) for _ in range(3)]
        for r in readers:
            r.start()
        done = threading.Event()

        def ingest_then_say() -> None:
            ingest(cache.writer, acc, big, first_chunk=500)
            done.set()

        ingester = threading.Thread(target=ingest_then_say)
        ingester.start()
        # Wait until the ingest is under way, then save a draft.
        while True:
            with cache.read() as s:
                if s.execute(text("SELECT count(*) FROM messages")).scalar_one() > 1000:
                    break
        future = cache.writer.submit(lambda tx: drafts.save_draft(tx, target, "On it!"), URGENT)
        future.result(timeout=60)
        with cache.read() as s:
            stored_when_draft_saved = s.execute(text("SELECT count(*) FROM messages")).scalar_one()
        assert not done.is_set(), "the draft waited for the whole ingest"
        assert stored_when_draft_saved < total
        ingester.join()
        stop.set()
        for r in readers:
            r.join()
        assert not errors, errors
        assert reads[0] > 0
        with cache.read() as s:
            assert s.execute(text("SELECT count(*) FROM messages")).scalar_one() == total + 1
            assert drafts.my_draft(s, target) is not None
    finally:
        cache.close()


def test_listeners_hear_the_changed_conversations(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    try:
        acc = add_account(cache)
        heard: list[set[str]] = []
        cache.writer.add_listener(lambda changes: heard.append(set(changes.conversations)))
        put(cache, acc, msg("a"), msg("b"))
        a, b = conv_by_key(cache, acc, "a").id, conv_by_key(cache, acc, "b").id
        cache.writer.call(lambda tx: None)  # listeners ran before this returns
        assert {a, b} in heard
    finally:
        cache.close()


def test_a_failing_task_rolls_back_and_the_writer_goes_on(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    try:
        acc = add_account(cache)

        def bad(tx):
            tx.session.connection().exec_driver_sql(
                "UPDATE accounts SET handle = 'changed' WHERE id = ?", (acc,)
            )
            raise RuntimeError("boom")

        import pytest

        with pytest.raises(RuntimeError):
            cache.writer.call(bad)
        with cache.read() as s:
            assert s.execute(text("SELECT handle FROM accounts")).scalar() != "changed"
        put(cache, acc, msg("after"))
    finally:
        cache.close()


def test_data_version_tells_a_reader_that_another_process_wrote(tmp_path: Path) -> None:
    """The GUI polls data_version to notice `parloir sync` in another process."""
    import subprocess
    import sys

    cache = cache_at(tmp_path)
    try:
        acc = add_account(cache)
        before = cache.data_version()
        assert cache.data_version() == before  # nothing changed
        root = Path(__file__).resolve().parents[1]
        script = (
            "import sys; from pathlib import Path\n"
            "sys.path.insert(0, sys.argv[2])\n"
            "from console.models.db import open_cache\n"
            "from tests.helpers.factories import msg, put\n"
            "c = open_cache(Path(sys.argv[1])); put(c, sys.argv[3], msg('elsewhere')); c.close()\n"
        )
        subprocess.run(
            [sys.executable, "-c", script, str(cache.path), str(root), acc],
            check=True,
            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        )
        assert cache.data_version() != before
    finally:
        cache.close()
