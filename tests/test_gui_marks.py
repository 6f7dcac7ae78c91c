"""Public / private message / e-mail marks (issue 10): the queue row and
the pane header say who reads a reply, with an accessible name and a
tooltip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from console.demo import build_demo
from console.models.db import open_cache
from console.views import kinds
from console.views.main_window import MainWindow
from tests.helpers.window import open_window


@pytest.fixture
def window(qtbot: Any, tmp_path: Path):
    path = tmp_path / "cache.sqlite"
    build_demo(path)
    cache = open_cache(path)
    win = open_window(qtbot, cache, tmp_path, demo=True)
    yield win
    win.runner.shutdown()
    cache.close()


def _rows_by_kind(win: MainWindow) -> dict[str, int]:
    model = win.model
    found: dict[str, int] = {}
    for r in range(model.rowCount()):
        row = model.queue_row(model.conversation_id(r) or "")
        if row is not None:
            found.setdefault(row.kind, r)
    return found


def test_every_row_is_marked_with_who_reads_a_reply(window) -> None:
    model = window.model
    found = _rows_by_kind(window)
    assert {"public", "direct", "email"} <= set(found)
    column = model.COLUMNS.index("message")
    for kind, r in found.items():
        index = model.index(r, column)
        assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull()
        accessible = model.data(index, Qt.ItemDataRole.AccessibleTextRole)
        assert accessible.startswith(kinds.label(kind) + ": ")
        assert model.data(index, Qt.ItemDataRole.ToolTipRole).startswith(kinds.sentence(kind))
    assert kinds.label("direct") == "Private message"
    assert "only the people in it" in kinds.sentence("direct")


def test_the_pane_header_says_private_message_or_public(qtbot, window) -> None:
    found = _rows_by_kind(window)
    for kind in ("direct", "public", "email"):
        conv_id = window.model.conversation_id(found[kind])
        window.table.selectRow(found[kind])
        qtbot.waitUntil(lambda conv_id=conv_id: window.pane.shown_id == conv_id)
        assert kinds.label(kind) in window.pane.title.text()
        assert window.pane.title.toolTip() == kinds.sentence(kind)
        assert window.pane.title.accessibleDescription() == kinds.sentence(kind)
