"""The one output function: nothing a stranger wrote can drive the terminal."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest

from console import terminal

HOSTILE = [
    "\x1b]52;c;ZXZpbA==\x07",  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8: a disguised link
    "\x1b]0;pwned\x07",  # set the window title
    "\x1b[2J\x1b[1A",  # clear the screen, move up
    "\x9b31m\x9d0;t\x9c",  # C1 CSI and OSC
    "a\x7fb\x08c\rd",  # DEL, backspace, carriage return
    "\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c",  # bidi overrides, isolates, marks
    "zero\u200bwidth\u2060joiner\ufeff\u2028\u2029",
    "\U000e0041\U000e0042 smuggled tags",
    "\udc80\udcff",  # lone surrogates (undecodable bytes)
]


def everything_unsafe() -> list[str]:
    return [
        chr(c)
        for c in range(0x110000)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        and chr(c) not in "\u00ad\u200c\u200d"
    ]


def test_every_control_and_format_character_is_shown_as_a_visible_code() -> None:
    for ch in everything_unsafe():
        if ch in "\n\t":
            continue  # a space in a one-line field (below)
        shown = terminal.safe(f"a{ch}b")
        assert shown.isascii() and shown.isprintable(), repr(ch)
        assert shown[1:-1].encode().decode("unicode_escape") == ch  # the escape names it


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_one_printable_line(text: str) -> None:
    shown = terminal.safe(text)
    assert "\n" not in shown
    assert all(not terminal.unsafe(ch) for ch in shown)
    shown.encode("utf-8")  # no lone surrogate left to fail the write


def test_the_visible_form() -> None:
    assert terminal.safe("\x1b[31mred") == "\\u001b[31mred"
    assert terminal.safe("\u202eabc") == "\\u202eabc"
    assert terminal.safe("\U000e0041") == "\\U000e0041"


def test_newlines_are_kept_only_in_a_block() -> None:
    body = "Hello\r\n\tworld\nbye\r"
    assert terminal.safe(body, multiline=True) == "Hello\n\tworld\nbye\\u000d"
    assert terminal.safe(body) == "Hello  world bye\\u000d"


def test_real_text_passes_untouched() -> None:
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    text = f"Ça va ? 👩‍👩‍👧 שלום مرحبا नमस्ते {scotland} soft\u00adhyphen\u202fnbsp"
    assert terminal.safe(text) == text


def test_err_is_always_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    terminal.err("parloir: bad\nsecond line \x1b]0;t\x07")
    assert capsys.readouterr().err == "parloir: bad second line \\u001b]0;t\\u0007\n"


def test_out_writes_to_the_given_stream() -> None:
    buffer = io.StringIO()
    terminal.out("a\x1bb", file=buffer)
    assert buffer.getvalue() == "a\\u001bb\n"


def test_json_escapes_what_the_terminal_must_not_see_and_reads_back_the_same() -> None:
    value = {"text": "".join(HOSTILE[:-1]), "name": "Zoë 👩‍👩‍👧", "n": 1}
    text = terminal.json_dumps(value)
    assert json.loads(text) == value
    assert "Zoë 👩‍👩‍👧" in text  # still readable UTF-8
    assert all(not terminal.unsafe(ch) for ch in text.replace("\n", ""))
    assert "\\u007f" in text and "\\u009b" in text and "\\u202e" in text
    assert "\\udb40\\udc41" in text  # an astral tag as a surrogate pair


def test_json_lone_surrogates_stay_valid_utf8() -> None:
    text = terminal.json_dumps(["\udc80"])
    text.encode("utf-8")
    assert json.loads(text) == ["\udc80"]


def test_a_flag_beside_an_escape_sequence() -> None:
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    text = f"{scotland}\x1b]0;t\x07\r\nnext\U000e0041"
    assert terminal.safe(text, multiline=True) == f"{scotland}\\u001b]0;t\\u0007\nnext\\U000e0041"
    assert terminal.safe(text) == f"{scotland}\\u001b]0;t\\u0007 next\\U000e0041"


def test_only_the_lines_that_need_it_change() -> None:
    body = "plain line\n\x1b[2Jcleared\n\u00a0nbsp\n\n"
    assert terminal.safe(body, multiline=True) == "plain line\n\\u001b[2Jcleared\n\u00a0nbsp\n\n"
