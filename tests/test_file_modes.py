"""Other users of the machine read nothing of Parloir's: every directory it
makes is 0700, every file it creates 0600, and looser ones are tightened
when Parloir opens them (docs/decisions.md, "File modes")."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from console import paths
from console.models.db import open_cache
from console.sync.lock import EngineLock, lock_path

ROOT = Path(__file__).resolve().parents[1]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def everything_under(root: Path) -> tuple[list[Path], list[Path]]:
    dirs = [p for p in root.rglob("*") if p.is_dir()]
    files = [p for p in root.rglob("*") if p.is_file()]
    return dirs, files


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLOIR")}
    env.update({"PARLOIR_HOME": str(home), "PYTHONPATH": str(ROOT)})
    # A permissive umask: the modes must not depend on the person's umask.
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; os.umask(0); "
            "from console.cli import main; sys.exit(main(sys.argv[1:]))",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_the_cli_creates_private_files_and_directories(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for args in (("team", "add", "Ana", "--role", "admin"), ("--demo", "queue")):
        done = cli(home, *args)
        assert done.returncode == 0, done.stderr
    dirs, files = everything_under(home)
    names = {p.name for p in files}
    assert {"cache.sqlite", "parloir.log"} <= names, names
    assert any(p.parent.name == "demo" for p in files), files
    assert mode(home) == 0o700
    assert {str(p): oct(mode(p)) for p in dirs if mode(p) != 0o700} == {}
    assert {str(p): oct(mode(p)) for p in files if mode(p) != 0o600} == {}


def test_wal_shm_and_lock_files_are_private() -> None:
    old = os.umask(0)
    try:
        path = paths.cache_path()
        with open_cache(path) as cache:
            cache.writer.call(
                lambda tx: tx.session.connection().exec_driver_sql(
                    "INSERT INTO settings (key, value) VALUES ('k', '1')"
                )
            )
            with cache.read() as session:
                session.execute(text("SELECT count(*) FROM settings")).scalar_one()
                sidecars = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
                assert all(p.exists() for p in sidecars)
                assert [oct(mode(p)) for p in (path, *sidecars)] == ["0o600"] * 3
            lock = EngineLock(lock_path(path))
            assert lock.acquire()
            try:
                assert mode(lock_path(path)) == 0o600
            finally:
                lock.release()
    finally:
        os.umask(old)


def test_looser_files_and_directories_are_tightened(parloir_home: Path) -> None:
    path = paths.cache_path()
    open_cache(path).close()
    log = paths.log_dir() / "parloir.log"
    log.write_text("old line\n")
    for loose, bits in ((path, 0o644), (log, 0o666), (path.parent, 0o755), (log.parent, 0o777)):
        os.chmod(loose, bits)
    wal = path.with_name(path.name + "-wal")
    wal.touch()
    os.chmod(wal, 0o644)
    done = cli(parloir_home, "account", "list")
    assert done.returncode == 0, done.stderr
    assert [oct(mode(p)) for p in (path, log)] == ["0o600", "0o600"]
    assert [oct(mode(p)) for p in (path.parent, log.parent)] == ["0o700", "0o700"]
    assert not wal.exists() or mode(wal) == 0o600


def test_an_existing_home_directory_is_left_as_the_person_made_it(tmp_path: Path) -> None:
    """PARLOIR_HOME=/tmp/x must not chmod /tmp/x's parents, nor a home the
    person made on purpose; only Parloir's own directories are made private."""
    home = tmp_path / "shared"
    home.mkdir()
    os.chmod(home, 0o755)
    done = cli(home, "account", "list")
    assert done.returncode == 0, done.stderr
    assert mode(home) == 0o755
    assert mode(home / "data") == 0o700


def test_tightening_never_makes_a_read_only_file_writable(tmp_path: Path) -> None:
    target = tmp_path / "cache.sqlite"
    target.write_bytes(b"")
    os.chmod(target, 0o444)
    paths.private_file(target)
    assert mode(target) == 0o400
