"""The ingest rules as functions over values: no database, no writer.

What a stored message does to its conversation's aggregates (waiting,
reopen, preview, contact), how a new conversation arrives, and how a record
is made storable, checked on plain ConvState values and records.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.models.ingest import rules
from console.models.ingest.email_threads import subject_topic
from console.models.ingest.sanitize import bound_times, clean, clean_text, prepare
from console.models.ingest.state import ConvState
from console.models.records import ContactRecord, Direction, Kind, MessageRecord
from console.models.timebounds import EARLIEST, FUTURE_SKEW
from console.models.types import utcnow
from console.models.vocabulary import Status

pytestmark = pytest.mark.unit

WINDOW = 1_000  # history window start, ms


def known(**values: object) -> ConvState:
    """A conversation as loaded from the cache."""
    state = ConvState(id="c", remote_key="k", kind="public", **values)  # type: ignore[arg-type]
    state.loaded_status = (state.status, state.snoozed_until)
    return state


def fold_in(conv: ConvState, sent: int, text: str = "hello", author: str | None = "p") -> None:
    rules.fold_message(
        conv, inbound=True, sent=sent, text=text, subject=None, author_id=author,
        window_start=WINDOW,
    )  # fmt: skip


def fold_out(conv: ConvState, sent: int) -> None:
    rules.fold_message(
        conv, inbound=False, sent=sent, text="", subject=None, author_id=None, window_start=WINDOW
    )


def test_the_window_starts_history_days_before_now() -> None:
    assert rules.window_start(10 * rules.DAY_MS, 3) == 7 * rules.DAY_MS


def test_an_inbound_message_makes_someone_wait_and_sets_the_preview() -> None:
    conv = known()
    fold_in(conv, 2_000, "@alice Bonjour,\nIs the shop open?", author="p1")
    assert (conv.waiting_since, conv.first_in, conv.last_in) == (2_000, 2_000, 2_000)
    assert rules.current_preview(conv) == "Is the shop open?"
    assert (conv.contact_id, conv.unread, conv.dirty, conv.message_count) == ("p1", True, True, 1)
    assert conv.last_activity == 2_000


def test_a_second_question_keeps_the_first_waiting_time() -> None:
    conv = known()
    fold_in(conv, 2_000, "first")
    fold_in(conv, 3_000, "second", author="p2")
    assert conv.waiting_since == 2_000
    assert (rules.current_preview(conv), conv.contact_id) == ("second", "p2")


def test_an_older_inbound_message_keeps_the_newest_preview() -> None:
    conv = known()
    fold_in(conv, 3_000, "newest", author="p2")
    fold_in(conv, 2_000, "older", author="p1")
    assert (rules.current_preview(conv), conv.contact_id, conv.first_in, conv.last_in) == (
        "newest",
        "p2",
        2_000,
        3_000,
    )
    assert conv.waiting_since == 2_000


def test_a_reply_after_the_wait_asks_for_a_recompute() -> None:
    conv = known(waiting_since=2_000, last_in=2_000)
    fold_out(conv, 2_500)
    assert (conv.last_out, conv.recompute) == (2_500, True)
    late = known(waiting_since=3_000, last_in=3_000, last_out=2_800)
    fold_out(late, 2_500)  # older than our last reply: nothing changes
    assert (late.last_out, late.recompute) == (2_800, False)


def test_an_inbound_message_older_than_our_reply_does_not_wait() -> None:
    conv = known(last_out=5_000, last_in=4_000)
    fold_in(conv, 4_500)
    assert conv.waiting_since is None and not conv.unread


@pytest.mark.parametrize("status", [Status.CLOSED, Status.PENDING, Status.SNOOZED])
def test_the_newest_inbound_message_reopens(status: Status) -> None:
    conv = known(status=status, snoozed_until=9_999 if status == Status.SNOOZED else None)
    conv.last_in, conv.last_out = 1_500, 1_800
    fold_in(conv, 2_000)
    assert (conv.status, conv.snoozed_until, conv.reopened) == (Status.OPEN, None, True)


def test_a_late_old_message_or_one_outside_the_window_does_not_reopen() -> None:
    late = known(status=Status.CLOSED, last_in=3_000, last_out=1_500)
    fold_in(late, 2_000)  # a missing middle e-mail
    assert (late.status, late.reopened) == (Status.CLOSED, False)
    old = known(status=Status.CLOSED)
    fold_in(old, WINDOW - 1)
    assert (old.status, old.reopened) == (Status.CLOSED, False)


def test_a_new_conversation_never_reopens_it_arrives() -> None:
    conv = ConvState(id="c", remote_key="k", kind="public", status=Status.CLOSED, new=True)
    fold_in(conv, 3_000)
    fold_out(conv, 3_500)
    fold_in(conv, 4_000)
    assert not conv.reopened and conv.inbound == [3_000, 4_000]
    rules.settle_arrival(conv, WINDOW)
    assert (conv.waiting_since, conv.recompute) == (4_000, False)
    assert (conv.status, conv.unread) == (Status.OPEN, True)


def test_a_new_answered_or_old_conversation_arrives_closed() -> None:
    answered = ConvState(id="a", remote_key="a", kind="public", new=True)
    fold_in(answered, 3_000)
    fold_out(answered, 3_500)
    rules.settle_arrival(answered, WINDOW)
    assert (answered.waiting_since, answered.status, answered.unread) == (
        None,
        Status.CLOSED,
        False,
    )
    old = ConvState(id="o", remote_key="o", kind="public", new=True)
    fold_in(old, WINDOW - 10)
    rules.settle_arrival(old, WINDOW)
    assert (old.waiting_since, old.status) == (WINDOW - 10, Status.CLOSED)


def test_the_subject_is_the_first_one_seen() -> None:
    conv = known()
    rules.fold_message(
        conv, inbound=True, sent=2_000, text="x", subject="Order 12", author_id=None,
        window_start=WINDOW,
    )  # fmt: skip
    rules.fold_message(
        conv, inbound=True, sent=3_000, text="y", subject="Re: Order 12", author_id=None,
        window_start=WINDOW,
    )  # fmt: skip
    assert conv.subject == "Order 12"


def test_aggregates_carry_the_due_time_and_the_sort_key() -> None:
    conv = known(waiting_since=2_000, last_activity=2_500, message_count=2, unread=True)
    row = rules.aggregates(conv, 60, now=9_000)
    assert row[6:11] == (2_000, 62_000, 2_000, 1, 2)
    idle = rules.aggregates(known(), 60, now=9_000)
    assert (idle[5], idle[7], idle[11]) == (9_000, None, 9_000)


@pytest.mark.parametrize(
    ("text", "preview"),
    [
        ("Hi team,\n> quoted\nThe real line", "The real line"),
        ("@a@x.org @b, thanks!", "thanks!"),
        ("Bonjour,", "Bonjour,"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_the_preview_is_the_first_meaningful_line(text: str, preview: str) -> None:
    assert rules.preview_of(text) == preview


def record(**values: object) -> MessageRecord:
    fields: dict[str, object] = {
        "remote_id": "r1",
        "thread_key": "t",
        "kind": Kind.EMAIL,
        "direction": Direction.IN,
        "author": ContactRecord("email", "ann@x.org", "ann@x.org", "Ann"),
        "sent_at": datetime(2026, 11, 30, tzinfo=UTC),
        "text": "hello",
    }
    fields.update(values)
    return MessageRecord(**fields)  # type: ignore[arg-type]


def test_lone_surrogates_become_replacement_characters_everywhere() -> None:
    assert clean("ok \ud800 é") == "ok \ufffd é"
    assert clean({1: ["\udfff"]}) == {"1": ["\ufffd"]}
    assert clean(None) is None
    rec = record(text="a\ud800", subject="\udc00", raw={"k": "\ud800"})
    rec.author.name = "\ud801"
    rec.parents = ("\ud802",)  # type: ignore[assignment]
    clean_text(rec)
    assert (rec.text, rec.subject, rec.author.name) == ("a\ufffd", "\ufffd", "\ufffd")
    assert rec.raw == {"k": "\ufffd"} and rec.parents == ["\ufffd"]


def test_a_time_outside_the_bounds_is_replaced_and_kept_in_raw() -> None:
    latest = utcnow() + FUTURE_SKEW
    far = latest + timedelta(days=400)
    rec = record(sent_at=far)
    bound_times(rec, latest)
    assert EARLIEST <= rec.sent_at <= latest
    assert rec.raw is not None and str(far) in str(rec.raw)
    fine = record()
    bound_times(fine, latest)
    assert fine.raw is None and fine.sent_at == datetime(2026, 11, 30, tzinfo=UTC)


def test_prepare_keeps_the_last_record_of_a_remote_id_in_first_seen_order() -> None:
    a, b, a2 = record(remote_id="a"), record(remote_id="b"), record(remote_id="a", text="new")
    assert [(r.remote_id, r.text) for r in prepare([a, b, a2])] == [("a", "new"), ("b", "hello")]


def test_the_subject_topic_is_the_root_subject_and_the_correspondent() -> None:
    assert subject_topic(record(subject="Re: Fwd: Order 12")) == ("order 12", "ann@x.org")
    out = record(direction=Direction.OUT, subject="Order 12", raw={"to": ["Bob@x.org"]})
    assert subject_topic(out) == ("order 12", "bob@x.org")
    assert subject_topic(record(kind=Kind.PUBLIC, subject="Order")) is None
    assert subject_topic(record(subject="Re:")) is None


def test_the_stored_preview_stays_until_an_inbound_message_is_folded() -> None:
    conv = known(preview="stored")
    fold_out(conv, 5_000)
    assert rules.current_preview(conv) == "stored"
    fold_in(conv, 6_000, "> quoted\nfresh")
    assert rules.current_preview(conv) == "fresh"


def test_the_one_join_check_sees_a_surrogate_in_any_field() -> None:
    for field in ("remote_id", "thread_key", "text", "html", "url", "in_reply_to", "subject"):
        rec = record(**{field: "x\ud800"})
        clean_text(rec)
        assert getattr(rec, field) == "x\ufffd", field
    rec = record(mentions=("@a", "\udc01"), parents=["<\ud800@x>"])
    rec.author.email = "\ud800@x.org"
    clean_text(rec)
    assert (rec.mentions, rec.parents, rec.author.email) == (
        ["@a", "\ufffd"],
        ["<\ufffd@x>"],
        "\ufffd@x.org",
    )
    fine = record(text="é ✓ 😀", mentions=("@a",))
    clean_text(fine)
    assert (fine.text, fine.mentions) == ("é ✓ 😀", ["@a"])
