"""The main window's parts that are plain values and rules: the typed
workflow actions (views/ops/queue.py) and what they write, the window's
reads (views/ops/overview.py), the next row after a close, the sidebar's
filter, the sync line, the shortcut list."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from console.demo import demo_conversation_id
from console.models.db import Cache
from console.models.vocabulary import Priority, Status
from console.services import queue, team
from console.views.ops import overview
from console.views.ops.queue import (
    Assign,
    QueueAction,
    SetPriority,
    SetStatus,
    Snooze,
    Tag,
    Take,
    Untag,
    apply,
    leaves_as,
)
from console.views.queue_list import next_after
from console.views.sidebar import filter_for
from console.views.sync_status import dot_html, sync_line
from console.views.window_keys import SHORTCUTS, shortcuts_html


def test_closing_and_snoozing_leave_the_view_the_rest_stay() -> None:
    later = datetime(2030, 1, 1, tzinfo=UTC)
    assert leaves_as(SetStatus(Status.CLOSED)) == Status.CLOSED
    assert leaves_as(Snooze(later)) == Status.SNOOZED
    staying: list[QueueAction] = [
        Take(),
        Assign(None),
        SetStatus(Status.OPEN),
        SetStatus(Status.PENDING),
        Tag("vip"),
        Untag("vip"),
        SetPriority(Priority.HIGH),
    ]
    assert [leaves_as(a) for a in staying] == [None] * len(staying)


def test_actions_are_values() -> None:
    assert Assign("m1") == Assign("m1") != Assign(None)
    assert {Tag("a"), Tag("a"), Untag("a")} == {Tag("a"), Untag("a")}


def _row(cache: Cache, conv_id: str) -> queue.QueueRow:
    with cache.read() as s:
        return queue.rows_by_id(s, [conv_id])[conv_id]


def test_each_action_writes_what_its_verb_does(demo_cache: Cache) -> None:
    conv = demo_conversation_id(demo_cache)
    with demo_cache.read() as s:
        me = team.me(s)
        ana = team.find_member(s, "Ana Souza")
        assert me is not None and ana is not None
        me_id, ana_id = me.id, ana.id

    def do(action: QueueAction) -> queue.QueueRow:
        demo_cache.writer.call(lambda tx: apply(tx, action, conv))
        return _row(demo_cache, conv)

    assert do(Assign(ana_id)).assignee_id == ana_id
    assert do(Take()).assignee_id == me_id
    assert do(Assign(None)).assignee_id is None
    assert "vip" in do(Tag("vip")).tags
    assert "vip" not in do(Untag("vip")).tags
    assert do(SetPriority(Priority.URGENT)).priority == "urgent"
    assert do(SetStatus(Status.PENDING)).status == "pending"
    until = datetime.now(UTC) + timedelta(days=2)
    snoozed = do(Snooze(until))
    assert snoozed.status == "snoozed" and snoozed.snoozed_until is not None
    assert do(SetStatus(Status.CLOSED)).status == "closed"


def test_the_window_reads_who_i_am_and_the_overview(demo_cache: Cache) -> None:
    with demo_cache.read() as s:
        me = overview.load_me(s)
        seen = overview.load_overview(s, me.member_id)
        handles = sorted(a.handle for a in seen.accounts)
    assert me.member_id is not None and me.name and me.account_count == len(handles) > 0
    assert seen.counts["open"] > 0 and set(seen.counts) >= {"mine", "open", "closed"}
    assert "livraison" in {name for name, _n in seen.tags}
    assert {m.name for m in seen.members} >= {"Ana Souza"}


def test_an_empty_cache_has_no_me_and_no_accounts(cache: Cache) -> None:
    with cache.read() as s:
        assert overview.load_me(s) == overview.Me(None, "", "", 0)
        assert overview.load_overview(s, None).accounts == ()


@pytest.mark.parametrize(
    ("gone", "leaving", "expected"),
    [
        ({"b"}, set(), 2),  # the row below
        ({"d"}, set(), 2),  # the last: the row above
        ({"b", "c"}, set(), 3),  # below the last of several
        ({"b"}, {"c"}, 3),  # one already leaving is skipped
        ({"d"}, {"c", "b", "a"}, None),  # nothing stays
        ({"x"}, set(), None),  # not in the list
    ],
)
def test_the_next_row_after_a_close(
    gone: set[str], leaving: set[str], expected: int | None
) -> None:
    assert next_after(["a", "b", "c", "d"], gone, leaving.__contains__) == expected


def test_the_next_row_skips_rows_without_an_id() -> None:
    assert next_after(["a", "", "c"], {"a"}, lambda _c: False) == 2


def test_a_sidebar_choice_is_a_queue_filter() -> None:
    assert filter_for("view", "closed", None, "waiting") == queue.QueueFilter(view="closed")
    assert filter_for("account", "acc", "pain", "activity") == queue.QueueFilter(
        view="open", account_id="acc", search="pain", sort="activity"
    )
    assert filter_for("tag", "vip", None, "waiting").tag == "vip"
    assert filter_for("member", "m1", None, "waiting").assignee_id == "m1"
    assert filter_for("header", "tag", None, "waiting") == queue.QueueFilter(view="open")


def test_the_sync_line_never_formats_the_servers_words() -> None:
    assert sync_line("offline", "shop@example", "") == "shop@example: offline, will retry"
    assert sync_line("ok", "shop@example", "") == ""
    assert sync_line("error", "a{0}b", "bad {} {0} {x}") == "a{0}b: bad {} {0} {x}"
    assert sync_line("syncing", "{x}", "") == "Syncing {x}…"


def test_an_accounts_dot_escapes_its_handle() -> None:
    shown = dot_html("needs_reauth", "<b>me</b>")
    assert "&lt;b&gt;me&lt;/b&gt;" in shown and "#c0392b" in shown
    assert "#27ae60" in dot_html("no such state", "me")  # an unknown state reads as ok


def test_the_shortcut_list_names_every_key() -> None:
    shown = shortcuts_html()
    assert all(f"<b>{html.escape(key)}</b>" in shown for key, _ in SHORTCUTS)
    assert shown.count("<tr>") == len(SHORTCUTS)


def test_a_closure_over_a_deleted_qt_object_is_not_called(qtbot: Any) -> None:
    """A model's loader defines ``done`` inside a method; when the model is
    deleted before the read answers, the Runner must not call it."""
    import shiboken6
    from PySide6.QtCore import QObject

    from console.views.tasks import _alive

    owner = QObject()
    calls: list[int] = []

    def done(_result: object) -> None:
        calls.append(owner.objectName().count("x"))

    assert _alive(done)
    shiboken6.delete(owner)
    assert not _alive(done)
    assert _alive(lambda _r: calls.append(1))  # no Qt owner: always delivered
