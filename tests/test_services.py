"""Workflow services: each operation and the Activity operation it writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from console.models.schema import Activity, Conversation
from console.models.types import utcnow
from console.services import drafts, notes, outbox, people, queue, saved_replies, team, workflow
from console.services.errors import InvalidArgument, NotFound, PermissionDenied
from tests.helpers.factories import add_account, conv_by_key, msg, person, put


@pytest.fixture
def conv_id(cache) -> str:
    acc = add_account(cache)
    put(cache, acc, msg("t", author=person("Noor"), text="Do you ship to Belgium?"))
    cache.writer.call(lambda tx: team.add_member(tx, "Camille Martin", "lead"))
    cache.writer.call(lambda tx: team.add_member(tx, "Ana Souza", "agent"))
    cache.writer.call(lambda tx: team.set_me(tx, "Camille Martin"))
    return conv_by_key(cache, acc, "t").id


def _ops(cache, conv_id: str) -> list[tuple[str, dict]]:
    with cache.read() as s:
        rows = s.scalars(
            select(Activity).where(Activity.conversation_id == conv_id).order_by(Activity.at)
        ).all()
        return [(a.op, a.payload) for a in rows]


def _me(cache) -> str:
    with cache.read() as s:
        me = team.me(s)
        assert me is not None
        return me.id


def test_take_assign_unassign_write_idempotent_operations(cache, conv_id) -> None:
    cache.writer.call(lambda tx: workflow.take(tx, conv_id))
    cache.writer.call(lambda tx: workflow.assign(tx, conv_id, "ana"))
    cache.writer.call(lambda tx: workflow.assign(tx, conv_id, "ana"))  # no-op, no line
    cache.writer.call(lambda tx: workflow.unassign(tx, conv_id))
    with cache.read() as s:
        ana = team.find_member(s, "Ana Souza").id
    assert _ops(cache, conv_id) == [
        ("assign", {"assignee": _me(cache)}),
        ("assign", {"assignee": ana}),
        ("assign", {"assignee": None}),
    ]


def test_an_agent_cannot_reassign_a_colleagues_thread(cache, conv_id) -> None:
    cache.writer.call(lambda tx: workflow.take(tx, conv_id))  # Camille (lead) takes it
    cache.writer.call(lambda tx: team.set_me(tx, "Ana Souza"))
    with pytest.raises(PermissionDenied):
        cache.writer.call(lambda tx: workflow.take(tx, conv_id))
    with pytest.raises(PermissionDenied):
        cache.writer.call(lambda tx: workflow.unassign(tx, conv_id))
    cache.writer.call(lambda tx: team.set_me(tx, "Camille"))
    cache.writer.call(lambda tx: workflow.assign(tx, conv_id, "Ana Souza"))  # a lead can


def test_status_snooze_tags_priority(cache, conv_id) -> None:
    until = utcnow() + timedelta(hours=3)
    cache.writer.call(lambda tx: workflow.set_status(tx, conv_id, "pending"))
    cache.writer.call(lambda tx: workflow.snooze(tx, conv_id, until))
    cache.writer.call(lambda tx: workflow.tag(tx, conv_id, "#billing"))
    cache.writer.call(lambda tx: workflow.untag(tx, conv_id, "billing"))
    cache.writer.call(lambda tx: workflow.set_priority(tx, conv_id, "urgent"))
    cache.writer.call(lambda tx: workflow.set_status(tx, conv_id, "closed"))
    ops = _ops(cache, conv_id)
    assert [op for op, _ in ops] == ["status", "snooze", "tag", "tag", "priority", "status"]
    assert ops[2][1] == {"tag": "billing", "present": True}
    assert ops[3][1] == {"tag": "billing", "present": False}
    assert ops[5][1] == {"status": "closed"}
    with pytest.raises(InvalidArgument):
        cache.writer.call(lambda tx: workflow.set_status(tx, conv_id, "done"))


def test_a_snooze_that_has_passed_counts_as_open(cache, conv_id) -> None:
    soon = utcnow() + timedelta(hours=1)
    cache.writer.call(lambda tx: workflow.snooze(tx, conv_id, soon))
    with cache.read() as s:
        assert queue.count(s, queue.QueueFilter(view="snoozed")) == 1
        assert queue.count(s, queue.QueueFilter(view="open")) == 0
    # Time passes: move the snooze into the past, as the clock would.
    past = utcnow() - timedelta(minutes=1)

    def rewind(tx):
        tx.session.get(Conversation, conv_id).snoozed_until = past

    cache.writer.call(rewind)
    with cache.read() as s:
        assert queue.count(s, queue.QueueFilter(view="snoozed")) == 0
        assert queue.count(s, queue.QueueFilter(view="open")) == 1
        (row,) = queue.page(s, queue.QueueFilter(view="open")).rows
        assert row.status == "open" and row.snoozed_until is None


def test_notes_record_mentions(cache, conv_id) -> None:
    note = cache.writer.call(
        lambda tx: notes.add_note(tx, conv_id, "@Ana can you check the invoice?")
    )
    with cache.read() as s:
        ana = team.find_member(s, "Ana").id
    assert note.mentions == [ana]
    assert _ops(cache, conv_id)[-1][0] == "note"


def test_one_draft_per_author_and_empty_text_changes_nothing(cache, conv_id) -> None:
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv_id, "Bonjour,"))
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv_id, "Bonjour Noor,"))
    with cache.read() as s:
        assert [d.body for d in drafts.drafts_for(s, conv_id)] == ["Bonjour Noor,"]
    cache.writer.call(lambda tx: team.set_me(tx, "Ana"))
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv_id, "Hi!"))
    with cache.read() as s:
        assert len(drafts.drafts_for(s, conv_id)) == 2
    for empty in ("", "   ", "\n\t "):
        with pytest.raises(InvalidArgument, match="empty"):
            cache.writer.call(lambda tx, e=empty: drafts.save_draft(tx, conv_id, e))
    with cache.read() as s:
        assert sorted(d.body for d in drafts.drafts_for(s, conv_id)) == ["Bonjour Noor,", "Hi!"]


def test_discarding_a_draft_is_its_own_action(cache, conv_id) -> None:
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv_id, "Bonjour,"))
    assert cache.writer.call(lambda tx: drafts.discard_draft(tx, conv_id)) is True
    with cache.read() as s:
        assert drafts.my_draft(s, conv_id) is None
    assert cache.writer.call(lambda tx: drafts.discard_draft(tx, conv_id)) is False


def test_saved_replies_fill_fields(cache, conv_id) -> None:
    reply = cache.writer.call(
        lambda tx: saved_replies.save_reply(
            tx, "ship", "Hello {{contact.first_name}}, yes we do. — {{me.name}} {{me.typo}}"
        )
    )
    with cache.read() as s:
        text = saved_replies.render_for(s, reply.id, conv_id)
    assert text == "Hello Noor, yes we do. — Camille Martin {{me.typo}}"


def test_enqueue_commits_the_key_before_any_attempt(cache, conv_id) -> None:
    with pytest.raises(InvalidArgument):
        cache.writer.call(lambda tx: outbox.enqueue(tx, conv_id))
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv_id, "Yes, we ship to Belgium."))
    item = cache.writer.call(lambda tx: outbox.enqueue(tx, conv_id))
    with cache.read() as s:
        (stored,) = outbox.list_items(s)
        assert stored.state == "queued" and stored.attempts == 0 and stored.key == item.key
        assert stored.in_reply_to_remote_id is not None
    assert _ops(cache, conv_id)[-1] == ("send.queue", {"outbox": item.id})


def test_erasure_leaves_nothing_findable(cache, conv_id) -> None:
    from console.services.search import search_messages

    acc2 = add_account(cache, handle="other@social.example")
    put(cache, acc2, msg("x", author=person("Noor"), text="Zanzibar parcel question"))
    put(cache, acc2, msg("y", author=person("Bob"), text="Zanzibar is lovely"))
    with cache.read() as s:
        assert len(search_messages(s, "zanzibar")) == 2
        assert len(search_messages(s, "Belgium")) == 1
    summary = people.forget_person(cache, "noor@example.org")
    assert summary["messages"] == 2 and summary["contacts"] == 1
    with cache.read() as s:
        assert [h.snippet for h in search_messages(s, "zanzibar")] == ["[Zanzibar] is lovely"]
        assert search_messages(s, "Belgium") == []
        assert search_messages(s, "Noor") == []
        with pytest.raises(NotFound):
            people.find_contact(s, "noor@example.org")
        assert queue.count(s, queue.QueueFilter(view="all")) == 1
    # secure_delete + a checkpoint: the words are gone from the files too.
    for suffix in ("", "-wal"):
        path = cache.path.with_name(cache.path.name + suffix)
        if path.exists():
            raw = path.read_bytes()
            assert b"Do you ship to Belgium" not in raw
            assert b"Zanzibar parcel" not in raw


def test_link_and_unlink_contacts_into_a_person(cache, conv_id) -> None:
    mail = add_account(cache, network="email", handle="contact@shop.example")
    put(cache, mail, msg("<a@b>", author=person("Noor", network="email")))
    with cache.read() as s:
        with pytest.raises(InvalidArgument, match="several contacts"):
            people.find_contact(s, "noor@example.org")
        from sqlalchemy import text

        ids = s.execute(text("SELECT id FROM contacts ORDER BY network")).scalars().all()
    cache.writer.call(lambda tx: people.link(tx, ids[0], ids[1]))
    with cache.read() as s:
        assert len(people.history(s, ids[0])) == 2
    cache.writer.call(lambda tx: people.unlink(tx, ids[0]))
    with cache.read() as s:
        assert len(people.history(s, ids[0])) == 1
