"""The account's dot and the status bar show a sync error in words and
never stay on "syncing" (an error message is never a format string)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

from console.sync.engine import SyncEvent
from console.views.main_window import SYNC_STATES, MainWindow
from console.views.tasks import Runner


def test_an_error_event_replaces_syncing_with_the_words(qtbot: Any, demo_cache, tmp_path) -> None:
    runner = Runner(demo_cache)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, settings, demo=True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: bool(window.sync_status.labels), timeout=10_000)
    account_id = next(iter(window.sync_status.labels))
    label = window.sync_status.labels[account_id]
    window.sync_status.sync_event(SyncEvent(account_id, "shop@example", "syncing"))
    assert SYNC_STATES["syncing"][1] in label.text()
    message = (
        "Syncing failed unexpectedly (KeyError: '{created_at}'); Parloir will try again, "
        "and the log file has the details."
    )
    window.sync_status.sync_event(SyncEvent(account_id, "shop@example", "error", message))
    assert SYNC_STATES["error"][1] in label.text()
    assert SYNC_STATES["syncing"][1] not in label.text()
    assert label.toolTip() == message
    assert window.sync_label.text() == f"shop@example: {message}"
    window.sync_status.sync_event(SyncEvent(account_id, "shop@example", "offline", "{0} {1}"))
    assert window.sync_label.text() == "shop@example: offline, will retry"
    runner.shutdown()
