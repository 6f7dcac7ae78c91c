"""A damaged cache: reads say so in one sentence and point to
`parloir cache rebuild`, which keeps drafts, unsent replies, notes, tags,
assignments and accounts, moves the damaged file aside and lets the next
sync fetch the messages again. The damage is real: pages of a real cache
file are overwritten (never the header)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from console import paths
from console.models.db import open_cache, quick_check
from console.models.schema import Account, Conversation, Draft, Message, Note, OutboxItem
from console.services import drafts, notes, outbox, team, workflow
from tests.helpers.damage import overwrite, pages_of
from tests.helpers.factories import add_account, conv_by_key, msg, person, put

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=dict(os.environ),
    )


def build_workspace() -> dict[str, Any]:
    """Accounts, many long messages, and the work people did on them."""
    records = {}
    with open_cache(paths.cache_path()) as cache:
        masto = add_account(cache)
        mail = add_account(cache, network="email", handle="support@shop.example")
        for n in range(40):
            records[f"t{n}"] = msg(
                f"t{n}", author=person(f"P{n}"), text=f"Parcel {n} " + "lorem ipsum " * 300
            )
        put(cache, masto, *records.values())
        put(cache, mail, msg("<a@x>", author=person("Dee", network="email"), text="Invoice"))
        cache.writer.call(lambda tx: team.add_member(tx, "Camille", "lead"))
        cache.writer.call(lambda tx: team.add_member(tx, "Ana", "agent"))
        cache.writer.call(lambda tx: team.set_me(tx, "Camille"))
        a, b, c, d = (conv_by_key(cache, masto, f"t{n}").id for n in range(4))
        cache.writer.call(lambda tx: drafts.save_draft(tx, a, "Your parcel left today."))
        cache.writer.call(lambda tx: notes.add_note(tx, b, "Customer called twice."))
        cache.writer.call(lambda tx: workflow.tag(tx, a, "livraison"))
        cache.writer.call(lambda tx: workflow.assign(tx, b, "Ana"))
        cache.writer.call(lambda tx: workflow.set_status(tx, d, "closed"))
        cache.writer.call(lambda tx: drafts.save_draft(tx, c, "Refund on its way."))
        item = cache.writer.call(lambda tx: outbox.enqueue(tx, c))

        # A cursor the rebuild must reset, so the next sync fetches again.
        def cursor(tx: Any) -> None:
            tx.session.get(Account, masto).cursors = {"mentions": "12345"}

        cache.writer.call(cursor)
    return {
        "accounts": {masto, mail},
        "masto": masto,
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "item": item.id,
        "records": records,
    }


def test_a_damaged_cache_is_named_and_rebuilt_without_losing_work(parloir_home: Path) -> None:
    ws = build_workspace()
    path = paths.cache_path()
    leaves = pages_of(path, "messages")
    assert len(leaves) >= 6
    overwrite(path, [p for p, _ in leaves])  # every message page, nothing else

    assert quick_check(path) is not None
    shown = cli("show", ws["a"])
    assert shown.returncode == 2, shown.stderr
    assert "Traceback" not in shown.stderr and shown.stderr.count("\n") == 1
    assert "damaged" in shown.stderr and "parloir cache rebuild" in shown.stderr

    done = cli("cache", "rebuild")
    assert done.returncode == 0, done.stderr
    assert "damaged file is kept at" in done.stdout
    aside = [p for p in path.parent.iterdir() if ".damaged-" in p.name and p.suffix == ".sqlite"]
    assert len(aside) == 1 and str(aside[0]) in done.stdout
    assert oct(aside[0].stat().st_mode & 0o777) == "0o600"

    assert quick_check(path) is None
    with open_cache(path) as cache, cache.read() as s:
        assert {a.id for a in s.scalars(select(Account))} == ws["accounts"]
        assert all(a.cursors == {} for a in s.scalars(select(Account)))
        assert s.scalar(select(func.count()).select_from(Message)) == 0
        draft = s.scalar(select(Draft).where(Draft.conversation_id == ws["a"]))
        assert draft is not None and draft.body == "Your parcel left today."
        (note,) = s.scalars(select(Note).where(Note.conversation_id == ws["b"]))
        assert note.text == "Customer called twice."
        # The copied note is searchable again, once (note_fts follows notes).
        found = s.execute(text("SELECT conversation_id FROM note_fts WHERE note_fts MATCH 'twic*'"))
        assert [r[0] for r in found] == [ws["b"]]
        a = s.get(Conversation, ws["a"])
        assert a is not None and [t.name for t in a.tags] == ["livraison"]
        b = s.get(Conversation, ws["b"])
        assert b is not None and b.assignee_id is not None
        item = s.get(OutboxItem, ws["item"])
        assert item is not None and item.state == "queued" and item.body == "Refund on its way."

        # The next sync brings the messages back into the same conversations,
        # and a conversation closed before the damage stays closed.
        records = ws["records"]
    put(cache := open_cache(path), ws["masto"], *records.values())
    try:
        assert conv_by_key(cache, ws["masto"], "t0").id == ws["a"]
        assert conv_by_key(cache, ws["masto"], "t3").status == "closed"
        assert conv_by_key(cache, ws["masto"], "t1").message_count == 1
    finally:
        cache.close()
    listed = cli("queue", "--json")
    assert listed.returncode == 0, listed.stderr
    assert ws["a"] in {row["id"] for row in json.loads(listed.stdout)}


def test_a_damaged_table_is_read_row_by_row(parloir_home: Path) -> None:
    """One bad page of the notes table loses the notes on that page only."""
    with open_cache(paths.cache_path()) as cache:
        account = add_account(cache)
        put(cache, account, msg("t1", author=person("Noor")))
        conv = conv_by_key(cache, account, "t1").id
        for n in range(60):
            cache.writer.call(
                functools.partial(notes.add_note, conv_id=conv, text=f"note {n} " + "x" * 900)
            )
    path = paths.cache_path()
    leaves = pages_of(path, "notes")
    assert len(leaves) >= 4
    bad_page, lost = leaves[len(leaves) // 2]
    overwrite(path, [bad_page])

    from console.services.cache_rebuild import rebuild

    report = rebuild(path)
    assert report.unreadable.get("notes") == lost
    assert report.kept["notes"] == 60 - lost
    with open_cache(path) as cache, cache.read() as s:
        assert s.scalar(select(func.count()).select_from(Note)) == 60 - lost


def test_a_sound_cache_is_not_rebuilt_without_force(parloir_home: Path) -> None:
    with open_cache(paths.cache_path()) as cache:
        add_account(cache)
    done = cli("cache", "rebuild")
    assert done.returncode == 2
    assert "nothing was changed" in done.stderr
    assert [p.name for p in paths.cache_path().parent.iterdir() if "damaged" in p.name] == []


def test_force_rebuilds_a_sound_cache_and_keeps_the_previous_file(parloir_home: Path) -> None:
    from console.services.cache_rebuild import rebuild

    with open_cache(paths.cache_path()) as cache:
        account = add_account(cache)
    report = rebuild(paths.cache_path(), force=True)
    assert report.problem is None and report.unreadable == {}
    assert "previous file is kept at" in report.summary()
    assert report.damaged_copy.exists()
    assert not Path(f"{report.damaged_copy}-wal").exists()
    with open_cache(paths.cache_path()) as cache, cache.read() as s:
        assert [a.id for a in s.scalars(select(Account))] == [account]
