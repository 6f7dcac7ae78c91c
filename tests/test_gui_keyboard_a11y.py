"""Keyboard behaviour of the main window on real widgets and a demo cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.helpers.window import open_window


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
