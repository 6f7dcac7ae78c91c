"""The engine lock: one process per home runs the sync engine and refreshes
tokens (DESIGN.md, "One home, several processes").

An advisory lock on a file beside the cache. The operating system drops it
when the process dies, even on kill -9, so a crash never leaves a stale
lock behind. This is the one platform-specific module of sync/.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO

from console import paths


class EngineLock:
    """``with EngineLock(path):`` or ``acquire(timeout)`` / ``release()``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self, timeout: float | None = 0.0, poll: float = 0.1) -> bool:
        """Try to take the lock, waiting up to ``timeout`` seconds (None:
        forever). True when this process now holds it."""
        if self._fh is not None:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        fh = os.fdopen(paths.open_private(self.path, os.O_RDWR | os.O_APPEND), "a+b")
        while True:
            if _try_lock(fh):
                fh.seek(0)
                fh.truncate()
                fh.write(f"{os.getpid()}\n".encode())
                fh.flush()
                self._fh = fh
                return True
            if deadline is not None and time.monotonic() >= deadline:
                fh.close()
                return False
            time.sleep(poll)

    def release(self) -> None:
        if self._fh is None:
            return
        _unlock(self._fh)
        self._fh.close()
        self._fh = None

    def __enter__(self) -> EngineLock:
        self.acquire(timeout=None)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - only Linux runs here
    import msvcrt

    def _try_lock(fh: IO[bytes]) -> bool:
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

    def _wait_lock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)

else:
    import fcntl

    def _try_lock(fh: IO[bytes]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _wait_lock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a private file, created when
    missing), waiting for another process that holds it: for work that must
    happen once across processes, such as spending a refresh token."""
    with os.fdopen(paths.open_private(path, os.O_RDWR), "r+b") as fh:
        _wait_lock(fh)
        try:
            yield
        finally:
            _unlock(fh)


def lock_path(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.name + ".engine.lock")
