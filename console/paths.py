"""Where Parloir keeps its files.

Every location comes from platformdirs so the app behaves natively on Linux,
macOS and Windows. ``PARLOIR_HOME`` overrides all of them at once: tests and
portable installs point it at one directory and nothing leaks elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "parloir"
HOME_ENV = "PARLOIR_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser().resolve() if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


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
