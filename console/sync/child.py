"""The engine process the window starts: ``python -m console.sync.child CACHE``.

The window (views/engine_link.py) runs the sync engine here, in a process of
its own, so that parsing and ingesting a big fetch never holds the window's
GIL (BENCHMARKS.md, "Stall under ingest"). The protocol is in
console/sync/control.py: commands on stdin, events as JSON lines on stdout.

It lives exactly as long as the window: end of file on stdin (the window
closed, crashed or was killed: the kernel closes the pipe) stops the engine,
and if the engine has not finished 10 s later the process exits anyway. The
engine lock (sync/lock.py) keeps one engine per home: while a ``parloir
sync`` holds it, this process waits, and says nothing until it holds it.
Ctrl-C in the terminal that started the window is the window's to handle.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from console import paths, terminal
from console.models.db import CacheError, open_cache
from console.sync.control import (
    Command,
    EngineMessage,
    Failed,
    Started,
    message_line,
    parse_command,
)
from console.sync.engine import SyncEngine

log = logging.getLogger(__name__)

#: After the window is gone, how long the engine may take to finish its page.
GRACE_S = 10.0


class _Out:
    """The protocol stream: one whole line at a time (events come from the
    engine's worker threads). A window that is gone stops the engine."""

    def __init__(self, stream: BinaryIO, gone: threading.Event) -> None:
        self.stream, self.gone = stream, gone
        self._lock = threading.Lock()

    def send(self, message: EngineMessage) -> None:
        line = message_line(message)
        with self._lock:
            try:
                self.stream.write(line)
                self.stream.flush()
            except (BrokenPipeError, OSError, ValueError):
                self.gone.set()


def _log_to_file() -> None:
    """The same log file as the window's and the CLI's (appends are whole
    records: two processes can share it)."""
    try:
        handler: logging.Handler = logging.FileHandler(
            paths.private_file(paths.log_dir() / "parloir.log"), encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(
        terminal.SafeFormatter("%(asctime)s %(levelname)s %(name)s[engine]: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _listen(engine: SyncEngine, stdin: BinaryIO, gone: threading.Event) -> None:
    """Commands until end of file or ``stop``; then the engine stops, and the
    process ends after GRACE_S whatever it is doing."""
    for line in stdin:
        command = parse_command(line)
        if command is Command.SYNC_NOW:
            engine.sync_now()
        elif command is Command.WAKE:
            engine.wake()
        elif command is Command.STOP:
            break
    gone.set()


def _serve(engine: SyncEngine, stdin: BinaryIO, gone: threading.Event) -> None:
    threading.Thread(
        target=_listen, args=(engine, stdin, gone), name="engine-commands", daemon=True
    ).start()

    def stop_when_gone() -> None:
        gone.wait()
        engine.stop()
        # A fetch that hangs on the network must not outlive the window.
        deadline = threading.Timer(GRACE_S, os._exit, (0,))
        deadline.daemon = True
        deadline.start()

    threading.Thread(target=stop_when_gone, name="engine-gone", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.sync.child")
    parser.add_argument("cache", type=Path)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol owns stdout; a stray print of a library goes to stderr.
    out_fd = os.dup(1)
    os.dup2(2, 1)
    gone = threading.Event()
    out = _Out(os.fdopen(out_fd, "wb", buffering=0), gone)
    _log_to_file()
    try:
        cache = open_cache(args.cache)
    except (CacheError, OSError) as exc:
        log.warning("the engine process cannot open the cache: %s", exc)
        out.send(Failed((exc.strerror if isinstance(exc, OSError) else None) or str(exc)))
        return 2
    try:
        engine = SyncEngine(cache, demo=args.demo)
        engine.add_listener(out.send)
        _serve(engine, sys.stdin.buffer, gone)
        engine.run_forever(locked=lambda: out.send(Started(os.getpid())))
        engine.close()
    except Exception as exc:
        log.exception("the engine process failed")
        out.send(Failed(f"Syncing stopped ({type(exc).__name__}); the log file has the details."))
        return 1
    finally:
        cache.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
