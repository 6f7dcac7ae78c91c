"""One stream of an account failing does not stop the others.

An account reads several streams: Mastodon's mentions and its direct
conversations, Bluesky's notifications and its chat, each watched IMAP
folder. When one of them fails (DMs answering 500 while mentions work, a
folder that cannot be opened), what the other streams fetched in the same
call still commits with their cursors, and the failed stream's cursor stays
where it was. The failure is kept in the cursors (``stream_errors``, so it
survives across processes, like a cron ``parloir sync``): its sentence, how
many times in a row it failed, and when to try it again (the next pass after
a first failure, then capped exponential backoff; a pass the person asked
for retries at once). The engine reports it as the account's error in words.

Account-wide answers are not a stream's business: a refused token
(:class:`AuthError`) and a rate limit (:class:`RateLimited`) propagate, as
does the first failure when every stream of the call failed (the server is
down: the account backs off as a whole).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from console.models.types import now_ms
from console.sync.base import AuthError, FetchResult, ProviderError, RateLimited
from console.sync.numbers import server_int

log = logging.getLogger(__name__)

STREAM_ERRORS = "stream_errors"
BASE_MS = 5_000
CAP_MS = 15 * 60_000


def stream_sentence(label: str, exc: BaseException) -> str:
    """One sentence: which stream failed, why, and that the rest synced."""
    if isinstance(exc, ProviderError):
        why = str(exc).strip().rstrip(".") or type(exc).__name__
    else:
        why = f"an unexpected {type(exc).__name__}; the log file has the details"
    return f"{label} could not be read ({why}); the rest synced and Parloir will try again."


class Streams:
    """The per-stream outcomes of one fetch call (see the module docstring)."""

    def __init__(self, result: FetchResult) -> None:
        self.result = result
        stored = result.cursors.get(STREAM_ERRORS)
        self.errors: dict[str, Any] = dict(stored) if isinstance(stored, dict) else {}
        self.succeeded = 0
        self.failures: list[BaseException] = []

    def due(self, name: str) -> bool:
        """Whether a stream may run now (not waiting out its backoff)."""
        entry = self.errors.get(name)
        if not isinstance(entry, dict):
            return True
        retry_at = server_int(entry.get("retry_at"), 0, 2**53)
        return retry_at is None or now_ms() >= retry_at

    def run(self, name: str, label: str, fetch: Callable[[], None]) -> bool:
        """Run one stream; True when it ran and succeeded. A failure is
        recorded (and logged), never raised, unless it is account-wide."""
        if not self.due(name):
            return False
        try:
            fetch()
        except (AuthError, RateLimited):
            raise
        except Exception as exc:
            if isinstance(exc, ProviderError):
                log.warning("%s failed: %s", label, exc)
            else:
                log.exception("%s failed unexpectedly", label)
            entry = self.errors.get(name)
            before = server_int(entry.get("failures"), 0, 1000) if isinstance(entry, dict) else 0
            failures = (before or 0) + 1
            # The first failure retries on the next pass (the poll interval
            # is wait enough); each further one waits twice as long.
            delay = 0 if failures == 1 else min(CAP_MS, BASE_MS * 2 ** min(failures - 2, 20))
            self.errors[name] = {
                "message": stream_sentence(label, exc),
                "failures": failures,
                "retry_at": now_ms() + delay,
            }
            self.failures.append(exc)
            self._store()
            return False
        self.succeeded += 1
        self.errors.pop(name, None)
        self._store()
        return True

    def finish(self) -> None:
        """Raise the first failure when nothing succeeded in this call (the
        whole account is in trouble, and backs off as a whole)."""
        if self.failures and not self.succeeded:
            raise self.failures[0]

    def _store(self) -> None:
        if self.errors:
            self.result.cursors[STREAM_ERRORS] = dict(self.errors)
        else:
            self.result.cursors.pop(STREAM_ERRORS, None)


def stream_problem(cursors: Any) -> str | None:
    """The sentences of the streams that are failing (kept in the cursors
    by :class:`Streams`), or None when every stream is fine."""
    errors = cursors.get(STREAM_ERRORS) if isinstance(cursors, dict) else None
    if not isinstance(errors, dict) or not errors:
        return None
    words = [
        str(entry.get("message"))
        for entry in errors.values()
        if isinstance(entry, dict) and entry.get("message")
    ]
    return " ".join(words) or None


def retry_streams_now(cursors: dict[str, Any]) -> dict[str, Any]:
    """The cursors with every failed stream due at once ("Sync now", or a
    ``parloir sync`` the person ran): a person who asks is not made to wait
    out a backoff. Their failure counts stay."""
    errors = cursors.get(STREAM_ERRORS)
    if not isinstance(errors, dict) or not errors:
        return cursors
    due = {
        name: {**entry, "retry_at": 0} if isinstance(entry, dict) else entry
        for name, entry in errors.items()
    }
    return {**cursors, STREAM_ERRORS: due}
