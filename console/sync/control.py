"""The line protocol between the window and its engine process.

While the window is open the sync engine runs in a child process
(console/sync/child.py), so its Python work never holds the window's GIL.
The two talk over the child's standard streams, one JSON object or one word
per line, UTF-8:

- the window writes a :class:`Command` per line on the child's stdin;
  end of file means the window is gone (closed, crashed or killed: the
  kernel closes the pipe), and the child stops;
- the child writes a message per line on its stdout: a :class:`SyncEvent`
  (what ``engine.add_listener`` gives in-process), :class:`Started` once it
  holds the engine lock, :class:`Failed` when it cannot run at all.

Commits are not on this channel: the window sees them through the cache
(``PRAGMA data_version`` and the change_log, views/tasks.py), as it sees a
``parloir sync`` in a terminal. No Qt here: the window's reader and the
child both use these functions, and the tests read them without a window.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from console.sync.events import SyncEvent

log = logging.getLogger(__name__)

#: A line longer than this is not ours (a stray print of a library): dropped.
MAX_LINE = 1 << 20


class Command(StrEnum):
    """What the window asks of the engine (the SyncEngine methods of the
    same names)."""

    SYNC_NOW = "sync-now"  # "Sync now": every account, backoffs cleared
    WAKE = "wake"  # an account signed in or a reply queued: look now
    STOP = "stop"  # finish the page in hand and exit


@dataclass(frozen=True, slots=True)
class Started:
    """The child holds the engine lock and polls (``pid`` for the log)."""

    pid: int


@dataclass(frozen=True, slots=True)
class Failed:
    """The child cannot run (the cache does not open): one sentence."""

    message: str


EngineMessage = SyncEvent | Started | Failed


def command_line(command: Command) -> bytes:
    return f"{command.value}\n".encode()


def parse_command(line: bytes | str) -> Command | None:
    """The command on one line, or None (an empty or unknown line is
    logged and ignored: a newer window may know more commands)."""
    word = (line.decode("utf-8", "replace") if isinstance(line, bytes) else line).strip()
    if not word:
        return None
    try:
        return Command(word)
    except ValueError:
        log.warning("engine process: unknown command %r ignored", word[:80])
        return None


def message_line(message: EngineMessage) -> bytes:
    """One message as a JSON line (the child's stdout)."""
    kind = {SyncEvent: "sync", Started: "started", Failed: "failed"}[type(message)]
    return (json.dumps({"type": kind, **asdict(message)}, ensure_ascii=False) + "\n").encode()


def parse_message(line: bytes) -> EngineMessage | None:
    """The message on one line of the child's stdout, or None when the line
    is not one (logged: something else wrote to the stream)."""
    try:
        data = json.loads(line)
        return _message(data)
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("engine process: unreadable line %r (%s)", line[:120], exc)
        return None


def _message(data: Any) -> EngineMessage:
    if not isinstance(data, dict):
        raise TypeError("not an object")
    kind = data.get("type")
    if kind == "sync":
        retry = data.get("retry_in")
        return SyncEvent(
            account_id=str(data["account_id"]),
            handle=str(data["handle"]),
            state=str(data["state"]),
            message=str(data.get("message") or ""),
            fetched=int(data.get("fetched") or 0),
            retry_in=None if retry is None else float(retry),
        )
    if kind == "started":
        return Started(int(data["pid"]))
    if kind == "failed":
        return Failed(str(data["message"]))
    raise KeyError(f"type {kind!r}")


class LineBuffer:
    """Bytes as they arrive from a pipe in, whole lines out (without the
    newline). A line over MAX_LINE is dropped, never kept growing."""

    def __init__(self) -> None:
        self._part = bytearray()
        self._skipping = False

    def feed(self, data: bytes) -> list[bytes]:
        *complete, rest = data.split(b"\n")
        lines: list[bytes] = []
        for piece in complete:
            if not self._skipping and len(self._part) + len(piece) <= MAX_LINE:
                lines.append(bytes(self._part + piece))
            self._part.clear()
            self._skipping = False
        if not self._skipping:
            self._part += rest
            if len(self._part) > MAX_LINE:
                log.warning("engine process: a line over %d bytes dropped", MAX_LINE)
                self._part.clear()
                self._skipping = True
        return lines
