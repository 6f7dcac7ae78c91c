"""No single bad row can stop a listing.

Rows an older version stored (a sender's year-9999 time), values another
program wrote (text in an integer column, malformed JSON, bytes that are not
UTF-8): each such conversation is listed as damaged, in one sentence, and the
others as usual — in ``queue``, ``rows_by_id``, ``show`` and the CLI.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from console.services import queue
from console.services.conversation import detail_json, pane_view
from console.services.queue import QueueFilter
from tests.helpers.cli import run_cli
from tests.helpers.factories import add_account, conv_by_key, msg, person, put

ROOT = Path(__file__).resolve().parents[1]
YEAR_9999_MS = 253_402_300_799_000  # 9999-12-31T23:59:59Z
FIELDS = {
    "id", "network", "account", "kind", "status", "snoozed_until", "assignee", "contact",
    "subject", "preview", "waiting_since", "due_at", "last_activity", "unread", "tags",
    "priority",
}  # fmt: skip

DAMAGES = {
    # what an older version stored: a sender's year 9999 (due_at overflows)
    "year9999": "UPDATE conversations SET waiting_since = {big}, due_at = {big} + 3600000, "
    "last_activity_at = {big} WHERE id = :id",
    "year1": "UPDATE conversations SET waiting_since = -62135596800000 WHERE id = :id",
    "text_in_integer": "UPDATE conversations SET last_activity_at = 'yesterday' WHERE id = :id",
    "not_utf8": "UPDATE conversations SET preview = CAST(x'c328ff' AS TEXT) WHERE id = :id",
    "blob_subject": "UPDATE conversations SET subject = x'00ff' WHERE id = :id",
}


def _damage(cache: Any, sql: str, **params: Any) -> None:
    def task(tx: Any) -> None:
        tx.session.connection().exec_driver_sql(
            sql.replace(":id", "?").format(big=YEAR_9999_MS), tuple(params.values())
        )

    cache.writer.call(task)


def _workspace(cache: Any) -> tuple[str, dict[str, str]]:
    account = add_account(cache)
    ids: dict[str, str] = {}
    for n, name in enumerate(["good1", *DAMAGES, "good2"]):
        put(cache, account, msg(name, author=person(f"P{n}"), text=f"hello from {name}"))
        ids[name] = conv_by_key(cache, account, name).id
    for name, sql in DAMAGES.items():
        _damage(cache, sql, id=ids[name])
    return account, ids


def test_damaged_rows_are_listed_as_damaged_and_the_others_as_usual(cache) -> None:
    _account, ids = _workspace(cache)
    with cache.read() as s:
        rows = {r.id: r for r in queue.iterate(s, QueueFilter(view="all"))}
        assert set(rows) == set(ids.values())
        for name in ("good1", "good2"):
            good = rows[ids[name]]
            assert good.damaged is None and good.preview == f"hello from {name}"
            assert "damaged" not in good.to_json()
        for name in DAMAGES:
            bad = rows[ids[name]]
            assert bad.damaged, name
            assert bad.damaged.endswith(".") and "\n" not in bad.damaged
            shown = bad.to_json()
            assert set(shown) == FIELDS | {"damaged"}
            assert shown["id"] == ids[name] and shown["damaged"] == bad.damaged
            assert all(shown[k] is None for k in FIELDS - {"id"}), name
            json.dumps(shown)
        assert "time" in (rows[ids["year9999"]].damaged or "")
        assert "UTF-8" in (rows[ids["not_utf8"]].damaged or "")


def test_paging_goes_on_past_damaged_rows(cache) -> None:
    _account, ids = _workspace(cache)
    with cache.read() as s:
        for sort in ("waiting", "activity", "priority"):
            seen: list[str] = []
            after = None
            while True:
                page = queue.page(s, QueueFilter(view="all", sort=sort), limit=2, after=after)
                seen.extend(r.id for r in page.rows)
                if page.next_after is None:
                    break
                after = page.next_after
            assert sorted(seen) == sorted(ids.values()), sort


def test_rows_by_id_and_counts_survive_damaged_rows(cache) -> None:
    _account, ids = _workspace(cache)
    with cache.read() as s:
        fresh = queue.rows_by_id(s, list(ids.values()))
        assert set(fresh) == set(ids.values())
        assert fresh[ids["year1"]].damaged and fresh[ids["good1"]].damaged is None
        assert queue.matches(fresh[ids["year1"]], QueueFilter(view="open"), None) is None
        assert queue.counts(s)["all"] == len(ids)


def test_show_lists_a_damaged_message_and_the_others(cache) -> None:
    account = add_account(cache)
    put(cache, account, msg("t", text="first"), msg("t", text="second"), msg("t", text="third"))
    conv = conv_by_key(cache, account, "t")
    _damage(cache, "UPDATE messages SET raw = '{{not json' WHERE text = 'first'")
    _damage(cache, "UPDATE messages SET sent_at = {big} * 10 WHERE text = 'second'")
    with cache.read() as s:
        detail = detail_json(s, conv.id)
        pane = pane_view(s, conv.id)
    texts = [m.get("text") for m in detail["messages"]]
    assert "third" in texts
    damaged = [m for m in detail["messages"] if m.get("damaged")]
    assert len(damaged) == 2
    for m in damaged:
        assert m["text"] is None and m["sent_at"] is None and m["id"]
    assert len(pane.messages) == 3


def test_show_of_a_damaged_conversation_is_no_crash(cache) -> None:
    _account, ids = _workspace(cache)
    with cache.read() as s:
        detail = detail_json(s, ids["year9999"])
        pane = pane_view(s, ids["year9999"])
    assert detail["damaged"] and detail["id"] == ids["year9999"]
    assert [m["text"] for m in detail["messages"]] == ["hello from year9999"]
    assert pane.messages


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args)


def test_the_cli_lists_damaged_rows_in_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console import paths
    from console.models.db import open_cache

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("PARLOIR_HOME", str(home))
    cache = open_cache(paths.cache_path())
    _account, ids = _workspace(cache)
    cache.close()
    listed = _run(home, "queue", "--view", "all")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == len(ids)
    assert sum("damaged:" in line for line in lines) == len(DAMAGES)
    assert any("hello from good2" in line for line in lines)
    as_json = _run(home, "queue", "--view", "all", "--json")
    assert as_json.returncode == 0, as_json.stderr
    items = json.loads(as_json.stdout)
    assert sum(1 for i in items if i.get("damaged")) == len(DAMAGES)
    shown = _run(home, "show", ids["year9999"])
    assert shown.returncode == 0, shown.stderr
    assert "damaged" in shown.stdout and "hello from year9999" in shown.stdout
    shown_json = _run(home, "show", ids["year9999"], "--json")
    assert shown_json.returncode == 0 and json.loads(shown_json.stdout)["damaged"]
