"""Run under a real X server (tests/test_real_window.py): open the main
window on the demo workspace the way the app does on a first start, and
print one JSON line saying where it is — the screen, its free area, the
window's frame and its status bar, in global coordinates — once the first
page is painted and the window manager has framed it (the frame stopped
changing across two looks)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QTimer
from PySide6.QtWidgets import QApplication


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def main() -> int:
    from console.demo import build_demo
    from console.models.db import open_cache
    from console.views import window_layout
    from console.views.main_window import MainWindow
    from console.views.tasks import Runner

    app = QApplication(sys.argv[:1])
    work = Path(tempfile.mkdtemp())
    build_demo(work / "cache.sqlite")
    cache = open_cache(work / "cache.sqlite")
    runner = Runner(cache)
    settings = QSettings(str(work / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, settings, demo=True)
    seen: list[list[int]] = []

    def look() -> None:
        handle = window.windowHandle()
        frame = _rect(window.frameGeometry())
        framed = handle is not None and handle.isExposed() and frame != _rect(window.geometry())
        if framed and seen and seen[-1] == frame:
            bar = window.statusBar()
            top_left = bar.mapToGlobal(bar.rect().topLeft())
            screen = window.screen()
            print(
                json.dumps(
                    {
                        "screen": _rect(screen.geometry()),
                        "available": _rect(screen.availableGeometry()),
                        "frame": frame,
                        "status_bar": [top_left.x(), top_left.y(), bar.width(), bar.height()],
                        "maximized": int(window.isMaximized()),
                    }
                ),
                flush=True,
            )
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
