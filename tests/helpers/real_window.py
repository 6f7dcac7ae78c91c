"""Run under a real X server (tests/test_real_window*.py): open the main
window on the demo workspace the way the app does on a first start, and
print one JSON line saying where it is — the screen, its free area, the
window's frame and its status bar, in global coordinates — once the first
page is painted and the window manager has framed it (the frame stopped
changing across two looks).

With ``--drive`` the window stays up after that line (which then also gives
the window's X id and the cache's path) and answers each line read on
stdin: ``state`` prints one JSON line of what a person would see (which
control has the keyboard, by accessible name; the open conversation; the
reply box's text; whether the palette or a menu is open), ``quit`` ends.
The test sends real X key events (xdotool) and polls these answers, so it
waits on the window's state, never on a time. Stdin is read by a
QSocketNotifier: nothing blocks the GUI thread, and menus' own event loops
answer too.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSettings, QSocketNotifier, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPlainTextEdit, QTextEdit, QWidget


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _name(widget: QWidget | None) -> str:
    """A widget by the name a screen reader hears (its accessible name, or
    what Qt derives: a buddy label, a button's text), else its class."""
    if widget is None:
        return ""
    face = QAccessible.queryAccessibleInterface(widget)
    heard = face.text(QAccessible.Text.Name) if face is not None else ""
    return heard or type(widget).__name__


def _menu_action(popup: QWidget | None) -> str:
    """The highlighted entry of an open menu."""
    action = popup.activeAction() if isinstance(popup, QMenu) else None
    return action.text() if action is not None else ""


def state(window: Any) -> dict[str, object]:
    """What the person sees now, for the test to wait on."""
    focus = QApplication.focusWidget()
    active = QApplication.activeWindow()
    popup = QApplication.activePopupWidget()
    modal = QApplication.activeModalWidget()
    palette = window.command_palette
    text = ""
    if isinstance(focus, QLineEdit):
        text = focus.text()
    elif isinstance(focus, (QPlainTextEdit, QTextEdit)):
        text = focus.toPlainText()
    return {
        "focus": _name(focus),
        "focus_text": text,
        "active": active.windowTitle() if active is not None else "",
        "title": window.windowTitle(),
        "conv": window.pane.conv_id,
        "editor": window.pane.editor.toPlainText(),
        "search": window.search.text(),
        "palette": palette is not None and palette.isVisible(),
        "palette_text": palette.field.text() if palette is not None else "",
        "popup": popup.title() if isinstance(popup, QMenu) else _name(popup),
        "popup_action": _menu_action(popup),
        "undo": window.undo_bar.token is not None,
        "modal": modal.windowTitle() if modal is not None else "",
        "status_bar": window.statusBar().currentMessage(),
        "view": window.sidebar.choice_label(),
    }


def main() -> int:
    from console.demo import build_demo
    from console.models.db import open_cache
    from console.views import window_layout
    from console.views.main_window import MainWindow
    from console.views.tasks import Runner

    drive = "--drive" in sys.argv[1:]
    app = QApplication(sys.argv[:1])
    work = Path(tempfile.mkdtemp())
    build_demo(work / "cache.sqlite")
    cache = open_cache(work / "cache.sqlite")
    runner = Runner(cache)
    settings = QSettings(str(work / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, settings, demo=True)
    seen: list[list[int]] = []

    def answer() -> None:
        line = sys.stdin.readline()
        if not line or line.strip() == "quit":
            notifier.setEnabled(False)
            for top in QApplication.topLevelWidgets():
                if isinstance(top, QMenu):
                    top.close()  # a menu's own loop would keep quit waiting
            app.quit()
            return
        print(json.dumps(state(window)), flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.setEnabled(False)
    notifier.activated.connect(answer)

    def look() -> None:
        handle = window.windowHandle()
        frame = _rect(window.frameGeometry())
        framed = handle is not None and handle.isExposed() and frame != _rect(window.geometry())
        if framed and seen and seen[-1] == frame:
            bar = window.statusBar()
            top_left = bar.mapToGlobal(bar.rect().topLeft())
            screen = window.screen()
            report: dict[str, object] = {
                "screen": _rect(screen.geometry()),
                "available": _rect(screen.availableGeometry()),
                "frame": frame,
                "status_bar": [top_left.x(), top_left.y(), bar.width(), bar.height()],
                "maximized": int(window.isMaximized()),
            }
            if drive:
                report |= {"wid": int(window.winId()), "cache": str(work / "cache.sqlite")}
                print(json.dumps(report), flush=True)
                notifier.setEnabled(True)
                return
            print(json.dumps(report), flush=True)
            app.quit()
            return
        seen.append(frame)
        QTimer.singleShot(100, look)

    window.ready.connect(lambda: QTimer.singleShot(0, look))
    window_layout.show_window(window)
    app.exec()
    runner.shutdown()
    cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
