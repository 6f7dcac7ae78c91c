"""Where Parloir keeps its files, and who may read them.

Every location comes from platformdirs so the app behaves natively on Linux,
macOS and Windows. ``PARLOIR_HOME`` overrides all of them at once: tests and
portable installs point it at one directory and nothing leaks elsewhere.

The cache and the log hold every customer's messages, so every directory
Parloir makes is 0700 and every file it creates is 0600; one that is looser
when Parloir opens it is tightened (docs/decisions.md, "File modes").
Explicit modes, not a process umask: a file the person saves somewhere
(an attachment) keeps the permissions they expect there.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "parloir"
HOME_ENV = "PARLOIR_HOME"

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600

log = logging.getLogger(__name__)


class DirectoryError(OSError):
    """A directory Parloir needs cannot be made; ``strerror`` is one sentence."""


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser().resolve() if value else None


def _tighten(path: Path) -> None:
    """Remove group and other access from ``path`` when it has any (ours
    only: a file of another user is left as it is and logged)."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & 0o077:
            os.chmod(path, current & ~0o077)  # never adds a bit: a read-only file stays so
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("could not make %s private: %s", path, exc)


def private_dir(path: Path) -> Path:
    """Make ``path`` (and its missing parents) 0700; tighten ``path`` itself
    when it exists and is looser. Existing parents are never touched: they
    may be the person's own (PARLOIR_HOME=/tmp/x must not chmod /tmp)."""
    missing: list[Path] = []
    cursor = path
    while not cursor.exists() and cursor != cursor.parent:
        missing.append(cursor)
        cursor = cursor.parent
    try:
        for directory in reversed(missing):
            with contextlib.suppress(FileExistsError):  # another process made it
                os.mkdir(directory, PRIVATE_DIR)
    except OSError as exc:
        raise DirectoryError(exc.errno, _cannot_make(path, exc), str(path)) from exc
    _tighten(path)
    return path


def _cannot_make(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"The disk holding {path} is full; free some space and start Parloir again."
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"Parloir cannot create {path} (the folder is read-only); give your user write "
            f"access to it, or set {HOME_ENV} to a folder you can write, and try again."
        )
    return f"Parloir cannot create {path} ({exc.strerror or exc}); check the disk and try again."


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 when it is missing (so whatever
    opens it next, SQLite or a log handler, inherits that mode), and tighten
    it when it exists and is looser."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        _tighten(path)
    else:
        os.close(fd)
    return path


def open_private(path: Path, flags: int) -> int:
    """``os.open`` that creates the file 0600 (and tightens an existing one)."""
    fd = os.open(path, flags | os.O_CREAT, PRIVATE_FILE)
    _tighten(path)
    return fd


def _ensure(path: Path) -> Path:
    return private_dir(path)


def data_dir() -> Path:
    """The cache database, drafts, lock file and demo workspace."""
    home = _home()
    if home is not None:
        return _ensure(home / "data")
    return _ensure(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def config_dir() -> Path:
    """GUI-only preferences (window geometry); data settings live in the cache."""
    home = _home()
    if home is not None:
        return _ensure(home / "config")
    return _ensure(Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)))


def cache_dir() -> Path:
    """Throw-away files (downloaded avatars, attachments fetched on demand)."""
    home = _home()
    if home is not None:
        return _ensure(home / "cache")
    return _ensure(Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)))


def log_dir() -> Path:
    """Log files: stack traces go here, never into dialogs."""
    home = _home()
    if home is not None:
        return _ensure(home / "logs")
    return _ensure(Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)))


def cache_path(demo: bool = False) -> Path:
    """The SQLite cache file of the real workspace, or of the demo workspace."""
    if demo:
        return _ensure(data_dir() / "demo") / "cache.sqlite"
    return data_dir() / "cache.sqlite"
