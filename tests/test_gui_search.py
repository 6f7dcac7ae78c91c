"""Searching in the window: prefixes, the "All" scope, the empty state and
the highlighted words, on the demo workspace and real widgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLineEdit

from console.models.db import Cache
from console.views.main_window import MainWindow
from console.views.search_marks import MARK_COLOUR
from tests.helpers.window import open_window


def _by_name(window: MainWindow, kind: Any, name: str) -> Any:
    (found,) = [w for w in window.findChildren(kind) if w.accessibleName() == name]
    return found


def _search(qtbot: Any, window: MainWindow, text: str) -> None:
    """Type ``text`` in the search field (found by its accessible name) and
    wait for the list it asks for."""
    field = _by_name(window, QLineEdit, "Search")
    field.clear()
    with qtbot.waitSignal(window.model.loaded, timeout=10_000):
        qtbot.keyClicks(field, text)
    qtbot.waitUntil(lambda: window.model.filter.search == text, timeout=10_000)


def _messages(window: MainWindow) -> list[str]:
    column = window.model.COLUMNS.index("message")
    return [str(window.model.index(r, column).data()) for r in range(window.model.rowCount())]


def test_a_prefix_finds_rows_and_is_highlighted(
    qtbot: Any, demo_cache: Cache, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        _search(qtbot, window, "Belg")
        messages = _messages(window)
        assert messages and all("Belgium" in m for m in messages)
        assert window.queue.list_stack.currentWidget() is window.table
        index = window.model.index(0, window.model.COLUMNS.index("message"))
        start, end = window.queue.hits.hits(index)[0]
        assert messages[0][start:end] == "Belg"
        # The delegate paints the highlight behind the word in the row.
        cell = window.table.visualRect(index)
        image = window.table.viewport().grab(cell).toImage()
        mark = QColor(MARK_COLOUR)
        painted = {
            image.pixelColor(x, y).name()
            for x in range(image.width())
            for y in range(image.height())
        }
        assert mark.name() in painted
        # The open conversation's thread marks the word too.
        qtbot.waitUntil(lambda: "#ffe58a" in window.pane.browser.toHtml(), timeout=10_000)
        assert "Belgium" in window.pane.browser.toPlainText()
    finally:
        window.runner.shutdown()


def test_no_match_says_so_and_offers_every_conversation(
    qtbot: Any, demo_cache: Cache, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        scope = _by_name(window, QComboBox, "Search scope")
        assert scope.currentData() == "view"
        _search(qtbot, window, "zzqxj")
        empty = window.queue.empty
        assert window.queue.list_stack.currentWidget() is empty
        assert empty.label.text() == "No conversations match “zzqxj” in All open."
        assert not empty.search_all.isHidden()
        _search(qtbot, window, '<b>zz</b> "NEAR(*')  # FTS syntax and markup are just text
        assert empty.label.text() == 'No conversations match “<b>zz</b> "NEAR(*” in All open.'
        assert empty.label.textFormat() == Qt.TextFormat.PlainText

        # "cadeaux" is only in a closed conversation: not in All open...
        _search(qtbot, window, "cade")
        assert window.model.rowCount() == 0
        # ...but the empty state's button searches everything and finds it.
        with qtbot.waitSignal(window.model.loaded, timeout=10_000):
            qtbot.mouseClick(empty.search_all, Qt.MouseButton.LeftButton)
        assert scope.currentData() == "all"
        assert window.model.filter.view == "all"
        assert any("Cartes cadeaux" in m for m in _messages(window))
        assert window.queue.list_stack.currentWidget() is window.table
        settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
        assert settings.value("queue/scope") == "all"

        _search(qtbot, window, "zzqxj")  # in All: no view named, nothing wider to offer
        assert empty.label.text() == "No conversation matches “zzqxj”."
        assert empty.search_all.isHidden()
    finally:
        window.runner.shutdown()


def test_the_scope_is_remembered(qtbot: Any, demo_cache: Cache, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("queue/scope", "all")
    settings.sync()
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        assert window.queue.scope_all()
        assert window.model.filter.view == "open"  # no search: the sidebar's view
        _search(qtbot, window, "cade")
        assert any("Cartes cadeaux" in m for m in _messages(window))
    finally:
        window.runner.shutdown()


def test_an_empty_view_is_calm(qtbot: Any, cache: Cache, tmp_path: Path) -> None:
    window = open_window(qtbot, cache, tmp_path, demo=True)
    try:
        qtbot.waitUntil(
            lambda: window.queue.list_stack.currentWidget() is window.queue.empty, timeout=10_000
        )
        assert window.queue.empty.label.text() == "Nothing waiting here."
        assert window.queue.empty.search_all.isHidden()
    finally:
        window.runner.shutdown()


def test_a_match_beyond_the_cell_is_brought_into_view() -> None:
    from console.views.hit_delegate import lead_in

    short = "Hi, Belgium?"
    assert lead_in(short, short.index("Belg")) == short
    text = "Hi! Do you ship your bread-bike kits all the way to Belgium? Fee?"
    shown = lead_in(text, text.index("Belg"))
    assert shown.startswith("…") and shown.endswith("to Belgium? Fee?")
    assert text.endswith(shown[1:]) and text[len(text) - len(shown)] == " "  # a word start
    assert len(shown) < len(text)
