"""The ingest rules: upsert, waiting_since, reopen, first sync, tombstones,
edits, merges."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from console.models.schema import Activity, Conversation, ConversationRedirect, Message
from console.models.types import to_ms, utcnow
from console.services import drafts, notes, workflow
from console.sync.base import ThreadMerge, Tombstone
from tests.helpers.factories import add_account, conv_by_key, msg, person, put


def test_upsert_stores_each_remote_message_once(cache) -> None:
    acc = add_account(cache)
    batch = [msg("t1", ago_min=30), msg("t1", ago_min=20), msg("t2", ago_min=10)]
    first = put(cache, acc, *batch)
    again = put(cache, acc, *batch)
    assert (first.inserted, again.inserted) == (3, 0)
    with cache.read() as s:
        assert s.scalar(select(Message).where(Message.remote_id == batch[0].remote_id)) is not None
        assert s.execute(text("SELECT count(*) FROM messages")).scalar() == 3
        assert s.execute(text("SELECT count(*) FROM message_fts")).scalar() == 3
        assert s.execute(text("SELECT count(*) FROM conversations")).scalar() == 2


def test_waiting_since_follows_inbound_and_outbound(cache) -> None:
    acc = add_account(cache)
    a = msg("t", ago_min=60)
    put(cache, acc, a)
    conv = conv_by_key(cache, acc, "t")
    assert conv.waiting_since == a.sent_at.replace(microsecond=a.sent_at.microsecond // 1000 * 1000)
    assert conv.due_at is not None
    assert to_ms(conv.due_at) - to_ms(conv.waiting_since) == 4 * 3600 * 1000

    b = msg("t", ago_min=50)  # a second question: still waiting since the first
    put(cache, acc, b)
    assert to_ms(conv_by_key(cache, acc, "t").waiting_since) == to_ms(a.sent_at)

    reply = msg("t", ago_min=40, direction="out")
    put(cache, acc, reply)
    conv = conv_by_key(cache, acc, "t")
    assert conv.waiting_since is None and conv.due_at is None

    c = msg("t", ago_min=30)
    d = msg("t", ago_min=20)
    put(cache, acc, d, c)  # out of order within the batch
    assert to_ms(conv_by_key(cache, acc, "t").waiting_since) == to_ms(c.sent_at)

    # A late outbound (sent from a phone) between c and d: d still waits.
    late = msg("t", ago_min=25, direction="out")
    put(cache, acc, late)
    assert to_ms(conv_by_key(cache, acc, "t").waiting_since) == to_ms(d.sent_at)


def test_direct_messages_get_the_one_hour_target(cache) -> None:
    from console.sync.base import Kind

    acc = add_account(cache)
    put(cache, acc, msg("dm:1", kind=Kind.DIRECT, ago_min=5))
    conv = conv_by_key(cache, acc, "dm:1")
    assert to_ms(conv.due_at) - to_ms(conv.waiting_since) == 3600 * 1000


@pytest.mark.parametrize("status", ["closed", "pending", "snoozed"])
def test_new_inbound_reopens(cache, status: str) -> None:
    from datetime import timedelta

    acc = add_account(cache)
    put(cache, acc, msg("t", ago_min=60))
    conv = conv_by_key(cache, acc, "t")
    if status == "snoozed":
        until = utcnow() + timedelta(days=2)
        cache.writer.call(lambda tx: workflow.snooze(tx, conv.id, until))
    else:
        cache.writer.call(lambda tx: workflow.set_status(tx, conv.id, status))
    assert conv_by_key(cache, acc, "t").status == status

    report = put(cache, acc, msg("t", ago_min=1))
    conv = conv_by_key(cache, acc, "t")
    assert conv.status == "open"
    assert conv.snoozed_until is None
    assert report.reopened == [conv.id]
    with cache.read() as s:
        ops = s.scalars(select(Activity).where(Activity.conversation_id == conv.id)).all()
        assert any(
            a.op == "status" and a.payload == {"status": "open", "reason": "inbound"} for a in ops
        )


def test_a_late_old_message_does_not_reopen(cache) -> None:
    acc = add_account(cache)
    put(cache, acc, msg("t", ago_min=60), msg("t", ago_min=50, direction="out"))
    conv = conv_by_key(cache, acc, "t")
    cache.writer.call(lambda tx: workflow.set_status(tx, conv.id, "closed"))
    put(cache, acc, msg("t", ago_min=55))  # the missing middle, before our reply
    conv = conv_by_key(cache, acc, "t")
    assert conv.status == "closed" and conv.waiting_since is None


def test_first_sync_closes_answered_and_old_threads(cache) -> None:
    acc = add_account(cache, history_days=14)
    put(
        cache,
        acc,
        msg("answered", ago_min=600),
        msg("answered", ago_min=590, direction="out"),
        msg("ancient", ago_min=60 * 24 * 30),
        msg("fresh", ago_min=30),
    )
    assert conv_by_key(cache, acc, "answered").status == "closed"
    assert conv_by_key(cache, acc, "ancient").status == "closed"
    assert conv_by_key(cache, acc, "fresh").status == "open"
    # An old thread that gets a new message later does reopen.
    put(cache, acc, msg("ancient", ago_min=1))
    assert conv_by_key(cache, acc, "ancient").status == "open"


def test_edit_keeps_the_new_text_and_reindexes(cache) -> None:
    acc = add_account(cache)
    original = msg("t", text="the parcel never arrived", remote_id="e1")
    put(cache, acc, original)
    edited = msg("t", text="the parcel arrived broken", remote_id="e1")
    edited.sent_at = original.sent_at
    edited.edited_at = utcnow()
    report = put(cache, acc, edited)
    assert report.updated == 1
    with cache.read() as s:
        m = s.scalar(select(Message).where(Message.remote_id == "e1"))
        assert m is not None and m.text == "the parcel arrived broken" and m.edited_at
        hits = s.execute(text("SELECT rowid FROM message_fts WHERE message_fts MATCH 'broken'"))
        assert [r[0] for r in hits] == [m.seq]
        assert not s.execute(
            text("SELECT rowid FROM message_fts WHERE message_fts MATCH 'never'")
        ).all()
    assert conv_by_key(cache, acc, "t").preview == "the parcel arrived broken"


def test_tombstone_drops_text_and_search(cache) -> None:
    acc = add_account(cache)
    m1 = msg("t", ago_min=20, text="first question", remote_id="d1")
    m2 = msg("t", ago_min=10, text="embarrassing typo", remote_id="d2")
    put(cache, acc, m1, m2)
    report = put(cache, acc, tombstones=[Tombstone("d2")])
    assert report.deleted == 1
    with cache.read() as s:
        gone = s.scalar(select(Message).where(Message.remote_id == "d2"))
        assert gone is not None and gone.deleted and gone.text == "" and gone.html is None
        assert not s.execute(
            text("SELECT rowid FROM message_fts WHERE message_fts MATCH 'embarrassing'")
        ).all()
    conv = conv_by_key(cache, acc, "t")
    assert conv.preview == "first question"
    assert conv.message_count == 1


def test_reply_sent_elsewhere_counts_as_outbound(cache) -> None:
    acc = add_account(cache)
    put(cache, acc, msg("t", ago_min=30))
    put(cache, acc, msg("t", ago_min=5, direction="out", text="answered from my phone"))
    conv = conv_by_key(cache, acc, "t")
    assert conv.waiting_since is None and conv.last_outbound_at is not None


def test_merge_moves_everything_and_redirects(cache) -> None:
    acc = add_account(cache)
    put(cache, acc, msg("root", ago_min=60), msg("child", ago_min=30))
    root = conv_by_key(cache, acc, "root")
    child = conv_by_key(cache, acc, "child")
    cache.writer.call(lambda tx: workflow.tag(tx, child.id, "billing"))
    cache.writer.call(lambda tx: workflow.take(tx, child.id))
    cache.writer.call(lambda tx: notes.add_note(tx, child.id, "customer called too"))
    cache.writer.call(lambda tx: drafts.save_draft(tx, child.id, "draft on the child"))
    cache.writer.call(lambda tx: drafts.save_draft(tx, root.id, "draft on the root"))

    report = put(cache, acc, merges=[ThreadMerge("child", "root")])
    assert report.merged == 1
    with cache.read() as s:
        assert s.get(Conversation, child.id) is None
        redirect = s.get(ConversationRedirect, child.id)
        assert redirect is not None and redirect.new_id == root.id
        survivor = workflow.resolve(s, child.id)
        assert survivor.id == root.id
        assert survivor.message_count == 2
        assert [t.name for t in survivor.tags] == ["billing"]
        assert survivor.assignee_id is not None
        assert [n.text for n in notes.notes_for(s, root.id)] == ["customer called too"]
        (draft,) = drafts.drafts_for(s, root.id)
        assert "draft on the root" in draft.body and "draft on the child" in draft.body
    # A later message keyed on the old root lands in the survivor.
    put(cache, acc, msg("child", ago_min=1))
    assert conv_by_key(cache, acc, "root").message_count == 3


def test_contacts_with_the_same_email_link_into_one_person(cache) -> None:
    acc = add_account(cache)
    mail = add_account(cache, network="email", handle="contact@shop.example")
    put(cache, acc, msg("t", author=person("Lina", email="lina@example.org")))
    email_author = person("Lina", network="email", email="lina@example.org")
    put(cache, mail, msg("<x@y>", author=email_author))
    with cache.read() as s:
        persons = s.execute(text("SELECT DISTINCT person_id FROM contacts")).scalars().all()
        assert len(persons) == 1 and persons[0] is not None
