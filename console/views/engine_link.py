"""The window's handle on its engine process (console/sync/child.py).

While the window is open, the sync engine runs in a child process so that
its Python work never holds the window's GIL. :class:`EngineLink` starts it
with QProcess, writes commands on its stdin and reads its events from its
stdout (the protocol: console/sync/control.py); commits arrive as any other
process's do, through the Runner's watch of the cache.

It offers what the window calls on an in-process SyncEngine (``sync_now``,
``wake``), so the window does not know which one it has. A child that dies
(a crash, a kill, a failure to start) is said in the status bar and started
again after 1 s, doubling up to a minute; one that ran for a minute without
dying starts the count again. The window never dies with it.

Signals:
    sync_event(SyncEvent): per-account progress and state, as in-process.
    state_changed(str): a sentence about the engine process itself for the
        status bar ("" once it runs again).
    started(int): the child's pid, once it holds the engine lock.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

import console
from console.sync.control import Command, Failed, LineBuffer, Started, command_line, parse_message
from console.sync.events import SyncEvent

log = logging.getLogger(__name__)


class EngineLink(QObject):
    """Starts, talks to, restarts and stops the engine process."""

    sync_event = Signal(object)
    state_changed = Signal(str)
    started = Signal(int)

    #: First wait before a restart, its ceiling, and how long a child must
    #: run to count as healthy again (the waits start over).
    RESTART_FIRST_S = 1.0
    RESTART_MAX_S = 60.0
    HEALTHY_S = 60.0
    #: How long stop() lets the child finish the page in hand.
    STOP_WAIT_MS = 3000

    def __init__(self, cache_path: Path, *, demo: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.cache_path, self.demo = cache_path, demo
        self._process: QProcess | None = None
        self._lines = LineBuffer()
        self._stopping = False
        self._running = False
        self._delay = self.RESTART_FIRST_S
        self._spawned_at = 0.0
        self._failed: str | None = None
        self._pending: list[Command] = []
        self.restarts = 0
        self._restart_timer = QTimer(self)
        self._restart_timer.setSingleShot(True)
        self._restart_timer.timeout.connect(self._spawn)

    # -- what the window calls -------------------------------------------------

    def start(self) -> None:
        self._stopping = False
        self._spawn()

    def sync_now(self) -> None:
        self._send(Command.SYNC_NOW)

    def wake(self) -> None:
        self._send(Command.WAKE)

    @property
    def pid(self) -> int | None:
        """The running child's process id (None between a death and its restart)."""
        process = self._process
        if process is None or process.state() == QProcess.ProcessState.NotRunning:
            return None
        return int(process.processId()) or None

    def stop(self) -> None:
        """End the child for good (the window closes): ask, give it
        STOP_WAIT_MS to finish the page in hand, then kill it (a page cut
        short is replayed from its cursor next time)."""
        self._stopping = True
        self._restart_timer.stop()
        process, self._process = self._process, None
        if process is None or process.state() == QProcess.ProcessState.NotRunning:
            return
        process.write(command_line(Command.STOP))
        process.closeWriteChannel()
        if not process.waitForFinished(self.STOP_WAIT_MS):
            log.warning("the engine process did not stop in time; killed")
            process.kill()
            process.waitForFinished(self.STOP_WAIT_MS)

    # -- the child -----------------------------------------------------------

    def _spawn(self) -> None:
        if self._stopping:
            return
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        # The child imports the same console package as this process.
        root = str(Path(console.__file__).resolve().parents[1])
        extra = env.value("PYTHONPATH")
        env.insert("PYTHONPATH", root + (os.pathsep + extra if extra else ""))
        process.setProcessEnvironment(env)
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        args = ["-m", "console.sync.child", str(self.cache_path)]
        if self.demo:
            args.append("--demo")
        self._process, self._lines, self._failed = process, LineBuffer(), None
        self._running = False
        self._spawned_at = time.monotonic()
        process.start(sys.executable, args)

    def _send(self, command: Command) -> None:
        process = self._process
        if self._running and process is not None:
            process.write(command_line(command))
        elif command not in self._pending:
            self._pending.append(command)  # sent once the child holds the lock

    def _read_stdout(self) -> None:
        process = self.sender()
        if not isinstance(process, QProcess) or process is not self._process:
            return
        for line in self._lines.feed(bytes(process.readAllStandardOutput().data())):
            message = parse_message(line)
            if isinstance(message, SyncEvent):
                self.sync_event.emit(message)
            elif isinstance(message, Started):
                self._started(process, message.pid)
            elif isinstance(message, Failed):
                self._failed = message.message
                self.state_changed.emit(message.message)

    def _started(self, process: QProcess, pid: int) -> None:
        log.info("the engine process %d runs", pid)
        self._running = True
        pending, self._pending = self._pending, []
        for command in pending:
            process.write(command_line(command))
        self.state_changed.emit("")
        self.started.emit(pid)

    def _read_stderr(self) -> None:
        process = self.sender()
        if isinstance(process, QProcess):
            text = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
            for line in text.splitlines():
                if line.strip():
                    log.warning("engine process: %s", line)

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        process = self.sender()
        if process is not self._process:
            return  # an old child, already replaced or stopped
        how = "crashed" if status == QProcess.ExitStatus.CrashExit else f"exited with {code}"
        process.deleteLater()
        self._process = None
        self._died(f"the engine process {how}")

    def _error(self, error: QProcess.ProcessError) -> None:
        process = self.sender()
        if error == QProcess.ProcessError.FailedToStart and process is self._process:
            process.deleteLater()
            self._process = None
            self._died("the engine process could not start")

    def _died(self, what: str) -> None:
        self._running = False
        if self._stopping:
            return
        if time.monotonic() - self._spawned_at >= self.HEALTHY_S:
            self._delay = self.RESTART_FIRST_S
        delay, self._delay = self._delay, min(self.RESTART_MAX_S, self._delay * 2)
        log.warning("%s; restarting it in %.0f s", what, delay)
        self.restarts += 1
        seconds = max(1, round(delay))
        said = self.tr("Syncing stopped unexpectedly; starting again in {0} s.").replace(
            "{0}", str(seconds)
        )
        self.state_changed.emit(f"{self._failed} {said}" if self._failed else said)
        self._restart_timer.start(int(delay * 1000))
