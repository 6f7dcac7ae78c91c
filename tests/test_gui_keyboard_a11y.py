"""Keyboard behaviour of the main window on real widgets and a demo cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from console.models.vocabulary import PRIORITY_RANK
from console.views.actions import ActionMenus
from console.views.ops.queue import Tag, Untag
from tests.helpers.window import open_window, stored_priority


def test_escape_in_search_clears_it_and_returns_to_the_queue(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        window.activateWindow()
        qtbot.waitActive(window)
        window.search.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search)
        window.search.setText("zzz")
        QTest.keyClick(window.search, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: window.search.text() == "")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table)
    finally:
        window.runner.shutdown()


def _focused() -> Any:
    return QApplication.focusWidget()


def test_every_control_has_its_english_name_and_a_description(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        named: dict[str, list[QWidget]] = {}
        for widget in window.findChildren(QWidget):
            if widget.accessibleName():
                named.setdefault(widget.accessibleName(), []).append(widget)
        wanted = ["Conversations", "Conversation", "Reply", "Internal note", "Send", "Views"]
        wanted += ["Search", "Take", "Assign", "Snooze", "Tags", "Priority", "Close", "Pending"]
        for name in wanted:
            visible = [w for w in named.get(name, []) if w.isVisible()]
            assert len(visible) == 1, (name, visible)
            assert visible[0].accessibleDescription(), name
        assert named["Conversations"][0] is window.table
        assert named["Reply"][0] is window.pane.editor
        assert named["Internal note"][0] is window.pane.note_input
        # The bulk bar answers to the same verbs while several rows are selected.
        assert {"Assign", "Snooze", "Tags", "Priority", "Close"} <= set(window.queue.bulk_buttons)
        assert window.queue.bulk_buttons["Close"].accessibleName() == "Close"
    finally:
        window.runner.shutdown()


def test_focus_starts_in_the_queue_and_tab_walks_queue_thread_reply_note(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        window.activateWindow()
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda: _focused() is window.table)
        assert not window.table.tabKeyNavigation()  # one stop, not cell by cell
        qtbot.waitUntil(lambda: window.pane.shown_id is not None)
        for expected in (window.pane.browser, window.pane.editor, window.pane.note_input):
            QTest.keyClick(_focused(), Qt.Key.Key_Tab)
            qtbot.waitUntil(lambda w=expected: _focused() is w)
        # Back: Shift+Tab from the reply box to the thread.
        window.pane.editor.setFocus()
        qtbot.waitUntil(lambda: _focused() is window.pane.editor)
        QTest.keyClick(window.pane.editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: _focused() is window.pane.browser)
        assert "\t" not in window.pane.editor.toPlainText()
    finally:
        window.runner.shutdown()


def test_escape_in_the_reply_box_returns_to_the_queue(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        window.activateWindow()
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda: window.pane.shown_id is not None)
        QTest.keyClick(window.table, Qt.Key.Key_R)  # r: reply
        qtbot.waitUntil(lambda: _focused() is window.pane.editor)
        QTest.keyClicks(window.pane.editor, "Bonjour")
        QTest.keyClick(window.pane.editor, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: _focused() is window.table)
        assert window.pane.editor.toPlainText().endswith("Bonjour")  # the text stays
    finally:
        window.runner.shutdown()


def test_escape_in_the_note_field_returns_to_the_queue_and_keeps_the_note(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        window.activateWindow()
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda: window.pane.shown_id is not None)
        window.pane.note_input.setFocus()
        qtbot.waitUntil(lambda: _focused() is window.pane.note_input)
        QTest.keyClicks(window.pane.note_input, "ask Lea")
        QTest.keyClick(window.pane.note_input, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: _focused() is window.table)
        assert window.pane.note_input.text() == "ask Lea"
    finally:
        window.runner.shutdown()


def test_escape_in_the_thread_or_on_a_pane_button_returns_to_the_queue(
    qtbot: Any, demo_cache: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        window.activateWindow()
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda: window.pane.shown_id is not None)
        for place in (window.pane.browser, window.pane.take_button, window.pane.close_button):
            place.setFocus()
            qtbot.waitUntil(lambda p=place: _focused() is p)
            QTest.keyClick(place, Qt.Key.Key_Escape)
            qtbot.waitUntil(lambda: _focused() is window.table)
    finally:
        window.runner.shutdown()


def test_p_opens_the_priority_menu_and_sets_it(
    qtbot: Any, demo_cache: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    window = open_window(qtbot, demo_cache, tmp_path, demo=True)
    try:
        qtbot.waitUntil(lambda: window.pane.shown_id is not None)
        conv_id = window.pane.shown_id
        shown: list[list[str]] = []

        def answer(menu: Any, *_args: Any) -> None:
            entries = [a for a in menu.actions() if a.text()]
            shown.append([a.text() for a in entries])
            next(a for a in entries if a.text() == "Urgent").trigger()

        monkeypatch.setattr("console.views.actions.show_menu", answer)
        window.table.setFocus()
        QTest.keyClick(window.table, Qt.Key.Key_P)
        assert shown and "Low" in shown[0]

        qtbot.waitUntil(lambda: stored_priority(demo_cache, conv_id) == PRIORITY_RANK["urgent"])
    finally:
        window.runner.shutdown()


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no raise, no grab
def test_the_tag_menu_stays_open_for_several_toggles(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    menus = ActionMenus(parent)
    menus.data.tags = ["bug", "vip", "presse"]
    chosen: list[object] = []
    menus.chosen.connect(chosen.append)
    menu = menus.tag_menu(("vip",))
    menu.popup(parent.mapToGlobal(parent.rect().center()))
    qtbot.waitUntil(menu.isVisible)
    by_name = {a.text(): a for a in menu.actions()}
    for name in ("bug", "vip", "bug"):
        menu.setActiveAction(by_name[name])
        QTest.keyClick(menu, Qt.Key.Key_Return)
        assert menu.isVisible()  # still open for the next toggle
    assert chosen == [Tag("bug"), Untag("vip"), Untag("bug")]
    QTest.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
