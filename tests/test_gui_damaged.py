"""A damaged row in the window (issue 10): listed as "damaged" with its
sentence, the other rows shown as usual, and opening it shows the sentence
in the pane (never an empty queue, never a silent failure)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from console.demo import build_demo, demo_conversation_id
from console.models.db import open_cache
from tests.helpers.window import open_window


def test_a_damaged_row_is_listed_and_opening_it_says_why(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    build_demo(path)
    cache = open_cache(path)
    try:
        bad = demo_conversation_id(cache)

        def damage(tx) -> None:
            # What an older Parloir stored from a sender's year 9999.
            tx.session.connection().exec_driver_sql(
                "UPDATE conversations SET due_at = 99999999999999999, "
                "waiting_since = 99999999999999999 WHERE id = ?",
                (bad,),
            )

        cache.writer.call(damage)
        window = open_window(qtbot, cache, tmp_path, demo=True)
        runner = window.runner
        model = window.model
        assert model.rowCount() > 1  # the others are shown
        row = model.row_of(bad)
        assert row >= 0
        shown = model.queue_row(bad)
        assert shown is not None and shown.damaged
        contact = model.index(row, model.COLUMNS.index("contact"))
        message = model.index(row, model.COLUMNS.index("message"))
        assert model.data(contact) == "damaged"
        assert "cannot be shown" in model.data(message)
        assert shown.damaged in model.data(message, Qt.ItemDataRole.ToolTipRole)
        assert not model.data(contact, Qt.ItemDataRole.DecorationRole).isNull()
        other = next(r for r in range(model.rowCount()) if r != row)
        window.table.selectRow(other)
        qtbot.waitUntil(lambda: window.pane.conv_id == model.conversation_id(other))
        window.table.selectRow(row)
        qtbot.waitUntil(lambda: "cannot be shown" in window.pane.title.text())
        assert window.pane.conv_id is None  # no action can land on it
        assert "cannot be shown" in window.pane.browser.toPlainText()
        runner.shutdown()
    finally:
        cache.close()
