"""Every subcommand on a cache full of hostile text: nothing reaches the terminal raw.

The cache holds what strangers and servers wrote (names, handles, subjects,
bodies, error strings) and what an old cache may already hold (tags and
member names from before the name rules) with terminal escape sequences:
OSC 52 (clipboard), OSC 8 (hyperlink), title set, C1 controls, DEL and bidi
overrides. The commands run in process (console.cli.main with capsys).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from console import cli, paths, terminal
from console.models.db import open_cache
from console.sync.base import ContactRecord
from tests.factories import add_account, msg, put

CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
LINK = "\x1b]8;;https://evil.example/\x1b\\docs\x1b]8;;\x1b\\"
TITLE = "\x1b]0;pwned\x07"
C1 = "\x9b2J\x9d0;t\x9c"
DEL = "a\x7fb\x08"
BIDI = "\u202egpj.exe\u202c\u2066\u2069\u200f"
EVIL = CLIPBOARD + LINK + TITLE + C1 + DEL + BIDI


def no_controls(text: str) -> None:
    """Nothing in ``text`` can drive a terminal (newlines end lines and may stay)."""
    bad = [ch for ch in text if ch not in "\n\t" and terminal.unsafe(ch)]
    assert bad == [], repr(text)


@pytest.fixture
def hostile(parloir_home: Path) -> dict[str, str]:
    cache = open_cache(paths.cache_path())
    account = add_account(cache, handle=f"us{EVIL}@social.example", config={"demo": True})
    who = ContactRecord("mastodon", f"x{EVIL}@evil.example", f"x{EVIL}", f"Eve{EVIL}")
    put(
        cache,
        account,
        msg("t1", author=who, text=f"body{EVIL}\nsecond line", subject=f"subj{EVIL}"),
    )
    with cache.read() as s:
        from sqlalchemy import select

        from console.models.schema import Conversation

        conv = s.scalar(select(Conversation.id))
    cache.close()
    assert conv is not None
    return {"conv": conv, "account": account}


def strings(value: Any) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in strings(v)]
    return []


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    no_controls(captured.out)
    no_controls(captured.err)
    return code, captured.out, captured.err


def test_queue_and_show_print_hostile_text_as_visible_codes(
    hostile: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "queue")
    assert code == 0 and "\\u001b]52;c;" in out and len(out.splitlines()) == 1
    code, out, _ = run(capsys, "show", hostile["conv"])
    assert code == 0 and "\\u202egpj.exe" in out and "second line" in out


def test_json_outputs_parse_and_carry_the_escapes(
    hostile: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (("queue", "--json"), ("show", hostile["conv"], "--json")):
        code, out, _ = run(capsys, *argv)
        value: Any = json.loads(out)
        assert code == 0 and any(EVIL in text for text in strings(value))
        assert "\\u009b" in out and "\\u202e" in out and "\\u007f" in out
