"""A read-only folder, a full disk, a damaged file: each said for what it is
(console/models/cache_errors.py), never "damaged or not a Parloir cache" for
a healthy file, and a failed write loses nothing saved before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from console import paths
from console.models import db
from console.models.cache_errors import CacheDamaged, CacheForeign, CacheFull
from console.models.db import open_cache
from tests.helpers.mounts import run_on_tmpfs


def one_sentence(message: str) -> bool:
    return "\n" not in message.strip() and "Traceback" not in message


def test_a_full_disk_at_start_and_on_a_write(tmp_path: Path) -> None:
    results = run_on_tmpfs(
        """
results["add"] = cli("team", "add", "Ana", "--role", "admin")
import sqlite3
held = sqlite3.connect(HOME / "data" / "cache.sqlite")   # keeps -wal/-shm in place
held.execute("SELECT count(*) FROM team_members").fetchone()
fill()
results["write"] = cli("team", "add", "Bruno", "--role", "agent")
unfill()
held.close()  # the last connection: SQLite removes -wal and -shm
results["sidecars"] = sorted(p.name for p in (HOME / "data").iterdir())
fill()
results["start"] = cli("team", "list", "--json")  # cannot even create the -shm file
unfill()
results["after"] = cli("team", "list", "--json")
""",
        tmp_path / "mnt",
    )
    assert results["add"]["code"] == 0, results["add"]  # type: ignore[index]
    assert results["sidecars"] == ["cache.sqlite"]
    for step in ("write", "start"):
        got = results[step]
        assert got["code"] == 2, got  # type: ignore[index]
        err = got["err"]  # type: ignore[index]
        assert "is full; free some space" in err and one_sentence(err), err
        assert "damaged" not in err
    import json

    after = results["after"]
    assert after["code"] == 0, after  # type: ignore[index]
    assert [m["name"] for m in json.loads(after["out"])] == ["Ana"]  # type: ignore[index]


def test_a_read_only_folder_is_not_called_damaged(tmp_path: Path) -> None:
    results = run_on_tmpfs(
        """
results["add"] = cli("team", "add", "Ana", "--role", "admin")
cache = HOME / "data" / "cache.sqlite"
before = cache.read_bytes()
remount_ro()
results["read"] = cli("team", "list", "--json")
results["write"] = cli("team", "add", "Bruno", "--role", "agent")
results["same"] = cache.read_bytes() == before
fresh = MNT / "fresh"
env_home = HOME
HOME = fresh
results["fresh"] = cli("team", "list")
""",
        tmp_path / "mnt",
    )
    assert results["add"]["code"] == 0, results["add"]  # type: ignore[index]
    for step in ("read", "write"):
        got = results[step]
        err = got["err"]  # type: ignore[index]
        assert got["code"] == 2, got  # type: ignore[index]
        assert "read-only" in err and "damaged" not in err and one_sentence(err), err
    assert results["same"] is True
    fresh = results["fresh"]
    assert fresh["code"] != 0  # type: ignore[index]
    err = fresh["err"]  # type: ignore[index]
    assert "read-only" in err and one_sentence(err), err


def test_a_failed_write_loses_nothing_saved_before() -> None:
    """SQLITE_FULL on the writer's real code path (PRAGMA max_page_count
    caps the file as a full disk would): one CacheFull, the transaction is
    undone, earlier rows stay, and the writer keeps working."""
    with open_cache(paths.cache_path()) as cache:

        def setting(key: str, value: str) -> None:
            cache.writer.call(
                lambda tx: tx.session.connection().exec_driver_sql(
                    "INSERT INTO settings (key, value) VALUES (?, ?)", (key, value)
                )
            )

        setting("saved", '"kept"')

        def too_big(tx: object) -> None:
            conn = tx.session.connection()  # type: ignore[attr-defined]
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
            conn.exec_driver_sql(
                "INSERT INTO settings (key, value) VALUES ('big', ?)", ('"' + "x" * 200_000 + '"',)
            )

        with pytest.raises(CacheFull) as info:
            cache.writer.call(too_big)
        assert one_sentence(str(info.value)) and "is full" in str(info.value)
        setting("later", '"also"')
        with cache.read() as s:
            keys = s.execute(text("SELECT key FROM settings ORDER BY key")).scalars().all()
        assert keys == ["later", "saved"]


def test_a_damaged_parloir_file_points_to_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    open_cache(path).close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50)
    with pytest.raises(CacheDamaged) as info:
        open_cache(path)
    assert "parloir cache rebuild" in str(info.value)


def test_a_damaged_file_of_another_application_is_not_ours_to_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50)
    with pytest.raises(CacheForeign) as info:
        db.identify(path)
    assert "rebuild" not in str(info.value)


def test_a_lock_held_too_long_is_called_locked(tmp_path: Path) -> None:
    """A real SQLITE_BUSY (another connection holds the write lock and this
    one gives up at once) is "locked", not damaged."""
    from console.models.cache_errors import CacheLocked, classify

    path = tmp_path / "cache.sqlite"
    open_cache(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError) as info:
            other.execute("BEGIN IMMEDIATE")
        found = classify(info.value, path)
        assert isinstance(found, CacheLocked) and one_sentence(str(found))
    finally:
        other.close()
        holder.execute("ROLLBACK")
        holder.close()


def test_closing_a_cache_whose_file_was_moved_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    open_cache(path).close()
    path.rename(tmp_path / "moved.sqlite")
    from console.models.db import _truncate_wal

    assert _truncate_wal(path, 0.0) is False
    assert not path.exists()
