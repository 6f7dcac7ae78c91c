"""The status bar's Undo on a demo window: a bulk close says how many and
is undone by Ctrl+Z, a snooze from the pane by the Undo button; Ctrl+Z in
the search box stays the field's own; the offer goes when its time is up."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import text

from console.models.db import Cache
from console.models.vocabulary import Status
from console.services import undo
from console.views import dates
from console.views.main_window import MainWindow
from console.views.ops.queue import SetStatus, Snooze, Tag
from tests.helpers.window import open_window

Flag = QItemSelectionModel.SelectionFlag


def _statuses(cache: Cache, ids: list[str]) -> dict[str, str]:
    query = text("SELECT status FROM conversations WHERE id = :i")
    with cache.read() as s:
        return {i: str(s.execute(query, {"i": i}).scalar_one()) for i in ids}


def _ctrl_z(widget: QWidget) -> None:
    """Ctrl+Z on ``widget``, then Ctrl let go: QTest leaves the application
    believing Ctrl is still held, and a later test's selectRow would then
    toggle rows instead of selecting them."""
    QTest.keyClick(widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyRelease(widget, Qt.Key.Key_Control)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier


def _snoozed_until(cache: Cache, conv_id: str) -> Any:
    with cache.read() as s:
        query = text("SELECT snoozed_until FROM conversations WHERE id = :i")
        return s.execute(query, {"i": conv_id}).scalar_one()


def _active_window(qtbot: Any, cache: Cache, tmp_path: Path) -> MainWindow:
    window = open_window(qtbot, cache, tmp_path, demo=True)
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def _select_first(window: MainWindow, n: int) -> list[str]:
    window.queue.make_current(0)
    for row in range(1, n):
        window.table.selectionModel().select(window.model.index(row, 0), Flag.Select | Flag.Rows)
    ids = window.selected_ids()
    assert len(ids) == n
    return ids


def _close_three(qtbot: Any, window: MainWindow, cache: Cache) -> tuple[list[str], dict[str, str]]:
    ids = _select_first(window, 3)
    before = _statuses(cache, ids)
    window.bulk_menus.chosen.emit(SetStatus(Status.CLOSED))  # the bulk bar's Close
    bar = window.undo_bar
    qtbot.waitUntil(lambda: bar.message.text() == "Closed 3 conversations.", timeout=5000)
    assert set(_statuses(cache, ids).values()) == {"closed"}
    return ids, before


def test_bulk_close_says_how_many_and_ctrl_z_undoes_it(
    qtbot: Any, demo_cache: Cache, tmp_path: Path
) -> None:
    window = _active_window(qtbot, demo_cache, tmp_path)
    try:
        ids, before = _close_three(qtbot, window, demo_cache)
        bar = window.undo_bar
        assert bar.isVisible() and bar.button.isVisible()
        assert bar.button.accessibleName() == "Undo"
        qtbot.waitUntil(lambda: all(window.model.row_of(i) == -1 for i in ids), timeout=5000)

        window.table.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table)
        _ctrl_z(window.table)

        qtbot.waitUntil(lambda: bar.message.text() == "Undone.", timeout=5000)
        assert not bar.button.isVisible()
        assert _statuses(demo_cache, ids) == before  # open (or pending) again
        qtbot.waitUntil(lambda: all(window.model.row_of(i) >= 0 for i in ids), timeout=5000)
        with demo_cache.read() as s:
            undos = s.execute(
                text("SELECT count(*) FROM activities WHERE op = 'undo'")
            ).scalar_one()
        assert undos == 3
    finally:
        window.runner.shutdown()


def test_ctrl_z_in_the_search_box_is_the_fields_own(
    qtbot: Any, demo_cache: Cache, tmp_path: Path
) -> None:
    window = _active_window(qtbot, demo_cache, tmp_path)
    try:
        ids, _before = _close_three(qtbot, window, demo_cache)
        window.search.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search)
        qtbot.keyClicks(window.search, "abc")
        _ctrl_z(window.search)
        assert window.search.text() != "abc"  # the typing was undone...
        assert window.undo_bar.token is not None  # ...not the close
        editor = window.pane.editor
        editor.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
        qtbot.keyClicks(editor, "Hello")
        _ctrl_z(editor)
        assert editor.toPlainText() != "Hello"  # the reply's own undo
        assert window.undo_bar.token is not None
        assert window.undo_bar.button.isVisible()
        assert set(_statuses(demo_cache, ids).values()) == {"closed"}
    finally:
        window.runner.shutdown()


def test_a_snooze_from_the_pane_is_undone_by_the_button(
    qtbot: Any, demo_cache: Cache, tmp_path: Path
) -> None:
    window = _active_window(qtbot, demo_cache, tmp_path)
    try:
        conv_id = window.model.conversation_id(0)
        assert conv_id
        window.queue.make_current(0)
        qtbot.waitUntil(lambda: window.pane.conv_id == conv_id, timeout=5000)
        before = _statuses(demo_cache, [conv_id])[conv_id]
        snoozed_before = _snoozed_until(demo_cache, conv_id)
        until = datetime(2099, 1, 8, 9, 0, tzinfo=UTC)
        window.pane.menus.chosen.emit(Snooze(until))  # what the pane's Snooze menu does
        bar = window.undo_bar
        when = dates.day_time(until)  # the locale's day and time
        qtbot.waitUntil(lambda: bar.message.text() == f"Snoozed until {when}.", timeout=5000)
        assert _statuses(demo_cache, [conv_id])[conv_id] == "snoozed"

        qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: bar.message.text() == "Undone.", timeout=5000)
        assert _statuses(demo_cache, [conv_id])[conv_id] == before
        assert _snoozed_until(demo_cache, conv_id) == snoozed_before
        qtbot.waitUntil(lambda: window.model.row_of(conv_id) >= 0, timeout=5000)
        # One conversation undone: it is the open one again, as before the snooze.
        qtbot.waitUntil(lambda: window.pane.shown_id == conv_id, timeout=5000)
    finally:
        window.runner.shutdown()


def test_the_offer_goes_when_its_time_is_up(qtbot: Any, demo_cache: Cache, tmp_path: Path) -> None:
    window = _active_window(qtbot, demo_cache, tmp_path)
    try:
        bar = window.undo_bar
        assert bar.timer.interval() == 10_000
        ids, _before = _close_three(qtbot, window, demo_cache)
        with qtbot.waitSignal(bar.timer.timeout, timeout=5000):
            bar.timer.start(1)  # instead of waiting ten seconds
        assert not bar.isVisible() and bar.token is None
        window.table.setFocus()
        _ctrl_z(window.table)
        assert set(_statuses(demo_cache, ids).values()) == {"closed"}  # nothing left to undo
    finally:
        window.runner.shutdown()


def test_only_the_latest_action_is_offered(qtbot: Any, demo_cache: Cache, tmp_path: Path) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        bar = window.undo_bar
        state = undo.State(None, "open", None, 0, frozenset())
        closed = undo.State(None, "closed", None, 0, frozenset())
        token = undo.UndoToken("me", "", (undo.Change("c1", state, closed),))
        first = bar.pending(SetStatus(Status.CLOSED))
        second = bar.pending(Tag("vip"))
        first(token)  # its write lands after the second action started
        assert bar.token is None and not bar.isVisible()
        second(token)
        assert bar.token is token and bar.message.text() == "Tagged #vip."
        bar.pending(SetStatus(Status.OPEN))  # a third starts (and might fail)
        assert bar.token is None and not bar.isVisible()  # Ctrl+Z cannot undo the second
    finally:
        window.runner.shutdown()
