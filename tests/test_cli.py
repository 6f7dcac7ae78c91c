"""The command line end to end, in a subprocess on a temp PARLOIR_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from console.services import team
from tests.helpers.cli import cli_env, run_cli
from tests.helpers.factories import add_account, msg, person, put

ROOT = Path(__file__).resolve().parents[1]


def run(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args, stdin=stdin, timeout=60)


def ok(home: Path, *args: str, stdin: str | None = None) -> str:
    result = run(home, *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return result.stdout


def as_json(home: Path, *args: str) -> Any:
    return json.loads(ok(home, *args, "--json"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with two accounts, three conversations, two members."""
    monkeypatch.setenv("PARLOIR_HOME", str(tmp_path))
    from console import paths
    from console.models.db import open_cache

    cache = open_cache(paths.cache_path())
    masto = add_account(cache, config={"demo": True})
    mail = add_account(cache, network="email", handle="support@shop.example", config={"demo": True})
    put(cache, masto, msg("t1", author=person("Noor"), text="Where is my parcel?", ago_min=90))
    put(cache, masto, msg("t2", author=person("Bob"), text="Love the new app", ago_min=30))
    put(
        cache,
        mail,
        msg(
            "<a@x>",
            author=person("Dee", network="email"),
            text="Invoice question",
            subject="Invoice 42",
            ago_min=10,
        ),
    )
    cache.writer.call(lambda tx: team.add_member(tx, "Camille Martin", "lead"))
    cache.writer.call(lambda tx: team.add_member(tx, "Ana Souza", "agent"))
    cache.writer.call(lambda tx: team.set_me(tx, "Camille Martin"))
    cache.close()
    return tmp_path


QUEUE_KEYS = {
    "id",
    "network",
    "account",
    "kind",
    "status",
    "snoozed_until",
    "assignee",
    "contact",
    "subject",
    "preview",
    "waiting_since",
    "due_at",
    "last_activity",
    "unread",
    "tags",
    "priority",
}


def test_queue_json_shape_and_order(home: Path) -> None:
    items = as_json(home, "queue")
    assert [i["preview"] for i in items] == [
        "Where is my parcel?",
        "Love the new app",
        "Invoice question",
    ]
    for item in items:
        assert set(item) == QUEUE_KEYS
        assert isinstance(item["id"], str) and item["waiting_since"].endswith("Z")
        assert set(item["account"]) == {"id", "handle"}
        assert set(item["contact"]) == {"name", "handle"}
    assert items[2]["network"] == "email" and items[2]["kind"] == "public"
    assert len(as_json(home, "queue", "--limit", "2")) == 2
    assert [i["subject"] for i in as_json(home, "queue", "--network", "email")] == ["Invoice 42"]
    assert [i["preview"] for i in as_json(home, "queue", "--search", "parcel")] == [
        "Where is my parcel?"
    ]


def test_workflow_commands(home: Path) -> None:
    first = as_json(home, "queue")[0]["id"]
    ok(home, "take", first[-8:])  # the short id the table shows
    assert as_json(home, "queue", "--view", "mine")[0]["assignee"]["name"] == "Camille Martin"
    ok(home, "assign", first, "Ana Souza")
    assert as_json(home, "queue", "--assignee", "ana")[0]["id"] == first
    ok(home, "unassign", first)
    ok(home, "tag", first, "billing")
    assert as_json(home, "queue", "--tag", "billing")[0]["tags"] == ["billing"]
    ok(home, "tag", first, "billing", "--remove")
    assert as_json(home, "queue", "--tag", "billing") == []
    ok(home, "status", first, "pending")
    assert [i["id"] for i in as_json(home, "queue", "--view", "pending")] == [first]
    ok(home, "snooze", first, "--until", "2099-01-01T09:00")
    (snoozed,) = as_json(home, "queue", "--view", "snoozed")
    assert snoozed["status"] == "snoozed" and snoozed["snoozed_until"].startswith("2099-01-01")
    ok(home, "status", first, "closed")
    assert first not in [i["id"] for i in as_json(home, "queue")]
    ok(home, "note", first, "--text-stdin", stdin="@Ana could you check?")
    detail = as_json(home, "show", first)
    assert set(detail) == QUEUE_KEYS | {"messages", "notes", "draft", "recipients", "history"}
    assert detail["notes"][0]["author"] == "Camille Martin"
    # The history: what was just done, oldest first, by whom, in CLI.md's words.
    ours = detail["history"][-9:]
    assert [(h["op"], h["value"]) for h in ours] == [
        ("assign", "Camille Martin"),
        ("assign", "Ana Souza"),
        ("unassign", None),
        ("tag", "billing"),
        ("untag", "billing"),
        ("status", "pending"),
        ("snooze", ours[6]["value"]),
        ("status", "closed"),
        ("note", None),
    ]
    assert ours[6]["value"].startswith("2099-01-01") and ours[6]["value"].endswith("Z")
    assert {h["actor"] for h in ours} == {"Camille Martin"}
    assert {h["reason"] for h in ours} == {None}
    times = [h["at"] for h in detail["history"]]
    assert times == sorted(times) and all(t.endswith("Z") for t in times)
    assert set(ours[0]) == {"at", "actor", "op", "value", "reason"}
    assert set(detail["messages"][0]) == {
        "id",
        "remote_id",
        "direction",
        "author",
        "sent_at",
        "text",
        "url",
        "deleted",
    }


def test_draft_send_and_outbox(home: Path) -> None:
    conv = as_json(home, "queue")[0]["id"]
    ok(home, "draft", conv, "--text-stdin", stdin="Your parcel left today.")
    out = ok(home, "send", conv)
    assert out.split()[1] == "sent"
    (item,) = as_json(home, "outbox")
    assert set(item) == {
        "id",
        "conversation",
        "state",
        "key",
        "remote_id",
        "error",
        "attempts",
        "created_at",
    }
    assert item["state"] == "sent" and item["conversation"] == conv and item["attempts"] == 1
    detail = as_json(home, "show", conv)
    assert [m["direction"] for m in detail["messages"]] == ["in", "out"]
    assert detail["waiting_since"] is None
    assert detail["draft"]["state"] == "sent"
    again = ok(home, "send", conv)  # the same reply: its item, nothing new
    assert again.split()[:2] == [item["id"], "sent"]
    assert [i["id"] for i in as_json(home, "outbox")] == [item["id"]]


def test_team_commands(home: Path) -> None:
    ok(home, "team", "add", "Yusuf Demir", "--role", "agent")
    members = as_json(home, "team", "list")
    assert {m["name"]: m["role"] for m in members} == {
        "Ana Souza": "agent",
        "Camille Martin": "lead",
        "Yusuf Demir": "agent",
    }
    ok(home, "team", "me", "Yusuf")
    assert [m["name"] for m in as_json(home, "team", "list") if m["me"]] == ["Yusuf Demir"]


def test_forget_a_contact(home: Path) -> None:
    ok(home, "contact", "forget", "noor@example.org")
    assert as_json(home, "queue", "--search", "parcel") == []
    assert "Where is my parcel" not in ok(home, "queue", "--view", "all", "--json")


@pytest.mark.parametrize(
    "args",
    [
        ("show", "nope-nope"),
        ("assign", "nope-nope", "Ana"),
        ("queue", "--view", "bogus"),
        ("queue", "--limit", "0"),
        ("snooze", "x", "--until", "tomorrow-ish"),
        ("frobnicate",),
        ("team", "add", "X", "--role", "boss"),
        ("contact", "forget", "nobody@nowhere"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(home: Path, args: tuple[str, ...]) -> None:
    result = run(home, *args)
    assert result.returncode == 2, result
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_foreign_cache_is_refused_with_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cache.sqlite").write_bytes(b"not a database at all" * 100)
    result = run(tmp_path, "queue")
    assert result.returncode == 2
    assert "not a Parloir cache" in result.stderr and result.stderr.count("\n") == 1
    assert (data / "cache.sqlite").read_bytes() == b"not a database at all" * 100


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "console", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0 and result.stdout.startswith("parloir ")


def test_a_reader_that_stops_reading_is_quiet(home: Path) -> None:
    """`parloir queue | head`: a pipe whose reader has gone (closed before the
    child starts, so every write fails) is exit 0 and nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = cli_env(home)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "console", "queue", "--view", "all", "--json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_terminal_that_is_not_utf8_gets_utf8_json_and_escaped_text(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    env["PYTHONIOENCODING"] = "ascii"
    for args in (("--demo", "queue", "--json"), ("--demo", "queue")):
        result = subprocess.run(
            [sys.executable, "-m", "console", *args],
            capture_output=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )
        assert result.returncode == 0 and result.stderr == b"", result.stderr
        if "--json" in args:
            names = [i["assignee"]["name"] for i in json.loads(result.stdout) if i["assignee"]]
            assert "Léa Dubois" in names
        else:
            assert b"L\\xe9a Dubois" in result.stdout


def test_queue_sort_most_urgent(home: Path) -> None:
    by_preview = {i["preview"]: i["id"] for i in as_json(home, "queue")}
    ok(home, "priority", by_preview["Love the new app"], "urgent")
    ok(home, "priority", by_preview["Invoice question"], "high")
    items = as_json(home, "queue", "--sort", "urgent")
    assert [(i["preview"], i["priority"]) for i in items] == [
        ("Love the new app", "urgent"),
        ("Invoice question", "high"),
        ("Where is my parcel?", "normal"),
    ]
    assert [i["id"] for i in as_json(home, "queue", "--sort", "urgent", "--limit", "1")] == [
        by_preview["Love the new app"]
    ]


def test_queue_search_prefixes_notes_and_the_all_scope(home: Path) -> None:
    """`queue --search` matches each word as a prefix, in notes too, and
    `--view all` is the search over every conversation, closed ones too."""
    parcel = as_json(home, "queue", "--search", "parc")
    assert [i["preview"] for i in parcel] == ["Where is my parcel?"]
    conv = parcel[0]["id"]
    ok(home, "status", conv, "closed")
    assert as_json(home, "queue", "--search", "parc") == []
    assert [i["id"] for i in as_json(home, "queue", "--search", "parc", "--view", "all")] == [conv]
    ok(home, "note", conv, "--text-stdin", stdin="Colis parti de Belgique")
    found = as_json(home, "queue", "--search", "Belg", "--view", "all")
    assert [i["id"] for i in found] == [conv]
    assert as_json(home, "queue", "--search", 'Belg" NEAR(*', "--view", "all") == []
