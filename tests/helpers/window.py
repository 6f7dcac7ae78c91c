"""A MainWindow on a cache, shown and ready, the way the GUI tests open it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from console.models.db import Cache
from console.views.main_window import MainWindow
from console.views.tasks import Runner


def open_window(
    qtbot: Any, cache: Cache, tmp_path: Path, focus: str | None = None, *, demo: bool = False
) -> MainWindow:
    """A window with its own Runner and QSettings file under ``tmp_path``,
    at a laptop's size, returned once it has painted its first page (ready).
    The caller shuts ``window.runner`` down."""
    runner = Runner(cache)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, settings, focus=focus, demo=demo)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.show()
    return window


def stored_priority(cache: Cache, conv_id: str | None) -> int:
    """The conversation's priority rank as the cache holds it."""
    from sqlalchemy import text

    with cache.read() as s:
        return int(
            s.execute(
                text("SELECT priority FROM conversations WHERE id = :i"), {"i": conv_id}
            ).scalar_one()
        )
