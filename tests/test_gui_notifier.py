"""Desktop notifications against a notification daemon on the test's private
session bus (python-dbusmock's notification_daemon template, shaped like the
freedesktop protocol): the Notify calls it receives, their actions and
hints, grouping, and that clicking one opens the conversation; none for my
own actions, the conversation on screen, or within quiet hours."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import dbus
import dbusmock
import pytest

from console.models.db import Cache
from console.services import settings, team, workflow
from console.views.main_window import MainWindow
from console.views.notifier import IFACE, Notifier, install_notifier
from tests.helpers.factories import add_account, conv_by_key, msg, put
from tests.helpers.window import open_window


@pytest.fixture
def daemon() -> Iterator[Any]:
    """A notification daemon on this test's session bus, gone afterwards."""
    proc, obj = dbusmock.DBusTestCase.spawn_server_template(
        "notification_daemon", {}, stdout=subprocess.DEVNULL, system_bus=False
    )
    try:
        yield dbus.Interface(obj, dbusmock.MOCK_IFACE)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _notify_calls(daemon: Any) -> list[list[Any]]:
    return [list(args) for _at, args in daemon.GetMethodCalls("Notify")]


def _setup(cache: Cache) -> dict[str, str]:
    """Ana (me, a lead) and Bo; two of Ana's conversations and one unassigned."""
    team_ids = {
        "ana": cache.writer.call(lambda tx: team.add_member(tx, "Ana Souza", "lead")).id,
        "bo": cache.writer.call(lambda tx: team.add_member(tx, "Bo Chen", "agent")).id,
    }
    cache.writer.call(lambda tx: team.set_me(tx, "Ana Souza"))
    acc = add_account(cache)
    put(cache, acc, msg("one", ago_min=30), msg("two", ago_min=20), msg("free", ago_min=10))
    ids = {k: conv_by_key(cache, acc, k).id for k in ("one", "two", "free")}

    def take(tx: Any) -> None:
        for key in ("one", "two"):
            workflow.take(tx, ids[key])

    cache.writer.call(take)
    return {**team_ids, **ids, "account": acc}


def _window(qtbot: Any, cache: Cache, tmp_path: Path, focus: str) -> tuple[MainWindow, Notifier]:
    window = open_window(qtbot, cache, tmp_path, focus)
    notifier = install_notifier(window)
    notifier.group_ms = 0  # one look is one notification; no waiting in tests
    qtbot.waitUntil(lambda: notifier.seen is not None, timeout=10_000)
    return window, notifier


def test_a_new_message_on_mine_notifies_and_a_click_opens_it(
    qtbot: Any, cache: Cache, tmp_path: Path, daemon: Any
) -> None:
    ids = _setup(cache)
    window, _notifier = _window(qtbot, cache, tmp_path, ids["two"])
    try:
        put(cache, ids["account"], msg("one", ago_min=1, text="Is my order <b>late</b>?"))
        qtbot.waitUntil(lambda: len(_notify_calls(daemon)) == 1, timeout=10_000)
        app, replaces, _icon, summary, body, actions, hints, timeout = _notify_calls(daemon)[0]
        assert (app, replaces, summary, timeout) == ("Parloir", 0, "New message from Alice", -1)
        assert body == "Is my order &lt;b&gt;late&lt;/b&gt;?"  # text, never markup
        assert list(actions) == ["default", "Open"]
        assert hints["category"] == "im.received"
        assert hints["desktop-entry"] == "org.parloir.Parloir"
        assert window.pane.conv_id == ids["two"]
        daemon.EmitSignal(IFACE, "ActionInvoked", "us", [dbus.UInt32(1), "default"])
        qtbot.waitUntil(lambda: window.pane.conv_id == ids["one"], timeout=10_000)
    finally:
        window.runner.shutdown()


def test_many_at_once_are_one_notification_opening_the_first(
    qtbot: Any, cache: Cache, tmp_path: Path, daemon: Any
) -> None:
    ids = _setup(cache)
    window, _notifier = _window(qtbot, cache, tmp_path, ids["free"])
    try:
        acc = ids["account"]
        put(cache, acc, msg("one", ago_min=3), msg("two", ago_min=2), msg("one", ago_min=1))
        qtbot.waitUntil(lambda: len(_notify_calls(daemon)) == 1, timeout=10_000)
        summary, body = _notify_calls(daemon)[0][3:5]
        assert summary == "3 new messages on your conversations"
        assert body == "Alice"
        daemon.EmitSignal(IFACE, "ActionInvoked", "us", [dbus.UInt32(1), "default"])
        qtbot.waitUntil(lambda: window.pane.conv_id == ids["one"], timeout=10_000)
    finally:
        window.runner.shutdown()


def test_someone_elses_assignment_notifies_but_never_my_own(
    qtbot: Any, cache: Cache, tmp_path: Path, daemon: Any
) -> None:
    from console.models.activity import record_activity

    ids = _setup(cache)
    window, notifier = _window(qtbot, cache, tmp_path, ids["one"])
    try:
        with qtbot.waitSignal(notifier.looked, timeout=10_000) as mine:
            cache.writer.call(lambda tx: workflow.take(tx, ids["free"]))
        assert mine.args == [0]

        def by_bo(tx: Any) -> None:
            conn = tx.session.connection()
            sql = "UPDATE conversations SET assignee_id = ? WHERE id = ?"
            conn.exec_driver_sql(sql, (ids["ana"], ids["two"]))
            record_activity(conn, ids["bo"], ids["two"], "assign", {"assignee": ids["ana"]})
            tx.changes.conversations.add(ids["two"])

        cache.writer.call(by_bo)
        qtbot.waitUntil(lambda: len(_notify_calls(daemon)) == 1, timeout=10_000)
        assert _notify_calls(daemon)[0][3:5] == ["Assigned to you: Alice", "By Bo Chen"]
    finally:
        window.runner.shutdown()


def test_nothing_for_the_conversation_on_screen_nor_in_quiet_hours(
    qtbot: Any, cache: Cache, tmp_path: Path, daemon: Any
) -> None:
    ids = _setup(cache)
    window, notifier = _window(qtbot, cache, tmp_path, ids["one"])
    try:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
        with qtbot.waitSignal(notifier.looked, timeout=10_000) as on_screen:
            put(cache, ids["account"], msg("one", ago_min=1))
        assert on_screen.args == [0]

        hour = datetime.now().hour  # quiet from an hour ago to two hours on
        quiet = {"quiet_start": (hour + 23) % 24, "quiet_end": (hour + 2) % 24}

        def be_quiet(tx: Any) -> None:
            for key, value in quiet.items():
                settings.put(tx, key, value)

        cache.writer.call(be_quiet)
        with qtbot.waitSignal(notifier.looked, timeout=10_000) as in_quiet:
            put(cache, ids["account"], msg("two", ago_min=1))
        assert in_quiet.args == [0]
        assert notifier.waiting == [] and _notify_calls(daemon) == []
    finally:
        window.runner.shutdown()


def test_a_target_about_to_pass_notifies_once_at_start(
    qtbot: Any, cache: Cache, tmp_path: Path, daemon: Any
) -> None:
    from console.models.types import now_ms

    ids = _setup(cache)

    def soon(tx: Any) -> None:
        sql = "UPDATE conversations SET due_at = ?, status = 'open' WHERE id = ?"
        tx.session.connection().exec_driver_sql(sql, (now_ms() + 5 * 60_000, ids["one"]))

    cache.writer.call(soon)
    window, notifier = _window(qtbot, cache, tmp_path, ids["two"])
    try:
        qtbot.waitUntil(lambda: len(_notify_calls(daemon)) == 1, timeout=10_000)
        assert _notify_calls(daemon)[0][3] == "Answer soon: Alice"
        with qtbot.waitSignal(notifier.looked, timeout=10_000) as again:
            notifier.look_due()  # the next minute's look
        assert again.args == [0]  # once per conversation
    finally:
        window.runner.shutdown()


def test_a_colleagues_note_that_mentions_me_notifies_with_its_text(
    qtbot: Any, cache: Cache, tmp_path: Path, daemon: Any
) -> None:
    import json

    from console.models.types import now_ms

    ids = _setup(cache)
    window, _notifier = _window(qtbot, cache, tmp_path, ids["two"])
    try:

        def bos_note(tx: Any) -> None:
            tx.session.connection().exec_driver_sql(
                "INSERT INTO notes (id, conversation_id, author_id, text, mentions, created_at) "
                "VALUES ('n1', ?, ?, '@Ana can you answer?', ?, ?)",
                (ids["free"], ids["bo"], json.dumps([ids["ana"]]), now_ms()),
            )
            tx.changes.conversations.add(ids["free"])

        cache.writer.call(bos_note)
        qtbot.waitUntil(lambda: len(_notify_calls(daemon)) == 1, timeout=10_000)
        assert _notify_calls(daemon)[0][3:5] == ["Bo Chen mentioned you", "@Ana can you answer?"]
    finally:
        window.runner.shutdown()
