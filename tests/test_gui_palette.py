"""The command palette (Ctrl+K): found by a few letters, run by Enter, and
saved replies inserted at the reply box's cursor, several in one reply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from console.views.palette import Command, filtered, matches
from tests.helpers.window import open_window, stored_priority


def test_each_typed_word_starts_a_word_of_the_entry() -> None:
    assert matches("sn tom", "Snooze: Tomorrow 9:00")
    assert matches("etiq", "Étiqueter #presse")
    assert matches("", "anything")
    assert not matches("xyz", "Close")
    assert not matches("lose", "Close")  # a start of a word, not any part of it
    entries = [Command("Close", print), Command("Pending", print)]
    assert [c.label for c in filtered(entries, "pen")] == ["Pending"]


def _ctrl_k(widget: QWidget) -> None:
    """Ctrl+K, then Ctrl let go (QTest would leave it held for later tests)."""
    QTest.keyClick(widget, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    QTest.keyRelease(widget, Qt.Key.Key_Control)


def test_saved_replies_go_in_at_the_cursor_from_the_palette(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        window.activateWindow()
        qtbot.waitActive(window)
        composer, editor = window.pane.composer, window.pane.editor
        qtbot.waitUntil(lambda: bool(composer.saved_list) and not editor.isReadOnly())
        name = (composer.saved_list or ())[0][1]
        editor.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
        editor.setPlainText("Bonjour, ")
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        for round_ in (1, 2):
            before = editor.toPlainText()
            _ctrl_k(editor)  # from inside the reply box: not "delete to end of line"
            qtbot.waitUntil(lambda: window.command_palette is not None)
            palette = window.command_palette
            assert palette is not None
            qtbot.waitUntil(palette.isVisible)
            QTest.keyClicks(palette.field, f"saved {name}")
            assert palette.list.count() >= 1
            QTest.keyClick(palette.field, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda b=before: editor.toPlainText() != b)
            assert editor.toPlainText().startswith(before), round_
        assert editor.toPlainText().startswith("Bonjour, ")
        assert len(editor.toPlainText()) > len("Bonjour, ") + 2 * 10
    finally:
        window.runner.shutdown()


def test_an_action_runs_from_the_palette(qtbot: Any, demo_cache: Any, tmp_path: Path) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        window.activateWindow()
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda: window.pane.shown_id is not None)
        conv_id = window.pane.shown_id
        window.table.setFocus()
        _ctrl_k(window.table)
        qtbot.waitUntil(lambda: window.command_palette is not None)
        palette = window.command_palette
        assert palette is not None
        qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.field)  # it has the keys
        QTest.keyClicks(palette.field, "zzzz")
        assert palette.list.count() == 0 and palette.empty.isVisibleTo(palette)
        palette.field.clear()
        QTest.keyClicks(palette.field, "priority urg")
        QTest.keyClick(palette.field, Qt.Key.Key_Return)

        from console.models.vocabulary import PRIORITY_RANK

        qtbot.waitUntil(lambda: stored_priority(demo_cache, conv_id) == PRIORITY_RANK["urgent"])
        assert window.command_palette is None  # closed (and gone)
    finally:
        window.runner.shutdown()
