"""The main window's parts that are plain values and rules: the typed
workflow actions (views/ops/queue.py) and what they write, the window's
reads (views/ops/overview.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
