"""The demo workspace: stable, complete, offline, keyring-free."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from console.demo import build_demo, demo_conversation_id, ensure_demo, generate
from console.models.db import open_cache
from console.services import drafts, queue, team


def _ids(path: Path) -> dict[str, list[str]]:
    with open_cache(path) as cache, cache.read() as s:
        return {
            table: list(s.execute(text(f"SELECT id FROM {table} ORDER BY id")).scalars())
            for table in ("accounts", "conversations", "messages", "contacts", "team_members")
        }


def test_two_fresh_demos_have_the_same_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    def no_keyring(*args: object) -> None:
        raise AssertionError("the demo must not touch the keyring")

    monkeypatch.setattr(keyring, "get_password", no_keyring)
    monkeypatch.setattr(keyring, "set_password", no_keyring)
    ensure_demo(tmp_path / "a" / "cache.sqlite")
    ensure_demo(tmp_path / "b" / "cache.sqlite")
    first, second = _ids(tmp_path / "a" / "cache.sqlite"), _ids(tmp_path / "b" / "cache.sqlite")
    assert first == second
    assert len(first["conversations"]) >= 20 and len(first["messages"]) >= 25


def test_demo_contents(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    build_demo(path)
    with open_cache(path) as cache, cache.read() as s:
        networks = s.execute(text("SELECT network FROM accounts")).scalars().all()
        assert sorted(networks) == ["bluesky", "email", "mastodon"]
        members = team.list_members(s)
        assert len(members) == 4 and sum(m.is_me for m in members) == 1
        assert {m.role for m in members} == {"lead", "agent", "admin"}
        me = team.me(s)
        assert me is not None
        open_rows = queue.iterate(s, queue.QueueFilter(view="open"), me_id=me.id)
        texts = " ".join(r.preview for r in open_rows)
        assert "Bonjour" in texts or "Toujours" in texts  # French
        assert "booking" in texts  # English
        from console.models.types import utcnow

        overdue = [r for r in open_rows if r.due_at and r.due_at < utcnow()]
        assert overdue
        # A snooze that has passed shows as open; a future one as snoozed.
        assert any(r.contact_name == "Raoul Petit" for r in open_rows)
        assert queue.count(s, queue.QueueFilter(view="snoozed")) >= 2
        assert queue.count(s, queue.QueueFilter(view="pending")) >= 1
        assert queue.count(s, queue.QueueFilter(view="closed")) >= 2
        persons = s.execute(
            text(
                "SELECT person_id, count(DISTINCT network) FROM contacts "
                "WHERE person_id IS NOT NULL GROUP BY person_id"
            )
        ).all()
        assert any(n == 2 for _, n in persons)
        assert s.execute(text("SELECT count(*) FROM saved_replies")).scalar_one() >= 3
        focus = demo_conversation_id(cache)
        draft = drafts.my_draft(s, focus)
        assert draft is not None and "Noor" in draft.body
        assert s.execute(text("SELECT count(*) FROM notes")).scalar_one() >= 3


def test_demo_sends_through_the_demo_provider(tmp_path: Path) -> None:
    from console.services import outbox
    from console.sync.outbox import OutboxSender

    path = tmp_path / "cache.sqlite"
    build_demo(path)
    with open_cache(path) as cache:
        focus = demo_conversation_id(cache)
        item = cache.writer.call(lambda tx: outbox.enqueue(tx, focus))
        sender = OutboxSender(cache, demo=True)
        assert sender.deliver(item.id) == "sent"
        with cache.read() as s:
            thread = s.execute(
                text(
                    "SELECT direction, raw FROM messages WHERE conversation_id = :c "
                    "ORDER BY sent_at"
                ),
                {"c": focus},
            ).all()
        assert thread[-1][0] == "out" and '"demo": true' in thread[-1][1]


def test_generate_makes_exactly_what_was_asked(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    result = generate(path, 60, 500)
    assert result["conversations"] == 60 and result["messages"] == 500
    with open_cache(path) as cache, cache.read() as s:
        assert s.execute(text("SELECT count(*) FROM conversations")).scalar() == 60
        assert s.execute(text("SELECT count(*) FROM messages")).scalar() == 500
        assert s.execute(text("SELECT count(*) FROM message_fts")).scalar() == 500
