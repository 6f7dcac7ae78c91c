"""The conversation pane keeps its promises: typed text stays with the
conversation it was typed in, the open conversation stays put, Send acts at
the press, autosave keeps up with continuous typing, a failed save loses
nothing. Real widgets, the demo cache, the real writer; every wait is on a
row written or a state reached, never on time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import text

from console.demo import demo_conversation_id
from console.models.db import Cache
from console.models.writer import ChangeSet, Tx
from console.services import drafts, notes, outbox, team, workflow
from console.services.errors import InvalidArgument
from console.views.main_window import MainWindow
from console.views.ops.queue import Tag
from console.views.tasks import Runner
from tests.helpers.factories import add_account, cache_at, conv_by_key, msg, person, put
from tests.helpers.window import open_window


@pytest.fixture
def window(qtbot: Any, demo_cache: Cache, tmp_path: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, demo_cache, tmp_path, demo=True)
    yield win
    win.close()
    win.runner.shutdown()
    QApplication.processEvents()


def _draft(cache: Cache, conv_id: str) -> str | None:
    with cache.read() as s:
        draft = drafts.my_draft(s, conv_id)
        return draft.body if draft else None


def _notes(cache: Cache, conv_id: str) -> list[str]:
    with cache.read() as s:
        return [n.text for n in notes.notes_for(s, conv_id)]


def _open_row(qtbot: Any, win: MainWindow, row: int) -> str:
    conv_id = win.model.conversation_id(row)
    assert conv_id
    win.table.selectRow(row)
    qtbot.waitUntil(lambda: win.pane.shown_id == conv_id, timeout=5000)
    qtbot.waitUntil(lambda: not win.pane.editor.isReadOnly(), timeout=5000)
    return conv_id


def _elsewhere(cache: Cache, conv_id: str, status: str = "closed") -> None:
    """Another process (a sync, a terminal) changes a conversation."""

    def task(tx: Tx) -> None:
        workflow.set_status(tx, conv_id, status)

    cache.writer.submit(task).result(timeout=10)


def test_typed_text_stays_with_its_conversation_when_a_sync_moves_it_out(
    qtbot: Any, window: MainWindow, demo_cache: Cache
) -> None:
    conv_a = _open_row(qtbot, window, 0)
    conv_b = window.model.conversation_id(1)
    assert conv_b
    before_b = _draft(demo_cache, conv_b)
    editor = window.pane.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "Hello ")
    _elsewhere(demo_cache, conv_a)  # the open conversation leaves the view
    qtbot.waitUntil(lambda: window.model.is_leaving(conv_a), timeout=5000)
    assert window.pane.conv_id == conv_a
    assert window.model.conversation_id(window.table.currentIndex().row()) == conv_a
    qtbot.keyClicks(editor, "world")
    window.pane.save_draft()
    qtbot.waitUntil(lambda: _draft(demo_cache, conv_a) == "Hello world", timeout=5000)
    assert _draft(demo_cache, conv_b) == before_b
    # The person moves on: only then the row goes.
    window.table.selectRow(window.model.row_of(conv_b))
    qtbot.waitUntil(lambda: window.model.row_of(conv_a) == -1, timeout=5000)
    assert window.pane.conv_id == conv_b


def test_a_reload_of_everything_keeps_the_open_conversation(
    qtbot: Any, window: MainWindow, demo_cache: Cache
) -> None:
    conv_a = _open_row(qtbot, window, 2)
    _elsewhere(demo_cache, conv_a)
    qtbot.waitUntil(lambda: window.model.is_leaving(conv_a), timeout=5000)
    with qtbot.waitSignal(window.model.loaded, timeout=5000):
        window.runner.changed.emit(ChangeSet(everything=True))  # another process, too much
    assert window.model.is_leaving(conv_a)
    assert window.pane.conv_id == conv_a
    assert window.model.conversation_id(window.table.currentIndex().row()) == conv_a


def test_a_half_typed_note_stays_with_its_conversation(
    qtbot: Any, window: MainWindow, demo_cache: Cache
) -> None:
    conv_a = _open_row(qtbot, window, 0)
    field = window.pane.note_input
    field.setFocus()  # as a click in it does (the window starts with the queue focused)
    qtbot.keyClicks(field, "Call back on Monday")
    conv_b = _open_row(qtbot, window, 1)
    assert field.text() == ""
    qtbot.keyClicks(field, "Refund approved")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Refund approved" in _notes(demo_cache, conv_b), timeout=5000)
    _open_row(qtbot, window, window.model.row_of(conv_a))
    assert field.text() == "Call back on Monday"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Call back on Monday" in _notes(demo_cache, conv_a), timeout=5000)
    assert not any("Call back" in n for n in _notes(demo_cache, conv_b))
    assert not any("Refund" in n for n in _notes(demo_cache, conv_a))


def test_close_opens_the_next_row_and_says_so(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(
        QAccessible, "updateAccessibility", lambda event: said.append(event.message())
    )
    model = window.model
    conv_a = _open_row(qtbot, window, 1)
    below = model.conversation_id(2)
    assert below
    name = model.queue_row(below).contact_name  # type: ignore[union-attr]
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert window.pane.conv_id == below  # at the press, not when the write lands
    qtbot.waitUntil(lambda: model.row_of(conv_a) == -1, timeout=5000)
    assert model.conversation_id(window.table.currentIndex().row()) == below
    assert f"Now showing {name}." in said  # and the Undo bar's "Closed." (undo_bar.py)
    assert name in window.statusBar().currentMessage()
    # The last row closed: the one above opens.
    last = model.rowCount() - 1
    conv_last = _open_row(qtbot, window, last)
    above = model.conversation_id(last - 1)
    window.pane.close_button.click()
    assert window.pane.conv_id == above
    qtbot.waitUntil(lambda: model.row_of(conv_last) == -1, timeout=5000)
    shown = model.queue_row(above)
    assert shown is not None and f"Now showing {shown.contact_name}." in said


def test_rows_hold_still_while_the_list_has_the_focus(
    qtbot: Any, window: MainWindow, demo_cache: Cache
) -> None:
    model = window.model
    _open_row(qtbot, window, 3)
    window.table.setFocus()
    qtbot.waitUntil(lambda: model.held, timeout=5000)
    order = [model.conversation_id(r) for r in range(model.rowCount())]
    moved = order[0]
    assert moved
    _elsewhere(demo_cache, moved)
    qtbot.waitUntil(lambda: model.is_leaving(moved), timeout=5000)
    assert [model.conversation_id(r) for r in range(model.rowCount())] == order
    window.pane.editor.setFocus()  # the list is let go: now it goes
    qtbot.waitUntil(lambda: model.row_of(moved) == -1, timeout=5000)


def test_two_send_presses_queue_one_reply_and_empty_the_composer_at_once(
    qtbot: Any, window: MainWindow, demo_cache: Cache
) -> None:
    focus = demo_conversation_id(demo_cache)
    window.open_conversation(focus)
    qtbot.waitUntil(lambda: window.pane.shown_id == focus, timeout=5000)
    qtbot.waitUntil(lambda: window.pane.send_button.isEnabled(), timeout=5000)
    body = window.pane.editor.toPlainText()
    started, gate = threading.Event(), threading.Event()

    def busy(_tx: Tx) -> None:  # the writer is busy (a sync chunk)
        started.set()
        gate.wait(10)

    demo_cache.writer.submit(busy)
    qtbot.waitUntil(started.is_set, timeout=5000)
    qtbot.mouseClick(window.pane.send_button, Qt.MouseButton.LeftButton)
    assert window.pane.editor.toPlainText() == ""
    assert not window.pane.send_button.isEnabled()
    qtbot.mouseClick(window.pane.send_button, Qt.MouseButton.LeftButton)
    window.pane.send()  # Ctrl+Enter goes the same way
    gate.set()

    def items() -> list[Any]:
        with demo_cache.read() as s:
            return outbox.list_items(s)

    qtbot.waitUntil(lambda: len(items()) >= 1 and not window.pane.sending, timeout=5000)
    (item,) = items()
    assert item.body == body and item.conversation_id == focus


def test_a_send_that_fails_gives_the_text_back_and_says_why(
    qtbot: Any, window: MainWindow, demo_cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    focus = demo_conversation_id(demo_cache)
    window.open_conversation(focus)
    qtbot.waitUntil(lambda: window.pane.send_button.isEnabled(), timeout=5000)
    body = window.pane.editor.toPlainText()

    def refuse(_tx: Tx, _conv_id: str, **_kw: Any) -> Any:
        raise InvalidArgument("The account was removed.")

    monkeypatch.setattr(outbox, "enqueue", refuse)
    window.pane.send()
    assert window.pane.editor.toPlainText() == ""
    qtbot.waitUntil(lambda: window.pane.editor.toPlainText() == body, timeout=5000)
    assert "account was removed" in window.pane.save_state.text()
    assert window.pane.send_button.isEnabled()


class SimulatedTimer(QObject):
    """A single-shot timer on a simulated clock (milliseconds), advanced by
    the test: no real time passes, none is asserted."""

    timeout = Signal()

    def __init__(self, interval: int) -> None:
        super().__init__()
        self.now = 0
        self.interval = interval
        self.deadline: int | None = None

    def isActive(self) -> bool:  # QTimer's name
        return self.deadline is not None

    def start(self) -> None:
        self.deadline = self.now + self.interval

    def stop(self) -> None:
        self.deadline = None

    def advance(self, ms: int) -> None:
        """Let ``ms`` pass; the timer fires at its deadline, not after the step."""
        end = self.now + ms
        while self.deadline is not None and self.deadline <= end:
            self.now, self.deadline = self.deadline, None
            self.timeout.emit()
        self.now = end


def test_continuous_typing_reaches_the_cache_within_the_throttle(
    qtbot: Any, window: MainWindow, demo_cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = window.pane
    conv_id = _open_row(qtbot, window, 0)
    pane.composer.set_text("")
    clock = SimulatedTimer(pane.autosave.interval_ms)
    pane.autosave.use_timer(clock)
    handed: list[tuple[int, str]] = []  # (simulated time, text handed to the writer)
    real_save = pane.composer.saver._save

    def recording_save(conv: str, body: str) -> None:
        handed.append((clock.now, body))
        real_save(conv, body)

    monkeypatch.setattr(pane.composer.saver, "_save", recording_save)
    text = ("Bonjour, merci pour votre message. " * 13)[:450]
    typed_at: list[int] = []
    for n, char in enumerate(text):
        qtbot.keyClick(pane.editor, char)
        typed_at.append(clock.now)
        clock.advance(50)  # 20 characters a second: never a pause
        if n == 224:  # mid-typing, the cache already holds (almost) everything
            qtbot.waitUntil(lambda: len(_draft(demo_cache, conv_id) or "") >= 200, timeout=5000)
    clock.advance(pane.autosave.interval_ms)
    assert pane.editor.toPlainText() == text
    qtbot.waitUntil(lambda: _draft(demo_cache, conv_id) == text, timeout=5000)
    for n, at in enumerate(typed_at):
        assert any(0 <= when - at <= 250 and len(body) > n for when, body in handed), (
            f"keystroke {n} was not handed to the writer within 250 ms"
        )


def test_a_failed_autosave_keeps_the_text_across_a_switch(
    qtbot: Any, window: MainWindow, demo_cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = window.pane
    conv_a = _open_row(qtbot, window, 0)

    def disk_full(*_a: Any, **_kw: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(drafts, "save_draft", disk_full)
    pane.composer.set_text("")
    qtbot.keyClicks(pane.editor, "Words I must not lose")
    pane.save_draft()
    qtbot.waitUntil(lambda: pane.unsaved_failures() == 1, timeout=5000)
    assert pane.save_state.isVisibleTo(pane) and "Not saved" in pane.save_state.text()
    _open_row(qtbot, window, 1)
    assert pane.editor.toPlainText() != "Words I must not lose"
    _open_row(qtbot, window, window.model.row_of(conv_a))
    assert pane.editor.toPlainText() == "Words I must not lose"
    assert "Not saved" in pane.save_state.text()
    monkeypatch.undo()  # the disk has room again: the retry saves it
    pane.save_draft()
    qtbot.waitUntil(lambda: _draft(demo_cache, conv_a) == "Words I must not lose", timeout=5000)
    qtbot.waitUntil(lambda: pane.unsaved_failures() == 0, timeout=5000)
    assert not pane.save_state.isVisibleTo(pane)


def test_a_draft_refused_for_what_it_is_stays_and_says_why(
    qtbot: Any, window: MainWindow, demo_cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = window.pane
    conv_a = _open_row(qtbot, window, 0)
    real = drafts.save_draft

    def too_long(tx: Tx, conv_id: str, body: str, **kw: Any) -> Any:
        if "!!" in body:
            raise InvalidArgument("This draft is too long, so it was not saved: shorten it.")
        return real(tx, conv_id, body, **kw)

    monkeypatch.setattr(drafts, "save_draft", too_long)
    pane.composer.set_text("")
    qtbot.keyClicks(pane.editor, "Far too long!!")
    pane.save_draft()
    qtbot.waitUntil(lambda: "shorten it" in pane.save_state.text(), timeout=5000)
    assert pane.editor.toPlainText() == "Far too long!!"
    qtbot.keyClick(pane.editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(pane.editor, Qt.Key.Key_Backspace)
    pane.save_draft()
    qtbot.waitUntil(lambda: _draft(demo_cache, conv_a) == "Far too long", timeout=5000)
    qtbot.waitUntil(lambda: not pane.save_state.isVisibleTo(pane), timeout=5000)


def _answers(monkeypatch: pytest.MonkeyPatch, *replies: Any) -> list[str]:
    """QMessageBox.question answers ``replies`` in turn; returns what it was asked."""
    asked: list[str] = []
    queue = list(replies)

    def question(_parent: Any, _title: str, body: str, *_a: Any) -> Any:
        asked.append(body)
        return queue.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def _queued(cache: Cache) -> list[str]:
    with cache.read() as s:
        return [i.conversation_id for i in outbox.list_items(s)]


def test_mentions_in_a_mastodon_dm_ask_before_they_add_people(
    qtbot: Any, window: MainWindow, demo_cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_cache.read() as s:
        dm = s.execute(
            text(
                "SELECT c.id FROM conversations c JOIN accounts a ON a.id = c.account_id "
                "WHERE c.kind = 'direct' AND a.network = 'mastodon' AND c.status = 'open' "
                "AND c.assignee_id IS NULL LIMIT 1"
            )
        ).scalar_one()
    window.open_conversation(dm)
    qtbot.waitUntil(lambda: window.pane.shown_id == dm, timeout=5000)
    qtbot.waitUntil(lambda: not window.pane.editor.isReadOnly(), timeout=5000)
    asked = _answers(monkeypatch, QMessageBox.StandardButton.Cancel)
    body = "@a@x.example @b@x.example @c@x.example @d@x.example see you"
    window.pane.composer.set_text("")
    qtbot.keyClicks(window.pane.editor, body)
    qtbot.waitUntil(lambda: "d@x.example" in window.pane.recipients.text(), timeout=5000)
    window.pane.send()
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert "5 people" in asked[0]
    qtbot.waitUntil(lambda: window.pane.editor.toPlainText() == body, timeout=5000)
    assert _queued(demo_cache) == []


@pytest.fixture
def mail_window(qtbot: Any, tmp_path: Path) -> Iterator[tuple[MainWindow, Cache, str]]:
    """A window on one e-mail whose Reply-To names someone else than its author."""
    cache = cache_at(tmp_path, "mail.sqlite")
    cache.writer.call(lambda tx: team.ensure_me(tx))
    acc = add_account(cache, "email", "support@shop.example", config={"demo": True})
    record = msg("t", remote_id="<m1@example.org>", author=person("Bob", "email"))
    record.raw = {"reply_to": ["other@elsewhere.example"]}
    put(cache, acc, record)
    conv_id = str(conv_by_key(cache, acc, "t").id)
    runner = Runner(cache)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = MainWindow(runner, settings, focus=conv_id)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=10_000):
        win.show()
    yield win, cache, conv_id
    win.close()
    runner.shutdown()
    QApplication.processEvents()
    cache.close()


def test_the_composer_shows_whom_a_reply_reaches_and_asks_when_not_the_author(
    qtbot: Any, mail_window: tuple[MainWindow, Cache, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, cache, conv_id = mail_window
    pane = window.pane
    qtbot.waitUntil(lambda: not pane.editor.isReadOnly(), timeout=5000)
    asked = _answers(monkeypatch, QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes)
    qtbot.keyClicks(pane.editor, "Your parcel left today.")
    qtbot.waitUntil(lambda: "other@elsewhere.example" in pane.recipients.text(), timeout=5000)
    assert pane.recipients.isVisibleTo(pane)
    pane.send()
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert "other@elsewhere.example" in asked[0]
    qtbot.waitUntil(lambda: pane.editor.toPlainText() == "Your parcel left today.", timeout=5000)
    assert _queued(cache) == []
    pane.send()  # Send anyway
    qtbot.waitUntil(lambda: _queued(cache) == [conv_id] and not pane.sending, timeout=5000)
    assert len(asked) == 2


def test_a_reply_cancelled_in_the_outbox_comes_back_to_the_open_composer(
    qtbot: Any, window: MainWindow, demo_cache: Cache
) -> None:
    focus = demo_conversation_id(demo_cache)
    window.open_conversation(focus)
    qtbot.waitUntil(lambda: window.pane.send_button.isEnabled(), timeout=5000)
    body = window.pane.editor.toPlainText()
    window.pane.send()
    qtbot.waitUntil(
        lambda: _queued(demo_cache) == [focus] and not window.pane.sending,
        timeout=5000,
    )
    assert window.pane.editor.toPlainText() == ""
    with demo_cache.read() as s:
        (item,) = outbox.list_items(s)
    demo_cache.writer.submit(lambda tx: outbox.cancel(tx, item.id)).result(timeout=10)
    qtbot.waitUntil(lambda: window.pane.editor.toPlainText() == body, timeout=5000)


def test_an_action_shows_in_the_thread_as_a_history_line(
    qtbot: Any, window: MainWindow, demo_cache: Cache
) -> None:
    conv = _open_row(qtbot, window, 0)
    name = "<b>vip</b>"  # a tag's name is shown as text, never as markup
    assert name not in window.pane.browser.toPlainText()
    window.act(Tag(name), [conv])
    line = f"Camille Martin tagged #{name}"
    qtbot.waitUntil(lambda: line in window.pane.browser.toPlainText(), timeout=5000)
    shown = window.pane.browser.toPlainText()
    # After the thread's last message (the newest line comes last), dim and small.
    assert shown.rstrip().splitlines()[-1].startswith(line + " · ")
    assert "&lt;b&gt;vip&lt;/b&gt;" in window.pane.browser.toHtml()
