"""The CLI's log file: where stack traces go, so the terminal gets one
sentence and the sentence can say where the details are."""

from __future__ import annotations

import logging
from pathlib import Path

from console import paths, terminal


class _LogFile(logging.FileHandler):
    """The log file, which may itself be on the full or read-only disk the
    person is being told about: a record it cannot write is dropped, never
    printed as a "Logging error" traceback on the terminal."""

    def handleError(self, record: logging.LogRecord) -> None:
        return


#: The log file this process writes to (None when it could not be opened):
#: the sentence for an unexpected failure points at it.
_log_file: Path | None = None


def setup_logging() -> None:
    """Send the root logger to the log file, once per process."""
    global _log_file
    root = logging.getLogger()
    if any(getattr(h, "_parloir_cli", False) for h in root.handlers):
        return  # main() called again in the same process (tests)
    try:
        log_file = paths.private_file(paths.log_dir() / "parloir.log")
        handler: logging.Handler = _LogFile(log_file, encoding="utf-8")
        _log_file = log_file
    except OSError:
        handler = logging.NullHandler()
        _log_file = None
    handler.setFormatter(terminal.SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._parloir_cli = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def log_file() -> Path | None:
    """The file :func:`setup_logging` opened, None when it could not."""
    return _log_file
