"""What the sync engine tells its listeners, and what a pass reports.

Plain values, no Qt and no threads: the status bar, ``parloir sync`` and the
engine process's event stream (console/sync/control.py) all read these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from console.models.vocabulary import OutboxState


@dataclass(slots=True)
class SyncEvent:
    """Progress and state for the status bar: ``state`` is one of syncing,
    ok, needs_reauth, rate_limited, offline, error."""

    account_id: str
    handle: str
    state: str
    message: str = ""
    fetched: int = 0
    retry_in: float | None = None


@dataclass(slots=True)
class AccountOutcome:
    account_id: str
    handle: str
    state: str
    message: str = ""
    new_messages: int = 0
    skipped: int = 0


@dataclass(slots=True)
class PassReport:
    accounts: list[AccountOutcome] = field(default_factory=list)
    outbox: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(a.state == "ok" for a in self.accounts) and all(
            s in (OutboxState.SENT, OutboxState.QUEUED) for s in self.outbox.values()
        )

    def lines(self) -> list[str]:
        out = []
        for a in self.accounts:
            line = f"{a.handle}: {a.state}, {a.new_messages} new"
            if a.skipped:
                line += f", {a.skipped} skipped"
            if a.message:
                line += f" ({a.message})"
            out.append(line)
        if self.outbox:
            states: dict[str, int] = {}
            for state in self.outbox.values():
                states[state] = states.get(state, 0) + 1
            out.append("outbox: " + ", ".join(f"{n} {s}" for s, n in sorted(states.items())))
        return out
