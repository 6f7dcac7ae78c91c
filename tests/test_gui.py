"""The main window on real widgets, a real cache and the real writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from console.demo import demo_conversation_id
from console.services import drafts, outbox
from console.views.main_window import MainWindow
from console.views.thread_view import SafeBrowser, thread_html
from tests.helpers.views import conversation_view
from tests.helpers.window import open_window


def _window(qtbot: Any, cache: Any, tmp_path: Path, focus: str | None = None) -> MainWindow:
    return open_window(qtbot, cache, tmp_path, focus)


def test_queue_model_passes_the_model_tester(qtbot, qtmodeltester, demo_cache, tmp_path) -> None:
    window = _window(qtbot, demo_cache, tmp_path)
    assert window.model.rowCount() >= 10
    qtmodeltester.check(window.model)
    window.runner.shutdown()


def test_take_by_keyboard_updates_the_row_and_counts(qtbot, demo_cache, tmp_path) -> None:
    window = _window(qtbot, demo_cache, tmp_path)
    model = window.model
    # Find an unassigned row, select it, press t.
    row = next(
        r
        for r in range(model.rowCount())
        if model.queue_row(model.conversation_id(r) or "").assignee_id is None  # type: ignore[union-attr]
    )
    conv_id = model.conversation_id(row)
    window.table.selectRow(row)
    window.table.setFocus()
    qtbot.waitUntil(lambda: window.pane.conv_id == conv_id, timeout=5000)
    qtbot.keyClick(window.table, Qt.Key.Key_T)
    qtbot.waitUntil(
        lambda: model.queue_row(conv_id).assignee_name == "Camille Martin",  # type: ignore[arg-type,union-attr]
        timeout=5000,
    )
    assert conv_id is not None
    assert window.table.currentIndex().row() == model.row_of(conv_id)  # selection kept
    mine = window.sidebar.item(0)
    qtbot.waitUntil(lambda: mine.text().split()[-1] == "4", timeout=5000)
    window.runner.shutdown()


def test_close_by_keyboard_removes_the_row_from_the_open_view(qtbot, demo_cache, tmp_path) -> None:
    window = _window(qtbot, demo_cache, tmp_path)
    model = window.model
    before = model.rowCount()
    conv_id = model.conversation_id(0)
    window.table.selectRow(0)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: model.rowCount() == before - 1, timeout=5000)
    assert model.row_of(conv_id) == -1  # type: ignore[arg-type]
    window.runner.shutdown()


def test_a_draft_survives_closing_the_window(qtbot, demo_cache, tmp_path) -> None:
    focus = demo_conversation_id(demo_cache)
    window = _window(qtbot, demo_cache, tmp_path, focus=focus)
    window.pane.editor.setPlainText("Typed just before closing")
    window.close()  # closeEvent saves at once, without waiting for the timer
    qtbot.waitUntil(lambda: _draft(demo_cache, focus) == "Typed just before closing", timeout=5000)
    window.runner.shutdown()
    again = _window(qtbot, demo_cache, tmp_path, focus=focus)
    assert again.pane.editor.toPlainText() == "Typed just before closing"
    again.runner.shutdown()


def test_clearing_the_composer_discards_the_draft(qtbot, demo_cache, tmp_path) -> None:
    focus = demo_conversation_id(demo_cache)
    assert _draft(demo_cache, focus)  # the demo's draft
    window = _window(qtbot, demo_cache, tmp_path, focus=focus)
    window.pane.editor.setPlainText("")
    window.close()  # saves at once: an empty composer is an explicit discard
    qtbot.waitUntil(lambda: _draft(demo_cache, focus) is None, timeout=5000)
    window.runner.shutdown()


def _draft(cache: Any, conv_id: str) -> str | None:
    with cache.read() as s:
        draft = drafts.my_draft(s, conv_id)
        return draft.body if draft else None


def test_send_queues_in_the_outbox_without_network(qtbot, demo_cache, tmp_path) -> None:
    focus = demo_conversation_id(demo_cache)
    window = _window(qtbot, demo_cache, tmp_path, focus=focus)
    assert window.pane.send_button.isEnabled()
    window.pane.send()
    qtbot.waitUntil(lambda: "1 waiting" in window.outbox_status.text(), timeout=5000)
    with demo_cache.read() as s:
        (item,) = outbox.list_items(s)
        assert item.state == "queued" and item.conversation_id == focus
    window.runner.shutdown()


def test_an_over_long_bluesky_draft_disables_send(qtbot, demo_cache, tmp_path) -> None:
    with demo_cache.read() as s:
        from sqlalchemy import text

        conv_id = s.execute(
            text(
                "SELECT c.id FROM conversations c JOIN accounts a ON a.id = c.account_id "
                "WHERE a.network = 'bluesky' AND c.status = 'open' LIMIT 1"
            )
        ).scalar_one()
    window = _window(qtbot, demo_cache, tmp_path, focus=conv_id)
    window.pane.editor.setPlainText("e\u0301" * 300)  # 300 graphemes (900 bytes): allowed
    assert window.pane.send_button.isEnabled()
    window.pane.editor.setPlainText("e\u0301" * 301)
    assert not window.pane.send_button.isEnabled()
    assert "301 / 300" in window.pane.counter.text()
    # 300 graphemes but 7,500 bytes: Bluesky takes 3,000; the counter says why.
    window.pane.editor.setPlainText("👨‍👩‍👧‍👦" * 300)
    assert not window.pane.send_button.isEnabled()
    assert "bytes" in window.pane.counter.toolTip()
    assert window.pane.editor.toPlainText() == "👨‍👩‍👧‍👦" * 300  # nothing cut
    window.runner.shutdown()


def test_hostile_html_loads_nothing_and_runs_nothing(qtbot) -> None:
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    detail = conversation_view(
        {
            "url": "javascript:alert(1)",
            "text": '<script>alert(1)</script><img src="https://tracker.example/p.gif">'
            '<iframe src="https://evil.example"></iframe>',
        }
    )
    page = thread_html(detail, lambda s: s)
    assert "<script" not in page and "<img" not in page and "<iframe" not in page
    assert "javascript:" not in page
    browser.setHtml(page + '<img src="https://tracker.example/direct.gif">')
    browser.grab()
    assert all(not u.startswith("https://tracker") for u in browser.refused) or browser.refused
    # Whatever was asked for, nothing was fetched: loadResource answers None.
    assert browser.loadResource(2, "https://tracker.example/p.gif") is None


def test_qt_bindings_keep_none_alive(qapp) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every call
    that returns nothing; after some thousands of painted cells the process
    aborts ("none_dealloc"). pyproject excludes it; this keeps it excluded."""
    import sys

    from PySide6.QtGui import QFont

    font = QFont()
    before = sys.getrefcount(None)
    for _ in range(1000):
        font.setBold(True)
    assert before - sys.getrefcount(None) < 50


def test_the_composer_counts_what_send_counts(qtbot, demo_cache, tmp_path) -> None:
    """Mastodon counts the @mentions the provider puts in front of a reply:
    the counter and Send follow the same rule as `parloir send`, so a reply
    the composer lets through is never refused by the send path."""
    from sqlalchemy import text

    from console.services import outbox

    with demo_cache.read() as s:
        conv_ids = s.execute(
            text(
                "SELECT c.id FROM conversations c JOIN accounts a ON a.id = c.account_id "
                "WHERE a.network = 'mastodon' AND c.kind = 'public' AND c.status = 'open'"
            )
        ).scalars()
        rules = [(cid, outbox.length_rule(s, cid)) for cid in conv_ids]
    conv_id, rule = next((c, r) for c, r in rules if r.count("x") > 1)
    limit = rule.limit()
    assert limit is not None
    prefix = rule.count("x") - 1
    too_long = "x" * (limit - prefix + 1)  # under the limit as typed, over it as sent
    assert len(too_long) <= limit
    with demo_cache.read() as s:
        assert outbox.length_problem(s, conv_id, too_long) is not None
        assert outbox.length_problem(s, conv_id, too_long[:-1]) is None
    window = _window(qtbot, demo_cache, tmp_path, focus=conv_id)
    qtbot.waitUntil(
        lambda: window.pane.view is not None and window.pane.view.length_rule is not None
    )
    window.pane.editor.setPlainText(too_long[:-1])
    assert window.pane.send_button.isEnabled()
    assert f"{limit} / {limit}" in window.pane.counter.text()
    window.pane.editor.setPlainText(too_long)
    assert not window.pane.send_button.isEnabled()
    assert f"{limit + 1} / {limit}" in window.pane.counter.text()
    window.runner.shutdown()
