"""What is new for me after a write (console/services/notifications.py),
without Qt: assigned by someone else, inbound on mine, notes that mention
me, targets about to pass; never my own actions; the settings' filter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from console.models.activity import record_activity
from console.models.db import Cache
from console.models.types import now_ms, utcnow
from console.services import notes, notifications, settings, team, workflow
from console.services.notifications import ASSIGNED, DUE, INBOUND, MENTION, Notice, Prefs
from tests.helpers.factories import add_account, conv_by_key, msg, put


def _team(cache: Cache) -> tuple[str, str]:
    ana = cache.writer.call(lambda tx: team.add_member(tx, "Ana Souza", "lead")).id
    bo = cache.writer.call(lambda tx: team.add_member(tx, "Bo Chen", "agent")).id
    cache.writer.call(lambda tx: team.set_me(tx, "Ana Souza"))
    return ana, bo


def _news(cache: Cache, me: str, seen: notifications.Seen) -> list[Notice]:
    with cache.read() as s:
        return notifications.news(s.connection(), me, seen)


def _start(cache: Cache) -> notifications.Seen:
    with cache.read() as s:
        return notifications.start(s.connection())


def _assign_by(cache: Cache, conv: str, member: str, actor: str) -> None:
    """What team mode brings: someone else's assignment."""

    def task(tx: Any) -> None:
        conn = tx.session.connection()
        sql = "UPDATE conversations SET assignee_id = ? WHERE id = ?"
        conn.exec_driver_sql(sql, (member, conv))
        record_activity(conn, actor, conv, "assign", {"assignee": member})
        tx.changes.conversations.add(conv)

    cache.writer.call(task)


def _note_by(cache: Cache, conv: str, author: str, text: str, mentions: list[str]) -> None:
    def task(tx: Any) -> None:
        tx.session.connection().exec_driver_sql(
            "INSERT INTO notes (id, conversation_id, author_id, text, mentions, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (f"n-{text}", conv, author, text, f'["{mentions[0]}"]' if mentions else "[]", now_ms()),
        )

    cache.writer.call(task)


def test_old_news_is_not_news_and_each_fact_comes_once(cache: Cache) -> None:
    ana, bo = _team(cache)
    acc = add_account(cache)
    put(cache, acc, msg("t1", text="before we started"))
    c1 = conv_by_key(cache, acc, "t1").id
    _assign_by(cache, c1, ana, bo)
    seen = _start(cache)
    assert _news(cache, ana, seen) == []
    put(cache, acc, msg("t1", text="are you   there?"), msg("t2", text="not mine"))
    found = _news(cache, ana, seen)
    assert [(n.kind, n.conversation_id, n.text) for n in found] == [(INBOUND, c1, "are you there?")]
    assert found[0].who == "Alice"
    assert _news(cache, ana, seen) == []  # once


def test_assigned_by_someone_else_but_never_by_me(cache: Cache) -> None:
    ana, bo = _team(cache)
    acc = add_account(cache)
    put(cache, acc, msg("t1"), msg("t2"))
    c1, c2 = conv_by_key(cache, acc, "t1").id, conv_by_key(cache, acc, "t2").id
    seen = _start(cache)
    cache.writer.call(lambda tx: workflow.take(tx, c1))  # my own action
    _assign_by(cache, c2, ana, bo)
    _assign_by(cache, c1, bo, bo)  # to someone else: not for me
    found = _news(cache, ana, seen)
    assert [(n.kind, n.conversation_id, n.by) for n in found] == [(ASSIGNED, c2, "Bo Chen")]


def test_a_note_that_mentions_me_but_not_my_own(cache: Cache) -> None:
    ana, bo = _team(cache)
    acc = add_account(cache)
    put(cache, acc, msg("t1"))
    c1 = conv_by_key(cache, acc, "t1").id
    seen = _start(cache)
    cache.writer.call(lambda tx: notes.add_note(tx, c1, "note to self @Ana"))
    _note_by(cache, c1, bo, "@Ana can you look?", [ana])
    _note_by(cache, c1, bo, "nothing for you", [])
    found = _news(cache, ana, seen)
    assert [(n.kind, n.text, n.by) for n in found] == [(MENTION, "@Ana can you look?", "Bo Chen")]


def test_due_soon_once_on_mine_and_for_a_lead_on_unassigned(cache: Cache) -> None:
    ana, bo = _team(cache)
    acc = add_account(cache)
    put(cache, acc, msg("mine"), msg("free"), msg("bos"), msg("later"))
    ids = {k: conv_by_key(cache, acc, k).id for k in ("mine", "free", "bos", "later")}
    soon, later = now_ms() + 5 * 60_000, now_ms() + 3 * 3_600_000

    def task(tx: Any) -> None:
        conn = tx.session.connection()
        for key, due, who in (("mine", soon, ana), ("free", soon, None), ("bos", soon, bo)):
            conn.exec_driver_sql(
                "UPDATE conversations SET due_at = ?, assignee_id = ? WHERE id = ?",
                (due, who, ids[key]),
            )
        conn.exec_driver_sql(
            "UPDATE conversations SET due_at = ?, assignee_id = ? WHERE id = ?",
            (later, ana, ids["later"]),
        )

    cache.writer.call(task)
    seen = notifications.Seen()
    with cache.read() as s:
        conn = s.connection()
        as_agent = notifications.due_soon(conn, ana, False, utcnow(), notifications.Seen())
        as_lead = notifications.due_soon(conn, ana, True, utcnow(), seen)
        again = notifications.due_soon(conn, ana, True, utcnow(), seen)
        nearer = notifications.due_soon(
            conn, ana, False, utcnow() + timedelta(hours=2, minutes=50), notifications.Seen()
        )
    assert [(n.kind, n.conversation_id) for n in as_agent] == [(DUE, ids["mine"])]
    assert {n.conversation_id for n in as_lead} == {ids["mine"], ids["free"]}
    assert again == []
    assert [n.conversation_id for n in nearer] == [ids["later"]]


def test_settings_switch_kinds_off_keep_only_mine_and_quiet_hours(cache: Cache) -> None:
    with cache.read() as s:
        assert notifications.prefs(s.connection()) == Prefs()
    chosen = {"notify_inbound": "off", "notify_only_mine": "on", "quiet_start": 22, "quiet_end": 7}

    def task(tx: Any) -> None:
        for key, value in chosen.items():
            settings.put(tx, key, value)

    cache.writer.call(task)
    with cache.read() as s:
        p = notifications.prefs(s.connection())
    assert p.kinds == {ASSIGNED, MENTION, DUE} and p.only_mine
    assert [h for h in range(24) if p.quiet(h)] == [0, 1, 2, 3, 4, 5, 6, 22, 23]
    found = [Notice(INBOUND, "a", "x"), Notice(MENTION, "a", "x"), Notice(MENTION, "b", "x")]
    assert notifications.keep(found, p, {"a"}, hour=12) == [Notice(MENTION, "a", "x")]
    assert notifications.keep(found, p, {"a"}, hour=23) == []
    assert not Prefs(quiet_start=9, quiet_end=9).quiet(9)
    assert [h for h in range(24) if Prefs(quiet_start=12, quiet_end=14).quiet(h)] == [12, 13]
