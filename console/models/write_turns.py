"""Turns at the cache's write lock across processes: a person's write first.

Inside one process the writer's priority queue puts an urgent task (a draft
save, a click on "assign") ahead of queued ingest chunks. With the sync
engine in its own process (console/sync/child.py) the two writers are in
different processes, and SQLite's busy handler is no queue: a waiting
writer sleeps and retries (up to 100 ms apart), and it only gets in if it
retries in the instant between two of the engine's back-to-back chunks — in
practice after the whole fetch. So every writer takes turns on two advisory
locks of the cache, around each transaction:

- ``.write``: held exclusively for the transaction (BEGIN to COMMIT), so a
  waiting writer sleeps in the kernel and is woken when it is free instead
  of polling;
- ``.turn``: a non-bulk writer holds it shared while it waits and writes; a
  bulk chunk takes it exclusively (and drops it at once) before it asks for
  ``.write``, so it waits until every person's write that was waiting when
  the chunk ended is done. A person's write thus waits at most one chunk
  (about 250 ms, models/ingest.py), as in one process.

A writer never waits for these locks while it holds SQLite's write lock, so
they cannot deadlock with it; a process that does not take them (the
``sqlite3`` shell) is still covered by the busy timeout. The OS drops the
locks of a process that dies, even on kill -9.

The lock files are not beside the cache (its folder holds the cache and
SQLite's own files only, and locking the cache file itself would release
SQLite's POSIX locks when closed): they are in the user's runtime folder
(``$XDG_RUNTIME_DIR``, else a 0700 folder of this user in the temporary
directory), named by a hash of the cache's real path. Where they cannot be
made, or that folder is not this user's alone, or on Windows, writers go
without turns, as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from console import paths

log = logging.getLogger(__name__)


class WriteTurns:
    """The two lock files of one cache, opened on the first write."""

    def __init__(self, cache_path: Path | None) -> None:
        self.cache_path = cache_path
        self._fds: tuple[int, int] | None = None
        self._usable = cache_path is not None and _flock is not None

    def _open(self) -> tuple[int, int] | None:
        if self._fds is None and self._usable and self.cache_path is not None:
            try:
                base = _lock_base(self.cache_path)
                turn = paths.open_private(base.with_suffix(".turn"), os.O_RDWR)
                try:
                    write = paths.open_private(base.with_suffix(".write"), os.O_RDWR)
                except OSError:
                    os.close(turn)
                    raise
            except OSError as exc:
                log.info("writes to %s go without turns: %s", self.cache_path, exc)
                self._usable = False
                return None
            self._fds = (turn, write)
        return self._fds

    @contextmanager
    def turn(self, bulk: bool) -> Iterator[None]:
        """Wait for this writer's turn, hold the write lock inside."""
        fds = self._open()
        if fds is None or _flock is None:
            yield
            return
        turn, write = fds
        if bulk:
            _flock(turn, exclusive=True)  # every waiting person's write goes first
            _unlock(turn)
        else:
            _flock(turn, exclusive=False)
        try:
            _flock(write, exclusive=True)
            try:
                yield
            finally:
                _unlock(write)
        finally:
            if not bulk:
                _unlock(turn)

    def close(self) -> None:
        fds, self._fds = self._fds, None
        if fds is not None:
            for fd in fds:
                os.close(fd)


def _lock_base(cache_path: Path) -> Path:
    """Where this cache's lock files go (see the module docstring); raises
    OSError when there is no private place for them."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        folder = Path(runtime) / "parloir"
    else:
        folder = Path(tempfile.gettempdir()) / f"parloir-{os.getuid()}"
    paths.private_dir(folder)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{folder} is not this user's alone")
    key = hashlib.sha256(str(cache_path.resolve()).encode()).hexdigest()[:32]
    return folder / f"writes-{key}"


if sys.platform == "win32":  # pragma: no cover - only Linux runs here
    _flock = None

    def _unlock(fd: int) -> None:
        return None

else:
    import fcntl

    def _flock(fd: int, *, exclusive: bool) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
