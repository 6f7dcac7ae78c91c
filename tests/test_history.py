"""The activity history: the log's lines for one conversation in CLI.md's
words, an unreadable line left out, and its wording for the thread."""

from __future__ import annotations

from sqlalchemy import text

from console.models.db import Cache
from console.models.writer import Tx
from console.services.conversation import detail_json
from console.services.conversation_view import HistoryView
from console.views.history_lines import history_line


def test_automatic_lines_carry_their_reason_and_a_damaged_one_is_left_out(
    demo_cache: Cache,
) -> None:
    with demo_cache.read() as s:
        conv = str(s.execute(text("SELECT id FROM conversations LIMIT 1")).scalar_one())
        before = len(detail_json(s, conv)["history"])

    def task(tx: Tx) -> None:
        tx.session.execute(
            text(
                "INSERT INTO activities (id, actor_id, conversation_id, op, payload, at, pushed) "
                "VALUES (:i, NULL, :c, :op, :p, :at, 0)"
            ),
            [
                {"i": "a1", "c": conv, "op": "status", "p": '{"status": "open", '
                 '"reason": "inbound"}', "at": 4102444800000},
                {"i": "a2", "c": conv, "op": "tag", "p": "not json", "at": 4102444800001},
                {"i": "a3", "c": conv, "op": "sent", "p": "{}", "at": 10**18},
                {"i": "a4", "c": conv, "op": "sent", "p": "{}", "at": 4102444800002},
            ],
        )  # fmt: skip

    demo_cache.writer.submit(task).result(timeout=10)
    with demo_cache.read() as s:
        history = detail_json(s, conv)["history"]
    assert len(history) == before + 2  # the unreadable payload and time are left out
    assert history[-2:] == [
        {"at": "2100-01-01T00:00:00.000Z", "actor": None, "op": "status", "value": "open",
         "reason": "inbound"},
        {"at": "2100-01-01T00:00:00.002Z", "actor": None, "op": "send", "value": "sent",
         "reason": None},
    ]  # fmt: skip


def test_the_thread_words_a_line_with_who_and_why() -> None:
    def same(t: str) -> str:
        return t

    def line(
        op: str, value: str | None, actor: str | None = None, reason: str | None = None
    ) -> str:
        return history_line(HistoryView("", actor, op, value, reason), same, lambda iso: "when")

    assert line("assign", "Ana Souza", "Camille Martin") == "Camille Martin assigned to Ana Souza"
    assert line("status", "closed") == "closed"
    assert line("status", "open", reason="inbound") == "reopened (a new message came in)"
    assert line("tag", "bug") == "tagged #bug"
    assert line("priority", "high") == "priority high"
    assert line("send", "sent") == "reply sent"
    assert line("snooze", "2099-01-01T09:00:00.000Z") == "snoozed until when"
    assert line("unassign", None, "Ana") == "Ana unassigned"
