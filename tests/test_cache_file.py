"""Opening the cache: migrations, and refusal of files that are not ours."""

from __future__ import annotations

import hashlib
import sqlite3
import warnings
from pathlib import Path

import pytest
from sqlalchemy import text

from console.models import db
from console.models.db import CacheError, identify, open_cache


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.touch()
    with open_cache(path) as cache, cache.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        head = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert head == f"{db.SCHEMA_VERSION:04d}"
        s.execute(text("SELECT count(*) FROM message_fts")).scalar_one()
    state = identify(path)
    assert (state.new, state.version) == (False, db.SCHEMA_VERSION)


def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    open_cache(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO settings (key, value) VALUES ('history_days', '30')")
    conn.commit()
    conn.close()
    with open_cache(path) as cache, cache.read() as s:
        assert s.execute(text("SELECT value FROM settings")).scalar() == "30"


def test_schema_matches_the_head_migration(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from console.models.schema import Base

    path = tmp_path / "cache.sqlite"
    open_cache(path).close()
    engine = db._make_engine(path, "BEGIN", single=True)
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect the expression index on priority DESC.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        ctx = MigrationContext.configure(
            conn,
            opts={
                # The FTS5 virtual tables and their shadow tables live outside
                # the ORM on purpose (ingest and triggers write them in SQL).
                # The priority index is an expression index SQLite cannot
                # reflect; test_queue checks the planner uses it.
                "include_name": lambda name, kind, parent: (
                    not (
                        (kind == "table" and (name or "").startswith(("message_fts", "note_fts")))
                        or name == "ix_conv_status_priority"
                    )
                )
            },
        )
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []


def test_schema_version_is_the_alembic_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None and int(head) == db.SCHEMA_VERSION


def test_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    path = tmp_path / "ws" / "cache.sqlite"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    before = _hash(path)
    with pytest.raises(CacheError, match="not an SQLite database"):
        open_cache(path)
    assert _hash(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["cache.sqlite"]


def test_refuses_a_foreign_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    before = _hash(path)
    with pytest.raises(CacheError, match="another application"):
        open_cache(path)
    assert _hash(path) == before


def test_refuses_a_newer_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    open_cache(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = _hash(path)
    with pytest.raises(CacheError, match="newer Parloir") as err:
        open_cache(path)
    assert "\n" not in str(err.value)
    assert _hash(path) == before


def test_refuses_a_truncated_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    open_cache(path).close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50)
    before = _hash(path)
    with pytest.raises(CacheError):
        open_cache(path)
    assert _hash(path) == before


def test_a_schema_1_cache_migrates_and_keeps_its_data(tmp_path: Path) -> None:
    """A cache written by the first release (schema 1) opens: Alembic brings
    it to the newest schema, the rows stay, user_version follows."""
    from alembic import command
    from alembic.config import Config

    path = tmp_path / "old.sqlite"
    engine = db._make_engine(path, "BEGIN IMMEDIATE", single=True)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql(f"PRAGMA application_id = {db.APPLICATION_ID}")
        conn.exec_driver_sql("PRAGMA user_version = 1")
        conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('history_days', '30')")
    engine.dispose()
    with open_cache(path) as cache, cache.read() as s:
        assert s.execute(text("PRAGMA user_version")).scalar() == db.SCHEMA_VERSION
        assert s.execute(text("SELECT value FROM settings")).scalar() == "30"
        indexes = {r[1] for r in s.execute(text("PRAGMA index_list('messages')"))}
        assert "ix_message_reply" in indexes
