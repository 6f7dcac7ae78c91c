"""What the main window remembers between runs: its geometry, its three
splitters (columns, thread/side panel, thread/composer) and the queue's
sort, in the window's QSettings (window.ini)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QSplitter

if TYPE_CHECKING:
    from console.views.main_window import MainWindow


def _splitters(window: MainWindow) -> tuple[tuple[str, QSplitter], ...]:
    return (
        ("window/splitter", window.splitter),
        ("window/pane", window.pane.body_splitter),
        ("window/composer", window.pane.splitter),
    )


def restore_layout(window: MainWindow) -> None:
    settings = window.settings
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    for key, splitter in _splitters(window):
        state = settings.value(key)
        if state is not None:
            splitter.restoreState(state)
    sort = settings.value("queue/sort")
    if isinstance(sort, str):
        index = window.sort_box.findData(sort)
        if index >= 0:
            window.sort_box.setCurrentIndex(index)


def save_layout(window: MainWindow) -> None:
    """Geometry and splitters (the sort is saved when it changes)."""
    window.settings.setValue("window/geometry", window.saveGeometry())
    for key, splitter in _splitters(window):
        window.settings.setValue(key, splitter.saveState())
