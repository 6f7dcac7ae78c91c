"""The queue row: priority badge, status word, assignee, tags, and a
waiting time that says in words whether it is overdue."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from console.models.db import Cache
from console.models.types import now_ms
from console.services import queue, team, workflow
from console.views.queue_model import QueueModel
from console.views.tasks import Runner
from tests.helpers.factories import add_account, conv_by_key, msg, put

Role = Qt.ItemDataRole


def _set_due(cache: Cache, conv_id: str, at: int | None) -> None:
    def task(tx: Any) -> None:
        tx.session.connection().exec_driver_sql(
            "UPDATE conversations SET due_at = ? WHERE id = ?", (at, conv_id)
        )

    cache.writer.call(task)


def test_the_row_shows_priority_status_assignee_and_tags(qtbot, cache: Cache) -> None:
    acc = add_account(cache)
    put(cache, acc, msg("late", ago_min=240), msg("soon", ago_min=60), msg("calm", ago_min=5))
    late, soon, calm = (conv_by_key(cache, acc, k).id for k in ("late", "soon", "calm"))
    cache.writer.call(lambda tx: team.add_member(tx, "Ana Souza", "agent"))
    cache.writer.call(lambda tx: team.set_me(tx, "Ana Souza"))
    cache.writer.call(lambda tx: workflow.set_priority(tx, late, "urgent"))
    cache.writer.call(lambda tx: workflow.set_status(tx, soon, "pending"))
    cache.writer.call(lambda tx: workflow.tag(tx, soon, "bug"))
    cache.writer.call(lambda tx: workflow.tag(tx, soon, "vip"))
    cache.writer.call(lambda tx: workflow.assign(tx, late, "Ana Souza"))
    _set_due(cache, late, now_ms() - 3 * 3_600_000 - 60_000)
    _set_due(cache, soon, now_ms() + 20 * 60_000 + 30_000)
    _set_due(cache, calm, None)
    runner = Runner(cache)
    try:
        model = QueueModel(runner)
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            model.set_filter(queue.QueueFilter(view="all", sort="urgent"), None)
        cols = QueueModel.COLUMNS
        assert cols == ("contact", "message", "waiting", "priority", "status", "assignee", "tags")
        titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(cols))]
        assert titles == ["From", "Message", "Waiting", "Priority", "Status", "Who", "Tags"]
        rows = {model.data(model.index(r, 0), QueueModel.ID_ROLE): r for r in range(3)}
        assert rows[late] == 0  # most urgent first

        def at(conv: str, column: str, role: int = Role.DisplayRole) -> Any:
            return model.data(model.index(rows[conv], cols.index(column)), role)

        assert at(late, "priority") == "urgent"
        assert at(late, "priority", Role.AccessibleTextRole) == "Priority: urgent"
        assert at(calm, "priority") == ""  # normal stays quiet, but says so
        assert at(calm, "priority", Role.ToolTipRole) == "Priority: normal"
        assert at(soon, "status") == "pending" and at(late, "status") == "open"
        assert at(soon, "status", Role.AccessibleTextRole) == "Status: pending"
        assert at(soon, "tags") == "#bug #vip" and at(late, "tags") == ""
        assert at(late, "tags", Role.AccessibleTextRole) == "No tags"
        assert at(late, "assignee") == "AS"
        assert at(late, "assignee", Role.ToolTipRole) == "Ana Souza"
        assert at(late, "waiting", Role.ToolTipRole) == "Overdue by 3 h"
        assert at(soon, "waiting", Role.ToolTipRole) == "Due in 20 min"
        assert str(at(calm, "waiting", Role.ToolTipRole)).startswith("Waiting since ")
        assert "Overdue by 3 h" in str(at(late, "waiting", Role.AccessibleTextRole))
    finally:
        runner.shutdown()


def test_the_pane_header_says_overdue_or_due_in_words(qtbot) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from PySide6.QtWidgets import QWidget

    from console.views.actions import ActionMenus
    from console.views.pane_header import PaneHeader
    from tests.helpers.views import conversation_view

    parent = QWidget()
    qtbot.addWidget(parent)
    header = PaneHeader(ActionMenus(parent), parent)
    view = conversation_view({"text": "hello"})
    now = datetime.now(UTC)
    late = replace(view, row=replace(view.row, due_at=now - timedelta(hours=3, minutes=1)))
    header.show_conversation(late, None)
    assert "Overdue by 3 h" in header.title.text()
    soon = replace(view, row=replace(view.row, due_at=now + timedelta(minutes=20, seconds=30)))
    header.show_conversation(soon, None)
    assert "Due in 20 min" in header.title.text() and "Overdue" not in header.title.text()
