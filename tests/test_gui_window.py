"""The main window's workflow on real widgets, a real cache and the real
writer: assign and bulk actions, the mass-reply guard, hostile HTML, the
welcome page, a calm queue under a sync storm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import text

from console.demo import demo_conversation_id, generate
from console.models.db import open_cache
from console.models.vocabulary import Status
from console.services import outbox, team
from console.views.main_window import MainWindow
from console.views.ops.queue import Assign, SetStatus, Tag
from console.views.thread_view import SafeBrowser, display_html, thread_html
from tests.helpers.views import conversation_view
from tests.helpers.window import open_window


def _window(
    qtbot: Any, cache: Any, tmp_path: Path, focus: str | None = None, demo: bool = True
) -> MainWindow:
    return open_window(qtbot, cache, tmp_path, focus, demo=demo)


def _sidebar_count(window: MainWindow, view: str) -> int:
    for row in range(window.sidebar.count()):
        item = window.sidebar.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == ("view", view):
            return int(item.text().split()[-1])
    raise AssertionError(view)


def test_assign_updates_the_row_and_the_counts(qtbot, demo_cache, tmp_path) -> None:
    window = _window(qtbot, demo_cache, tmp_path)
    model = window.model
    row = next(
        r
        for r in range(model.rowCount())
        if model.queue_row(model.conversation_id(r) or "").assignee_id is None  # type: ignore[union-attr]
    )
    conv_id = model.conversation_id(row)
    assert conv_id
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: window.pane.conv_id == conv_id, timeout=5000)
    qtbot.waitUntil(lambda: _sidebar_count(window, "unassigned") > 0, timeout=5000)
    unassigned = _sidebar_count(window, "unassigned")
    with demo_cache.read() as s:
        ana = team.find_member(s, "Ana Souza").id
    window.pane.menus.chosen.emit(Assign(ana))  # what the Assign menu's entry does
    qtbot.waitUntil(
        lambda: model.queue_row(conv_id).assignee_name == "Ana Souza",  # type: ignore[union-attr]
        timeout=5000,
    )
    qtbot.waitUntil(lambda: _sidebar_count(window, "unassigned") == unassigned - 1, timeout=5000)
    assert window.table.currentIndex().row() == model.row_of(conv_id)
    qtbot.waitUntil(lambda: "Ana Souza" in window.pane.title.text(), timeout=5000)
    window.runner.shutdown()


def test_bulk_close_and_tag_apply_to_every_selected_row(qtbot, demo_cache, tmp_path) -> None:
    window = _window(qtbot, demo_cache, tmp_path)
    model = window.model
    ids = [model.conversation_id(r) for r in range(3)]
    window.table.selectRow(0)
    window.table.selectionModel().select(
        model.index(1, 0),
        window.table.selectionModel().SelectionFlag.Select
        | window.table.selectionModel().SelectionFlag.Rows,
    )
    window.table.selectionModel().select(
        model.index(2, 0),
        window.table.selectionModel().SelectionFlag.Select
        | window.table.selectionModel().SelectionFlag.Rows,
    )
    assert window.queue.bulk_bar.isVisibleTo(window)
    assert "3" in window.queue.bulk_label.text()
    window.bulk_menus.chosen.emit(Tag("vip"))
    qtbot.waitUntil(
        lambda: all("vip" in (model.queue_row(i).tags if model.queue_row(i) else ()) for i in ids),  # type: ignore[arg-type,union-attr]
        timeout=5000,
    )
    before = model.rowCount()
    window.bulk_menus.chosen.emit(SetStatus(Status.CLOSED))
    qtbot.waitUntil(lambda: model.rowCount() == before - 3, timeout=5000)
    with demo_cache.read() as s:
        statuses = {
            r[0]
            for r in s.execute(
                text("SELECT status FROM conversations WHERE id IN (:a, :b, :c)"),
                dict(zip("abc", ids, strict=True)),
            )
        }
    assert statuses == {"closed"}
    window.runner.shutdown()


def test_snooze_by_keyboard_offers_presets(qtbot, demo_cache, tmp_path, monkeypatch) -> None:
    window = _window(qtbot, demo_cache, tmp_path)
    conv_id = window.model.conversation_id(0)
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.pane.conv_id == conv_id, timeout=5000)
    shown: list[list[str]] = []

    def fake_exec(menu: Any, *_args: Any) -> None:
        actions = [a for a in menu.actions() if a.text()]
        shown.append([a.text() for a in actions])
        tomorrow = next(a for a in actions if a.text().startswith("Tomorrow"))
        tomorrow.trigger()

    monkeypatch.setattr("console.views.actions.show_menu", fake_exec)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    assert shown and any(t.startswith("Next week") for t in shown[0])
    assert any(t.startswith("Pick a time") for t in shown[0])
    qtbot.waitUntil(lambda: window.model.row_of(conv_id) == -1, timeout=5000)  # type: ignore[arg-type]
    with demo_cache.read() as s:
        status, until = s.execute(
            text("SELECT status, snoozed_until FROM conversations WHERE id = :i"), {"i": conv_id}
        ).one()
    assert status == "snoozed" and until is not None
    window.runner.shutdown()


def test_mass_reply_guard_asks_once(qtbot, demo_cache, tmp_path, monkeypatch) -> None:
    with demo_cache.read() as s:
        conv_id = s.execute(
            text(
                "SELECT c.id FROM conversations c JOIN accounts a ON a.id = c.account_id "
                "WHERE c.kind = 'public' AND c.status = 'open' AND a.network = 'mastodon' "
                "AND c.assignee_id IS NULL LIMIT 1"
            )
        ).scalar_one()
    window = _window(qtbot, demo_cache, tmp_path, focus=conv_id)
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]

    def question(_parent: Any, _title: str, body: str, *_a: Any) -> Any:
        asked.append(body)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    many = "@a@x.example @b@x.example @c@x.example @d@x.example thanks!"
    window.pane.editor.setPlainText(many)
    qtbot.waitUntil(lambda: "d@x.example" in window.pane.recipients.text(), timeout=5000)
    window.pane.send()
    assert window.pane.editor.toPlainText() == ""  # emptied at the press
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)  # the services' guard held it
    assert "people" in asked[0]
    qtbot.waitUntil(lambda: window.pane.editor.toPlainText() == many, timeout=5000)  # cancelled
    window.pane.send()  # asked again, answered yes: sent anyway

    def queued() -> list[str]:
        with demo_cache.read() as s:
            return [i.conversation_id for i in outbox.list_items(s)]

    qtbot.waitUntil(lambda: queued() == [conv_id], timeout=5000)
    qtbot.waitUntil(lambda: not window.pane.sending, timeout=5000)
    assert len(asked) == 2
    # The same people again: confirmed already, not asked again.
    window.pane.editor.setPlainText(many + " One more thing.")
    window.pane.send()
    qtbot.waitUntil(lambda: len(queued()) == 2 and not window.pane.sending, timeout=5000)
    assert len(asked) == 2
    window.runner.shutdown()


def test_replying_in_someone_elses_thread_asks_first(
    qtbot, demo_cache, tmp_path, monkeypatch
) -> None:
    window = _window(qtbot, demo_cache, tmp_path)
    me = window.me_id
    with demo_cache.read() as s:
        conv_id = s.execute(
            text(
                "SELECT id FROM conversations WHERE status = 'open' AND assignee_id IS NOT NULL "
                "AND assignee_id != :me LIMIT 1"
            ),
            {"me": me},
        ).scalar_one()
    window.open_conversation(conv_id)
    qtbot.waitUntil(lambda: window.pane.shown_id == conv_id, timeout=5000)
    asked: list[str] = []

    def question(_parent: Any, _title: str, body: str, *_a: Any) -> Any:
        asked.append(body)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    window.pane.editor.setPlainText("Short answer.")
    window.pane.send()
    assert asked and "handling this conversation" in asked[0]
    window.runner.shutdown()


def test_hostile_html_loses_scripts_frames_and_remote_images(qtbot) -> None:
    hostile = (
        '<p onclick="steal()">Hello<script>alert(1)</script>'
        '<img src="https://tracker.example/p.gif"><iframe src="https://evil.example"></iframe>'
        '<a href="javascript:alert(2)">click</a> '
        '<a href="https://evil.example/login">https://bank.example</a>'
        "<style>body{display:none}</style></p>"
    )
    shown = display_html(hostile)
    for bad in ("<script", "<img", "<iframe", "javascript:", "onclick", "<style", "alert"):
        assert bad not in shown
    assert "[evil.example/login]" in shown  # the real target beside misleading text
    detail = conversation_view({"url": "javascript:alert(1)", "text": "Hello", "html": hostile})
    page = thread_html(detail, lambda s: s)
    assert "javascript:" not in page and "<img" not in page
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.resize(400, 300)
    browser.setHtml(page + '<img src="https://tracker.example/direct.gif">')
    browser.show()
    qtbot.waitExposed(browser)
    browser.grab()
    assert "https://tracker.example/direct.gif" in browser.refused  # asked, refused


def test_first_run_shows_the_welcome_page(qtbot, tmp_path) -> None:
    cache = open_cache(tmp_path / "empty.sqlite")
    try:
        window = _window(qtbot, cache, tmp_path, demo=False)
        assert window.stack.currentWidget() is window.welcome
        assert window.welcome.add_button.text().startswith("Add an account")
        assert window.welcome.demo_button.isEnabled()
        window.runner.shutdown()
    finally:
        cache.close()


def test_queue_stays_put_while_a_thousand_conversations_change(qtbot, tmp_path) -> None:
    path = tmp_path / "big.sqlite"
    generate(path, 3000, 6000)
    cache = open_cache(path)
    try:
        window = _window(qtbot, cache, tmp_path, demo=False)
        window.sidebar.setCurrentRow(5)  # Closed: the biggest view
        qtbot.waitUntil(lambda: window.model.rowCount() >= 100, timeout=10_000)
        while window.model.canFetchMore():
            window.model.fetchMore()
            qtbot.waitUntil(lambda: not window.model._loading, timeout=10_000)
        assert window.model.rowCount() >= 1000
        window.table.selectRow(150)
        selected = window.model.conversation_id(150)
        window.table.scrollTo(window.model.index(150, 0))
        bar = window.table.verticalScrollBar()
        position = bar.value()
        ids = [window.model.conversation_id(r) for r in range(1000)]

        def storm(tx: Any) -> None:
            conn = tx.session.connection()
            for conv_id in ids:
                conn.exec_driver_sql(
                    "UPDATE conversations SET priority = 1, unread = 1 WHERE id = ?", (conv_id,)
                )
                tx.changes.conversations.add(conv_id)

        done: list[bool] = []
        window.runner.write(storm, lambda _r: done.append(True))
        qtbot.waitUntil(lambda: bool(done), timeout=10_000)
        qtbot.waitUntil(
            lambda: window.model.queue_row(ids[999]).priority == "high",  # type: ignore[arg-type,union-attr]
            timeout=10_000,
        )
        assert window.model.conversation_id(window.table.currentIndex().row()) == selected
        assert [window.model.conversation_id(r) for r in range(1000)] == ids
        assert bar.value() == position
        window.runner.shutdown()
    finally:
        cache.close()


def test_focus_conversation_and_draft_are_shown(qtbot, demo_cache, tmp_path) -> None:
    focus = demo_conversation_id(demo_cache)
    window = _window(qtbot, demo_cache, tmp_path, focus=focus)
    assert window.pane.conv_id == focus
    assert window.pane.editor.toPlainText()  # the demo's draft
    assert window.pane.notes.text()
    window.runner.shutdown()


def test_email_quoted_history_is_folded() -> None:
    detail = conversation_view(
        {
            "author_name": "Alice",
            "author_handle": "alice@x.example",
            "html": "<p>Merci&nbsp;!</p>",
            "text": "Merci !\n\nLe lun. 3 juin 2024 à 10:00, Vélo & Pain a écrit :\n"
            "> Votre commande part demain.\n> Bonne journée",
        },
        kind="email",
    )
    page = thread_html(detail, lambda s: s)
    assert "Merci !" in page
    assert "Votre commande part demain" not in page
    assert "3 quoted lines folded" in page


def test_a_new_conversation_enters_under_the_keyboard_but_waits_under_the_pointer(
    qtbot, demo_cache, tmp_path
) -> None:
    window = _window(qtbot, demo_cache, tmp_path)
    with demo_cache.read() as s:
        first, second = [
            str(r[0])
            for r in s.execute(text("SELECT id FROM conversations WHERE status = 'closed' LIMIT 2"))
        ]

    def reopen(conv_id: str) -> None:
        def task(tx: Any) -> None:
            tx.session.connection().exec_driver_sql(
                "UPDATE conversations SET status = 'open' WHERE id = ?", (conv_id,)
            )
            tx.changes.conversations.add(conv_id)

        window.runner.write(task)

    # The keyboard is on the list (sent as the event the list listens to, so
    # the test does not depend on which window the platform made active).
    QApplication.sendEvent(window.table, QFocusEvent(QEvent.Type.FocusIn))
    assert window.model.held and not window.model.pointer_held
    reopen(first)  # another process, a sync: it comes in at once
    qtbot.waitUntil(lambda: window.model.row_of(first) >= 0, timeout=5000)
    # Under the pointer it waits (a click never lands on a row that moved)...
    window.model.pointer_held = True
    reopen(second)
    qtbot.waitUntil(lambda: second in window.model._pending, timeout=5000)
    assert window.model.row_of(second) == -1
    # ...and enters when the pointer leaves.
    window.model.pointer_held = False
    assert window.model.row_of(second) >= 0
    window.runner.shutdown()
