"""The command line's own inputs: every mistake is one sentence and exit 2,
every failure one sentence and exit 1 (with the traceback in the log).

Run in process (console.cli.main with capsys): a subprocess costs half a
second each.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest

from console import cli, paths
from console.models.db import open_cache
from tests.helpers.factories import add_account, msg, person, put


@pytest.fixture
def conv(parloir_home: Path) -> str:
    cache = open_cache(paths.cache_path())
    account = add_account(cache, config={"demo": True})
    put(cache, account, msg("t1", author=person("Noor"), text="Where is my parcel?"))
    with cache.read() as s:
        from sqlalchemy import select

        from console.models.schema import Conversation

        found = s.scalar(select(Conversation.id))
    cache.close()
    assert found is not None
    return found


@pytest.fixture(autouse=True)
def _drop_log_handlers() -> Any:
    """main() adds a file handler to the root logger; each test gets its own log."""
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_parloir_cli", False)]:
        root.removeHandler(handler)
        handler.close()


def stdin_bytes(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def one_sentence(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 2) -> str:
    result = cli.main(list(argv))
    captured = capsys.readouterr()
    assert result == code, captured
    assert captured.err.count("\n") == 1 and captured.err.startswith("parloir: "), captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    return captured.err


@pytest.mark.parametrize("command", ["note", "draft"])
def test_invalid_utf8_on_stdin_is_one_sentence(
    conv: str,
    command: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdin_bytes(monkeypatch, b"caf\xe9 \xff\xfe")
    assert "not valid UTF-8" in one_sentence(capsys, command, conv, "--text-stdin")


def test_invalid_utf8_on_stdin_for_a_password_is_one_sentence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin_bytes(monkeypatch, b"\xff\xfepassword\n")
    err = one_sentence(
        capsys,
        *("account", "add", "email", "--imap", "imap.example:993", "--smtp", "smtp.example:465"),
        *("--user", "me@shop.example", "--password-stdin"),
    )
    assert "not valid UTF-8" in err


def test_a_byte_order_mark_on_stdin_is_dropped(
    conv: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin_bytes(monkeypatch, "\ufeffMerci, à demain".encode())
    assert cli.main(["note", conv, "--text-stdin"]) == 0
    capsys.readouterr()
    assert cli.main(["show", conv, "--json"]) == 0
    assert '"text": "Merci, à demain"' in capsys.readouterr().out


@pytest.mark.parametrize(
    "value", ["100000000000000000000", "0", "-1", "1e3", "ten", "", "9" * 5000, "1000001"]
)
def test_limit_out_of_bounds_is_one_sentence(
    conv: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = one_sentence(capsys, "queue", "--limit", value)
    assert "--limit" in err and "1 000 000" in err and len(err) < 200


def test_limit_at_the_bound_works(conv: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["queue", "--limit", "1000000", "--json"]) == 0


@pytest.mark.parametrize(
    "args",
    [
        ("--conversations", "100000000000000000000", "--messages", "10"),
        ("--conversations", "0", "--messages", "10"),
        ("--conversations", "2", "--messages", "-5"),
        ("--conversations", "x", "--messages", "10"),
    ],
)
def test_demo_numbers_out_of_bounds_are_one_sentence(
    args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    one_sentence(capsys, "demo", "generate", *args)


@pytest.mark.parametrize(
    "until",
    [
        "0001-01-01T00:00",
        "0001-01-01T00:00+00:00",
        "9999-12-31T23:59",
        "9999-12-31T23:59-23:59",
        "0001-01-01T00:00+23:59",
        "1969-12-31T23:59Z",
        "2100-01-01T00:00Z",
        "tomorrow-ish",
        "",
        "2026-13-01",
        "\x1b]0;x\x07",
    ],
)
def test_snooze_times_out_of_bounds_are_one_sentence(
    conv: str, until: str, capsys: pytest.CaptureFixture[str]
) -> None:
    one_sentence(capsys, "snooze", conv, "--until", until)


def test_snooze_with_an_extreme_offset_inside_the_bounds_works(
    conv: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["snooze", conv, "--until", "2099-01-01T09:00-23:59"]) == 0
    capsys.readouterr()
    assert cli.main(["queue", "--view", "snoozed", "--json"]) == 0
    assert '"snoozed_until": "2099-01-02T08:59:00.000Z"' in capsys.readouterr().out


def test_an_argument_that_is_not_utf8_is_one_sentence(
    conv: str, capsys: pytest.CaptureFixture[str]
) -> None:
    undecodable = b"\xff\xfe".decode("utf-8", "surrogateescape")
    one_sentence(capsys, "show", undecodable)
    one_sentence(capsys, "tag", conv, undecodable)


def test_an_unexpected_exception_is_logged_and_one_sentence(
    conv: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(args: Any) -> int:
        raise RuntimeError("surprise \x1b]0;title\x07")

    monkeypatch.setitem(cli.COMMANDS, "queue", broken)
    err = one_sentence(capsys, "queue", code=1)
    log_file = paths.log_dir() / "parloir.log"
    assert "`queue` failed unexpectedly (RuntimeError)" in err and str(log_file) in err
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: surprise \\u001b]0;title" in logged
    assert "\x1b" not in logged  # the log is read in terminals too


def test_a_database_error_is_one_sentence(
    conv: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    def broken(args: Any) -> int:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setitem(cli.COMMANDS, "show", broken)
    err = one_sentence(capsys, "show", conv, code=1)
    assert "the cache could not be read or written (disk I/O error)" in err
    assert "Traceback" in (paths.log_dir() / "parloir.log").read_text(encoding="utf-8")


def test_ctrl_c_is_one_line_and_exit_130(
    conv: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(args: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "queue", interrupted)
    assert "interrupted" in one_sentence(capsys, "queue", code=130)


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_reading_is_not_a_failure(
    conv: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert cli.main(["queue"]) == 0
    assert capsys.readouterr().err == ""


def my_draft(conv_id: str) -> str | None:
    from console.services import drafts

    with open_cache(paths.cache_path()) as cache, cache.read() as s:
        draft = drafts.my_draft(s, conv_id)
        return draft.body if draft else None


@pytest.mark.parametrize("empty", [b"", b"   ", b"\n\t \r\n"])
def test_an_empty_draft_changes_nothing_and_exits_2(
    conv: str,
    empty: bytes,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdin_bytes(monkeypatch, b"Your parcel left today.")
    assert cli.main(["draft", conv, "--text-stdin"]) == 0
    capsys.readouterr()
    stdin_bytes(monkeypatch, empty)
    assert "--discard" in one_sentence(capsys, "draft", conv, "--text-stdin")
    assert my_draft(conv) == "Your parcel left today."


def test_draft_discard_deletes_my_draft_and_is_fine_when_there_is_none(
    conv: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin_bytes(monkeypatch, b"Your parcel left today.")
    assert cli.main(["draft", conv, "--text-stdin"]) == 0
    assert cli.main(["draft", conv, "--discard"]) == 0
    assert my_draft(conv) is None
    assert cli.main(["draft", conv, "--discard"]) == 0
    capsys.readouterr()
    one_sentence(capsys, "draft", conv, "--discard", "--text-stdin")
    one_sentence(capsys, "draft", conv)


@pytest.mark.parametrize("size", ["99999999999999999999x1", "0x0", "1440x-900", "10001x900", "big"])
def test_a_window_size_out_of_bounds_is_one_sentence(
    size: str, capsys: pytest.CaptureFixture[str]
) -> None:
    one_sentence(capsys, "--screenshot", "unused.png", "--size", size)


def test_priority_sets_the_priority(conv: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["priority", conv, "urgent"]) == 0
    capsys.readouterr()
    assert cli.main(["queue", "--json"]) == 0
    assert '"priority": "urgent"' in capsys.readouterr().out
    one_sentence(capsys, "priority", conv, "whenever")


def test_sync_of_an_unknown_account_is_a_mistake(
    conv: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "zz" in one_sentence(capsys, "sync", "--once", "--account", "zz")
