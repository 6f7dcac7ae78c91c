"""The window sees other processes' writes (issue 10): change_log +
data_version, refreshed through the same path as our own writer's change
sets, and never twice for our own writes."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from console import paths
from console.demo import build_demo
from console.models import writer
from console.models.db import open_cache
from console.models.writer import ChangeSet
from console.services import team, workflow
from console.views.main_window import MainWindow
from tests.helpers.factories import add_account, conv_by_key, msg, put
from tests.helpers.window import open_window

ROOT = Path(__file__).resolve().parents[1]


def _assign(path: Path, conv_id: str, member: str) -> None:
    """Another writer on the same file (a second Cache: its own writer and
    origin, exactly like another process), run on another thread."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with open_cache(path) as other:
                other.writer.call(lambda tx: workflow.assign(tx, conv_id, member))
        except BaseException as exc:  # reported on the test's thread
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert not errors, errors


# -- the model side ------------------------------------------------------------


def test_foreign_changes_reports_another_writer_and_skips_our_own(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with open_cache(path) as cache:
        acc = add_account(cache)
        put(cache, acc, msg("hello"))
        conv = conv_by_key(cache, acc, "hello").id
        seq, nothing = cache.foreign_changes(None)
        assert nothing is None
        # Our own writer's commit: data_version moves, but nothing is reported.
        cache.writer.call(lambda tx: workflow.take(tx, conv))
        seq, own = cache.foreign_changes(seq)
        assert own is None
        with open_cache(path) as other:
            other.writer.call(lambda tx: workflow.set_status(tx, conv, "pending"))
        seq2, theirs = cache.foreign_changes(seq)
        assert theirs is not None and theirs.conversations == {conv}
        assert not theirs.everything
        assert seq2 > seq
        assert cache.foreign_changes(seq2) == (seq2, None)  # nothing new: no query


def test_the_log_keeps_only_its_newest_rows_and_a_reader_behind_it_reloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "CHANGE_LOG_KEEP", 10)
    path = tmp_path / "cache.sqlite"
    with open_cache(path) as cache:
        acc = add_account(cache)
        put(cache, acc, msg("hello"))
        conv = conv_by_key(cache, acc, "hello").id
        seq, _ = cache.foreign_changes(None)
        with open_cache(path) as other:
            for n in range(15):
                level = "high" if n % 2 else "low"
                other.writer.call(
                    functools.partial(workflow.set_priority, conv_id=conv, priority=level)
                )
        with cache.read() as s:
            assert s.execute(text("SELECT count(*) FROM change_log")).scalar() == 10
        _seq, behind = cache.foreign_changes(seq)
        assert behind is not None and behind.everything


def test_a_huge_change_set_is_logged_as_everything() -> None:
    big = ChangeSet(conversations={f"c{n}" for n in range(writer.CHANGE_LOG_MAX_IDS + 1)})
    assert ChangeSet.from_json(big.to_json()).everything
    small = ChangeSet(conversations={"a"}, redirects={"x": "a"}, outbox=True, messages_added=3)
    back = ChangeSet.from_json(small.to_json())
    assert (back.conversations, back.redirects, back.outbox, back.messages_added) == (
        {"a"}, {"x": "a"}, True, 3
    )  # fmt: skip
    assert ChangeSet.from_json("not json").everything


def test_a_schema_2_cache_gains_the_log(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from console.models import db

    path = tmp_path / "cache.sqlite"
    engine = db._make_engine(path, "BEGIN IMMEDIATE", single=True)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.exec_driver_sql(f"PRAGMA application_id = {db.APPLICATION_ID}")
        conn.exec_driver_sql("PRAGMA user_version = 2")
    engine.dispose()
    with open_cache(path) as cache:
        acc = add_account(cache)
        put(cache, acc, msg("after the upgrade"))
        with cache.read() as s:
            assert s.execute(text("SELECT count(*) FROM change_log")).scalar_one() >= 1


# -- the window ------------------------------------------------------------------


def _window(qtbot: Any, cache: Any, tmp_path: Path) -> MainWindow:
    return open_window(qtbot, cache, tmp_path, demo=True)


def _ana(model: Any, conv_id: str) -> bool:
    """The row shows the other writer's assignment (what the test waits for;
    a minute tick's dataChanged does not count)."""
    row = model.queue_row(conv_id)
    return row is not None and row.assignee_name == "Ana Souza"


def _unassigned_row(window: MainWindow) -> tuple[int, str]:
    model = window.model
    for r in range(model.rowCount()):
        conv_id = model.conversation_id(r)
        row = model.queue_row(conv_id or "")
        if conv_id and row is not None and row.assignee_id is None:
            return r, conv_id
    raise AssertionError("no unassigned row in the demo")


@pytest.fixture
def demo_path() -> Path:
    path = paths.cache_path()
    build_demo(path)
    return path


def test_the_window_shows_another_writers_assign_and_keeps_the_open_conversation(
    qtbot, demo_path: Path, tmp_path: Path
) -> None:
    cache = open_cache(demo_path)
    try:
        window = _window(qtbot, cache, tmp_path)
        model = window.model
        row, conv_id = _unassigned_row(window)
        window.table.selectRow(row)
        qtbot.waitUntil(lambda: window.pane.conv_id == conv_id, timeout=5000)
        own_refreshes: list[set[str]] = []
        window.runner.changed.connect(lambda c: own_refreshes.append(set(c.conversations)))
        with qtbot.waitSignal(
            model.dataChanged, timeout=10_000, check_params_cb=lambda *_: _ana(model, conv_id)
        ):
            _assign(demo_path, conv_id, "Ana Souza")
        assert model.queue_row(conv_id).assignee_name == "Ana Souza"  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: "Ana Souza" in window.pane.title.text(), timeout=5000)
        assert window.pane.conv_id == conv_id
        # Our own write is announced once (by our writer), not again by the watcher.
        own_refreshes.clear()
        with cache.read() as s:
            yusuf = team.find_member(s, "Yusuf Demir").id
        seen = window.runner._watch_seq
        done = threading.Event()
        cache.writer.submit(lambda tx: workflow.assign(tx, conv_id, yusuf)).add_done_callback(
            lambda _f: done.set()
        )
        qtbot.waitUntil(lambda: bool(own_refreshes), timeout=5000)
        # The watcher read our own row from the log (its position moved past
        # it) and announced nothing more.
        qtbot.waitUntil(lambda: done.is_set() and window.runner._watch_seq != seen, timeout=10_000)
        assert own_refreshes == [{conv_id}]
        window.runner.shutdown()
    finally:
        cache.close()


def test_the_window_shows_a_parloir_assign_run_in_a_terminal(
    qtbot, demo_path: Path, tmp_path: Path, parloir_home: Path
) -> None:
    cache = open_cache(demo_path)
    try:
        window = _window(qtbot, cache, tmp_path)
        model = window.model
        _row, conv_id = _unassigned_row(window)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARLOIR")}
        env.update({"PARLOIR_HOME": str(parloir_home), "PYTHONPATH": str(ROOT)})
        with qtbot.waitSignal(
            model.dataChanged,
            timeout=30_000,
            check_params_cb=lambda *_: _ana(model, conv_id),
        ):
            done = subprocess.run(
                [sys.executable, "-m", "console", "assign", conv_id, "Ana Souza"],
                capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
        assert model.queue_row(conv_id).assignee_name == "Ana Souza"  # type: ignore[union-attr]
        window.runner.shutdown()
    finally:
        cache.close()


def test_a_window_behind_the_pruned_log_reloads_its_view_and_keeps_the_pane(
    qtbot, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "CHANGE_LOG_KEEP", 3)
    cache = open_cache(demo_path)
    try:
        window = _window(qtbot, cache, tmp_path)
        model = window.model
        row, conv_id = _unassigned_row(window)
        window.table.selectRow(row)
        qtbot.waitUntil(lambda: window.pane.conv_id == conv_id, timeout=5000)
        runner = window.runner
        runner._watch_timer.stop()  # the test decides when the watcher looks
        qtbot.waitUntil(lambda: not runner._watching, timeout=5000)
        with open_cache(demo_path) as other:
            for level in ("high", "low", "high", "low", "high"):
                other.writer.call(
                    functools.partial(workflow.set_priority, conv_id=conv_id, priority=level)
                )
            other.writer.call(lambda tx: workflow.assign(tx, conv_id, "Ana Souza"))
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            runner.look_for_foreign_writes()
        assert _ana(model, conv_id)
        assert window.pane.conv_id == conv_id
        runner.shutdown()
    finally:
        cache.close()


def test_a_draft_written_in_a_terminal_reaches_the_open_composer(
    qtbot, demo_path: Path, tmp_path: Path
) -> None:
    from console.services import drafts

    cache = open_cache(demo_path)
    try:
        window = _window(qtbot, cache, tmp_path)
        row, conv_id = _unassigned_row(window)
        window.table.selectRow(row)
        qtbot.waitUntil(lambda: window.pane.shown_id == conv_id, timeout=5000)
        with open_cache(demo_path) as other:
            other.writer.call(lambda tx: drafts.save_draft(tx, conv_id, "written elsewhere"))
        qtbot.waitUntil(
            lambda: window.pane.editor.toPlainText() == "written elsewhere", timeout=10_000
        )
        assert window.pane.conv_id == conv_id
        window.runner.shutdown()
    finally:
        cache.close()
