"""The window fits the person's desktop: it comes back where it was (size,
splitters, view, conversation), first opens at a size the screen holds,
and its popups open whole and on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QTextCursor

from console.views import window_layout
from console.views.actions import on_screen
from console.views.main_window import MainWindow
from console.views.tasks import Runner
from tests.helpers.window import open_window


def test_columns_give_the_list_half_of_what_the_sidebar_leaves() -> None:
    side, listed, pane = window_layout.column_sizes(1366)
    assert side == window_layout.SIDEBAR_WIDTH and side + listed + pane == 1366
    assert 0.45 < listed / (listed + pane) <= 0.5


def test_a_popup_is_placed_wholly_on_screen() -> None:
    area = QRect(0, 0, 1366, 740)  # a maximised window's screen, minus a panel
    size = QSize(220, 300)
    # A button near the bottom: the menu opens upwards from its top.
    assert on_screen(QPoint(700, 730), size, area, above=705) == QPoint(700, 405)
    # Near the right edge: moved left to fit.
    assert on_screen(QPoint(1300, 100), size, area).x() == 1366 - 220
    # Room below: where it was asked.
    assert on_screen(QPoint(10, 20), size, area) == QPoint(10, 20)
    # Taller than the screen: starts at its top.
    assert on_screen(QPoint(10, 500), QSize(100, 900), area).y() == 0


def _window(qtbot: Any, cache: Any, ini: Path) -> MainWindow:
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    window = MainWindow(Runner(cache), settings, demo=True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window_layout.show_window(window)
    return window


def test_size_splitters_view_and_conversation_come_back(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    ini = tmp_path / "window.ini"
    first = _window(qtbot, demo_cache, ini)
    try:
        assert not first.geometry_restored  # a first start: sized for the screen
        with qtbot.waitSignal(first.model.loaded, timeout=10_000):
            assert first.sidebar.select("view", "closed", announce=True)
        assert first.model.rowCount() >= 2
        first.table.selectRow(1)
        chosen = first.model.conversation_id(1)
        qtbot.waitUntil(lambda: first.pane.shown_id == chosen)
        first.showNormal()
        # Inside the offscreen screen (800x800), at the window's narrowest.
        wanted = QSize(first.minimumSizeHint().width(), 540)
        first.resize(wanted)
        qtbot.waitUntil(lambda: first.size() == wanted)
        first.splitter.setSizes([190, 300, wanted.width() - 490])
        sizes = first.splitter.sizes()
        first.close()
    finally:
        first.runner.shutdown()
    second = _window(qtbot, demo_cache, ini)
    try:
        assert second.geometry_restored
        assert second.size() == wanted
        assert second.splitter.sizes() == sizes
        assert second.sidebar.choice() == ("view", "closed")
        qtbot.waitUntil(lambda: second.pane.shown_id == chosen)
    finally:
        second.runner.shutdown()


def test_saved_replies_are_preloaded_and_insert_at_the_cursor(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        composer = window.pane.composer
        qtbot.waitUntil(lambda: bool(composer.saved_list))
        menu = composer._saved_menu()
        labels = [a.text() for a in menu.actions()]
        assert "Loading…" not in labels and len(labels) == len(composer.saved_list or ())
        qtbot.waitUntil(lambda: not window.pane.editor.isReadOnly())
        window.pane.editor.setPlainText("[start] [end]")
        cursor = window.pane.editor.textCursor()
        cursor.setPosition(len("[start] "))
        window.pane.editor.setTextCursor(cursor)
        first_id = (composer.saved_list or ())[0][0]
        composer.insert_saved(first_id)
        qtbot.waitUntil(lambda: window.pane.editor.toPlainText() != "[start] [end]")
        text = window.pane.editor.toPlainText()
        assert text.startswith("[start] ") and text.endswith("[end]") and len(text) > 14
        # A second one goes in at the cursor, after the first.
        window.pane.editor.moveCursor(QTextCursor.MoveOperation.End)
        composer.insert_saved(first_id)
        qtbot.waitUntil(lambda: not window.pane.editor.toPlainText().endswith("[end]"))
    finally:
        window.runner.shutdown()
