"""The window tells the person what the terminal used to: a refused cache at
start is a dialog, a damaged cache found while running (a read, or the
quick_check after the first paint) is a dialog instead of an empty queue,
and an exception nobody caught is logged and said in the status bar."""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from console import app as gui_app
from console import paths
from console.models import db
from console.models.db import open_cache
from console.views.alerts import Alerts
from console.views.main_window import MainWindow
from console.views.tasks import Runner
from tests.helpers.damage import damage_table
from tests.helpers.factories import add_account, msg, person, put


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every message box shown, as (title, text); none blocks."""
    shown: list[tuple[str, str]] = []

    def record(box: QMessageBox, *_args: Any) -> int:
        shown.append((box.windowTitle(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    monkeypatch.setattr(QMessageBox, "open", record)
    return shown


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    open_cache(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _damaged(path: Path) -> None:
    open_cache(path).close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_foreign, "not a Parloir cache"),
        (_newer, "newer Parloir"),
        (_damaged, "parloir cache rebuild"),
    ],
    ids=["foreign", "newer", "damaged"],
)
def test_a_refused_cache_at_start_is_a_dialog(
    qapp: Any, boxes: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch, make: Any, words: str
) -> None:
    monkeypatch.setattr(gui_app, "qInstallMessageHandler", lambda _handler: None)
    make(paths.cache_path())
    assert gui_app.run_gui() == 2
    assert len(boxes) == 1
    title, body = boxes[0]
    assert title == "Parloir cannot open its cache"
    assert words in body and "\n" not in body


def test_a_folder_that_cannot_be_made_is_a_dialog(
    qapp: Any,
    boxes: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(gui_app, "qInstallMessageHandler", lambda _handler: None)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("PARLOIR_HOME", str(blocker / "home"))
    assert gui_app.run_gui() == 2
    assert len(boxes) == 1 and "cannot create" in boxes[0][1]


def _damaged_workspace(table: str) -> Path:
    path = paths.cache_path()
    with open_cache(path) as cache:
        account = add_account(cache)
        for n in range(30):
            words = " ".join(f"w{n}x{k}" for k in range(400))
            put(cache, account, msg(f"t{n}", author=person(f"P{n}"), text=words))
    damage_table(path, table)
    return path


def _window(
    qtbot: Any, path: Path, tmp_path: Path, *, check: bool, ready: bool = True
) -> tuple[MainWindow, Alerts]:
    cache = open_cache(path)
    runner = Runner(cache)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, settings)
    qtbot.addWidget(window)
    alerts = Alerts(window)
    gui_app.watch_cache(runner, window, alerts, check=check)
    if not ready:
        window.show()
        return window, alerts
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.show()
    return window, alerts


def test_the_check_after_the_first_paint_finds_the_damage(
    qtbot: Any, boxes: list[tuple[str, str]], tmp_path: Path
) -> None:
    # The search index: nothing reads it at start, only the check finds it.
    path = _damaged_workspace("message_fts_data")
    window, _alerts = _window(qtbot, path, tmp_path, check=True)
    try:
        qtbot.waitUntil(lambda: len(boxes) == 1, timeout=10_000)
        title, body = boxes[0]
        assert title == "The cache is damaged"
        assert "parloir cache rebuild" in body
    finally:
        window.runner.shutdown()
        window.runner.cache.close()


def test_a_read_that_meets_damage_opens_the_dialog_once(
    qtbot: Any, boxes: list[tuple[str, str]], tmp_path: Path
) -> None:
    """The first conversation's messages are on damaged pages: the window
    says so (instead of an empty pane), once, however many reads fail."""
    path = _damaged_workspace("messages")
    window, _alerts = _window(qtbot, path, tmp_path, check=False, ready=False)
    try:
        qtbot.waitUntil(lambda: len(boxes) == 1, timeout=10_000)
        failures: list[Exception] = []
        window.runner.read(
            lambda s: s.execute(text("SELECT text FROM messages")).all(), failed=failures.append
        )
        qtbot.waitUntil(lambda: len(failures) == 1, timeout=10_000)
        assert len(boxes) == 1 and "parloir cache rebuild" in boxes[0][1]
        assert boxes[0][0] == "The cache is damaged"
        assert "parloir cache rebuild" in window.statusBar().currentMessage()
    finally:
        window.runner.shutdown()
        window.runner.cache.close()


def test_unexpected_exceptions_are_logged_and_said(
    qtbot: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = open_cache(tmp_path / "cache.sqlite")
    runner = Runner(cache)
    window = MainWindow(runner, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    alerts = Alerts(window)
    uninstall = alerts.install_hooks()
    caplog.set_level(logging.ERROR, logger="console.views.alerts")
    try:

        def boom() -> None:
            raise KeyError("surprise-in-a-thread")

        worker = threading.Thread(target=boom)
        worker.start()
        worker.join()
        qtbot.waitUntil(
            lambda: (
                "Something unexpected went wrong (KeyError)" in window.statusBar().currentMessage()
            ),
            timeout=5000,
        )
        assert "surprise-in-a-thread" in caplog.text and "Traceback" in caplog.text
        assert "\n" not in window.statusBar().currentMessage()

        try:
            raise ValueError("surprise-on-the-gui-thread")
        except ValueError:
            sys.excepthook(*sys.exc_info())  # what Python calls for an uncaught one
        qtbot.waitUntil(lambda: "(ValueError)" in window.statusBar().currentMessage(), timeout=5000)
        assert "surprise-on-the-gui-thread" in caplog.text
    finally:
        uninstall()
        runner.shutdown()
        cache.close()
