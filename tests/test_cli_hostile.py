"""Every subcommand on a cache full of hostile text: nothing reaches the terminal raw.

The cache holds what strangers and servers wrote (names, handles, subjects,
bodies, error strings) and what an old cache may already hold (tags and
member names from before the name rules) with terminal escape sequences:
OSC 52 (clipboard), OSC 8 (hyperlink), title set, C1 controls, DEL and bidi
overrides. The commands run in process (console.cli.main with capsys); the
assertion is the same for each: no character console.terminal refuses on
stdout or stderr, an error is one line, JSON parses and keeps the text.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from console import cli, paths, terminal
from console.models.db import open_cache
from console.models.schema import Account, Conversation, ConversationTag, Tag, TeamMember
from console.models.types import utcnow
from console.services import drafts, outbox, team
from console.sync.base import ContactRecord
from tests.helpers.factories import add_account, msg, put

CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
LINK = "\x1b]8;;https://evil.example/\x1b\\docs\x1b]8;;\x1b\\"
TITLE = "\x1b]0;pwned\x07"
C1 = "\x9b2J\x9d0;t\x9c"
DEL = "a\x7fb\x08\r"
BIDI = "\u202egpj.exe\u202c\u2066\u2069\u200f"
EVIL = CLIPBOARD + LINK + TITLE + C1 + DEL + BIDI


def no_controls(text: str) -> None:
    """Nothing in ``text`` can drive a terminal (newlines end lines and may stay)."""
    bad = [ch for ch in text if ch not in "\n\t" and terminal.unsafe(ch)]
    assert bad == [], repr(text)


def strings(value: Any) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in strings(v)]
    return []


@pytest.fixture(autouse=True)
def _drop_log_handlers() -> Any:
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_parloir_cli", False)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def hostile(parloir_home: Path) -> dict[str, str]:
    """A cache where every text a stranger, a server or an old cache controls is hostile."""
    cache = open_cache(paths.cache_path())
    account = add_account(cache, handle=f"us{EVIL}@social.example", config={"demo": True})
    who = ContactRecord("mastodon", f"x{EVIL}@evil.example", f"x{EVIL}", f"Eve{EVIL}")
    put(
        cache,
        account,
        msg("t1", author=who, text=f"body{EVIL}\nsecond line", subject=f"subj{EVIL}"),
    )
    with cache.read() as s:
        conv = s.scalar(select(Conversation.id))
    assert conv is not None
    cache.writer.call(lambda tx: team.add_member(tx, "Camille Martin", "lead"))
    cache.writer.call(lambda tx: team.set_me(tx, "Camille Martin"))

    def old_data(tx: Any) -> None:  # written before the name rules existed
        acc = tx.session.get(Account, account)
        acc.status, acc.status_message = "error", f"server said {EVIL}"
        tx.session.add(TeamMember(name=f"Mallory{EVIL}", role="agent", created_at=utcnow()))
        tag = Tag(name=f"tag{EVIL}")
        tx.session.add(tag)
        tx.session.flush()
        tx.session.add(ConversationTag(conversation_id=conv, tag_id=tag.id))

    cache.writer.call(old_data)
    cache.writer.call(lambda tx: drafts.save_draft(tx, conv, f"queued {EVIL}"))
    item = cache.writer.call(lambda tx: outbox.enqueue(tx, conv, anyway=True).id)

    def failed(tx: Any) -> None:
        from console.models.schema import OutboxItem

        row = tx.session.get(OutboxItem, item)
        row.state, row.error = "failed", f"HTTP 500: {EVIL}"

    cache.writer.call(failed)
    cache.close()
    return {"conv": conv, "account": account, "handle": f"x{EVIL}@evil.example"}


def run(capsys: pytest.CaptureFixture[str], *argv: str, code: int | None = 0) -> tuple[str, str]:
    result = cli.main(list(argv))
    captured = capsys.readouterr()
    no_controls(captured.out)
    no_controls(captured.err)
    if code is not None:
        assert result == code, (argv, captured)
    if result != 0:
        assert captured.err.count("\n") == 1, captured.err
    return captured.out, captured.err


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    data = io.BytesIO(text.encode("utf-8", "surrogatepass"))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(data, encoding="utf-8"))


def test_queue_and_show_print_hostile_text_as_visible_codes(
    hostile: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = run(capsys, "queue")
    assert "\\u001b]52;c;" in out and len(out.splitlines()) == 1
    out, _ = run(capsys, "show", hostile["conv"])
    assert "\\u202egpj.exe" in out and "second line" in out


def test_json_outputs_parse_and_carry_the_escapes(
    hostile: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ("queue", "--json"),
        ("show", hostile["conv"], "--json"),
        ("outbox", "--json"),
        ("account", "list", "--json"),
        ("team", "list", "--json"),
    ):
        out, _ = run(capsys, *argv)
        value: Any = json.loads(out)
        assert any(EVIL in text for text in strings(value)), argv
        assert "\\u009b" in out and "\\u202e" in out and "\\u007f" in out, argv


def test_every_subcommand_on_hostile_data(
    hostile: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    conv, mallory = hostile["conv"], f"Mallory{EVIL}"
    for argv in (
        ("queue",),
        ("queue", "--view", "all", "--tag", f"TAG{EVIL}"),  # an old tag: found, not refused
        ("queue", "--search", "body second"),
        ("queue", "--assignee", "Mallory"),
        ("show", conv),
        ("outbox",),
        ("account", "list"),
        ("team", "list"),
        ("assign", conv, mallory),
        ("take", conv),
        ("unassign", conv),
        ("status", conv, "pending"),
        ("snooze", conv, "--until", "2099-01-01T09:00"),
        ("priority", conv, "urgent"),
        ("tag", conv, "billing"),
        ("tag", conv, f"tag{EVIL}", "--remove"),
        ("team", "me", "Camille"),
        ("sync", "--once"),
    ):
        out, err = run(capsys, *argv, code=None)
        assert out or err, argv
        if argv[0] in ("tag", "queue") and EVIL in "".join(argv):
            assert out and not err, argv  # an old cache's tag can be found and removed
    stdin(monkeypatch, f"note {EVIL}\nline two")
    run(capsys, "note", conv, "--text-stdin")
    stdin(monkeypatch, f"draft {EVIL}")
    run(capsys, "draft", conv, "--text-stdin")
    out, _ = run(capsys, "show", conv)
    assert "note \\u001b]52;c;" in out and "line two" in out
    run(capsys, "send", conv, code=None)
    run(capsys, "draft", conv, "--discard")
    run(capsys, "contact", "forget", hostile["handle"], code=None)
    run(capsys, "cache", "rebuild", code=None)  # refused: the cache is sound
    run(capsys, "cache", "rebuild", "--force", code=None)
    run(capsys, "queue", "--view", "all")


def test_every_error_echoing_hostile_input_is_one_safe_line(
    hostile: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    conv = hostile["conv"]
    for argv in (
        ("show", f"id{EVIL}"),
        ("assign", conv, f"nobody{EVIL}"),
        ("tag", conv, f"new{EVIL}"),
        ("team", "add", f"Eve{EVIL}", "--role", "agent"),
        ("team", "me", f"nobody{EVIL}"),
        ("queue", "--view", f"v{EVIL}"),
        ("queue", "--account", f"a{EVIL}"),
        ("queue", "--limit", f"1{EVIL}"),
        ("snooze", conv, "--until", f"2026{EVIL}"),
        ("status", conv, f"s{EVIL}"),
        ("priority", conv, f"p{EVIL}"),
        ("contact", "forget", f"c{EVIL}"),
        ("account", "remove", f"r{EVIL}"),
        (f"frobnicate{EVIL}",),
        ("queue", f"--bogus{EVIL}"),
    ):
        _, err = run(capsys, *argv, code=2)
        assert err.startswith("parloir: "), argv
    stdin(monkeypatch, f"{'x' * 10_001}{EVIL}")
    run(capsys, "note", conv, "--text-stdin", code=2)
