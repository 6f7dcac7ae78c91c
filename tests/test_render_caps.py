"""Render caps (issue 10): hostile markup and huge text reach Qt bounded.

Each test builds what the pane hands to Qt, checks its SIZE and DEPTH
against the caps (never the time it takes), then sets it in the widget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl

from console.services.conversation_view import ConversationView, MessageView
from console.views import caps
from console.views.conversation import ConversationPane
from console.views.tasks import Runner
from console.views.thread_view import (
    EXCERPT,
    THREAD_MARKUP,
    WHOLE_SCHEME,
    SafeBrowser,
    display_html,
    thread_html,
)
from console.views.whole_message import WholeMessageDialog, whole_text_of
from tests.helpers.views import conversation_view, note

MB = 1024 * 1024
#: What the thread adds around a message: its table, header and the link.
FRAME = 2048


def _detail(*bodies: dict[str, Any], kind: str = "public") -> ConversationView:
    return conversation_view(*bodies, kind=kind)


def _longest_run(markup: str) -> int:
    import re

    text = re.sub(r"<[^>]*>", " ", markup)
    return max((len(r) for r in re.findall(r"[^\s\u200b]+", text)), default=0)


def _render(qtbot: Any, page: str) -> SafeBrowser:
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.resize(600, 400)
    browser.setHtml(page)
    browser.show()
    qtbot.waitExposed(browser)
    return browser


HOSTILE = {
    "nested divs": {"html": "<div>" * 20_000 + "deep" + "</div>" * 20_000},
    "unclosed nesting": {"html": "<blockquote><b><i>" * 10_000 + "deep"},
    "10 MB of markup": {"html": "<p>hello <b>world</b> &amp; more</p>" * 300_000},
    "10 MB plain": {"text": "plain words here\n" * 620_000},
    "giant single line": {"text": "x" * (2 * MB)},
    "giant line of markup": {"html": "<p>" + "y" * (2 * MB) + "</p>"},
    "combining flood": {"text": "a" + "\u0301" * 200_000},
    "zero-width flood": {"text": "b" + "\u200b" * 200_000 + "c"},
    "bidi overrides": {"text": "invoice \u202egpj.exe\u202c ok \u2066x\u2069"},
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_message_reaches_qt_within_the_caps(qtbot, name: str) -> None:
    page = thread_html(_detail(HOSTILE[name]), lambda s: s)
    assert len(page) <= caps.MAX_MARKUP + FRAME
    assert caps.markup_depth(page) <= caps.MAX_DEPTH + 6  # html, body, table, tr, td, small
    assert _longest_run(page) <= caps.MAX_RUN + 10  # an entity may sit across the break
    for control in ("\u202e", "\u2066", "\u0301" * (caps.MAX_COMBINING + 1), "\u200b\u200b"):
        assert control not in page
    _render(qtbot, page)


def test_a_cut_message_links_to_its_whole_text_and_a_whole_one_does_not(qtbot) -> None:
    cut = thread_html(_detail({"text": "z " * MB}), lambda s: s)
    assert f"{WHOLE_SCHEME}:m0" in cut and "show the whole message" in cut
    whole = thread_html(_detail({"text": "short and sweet"}), lambda s: s)
    assert WHOLE_SCHEME not in whole
    browser = _render(qtbot, cut)
    with qtbot.waitSignal(browser.whole) as opened:
        browser.anchorClicked.emit(QUrl(f"{WHOLE_SCHEME}:m0"))
    assert opened.args == ["m0"]


def test_a_thread_of_huge_messages_stays_within_the_thread_budget() -> None:
    bodies = [{"html": "<p>" + "w " * 200_000 + "</p>"} for _ in range(30)]
    page = thread_html(_detail(*bodies), lambda s: s)
    assert len(page) <= THREAD_MARKUP + caps.MAX_MARKUP + 30 * (EXCERPT + FRAME)
    assert page.count(f"{WHOLE_SCHEME}:") == 30


def test_email_bodies_are_capped_too() -> None:
    page = thread_html(
        _detail({"text": "Bonjour,\n" + "ligne\n" * 2_000_000}, kind="email"), lambda s: s
    )
    assert len(page) <= caps.MAX_MARKUP + FRAME
    assert WHOLE_SCHEME in page


def test_display_html_keeps_ordinary_markup_as_it_was() -> None:
    shown = display_html(
        "<p>Hello <b>there</b> &amp; <a href='https://a.example/x'>a.example/x</a></p>"
    )
    assert shown.startswith('<p>Hello <b>there</b> &amp; <a href="https://a.example/x"')
    assert shown.endswith("</a></p>")


def test_cap_markup_closes_what_it_cuts() -> None:
    capped = caps.cap_markup("<div><ul><li>" + "x" * 500 + "</li></ul></div>", limit=100)
    assert capped.truncated and len(capped.text) <= 100
    assert capped.text.endswith("</li></ul></div>")


def test_the_whole_message_is_built_off_the_gui_thread_and_shown_as_plain_text(
    qtbot, tmp_path: Path
) -> None:
    from console.models.db import open_cache

    with open_cache(tmp_path / "c.sqlite") as cache:
        runner = Runner(cache)
        pane = ConversationPane(runner)
        qtbot.addWidget(pane)
        message = {"text": "", "html": "<p>" + "v" * (3 * MB) + "</p>"}
        pane.view = _detail(message)
        with qtbot.waitSignal(pane.whole_opened, timeout=30_000):
            pane.show_whole("m0")
        dialog = pane.whole_dialog
        assert isinstance(dialog, WholeMessageDialog)
        shown = dialog.view.toPlainText()
        assert shown.count("v") == 3 * MB  # the whole of it
        assert max(len(line) for line in shown.split("\n")) <= caps.WHOLE_LINE
        dialog.close()
        runner.shutdown()
    assert whole_text_of(MessageView(id="m", text="a\u202eb")) == "ab"


def test_a_5_mb_note_is_shown_within_the_cap_and_the_field_takes_10000(
    qtbot, tmp_path: Path
) -> None:
    from console.models.db import open_cache

    with open_cache(tmp_path / "c.sqlite") as cache:
        runner = Runner(cache)
        pane = ConversationPane(runner)
        qtbot.addWidget(pane)
        notes = [
            note("Old", "n" * (5 * MB)),
            *(note("Ana", "short note") for _ in range(5)),
        ]
        pane.notes_panel.show_notes(notes)
        shown = pane.notes.text()
        assert len(shown) <= caps.NOTES_SHOWN + 2048
        assert shown.count("short note") == 5  # the newest first
        pane.show()
        qtbot.waitExposed(pane)
        notices: list[object] = []
        pane.action.connect(lambda name, arg: notices.append(arg) if name == "notice" else None)
        pane.note_input.setEnabled(True)
        pane.note_input.insert("p" * (5 * MB))
        assert len(pane.note_input.text()) == caps.NOTE_INPUT
        assert any("10000" in str(n) for n in notices)
        runner.shutdown()


def test_queue_cells_and_times_from_strangers_never_break_the_row() -> None:
    from console.views.queue_cells import line as _line
    from console.views.thread_view import local_time as _local_time

    assert _local_time("1-01-01T00:00:00.000+00:00")  # shown as stored, not raised
    cell = _line("\u202eyrollaM\u202c \x1b]0;title\x07" + "w" * 5000)
    assert "\u202e" not in cell and "\x1b" not in cell and len(cell) < 400


def test_the_whole_text_comes_from_what_the_thread_shows() -> None:
    message = MessageView(id="m", text="summary", html="<p>the long body</p>")
    assert whole_text_of(message) == "the long body"
    assert whole_text_of(message, "email") == "summary"  # e-mail shows its text part


def test_the_contact_card_tames_a_strangers_name() -> None:
    from console.services.people import ContactSummary
    from console.views.contact_card import _contact_text

    fields = ContactSummary.__dataclass_fields__
    values: dict[str, Any] = dict.fromkeys(fields, None)
    values.update(name="\u202eyrollaM\u202c" + "N" * 10_000, handle="m@x", network="mastodon")
    shown = _contact_text(ContactSummary(**values))
    assert "\u202e" not in shown and len(shown) < 400


def test_the_whole_text_of_markup_keeps_lines_and_stays_linear_on_floods() -> None:
    from console.views.whole_message import markup_text

    assert markup_text("<p>a &amp; b</p><p>c<br>d</p>") == "a & b\nc\nd"
    assert markup_text("<" * 200_000 + "x") == "<" * 200_000 + "x"  # kept as text
