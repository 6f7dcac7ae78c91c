"""The window ↔ engine process protocol (console/sync/control.py): pure
functions over lines, no process and no Qt."""

from __future__ import annotations

import logging

import pytest

from console.sync import control
from console.sync.control import Command, Failed, LineBuffer, Started
from console.sync.events import SyncEvent


@pytest.mark.parametrize("command", list(Command))
def test_a_command_reads_back_as_itself(command: Command) -> None:
    assert control.parse_command(control.command_line(command)) is command


def test_an_unknown_or_empty_command_is_ignored(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert control.parse_command(b"launch-rockets\n") is None
    assert "launch-rockets" in caplog.text
    assert control.parse_command(b"\n") is None
    assert control.parse_command(" wake \r\n") is Command.WAKE


@pytest.mark.parametrize(
    "message",
    [
        SyncEvent("a1", "shop@example", "syncing", fetched=12),
        SyncEvent("a1", "shop@example", "rate_limited", "wait {0} \n\u202e", retry_in=2.5),
        Started(4242),
        Failed("The cache is damaged; run `parloir cache rebuild`."),
    ],
)
def test_a_message_reads_back_equal(message: control.EngineMessage) -> None:
    line = control.message_line(message)
    assert line.endswith(b"\n") and line.count(b"\n") == 1  # one line, whatever the text
    assert control.parse_message(line[:-1]) == message


@pytest.mark.parametrize(
    "line", [b"hello from a library", b"[1, 2]", b'{"type": "sync"}', b'{"type": "bogus"}']
)
def test_a_line_that_is_not_a_message_is_none(
    line: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert control.parse_message(line) is None
    assert "unreadable line" in caplog.text


def test_the_buffer_gives_whole_lines_whatever_the_pieces() -> None:
    buffer = LineBuffer()
    assert buffer.feed(b"one\ntw") == [b"one"]
    assert buffer.feed(b"o") == []
    assert buffer.feed(b"\n\nthree\n") == [b"two", b"", b"three"]
    assert buffer.feed(b"") == []


def test_an_overlong_line_is_dropped_and_the_next_one_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(control, "MAX_LINE", 10)
    buffer = LineBuffer()
    assert buffer.feed(b"x" * 8) == []
    assert buffer.feed(b"x" * 8) == []  # over the limit: forgotten
    assert buffer.feed(b"xx\nok\n") == [b"ok"]
    assert buffer.feed(b"y" * 11 + b"\nfine\n") == [b"fine"]
