"""What is wrong with the cache file, said so that the person does the right thing.

"Damaged or not a Parloir cache" for a read-only folder or a full disk
invites deleting a healthy file. Each cause has its own class and its own
sentence: a damaged file points to ``parloir cache rebuild``, a read-only or
full disk to the disk, a foreign or newer file to leaving it alone. Every
``str()`` is one sentence for a user; the SQLite error goes to the log.

:func:`classify` maps an SQLite error (raw, or wrapped by SQLAlchemy) to one
of them; the opener, the read sessions and the writer all go through it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

#: Less free space than this next to an I/O error means the disk is full
#: (SQLite reports a full disk while it maps its -shm file as an I/O error).
NEARLY_FULL = 1 << 20

REBUILD = "parloir cache rebuild"


class CacheError(Exception):
    """The cache cannot be used; ``str()`` is one sentence for a user."""


class CacheForeign(CacheError):
    """Not a Parloir cache (not SQLite, or another application's database)."""


class CacheTooNew(CacheError):
    """Written by a newer Parloir: update Parloir, do not touch the file."""


class CacheDamaged(CacheError):
    """Parloir's cache with damaged pages: ``parloir cache rebuild`` recovers."""

    def __init__(self, path: Path, detail: str = "") -> None:
        self.path = path
        why = f" ({detail})" if detail else ""
        super().__init__(
            f"The cache {path} is damaged{why}; run `{REBUILD}` to keep your drafts, notes, "
            "tags and assignments and fetch the rest again from the networks."
        )


class CacheReadOnly(CacheError):
    """The file or its folder cannot be written (permissions, a read-only disk)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"Parloir cannot write to {path} (the file or its folder is read-only); give your "
            "user write access to it and try again, nothing was changed."
        )


class CacheFull(CacheError):
    """The disk is full: the write was undone, what was saved before stays."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"The disk holding {path} is full; free some space and try again "
            "(everything saved before is kept)."
        )


class CacheLocked(CacheError):
    """Another program held the file's lock for longer than the busy timeout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"The cache {path} stayed locked by another program; close it or wait for it "
            "to finish, then try again."
        )


class CacheUnavailable(CacheError):
    """Any other I/O failure (a failing disk, a vanished network share)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(
            f"The cache {path} could not be read or written ({detail}); check the disk "
            "and try again."
        )


def sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 exception behind ``exc`` (SQLAlchemy wraps it in ``orig``)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, sqlite3.Error):
            return seen
        orig = getattr(seen, "orig", None)
        seen = orig if isinstance(orig, BaseException) else seen.__cause__
    return None


def primary_code(exc: BaseException) -> int | None:
    err = sqlite_error(exc)
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: BaseException) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB: the file's pages cannot be trusted."""
    return primary_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def _disk_full(path: Path) -> bool:
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < NEARLY_FULL


def _read_only(path: Path) -> bool:
    """access(2) also answers EROFS for root on a read-only mount."""
    if not os.access(path.parent, os.W_OK):
        return True
    return path.exists() and not os.access(path, os.W_OK)


def classify(exc: BaseException, path: Path) -> CacheError | None:
    """The CacheError ``exc`` means for the cache at ``path``, or None when it
    is not about the file (a constraint, a bug: the caller re-raises it)."""
    if isinstance(exc, CacheError):
        return exc
    err = sqlite_error(exc)
    code = primary_code(exc)
    if err is None or code is None:
        return None
    found: CacheError | None
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        found = CacheDamaged(path, str(err))
    elif code == SQLITE_FULL:
        found = CacheFull(path)
    elif code in (SQLITE_READONLY, SQLITE_PERM):
        found = CacheReadOnly(path)
    elif code in (SQLITE_BUSY, SQLITE_LOCKED):
        found = CacheLocked(path)
    elif code in (SQLITE_IOERR, SQLITE_CANTOPEN):
        if _disk_full(path):
            found = CacheFull(path)
        elif _read_only(path):
            found = CacheReadOnly(path)
        else:
            found = CacheUnavailable(path, str(err))
    else:
        return None
    found.__cause__ = exc
    return found


def from_os_error(exc: OSError, path: Path) -> CacheError:
    """An OSError met while preparing the file (creating it, changing its mode)."""
    import errno

    if exc.errno == errno.ENOSPC:
        found: CacheError = CacheFull(path)
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        found = CacheReadOnly(path)
    else:
        found = CacheUnavailable(path, exc.strerror or str(exc))
    found.__cause__ = exc
    return found
