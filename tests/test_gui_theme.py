"""Light, dark, or the desktop's: the Settings choice changes the palette at
once, is stored, and the thread's secondary text takes the palette's colour
(never a fixed grey written for a white page)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from console.models.db import Cache
from console.models.schema import Setting
from console.views import pane_header, theme
from console.views.main_window import MainWindow
from console.views.settings_dialog import SettingsDialog
from console.views.tasks import Runner
from tests.helpers.window import open_window

APPLY = QDialogButtonBox.StandardButton.Apply
WINDOW = QPalette.ColorRole.Window


@pytest.fixture(autouse=True)
def back_to_system(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(theme.ENV, raising=False)
    yield
    theme.current(qapp).set_mode("system")


@pytest.fixture
def window(qtbot: Any, demo_cache: Cache, tmp_path: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, demo_cache, tmp_path, demo=True)
    yield win
    win.close()
    win.runner.shutdown()
    QApplication.processEvents()


def _stored(cache: Cache) -> Any:
    with cache.read() as s:
        row = s.get(Setting, "appearance")
        return row.value if row is not None else None


def _choose(qtbot: Any, dialog: SettingsDialog, mode: str) -> None:
    combo = dialog.appearance.combo
    combo.setCurrentIndex(combo.findData(mode))
    dialog.buttons.button(APPLY).click()


def test_dark_then_light_from_settings(qtbot: Any, window: MainWindow, demo_cache: Cache) -> None:
    assert window.palette().color(WINDOW).lightness() >= 128
    runner = Runner(demo_cache)
    dialog = SettingsDialog(runner)
    try:
        with qtbot.waitSignal(dialog.loaded, timeout=10_000):
            dialog.show()
        assert dialog.appearance.value() == "system"
        _choose(qtbot, dialog, "dark")
        assert QApplication.palette().color(WINDOW).lightness() < 128  # at once
        qtbot.waitUntil(lambda: window.palette().color(WINDOW).lightness() < 128, timeout=5000)
        assert dialog.palette().color(WINDOW).lightness() < 128
        qtbot.waitUntil(lambda: _stored(demo_cache) == "dark", timeout=5000)
        # The buttons come back once the save is answered (not when the row is in).
        qtbot.waitUntil(dialog.buttons.isEnabled, timeout=5000)
        _choose(qtbot, dialog, "light")
        assert QApplication.palette().color(WINDOW).lightness() >= 128
        qtbot.waitUntil(lambda: window.palette().color(WINDOW).lightness() >= 128, timeout=5000)
        qtbot.waitUntil(lambda: _stored(demo_cache) == "light", timeout=5000)
    finally:
        if shiboken6.isValid(dialog):
            dialog.close()
        runner.shutdown()


def _history_colour(window: MainWindow) -> str:
    """The colour the thread draws its first history line in."""
    document = window.pane.browser.document()
    block = document.begin()
    while block.isValid():
        if block.text().startswith(("closed", "assigned", "tagged", "Camille", "reply")):
            break
        block = block.next()
    found = document.find("·", block.position()) if block.isValid() else QTextCursor()
    assert not found.isNull(), window.pane.browser.toPlainText()[:400]
    return found.charFormat().foreground().color().name()


def test_the_thread_draws_secondary_text_in_the_palettes_colour(
    qtbot: Any, qapp: QApplication, window: MainWindow
) -> None:
    pane = window.pane
    qtbot.waitUntil(lambda: pane.view is not None and bool(pane.view.history), timeout=5000)
    light = _history_colour(window)
    assert light == theme.dim()
    theme.current(qapp).set_mode("dark")
    dark_dim = qapp.palette().color(QPalette.ColorRole.PlaceholderText).name()
    assert dark_dim != light
    qtbot.waitUntil(lambda: _history_colour(window) == dark_dim, timeout=5000)
    assert f"color: {dark_dim}" in pane.browser.document().defaultStyleSheet()
    kind = pane.view.row.kind if pane.view else ""
    given = pane_header.KIND_COLOURS[kind or "public"]
    mark = theme.readable(given)
    assert mark != given and mark in pane.title.text()  # the kind's mark, lighter on dark
    assert f"color:{dark_dim}" in pane.title.text()


def test_the_environment_forces_a_mode_for_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(theme.ENV, "dark")
    assert theme.mode_for("light") == "dark"
    monkeypatch.setenv(theme.ENV, "purple")
    assert theme.mode_for("light") == "light"
    assert theme.mode_for("nonsense") == "system"
