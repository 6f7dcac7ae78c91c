"""Undo of workflow actions (services/undo.py): each kind of action put
back, in bulk, one replayable "undo" op per conversation, the history's
line for it, and what happens when someone changed the field since."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from console.models.db import Cache
from console.models.schema import Activity, Conversation
from console.models.types import to_ms
from console.models.writer import Tx
from console.services import team, undo, workflow
from console.services.conversation import detail_json
from console.services.conversation_view import HistoryView
from console.services.errors import PermissionDenied
from console.views.history_lines import history_line
from tests.helpers.factories import add_account, conv_by_key, msg, person, put

Apply = Callable[[Tx, str], object]


@pytest.fixture
def convs(cache: Cache) -> list[str]:
    acc = add_account(cache)
    put(cache, acc, *(msg(k, author=person(f"P{k}"), text=f"hello {k}") for k in "abc"))
    cache.writer.call(lambda tx: team.add_member(tx, "Camille Martin", "lead"))
    cache.writer.call(lambda tx: team.add_member(tx, "Ana Souza", "agent"))
    cache.writer.call(lambda tx: team.set_me(tx, "Camille Martin"))
    return [conv_by_key(cache, acc, k).id for k in "abc"]


def _act(cache: Cache, ids: list[str], apply: Apply, label: str = "") -> undo.UndoToken:
    return cache.writer.call(lambda tx: undo.undoable(tx, ids, apply, label))


def _undo(cache: Cache, token: undo.UndoToken) -> undo.UndoResult:
    return cache.writer.call(lambda tx: undo.undo(tx, token))


def _conv(cache: Cache, conv_id: str) -> Conversation:
    with cache.read() as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        s.expunge(conv)
        return conv


def _tags(cache: Cache, conv_id: str) -> set[str]:
    with cache.read() as s:
        return set(detail_json(s, conv_id)["tags"])


def _undo_ops(cache: Cache, conv_id: str) -> list[tuple[str | None, dict[str, Any]]]:
    with cache.read() as s:
        rows = s.scalars(
            select(Activity)
            .where(Activity.conversation_id == conv_id, Activity.op == "undo")
            .order_by(Activity.at)
        ).all()
        return [(a.actor_id, a.payload) for a in rows]


def _member(cache: Cache, name: str) -> str:
    with cache.read() as s:
        return team.find_member(s, name).id


def test_bulk_close_is_undone_with_one_replayable_op_each(cache: Cache, convs: list[str]) -> None:
    cache.writer.call(lambda tx: workflow.set_status(tx, convs[1], "pending"))
    token = _act(cache, convs, lambda tx, c: workflow.set_status(tx, c, "closed"), "Closed 3.")
    assert token.label == "Closed 3." and sorted(token.conversation_ids) == sorted(convs)
    assert {_conv(cache, c).status for c in convs} == {"closed"}

    result = _undo(cache, token)

    assert result == undo.UndoResult(restored=3, skipped=0)
    assert [_conv(cache, c).status for c in convs] == ["open", "pending", "open"]
    camille = _member(cache, "Camille Martin")
    assert _undo_ops(cache, convs[1]) == [
        (
            camille,
            {"status": "pending", "snoozed_until": None, "undoes": "status", "undone": "closed"},
        )
    ]
    assert all(len(_undo_ops(cache, c)) == 1 for c in convs)
    with cache.read() as s:
        last = detail_json(s, convs[0])["history"][-1]
    assert (last["op"], last["value"], last["actor"]) == ("undo", "status closed", "Camille Martin")


def test_a_conversation_the_action_left_alone_is_not_in_the_token(
    cache: Cache, convs: list[str]
) -> None:
    cache.writer.call(lambda tx: workflow.tag(tx, convs[0], "vip"))
    token = _act(cache, convs[:2], lambda tx, c: workflow.tag(tx, c, "vip"))
    assert token.conversation_ids == [convs[1]]  # the first had the tag already
    _undo(cache, token)
    assert _tags(cache, convs[0]) == {"vip"} and _tags(cache, convs[1]) == set()
    assert _undo_ops(cache, convs[0]) == []


def test_an_id_given_twice_or_by_its_tail_counts_once(cache: Cache, convs: list[str]) -> None:
    ids = [*convs, convs[0], convs[1][-8:]]
    token = _act(cache, ids, lambda tx, c: workflow.set_status(tx, c, "closed"))
    assert token.conversation_ids == convs
    assert _undo(cache, token).restored == 3


def test_snooze_undone_brings_back_the_earlier_snooze(cache: Cache, convs: list[str]) -> None:
    first = datetime(2099, 1, 5, 9, 0, tzinfo=UTC)
    cache.writer.call(lambda tx: workflow.snooze(tx, convs[0], first))
    token = _act(cache, convs[:1], lambda tx, c: workflow.snooze(tx, c, first + timedelta(days=2)))
    _undo(cache, token)
    conv = _conv(cache, convs[0])
    assert conv.status == "snoozed" and conv.snoozed_until is not None
    assert to_ms(conv.snoozed_until) == to_ms(first)
    (_actor, payload), *_ = _undo_ops(cache, convs[0])
    assert payload["status"] == "snoozed" and payload["snoozed_until"] == to_ms(first)
    with cache.read() as s:
        assert detail_json(s, convs[0])["history"][-1]["value"] == "snooze 2099-01-07T09:00:00.000Z"


def test_take_and_assign_undone_restore_the_assignee(cache: Cache, convs: list[str]) -> None:
    ana = _member(cache, "Ana Souza")
    cache.writer.call(lambda tx: workflow.assign(tx, convs[1], ana))
    token = _act(cache, convs[:2], lambda tx, c: workflow.take(tx, c))
    _undo(cache, token)
    assert _conv(cache, convs[0]).assignee_id is None
    assert _conv(cache, convs[1]).assignee_id == ana
    assert _undo_ops(cache, convs[1])[0][1]["assignee"] == ana
    with cache.read() as s:
        assert detail_json(s, convs[1])["history"][-1]["value"] == "assign Camille Martin"


def test_an_agent_may_undo_an_assignment_they_were_allowed_to_make(
    cache: Cache, convs: list[str]
) -> None:
    cache.writer.call(lambda tx: team.set_me(tx, "Ana Souza"))
    token = _act(cache, convs[:1], lambda tx, c: workflow.assign(tx, c, "Camille Martin"))
    with pytest.raises(PermissionDenied):  # unassigning Camille's thread is not hers to do...
        cache.writer.call(lambda tx: workflow.unassign(tx, convs[0]))
    assert _undo(cache, token).restored == 1  # ...but undoing her own assignment is
    assert _conv(cache, convs[0]).assignee_id is None


def test_only_the_person_who_acted_can_undo(cache: Cache, convs: list[str]) -> None:
    token = _act(cache, convs[:1], lambda tx, c: workflow.set_status(tx, c, "closed"))
    cache.writer.call(lambda tx: team.set_me(tx, "Ana Souza"))
    with pytest.raises(PermissionDenied):
        _undo(cache, token)
    assert _conv(cache, convs[0]).status == "closed"


def test_tag_untag_and_priority_undone_touch_only_what_they_changed(
    cache: Cache, convs: list[str]
) -> None:
    cache.writer.call(lambda tx: workflow.tag(tx, convs[0], "bug"))
    tagged = _act(cache, convs[:1], lambda tx, c: workflow.tag(tx, c, "vip"))
    cache.writer.call(lambda tx: workflow.tag(tx, convs[0], "billing"))  # another tag since
    _undo(cache, tagged)
    assert _tags(cache, convs[0]) == {"bug", "billing"}
    assert _undo_ops(cache, convs[0])[-1][1]["tags"] == {"vip": False}

    untagged = _act(cache, convs[:1], lambda tx, c: workflow.untag(tx, c, "bug"))
    assert _tags(cache, convs[0]) == {"billing"}
    _undo(cache, untagged)
    assert _tags(cache, convs[0]) == {"bug", "billing"}
    assert _undo_ops(cache, convs[0])[-1][1]["tags"] == {"bug": True}

    cache.writer.call(lambda tx: workflow.set_priority(tx, convs[0], "high"))
    raised = _act(cache, convs[:1], lambda tx, c: workflow.set_priority(tx, c, "urgent"))
    _undo(cache, raised)
    assert _conv(cache, convs[0]).priority == workflow.PRIORITIES["high"]
    assert _undo_ops(cache, convs[0])[-1][1]["priority"] == "high"
    with cache.read() as s:
        values = [h["value"] for h in detail_json(s, convs[0])["history"] if h["op"] == "undo"]
    assert values == ["tag vip", "untag bug", "priority urgent"]


def test_a_conversation_changed_since_is_skipped(cache: Cache, convs: list[str]) -> None:
    token = _act(cache, convs, lambda tx, c: workflow.set_status(tx, c, "closed"))
    cache.writer.call(lambda tx: workflow.set_status(tx, convs[0], "pending"))  # someone, since
    cache.writer.call(lambda tx: workflow.set_priority(tx, convs[1], "high"))  # another field

    result = _undo(cache, token)

    assert result == undo.UndoResult(restored=2, skipped=1)
    assert [_conv(cache, c).status for c in convs] == ["pending", "open", "open"]
    assert _undo_ops(cache, convs[0]) == []
    assert _undo(cache, token) == undo.UndoResult(restored=0, skipped=3)  # twice: nothing more


def test_the_thread_words_an_undo() -> None:
    def line(value: str | None, actor: str | None = "Camille Martin") -> str:
        entry = HistoryView("", actor, "undo", value)
        return history_line(entry, lambda t: t, lambda iso: "Thu 09:00")

    assert line("status closed") == "Camille Martin undid: closed"
    assert line("assign Ana Souza") == "Camille Martin undid: assigned to Ana Souza"
    assert line("unassign", None) == "undid: unassigned"
    snoozed = line("snooze 2099-01-07T09:00:00.000Z")
    assert snoozed == "Camille Martin undid: snoozed until Thu 09:00"
    assert line("tag my tag") == "Camille Martin undid: tagged #my tag"
    assert line(None) == "Camille Martin undid a change"
