"""The pane's typed view model and the pure pieces of its parts: the CLI's
``show --json`` shape comes from the same values the pane reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from console.services.conversation_view import (
    AttachmentView,
    ConversationView,
    DraftView,
    HistoryView,
    MessageView,
    NoteView,
)
from console.services.queue import damaged_row
from console.views import caps
from console.views.notes_panel import notes_html
from console.views.queue_cells import display_cell, initials, line, waiting_text
from tests.helpers.views import conversation_view, note


def test_a_message_serialises_as_cli_md_says() -> None:
    message = MessageView(
        id="m1",
        remote_id="r1",
        direction="in",
        author_name="Ana",
        author_handle="ana@x",
        sent_at="2026-11-24T10:00:00.000Z",
        text="hello",
        html="<p>hello</p>",
        attachments=(AttachmentView(name="a.pdf", mime_type="application/pdf", size=3),),
    )
    assert message.to_json() == {
        "id": "m1",
        "remote_id": "r1",
        "direction": "in",
        "author": {"name": "Ana", "handle": "ana@x"},
        "sent_at": "2026-11-24T10:00:00.000Z",
        "text": "hello",
        "url": None,
        "deleted": False,
    }  # the pane's html and attachments are not part of `show --json`
    assert message.author == "Ana"
    assert replace(message, author_name="").author == "ana@x"


def test_a_damaged_message_is_its_id_and_why_with_every_field_null() -> None:
    shown = MessageView(id="m2", damaged="This message has a time out of range.").to_json()
    assert list(shown) == [
        "id",
        "remote_id",
        "direction",
        "author",
        "sent_at",
        "text",
        "url",
        "deleted",
        "damaged",
    ]
    assert shown["id"] == "m2" and shown["damaged"].startswith("This message")
    assert all(shown[k] is None for k in shown if k not in ("id", "damaged"))


def test_the_conversation_is_the_queue_object_then_thread_notes_draft_recipients() -> None:
    row = replace(damaged_row("c1", ""), damaged=None, kind="email", network="email")
    view = ConversationView(
        row=row,
        messages=(MessageView(id="m1", direction="in", text="hi"),),
        notes=(NoteView(id="n1", author=None, text="call back", created_at=None),),
        draft=DraftView(text="Hello", updated_at=None, state="editing"),
        recipients=("ana@x",),
        history=(
            HistoryView(at="2026-11-24T10:00:00.000Z", actor="Ana", op="status", value="closed"),
        ),
        max_length=500,  # the pane's own fields stay out of the CLI's object
    )
    shown = view.to_json()
    assert list(shown) == [*row.to_json(), "messages", "notes", "draft", "recipients", "history"]
    assert shown["history"] == [
        {"at": "2026-11-24T10:00:00.000Z", "actor": "Ana", "op": "status", "value": "closed",
         "reason": None}
    ]  # fmt: skip
    assert shown["notes"] == [{"id": "n1", "author": None, "text": "call back", "created_at": None}]
    assert shown["draft"] == {"text": "Hello", "updated_at": None, "state": "editing"}
    assert shown["recipients"] == ["ana@x"]
    assert view.id == "c1" and view.message("m1") is view.messages[0]
    assert view.message("nope") is None
    assert replace(view, draft=None).to_json()["draft"] is None


def test_the_test_helper_builds_what_the_thread_reads() -> None:
    view = conversation_view({"text": "one"}, {"html": "<p>two</p>"}, kind="email")
    assert [m.id for m in view.messages] == ["m0", "m1"] and view.row.kind == "email"


def test_notes_show_newest_first_within_the_budget_and_bold_mentions() -> None:
    assert "No notes yet." in notes_html([], lambda t: t)
    shown = notes_html([note("Old", "first"), note("Ana", "ask @camille <now>")], lambda t: t)
    assert shown.index("Old") < shown.index("Ana")  # listed oldest at the top
    assert "<b>@camille</b>" in shown and "&lt;now&gt;" in shown
    many = [note("Big", "x" * caps.NOTES_SHOWN), *(note("New", "short") for _ in range(3))]
    shown = notes_html(many, lambda t: t)
    assert shown.count("short") == 3 and "older notes not shown" not in shown
    flood = [note("Big", "y" * caps.NOTE_SHOWN) for _ in range(5)]  # 3 fill the budget
    assert "2 older notes not shown." in notes_html(flood, lambda t: t)


def test_queue_cells_say_who_and_how_long() -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert waiting_text(None) == ""
    assert waiting_text(now - timedelta(seconds=30), now) == "now"
    assert waiting_text(now - timedelta(minutes=12), now) == "12 min"
    assert waiting_text(now - timedelta(hours=3), now) == "3 h"
    assert waiting_text(now - timedelta(days=2), now) == "2 d"
    assert initials("Ana Maria Souza") == "AM" and initials(None) == ""
    assert line("a" * 300).endswith("…") and line("short") == "short"
    row = replace(
        damaged_row("c1", ""),
        damaged=None,
        contact_name="",
        contact_handle="ana@x",
        subject="Order",
        preview="where is it?",
        tags=("vip", "late"),
    )
    assert display_cell(row, "contact") == "ana@x"
    assert display_cell(row, "message") == "Order — where is it?"
    assert display_cell(row, "tags") == "#vip #late"
    assert display_cell(replace(row, status="pending"), "status") == "pending"
    assert display_cell(replace(row, priority="high"), "priority") == "high"


def test_a_damaged_message_shows_why_in_the_thread() -> None:
    from console.views.thread_view import thread_html

    view = conversation_view({"text": "fine"})
    broken = MessageView(id="m9", damaged="This message has malformed JSON.")
    page = thread_html(replace(view, messages=(*view.messages, broken)), lambda t: t)
    assert "fine" in page and "This message has malformed JSON." in page
