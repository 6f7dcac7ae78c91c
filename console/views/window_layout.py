"""What the main window remembers between runs, and where it first opens.

Remembered in the window's QSettings (window.ini): its geometry (size,
place, maximised), its three splitters (columns, thread/side panel,
thread/composer), the queue's sort, the search's scope, the view chosen
in the sidebar and the open conversation. A first start fits the screen instead: maximised on a
laptop's screen (under a window manager a 1440x900 window on a 1440x900
screen would put its status bar below the edge), else 1440x900 centred.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QSplitter, QWidget

if TYPE_CHECKING:
    from console.views.main_window import MainWindow

#: The first start's size when the screen has room for it (and a frame).
FIRST_SIZE = (1440, 900)
FRAME_ROOM = (60, 50)

#: The sidebar's first width; the rest is shared between list and pane.
SIDEBAR_WIDTH = 200
LIST_SHARE = 0.5


def column_sizes(total: int) -> list[int]:
    """Sidebar, list and pane widths for a window ``total`` pixels wide: the
    list gets half of what the sidebar leaves, so its message column
    is readable at 1366 px."""
    rest = max(0, total - SIDEBAR_WIDTH)
    listed = round(rest * LIST_SHARE)
    return [SIDEBAR_WIDTH, listed, rest - listed]


def columns(*parts: QWidget) -> QSplitter:
    """The window's columns; extra width goes to the list and the pane (3:5),
    the sidebar keeps its own, and no column can be squeezed away."""
    splitter = QSplitter()
    for part in parts:
        splitter.addWidget(part)
    splitter.setStretchFactor(1, 3)
    splitter.setStretchFactor(2, 5)
    splitter.setChildrenCollapsible(False)
    return splitter


def _splitters(window: MainWindow) -> tuple[tuple[str, QSplitter], ...]:
    return (
        ("window/splitter", window.splitter),
        ("window/pane", window.pane.body_splitter),
        ("window/composer", window.pane.splitter),
    )


def restore_layout(window: MainWindow) -> None:
    """Everything but the view and the conversation, which the window applies
    once its data arrives (:func:`saved_view`, :func:`saved_conversation`)."""
    settings = window.settings
    geometry = settings.value("window/geometry")
    window.geometry_restored = geometry is not None and window.restoreGeometry(geometry)
    window.splitter.setSizes(column_sizes(FIRST_SIZE[0]))
    for key, splitter in _splitters(window):
        state = settings.value(key)
        if state is not None:
            splitter.restoreState(state)
    for key, box in (("queue/sort", window.sort_box), ("queue/scope", window.queue.scope_box)):
        value = settings.value(key)
        if isinstance(value, str):
            index = box.findData(value)
            if index >= 0:
                box.setCurrentIndex(index)


def show_window(window: MainWindow) -> None:
    """Show where it was last time; the first time, fit the screen."""
    if window.geometry_restored:
        window.show()
        return
    screen = window.screen()
    area = screen.availableGeometry() if screen is not None else None
    width, height = FIRST_SIZE
    if area is None or (
        area.width() >= width + FRAME_ROOM[0] and area.height() >= height + FRAME_ROOM[1]
    ):
        window.resize(width, height)
        if area is not None:
            window.move(area.center() - window.rect().center())
        window.show()
    else:
        window.showMaximized()


def saved_view(window: MainWindow) -> tuple[str, str] | None:
    """The sidebar choice of the last run, as (kind, value)."""
    raw = window.settings.value("window/view")
    try:
        kind, value = json.loads(str(raw)) if raw is not None else (None, None)
    except (ValueError, TypeError):
        return None
    return (kind, value) if isinstance(kind, str) and isinstance(value, str) else None


def saved_conversation(window: MainWindow) -> str | None:
    raw = window.settings.value("window/conversation")
    return raw if isinstance(raw, str) and raw else None


def save_layout(window: MainWindow) -> None:
    """Geometry, splitters, view and conversation (the sort and the search's
    scope are saved when they change)."""
    settings = window.settings
    settings.setValue("window/geometry", window.saveGeometry())
    for key, splitter in _splitters(window):
        settings.setValue(key, splitter.saveState())
    settings.setValue("window/view", json.dumps(list(window.sidebar.choice())))
    settings.setValue("window/conversation", window.pane.conv_id or "")
