"""`contact forget` reports success only once the person's words are gone
from the cache files: with another process holding a read snapshot (WAL),
it says what remains and until when (it used to claim success)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.services import people
from tests.helpers.factories import add_account, cache_at, msg, person, put

WORDS = b"Zanzibar parcel secret"


def in_files(path: Path, needle: bytes) -> list[str]:
    found = []
    for suffix in ("", "-wal"):
        part = path.with_name(path.name + suffix)
        if part.exists() and needle in part.read_bytes():
            found.append(part.name)
    return found


def test_forget_with_a_reader_says_what_remains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people, "ERASURE_WAIT_S", 0.2)  # the reader never lets go here
    cache = cache_at(tmp_path)
    account = add_account(cache)
    put(cache, account, msg("t1", author=person("Noor"), text=WORDS.decode()))
    put(cache, account, msg("t2", author=person("Bob"), text="Hello there"))

    reader = sqlite3.connect(cache.path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM messages").fetchone() == (2,)  # snapshot taken
    erasure = people.forget_person(cache, "noor@example.org")
    assert erasure["messages"] == 1
    assert erasure.complete is False
    assert in_files(cache.path, WORDS) != []  # what the report says remains, remains

    reader.execute("COMMIT")
    reader.close()
    cache.close()  # the last process to close finishes the erasure
    assert in_files(cache.path, WORDS) == []


def test_forget_without_a_reader_is_complete_and_gone(tmp_path: Path) -> None:
    with cache_at(tmp_path) as cache:
        account = add_account(cache)
        put(cache, account, msg("t1", author=person("Noor"), text=WORDS.decode()))
        erasure = people.forget_person(cache, "noor@example.org")
        assert erasure.complete is True
        assert in_files(cache.path, WORDS) == []
        assert in_files(cache.path, b"Noor") == []


def test_the_cli_does_not_claim_success_while_a_copy_remains(parloir_home: Path) -> None:
    import os
    import subprocess
    import sys

    from console import paths
    from console.models.db import open_cache

    with open_cache(paths.cache_path()) as cache:
        account = add_account(cache)
        put(cache, account, msg("t1", author=person("Noor"), text=WORDS.decode()))
    reader = sqlite3.connect(paths.cache_path(), isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM messages").fetchone()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "console", "contact", "forget", "noor@example.org"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[1],
            env=dict(os.environ),
        )
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert "until that process ends" in done.stderr and done.stderr.count("\n") == 1
