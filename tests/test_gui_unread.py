"""Unread marks, counts and what the window says about me: a conversation
open for the dwell becomes read, one passed over with j/k does not, "u"
brings it back; each view counts its unread; the title and the status bar
say what waits and who I am."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import text

from console.services import queue
from console.views.main_window import MainWindow
from console.views.read_marks import ReadMarks
from console.views.tasks import Runner
from tests.helpers.window import open_window


def _unread(cache: Any, conv_id: str) -> bool:
    with cache.read() as s:
        return bool(
            s.execute(
                text("SELECT unread FROM conversations WHERE id = :i"), {"i": conv_id}
            ).scalar_one()
        )


def test_an_open_conversation_becomes_read_after_the_dwell_and_u_undoes_it(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        qtbot.waitUntil(lambda: window.pane.shown_id is not None)
        conv_id = window.pane.shown_id
        assert conv_id is not None and _unread(demo_cache, conv_id)
        # The dwell passes with the conversation on screen.
        qtbot.waitUntil(lambda: not _unread(demo_cache, conv_id))
        row = window.model.row_of(conv_id)
        qtbot.waitUntil(lambda: not window.model.queue_row(conv_id).unread)  # type: ignore[union-attr]
        assert row >= 0
        window.table.setFocus()
        qtbot.keyClick(window.table, "u")
        qtbot.waitUntil(lambda: _unread(demo_cache, conv_id))
        # Marked unread by the person: it stays so while it stays open.
        qtbot.waitUntil(lambda: window.model.queue_row(conv_id).unread)  # type: ignore[union-attr]
        with qtbot.waitSignal(window.pane.loaded, timeout=5000):
            window.pane.reload()
        assert not window.read_marks.timer.isActive()
    finally:
        window.runner.shutdown()


def test_passing_over_a_conversation_does_not_read_it(qtbot: Any, demo_cache: Any) -> None:
    runner = Runner(demo_cache)
    try:
        marks = ReadMarks(runner)
        marks.timer.setInterval(3_600_000)  # the dwell is fired by hand below
        with demo_cache.read() as s:
            first, second = [
                str(r[0])
                for r in s.execute(text("SELECT id FROM conversations WHERE unread = 1 LIMIT 2"))
            ]
        marks.shown(first, True)
        marks.shown(second, True)  # j: moved on before the dwell
        marks.shown(second, True)  # a reload of the same one keeps its dwell going
        assert marks.timer.isActive()
        marks.timer.timeout.emit()
        qtbot.waitUntil(lambda: not _unread(demo_cache, second))
        assert _unread(demo_cache, first)
        marks.left()
        assert not marks.timer.isActive()
    finally:
        runner.shutdown()


def test_views_count_their_unread_and_a_new_read_lowers_it(demo_cache: Any) -> None:
    with demo_cache.read() as s:
        before = queue.unread_counts(s)
        one = s.execute(
            text(
                "SELECT id FROM conversations WHERE unread = 1 AND status = 'open' "
                "AND (snoozed_until IS NULL) LIMIT 1"
            )
        ).scalar_one()
    assert before["open"] > 0 and set(before) == set(queue.VIEWS)
    from console.services import workflow

    demo_cache.writer.call(lambda tx: workflow.mark_read(tx, one))
    with demo_cache.read() as s:
        after = queue.unread_counts(s)
        totals = queue.counts(s)
    assert after["open"] == before["open"] - 1
    assert all(after[v] <= totals[v] for v in queue.VIEWS)


def test_title_and_status_bar_say_what_waits_and_who_i_am(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window: MainWindow = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        with demo_cache.read() as s:
            counts = queue.counts(s, me_id=window.me_id)
        title = f"Parloir — {counts['mine']} mine, {counts['unassigned']} unassigned"
        qtbot.waitUntil(lambda: window.windowTitle().startswith(title))
        assert re.fullmatch(r"Parloir — \d+ mine, \d+ unassigned — demo", window.windowTitle())
        assert window.me_name and window.me_label.text() == window.me_name
        assert window.me_label.isVisible()
        # Sidebar: "Mine · N new    total", bold while unread.
        mine = window.sidebar.item(0)
        qtbot.waitUntil(lambda: "new" in mine.text())
        assert mine.text().split()[-1] == str(counts["mine"]) and mine.font().bold()
    finally:
        window.runner.shutdown()


def test_settings_say_who_i_am(qtbot: Any, demo_cache: Any, tmp_path: Path) -> None:
    from console.views.settings_dialog import SettingsDialog

    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        dialog = SettingsDialog(window.runner, window)
        qtbot.addWidget(dialog)
        dialog.team.load()
        qtbot.waitUntil(lambda: window.me_name in dialog.team.me_label.text())
        assert dialog.team.me_label.text().startswith("You are ")
    finally:
        window.runner.shutdown()
