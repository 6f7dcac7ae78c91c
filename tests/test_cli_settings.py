"""``parloir settings list|get|set``: the registry from the command line,
in process (console.cli.main with capsys)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from console import cli, paths
from console.models import settings_registry as registry
from console.models.db import open_cache
from console.services import settings
from tests.helpers.factories import add_account


@pytest.fixture(autouse=True)
def _drop_log_handlers() -> Iterator[None]:
    """main() adds a file handler to the root logger; each test gets its own log."""
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_parloir_cli", False)]:
        root.removeHandler(handler)
        handler.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> tuple[str, str]:
    result = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert result == code, (argv, out, err)
    return out, err


def test_list_shows_every_key_with_its_type_bounds_and_scopes(
    parloir_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = run(capsys, "settings", "list", "--json")
    rows = {r["key"]: r for r in json.loads(out)}
    assert set(rows) == set(registry.REGISTRY)
    assert rows["history_days"] == {
        "key": "history_days",
        "type": "whole number",
        "default": 14,
        "minimum": 1,
        "maximum": 36_500,
        "choices": None,
        "kinds": None,
        "unit": "days",
        "label": "How far back a first sync looks",
        "scopes": ["account", "workspace"],
        "value": 14,
    }
    assert rows["language"]["choices"] == ["", "en", "fr"]
    assert rows["due_targets"]["kinds"] == ["direct", "email", "public", "comment"]
    text, _ = run(capsys, "settings", "list")
    assert text.splitlines()[1].startswith("history_days = 14  (whole number, 1..36500 days;")


def test_set_then_get_for_the_workspace_and_for_one_account(
    parloir_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = open_cache(paths.cache_path())
    account = add_account(cache)
    cache.close()
    assert run(capsys, "settings", "set", "history_days", "30")[0] == "history_days = 30\n"
    out, _ = run(capsys, "settings", "set", "history_days", " 7 ", "--account", account)
    assert out == f"history_days = 7 (account {account})\n"
    assert run(capsys, "settings", "get", "history_days")[0] == "30\n"
    assert run(capsys, "settings", "get", "history_days", "--account", account)[0] == "7\n"
    run(capsys, "settings", "set", "due_targets", '{"direct": 600}')
    out, _ = run(capsys, "settings", "get", "due_targets", "--json")
    assert json.loads(out)["direct"] == 600 and json.loads(out)["email"] == 3600
    run(capsys, "settings", "set", "language", "fr")
    assert run(capsys, "settings", "get", "language")[0] == "fr\n"
    cache = open_cache(paths.cache_path())
    with cache.read() as s:
        assert settings.get(s, "history_days", account=account) == 7
    cache.close()


@pytest.mark.parametrize(
    "argv",
    [
        ("set", "history_days", "0"),
        ("set", "history_days", "thirty"),
        ("set", "history_days", "9" * 40),
        ("set", "poll_interval", "5"),
        ("set", "language", "de"),
        ("set", "due_targets", "3600"),
        ("set", "due_targets", '{"sms": 60}'),
        ("set", "language", "fr", "--tag", "vip"),
        ("set", "history_days", "20", "--member", "Bob"),
        ("set", "history_days", "20", "--account", "nobody"),
        ("set", "nope\x1b[2J", "1"),
        ("get", "nope"),
        ("set", "history_days", "20", "--account", "a", "--tag", "t"),
    ],
)
def test_a_bad_value_exits_2_with_one_sentence_and_changes_nothing(
    parloir_home: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    out, err = run(capsys, "settings", *argv, code=2)
    assert out == "" and err.startswith("parloir: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "\x1b" not in err
    cache = open_cache(paths.cache_path())
    with cache.read() as s:
        assert s.execute(text("SELECT key FROM settings")).all() == []
    cache.close()
