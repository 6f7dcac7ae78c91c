"""Property tests over what a person can type: whatever it is, the command
line answers with exit 0 or 2, never a traceback, and a refusal is exactly
one line on stderr (CLI.md). In process (console.cli.main with capsys).

Times (any year, any offset, garbage), numbers (any size, any text), names
and ids (control, bidi and undecodable characters) and stdin bytes (not
UTF-8 at all).
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from console import cli, paths, terminal  # noqa: E402
from console.models.db import open_cache  # noqa: E402
from tests.helpers.factories import add_account, msg, person, put  # noqa: E402

#: No deadline (a deadline is a timing assert) and the same examples on every
#: run, whatever profile tests/conftest.py loads.
PROPERTY = settings(
    deadline=None,
    derandomize=True,
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE_CHARS = st.sampled_from(
    ["\x1b", "\x07", "\x00", "\x7f", "\x9b", "\u202e", "\u2066", "\u200b", "\n", "\r", "\udcff"]
)
TEXT = st.lists(st.one_of(st.characters(), HOSTILE_CHARS), max_size=30).map("".join)


@pytest.fixture
def conv(parloir_home: Path) -> Any:
    cache = open_cache(paths.cache_path())
    account = add_account(cache, config={"demo": True})
    put(cache, account, msg("t1", author=person("Noor"), text="Where is my parcel?"))
    with cache.read() as s:
        from sqlalchemy import select

        from console.models.schema import Conversation

        found = s.scalar(select(Conversation.id))
    cache.close()
    yield found
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_parloir_cli", False)]:
        root.removeHandler(handler)
        handler.close()


def answers(capsys: pytest.CaptureFixture[str], *argv: str) -> int:
    """Run; assert the contract every answer keeps; return the exit status."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    assert code in (0, 2), (argv, code, captured.err)
    assert "Traceback" not in captured.err
    for text in (captured.out, captured.err):
        assert not [ch for ch in text if ch not in "\n\t" and terminal.unsafe(ch)]
    if code == 2:
        assert captured.err.count("\n") == 1 and captured.err.startswith("parloir: ")
        assert captured.out == ""
    return code


def _iso(when: datetime, minutes: int, naive: bool) -> str:
    if naive:
        return when.isoformat()
    return when.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()


TIMES = st.one_of(
    st.builds(
        _iso,
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
        st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1),
        st.booleans(),
    ),
    TEXT,
    st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59:59-23:59", "2026-12-01T09:00+23:59"]),
)


@PROPERTY
@given(until=TIMES)
def test_any_snooze_time(conv: str, capsys: pytest.CaptureFixture[str], until: str) -> None:
    code = answers(capsys, "snooze", conv, "--until", until)
    if code == 0:
        assert answers(capsys, "queue", "--view", "all", "--json") == 0  # still listable


NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-3, max_value=3).map(str),
    TEXT,
)


@PROPERTY
@given(limit=NUMBERS)
def test_any_limit(conv: str, capsys: pytest.CaptureFixture[str], limit: str) -> None:
    answers(capsys, "queue", "--limit", limit, "--json")


@PROPERTY
@given(name=TEXT)
def test_any_tag_member_or_id(conv: str, capsys: pytest.CaptureFixture[str], name: str) -> None:
    answers(capsys, "tag", conv, name)
    answers(capsys, "queue", "--tag", name)
    answers(capsys, "assign", conv, name)
    answers(capsys, "show", name)
    answers(capsys, "team", "add", name, "--role", "agent")


@PROPERTY
@given(data=st.one_of(st.binary(max_size=200), TEXT.map(lambda t: t.encode("utf-8", "replace"))))
def test_any_stdin_bytes(
    conv: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    for command in ("note", "draft"):
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        answers(capsys, command, conv, "--text-stdin")
    assert answers(capsys, "show", conv, "--json") == 0
