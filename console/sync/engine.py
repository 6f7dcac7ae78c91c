"""The sync engine: one worker per account, polling, backoff, the outbox.

No Qt: the GUI subscribes to :class:`SyncEvent` callbacks and forwards them
to its thread with a signal; ``parloir sync`` prints them.

Per account, a fetch returns a page of records plus the cursor after it;
the page and cursor commit together through the writer (ingest), so a kill
at any point resumes from the last committed cursor, and replayed records
upsert onto what is there (no gap, no duplicate).

Typed errors drive it:
- AuthError: the account becomes ``needs_reauth`` with the server's words
  and is not polled again until it is signed in again.
- RateLimited: that account waits exactly ``retry_after``; others go on.
- TransientError: capped exponential backoff with jitter.
- A bad record never reaches here: providers skip it and report it.

Signals (callbacks, called from worker threads):
    listeners(SyncEvent)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from console.models import settings_registry
from console.models.db import Cache
from console.models.schema import Account
from console.sync.account_sync import (  # re-exported: the engine's vocabulary
    AccountSync,
    Backoff,
    StoreFailed,
    unexpected_sentence,
)
from console.sync.base import Provider, TransientError
from console.sync.events import AccountOutcome, PassReport, SyncEvent
from console.sync.lock import EngineLock, lock_path
from console.sync.outbox import OutboxSender
from console.sync.registry import make_provider

__all__ = [
    "AccountOutcome",
    "Backoff",
    "PassReport",
    "StoreFailed",
    "SyncEngine",
    "SyncEvent",
    "UnknownAccount",
    "unexpected_sentence",
]

log = logging.getLogger(__name__)


class UnknownAccount(LookupError):
    """``--account`` named no account (a user's mistake)."""


class SyncEngine:
    """Runs providers for the accounts of one cache (see module docstring)."""

    def __init__(
        self,
        cache: Cache,
        *,
        demo: bool = False,
        provider_factory: Callable[[Account, str | None], Provider] | None = None,
    ) -> None:
        self.cache = cache
        self.demo = demo
        self._factory = provider_factory or make_provider
        self._listeners: list[Callable[[SyncEvent], None]] = []
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._poke = threading.Condition()
        self._generation = 0
        self._lock = EngineLock(lock_path(cache.path))
        self.sender = OutboxSender(cache, demo=demo, provider_factory=self._factory)
        self._pass = AccountSync(cache, self._factory, self._emit, self._stop)
        # The per-account waits, shared with the pass (Sync now clears them).
        self._backoff = self._pass.backoff
        self._not_before = self._pass.not_before
        self._force_outbox = False

    # -- events -----------------------------------------------------------

    def add_listener(self, callback: Callable[[SyncEvent], None]) -> None:
        self._listeners.append(callback)

    def _emit(self, event: SyncEvent) -> None:
        for callback in list(self._listeners):
            try:
                callback(event)
            except Exception:
                log.exception("sync listener failed")

    # -- one account ------------------------------------------------------

    def sync_account(self, account: Account, *, force: bool = False) -> AccountOutcome:
        """Fetch every waiting page of one account, committing page by page.
        ``force`` (a pass the person asked for) retries streams that wait
        out a backoff (console/sync/streams.py) at once."""
        return self._pass.run(account, force=force)

    def _accounts(self, only: str | None) -> list[Account]:
        """The accounts to sync, detached, with the workspace's settings
        (history window, poll interval) filled in where the account has none."""
        with self.cache.read() as s:
            accounts = list(s.scalars(select(Account).order_by(Account.created_at)))
            if only is not None:
                bare = only.lstrip("@").lower()
                accounts = [a for a in accounts if only in (a.id,) or a.handle.lower() == bare]
                if not accounts:
                    raise UnknownAccount(f"No account {only!r}; see `parloir account list`.")
            conn = s.connection()
            values = [
                (
                    settings_registry.get(conn, settings_registry.HISTORY_DAYS, account=a.id),
                    settings_registry.get(conn, settings_registry.POLL_INTERVAL, account=a.id),
                )
                for a in accounts
            ]
            s.expunge_all()
        for account, (history, poll) in zip(accounts, values, strict=True):
            account.history_days, account.poll_interval = history, poll
        return accounts

    def run_once(self, account: str | None = None, lock_timeout: float = 120.0) -> PassReport:
        """One pass over every account in parallel, then the outbox."""
        if not self._lock.acquire(timeout=lock_timeout):
            raise TransientError(
                "Another Parloir process is syncing this workspace; try again when it is done."
            )
        try:
            accounts = self._accounts(account)
            report = PassReport()
            if accounts:
                with ThreadPoolExecutor(max_workers=min(8, len(accounts))) as pool:
                    # The user asked for this pass: failed streams retry now.
                    report.accounts = list(
                        pool.map(lambda a: self.sync_account(a, force=True), accounts)
                    )
            # The user asked for this pass: waiting items go now, backoff or not.
            report.outbox = self.sender.deliver_pending(force=True)
            return report
        finally:
            self._lock.release()

    def run_forever(
        self, account: str | None = None, *, locked: Callable[[], None] | None = None
    ) -> None:
        """Poll every account on its interval until :meth:`stop`. Waits for
        the engine lock first (another process syncs this home); ``locked``
        is called once it is held. A stop while waiting ends the wait."""
        while not self._lock.acquire(timeout=1.0):
            if self._stop.is_set():
                return
        if locked is not None:
            locked()
        try:
            workers: dict[str, threading.Thread] | None = None
            while not self._stop.is_set():
                if workers is None:
                    # Listing the accounts can fail too (the cache busy or
                    # full for a moment): said in the log, tried again on
                    # the next round, never the end of syncing.
                    try:
                        workers = {
                            a.id: threading.Thread(
                                target=self._worker, args=(a.id,), daemon=True, name=a.handle
                            )
                            for a in self._accounts(account)
                        }
                    except UnknownAccount:
                        raise
                    except Exception:
                        log.exception("could not list the accounts to sync; trying again")
                    else:
                        for w in workers.values():
                            w.start()
                elif account is None:
                    self._start_added(workers)
                force, self._force_outbox = self._force_outbox, False
                try:
                    self.sender.deliver_pending(force=force)
                except Exception:
                    log.exception("outbox pass failed")
                self._wake.wait(timeout=15)
                self._wake.clear()
            for w in (workers or {}).values():
                w.join(timeout=5)
        finally:
            self._lock.release()

    def _start_added(self, workers: dict[str, threading.Thread]) -> None:
        """Start a worker for each account added since the engine started
        (an account signed in from Settings while the window is open is
        polled at once, not after a restart). One indexed read a round."""
        try:
            with self.cache.read() as s:
                rows = list(s.execute(select(Account.id, Account.handle)))
        except Exception:
            log.exception("could not look for added accounts; trying again")
            return
        for account_id, handle in rows:
            if account_id in workers:
                continue
            worker = threading.Thread(
                target=self._worker, args=(account_id,), daemon=True, name=handle
            )
            workers[account_id] = worker
            worker.start()

    def _worker(self, account_id: str) -> None:
        """Poll one account until :meth:`stop`. Nothing ends this loop but
        stop or the account's removal: an error no rule foresaw is logged,
        shown on the account and retried after a backoff."""
        handle = ""
        with self._poke:
            last = self._generation
        while not self._stop.is_set():
            # Read before syncing: a "Sync now" pressed during this pass
            # starts the next one at once instead of being missed.
            with self._poke:
                seen = self._generation
            asked, last = seen != last, seen
            try:
                accounts = self._accounts(account_id)
                if not accounts:
                    return
                acc = accounts[0]
                handle = acc.handle
                wait = self._not_before.get(acc.id, 0) - time.monotonic()
                if wait <= 0:
                    self.sync_account(acc, force=asked)
                    wait = max(float(acc.poll_interval), self._not_before_in(acc.id))
            except Exception as exc:
                log.exception("the sync worker of account %s failed", account_id)
                self._pass.back_off(account_id)
                wait = self._not_before_in(account_id)
                self._emit(
                    SyncEvent(account_id, handle, "error", unexpected_sentence(exc), retry_in=wait)
                )
            with self._poke:

                def woken(seen: int = seen) -> bool:
                    return self._stop.is_set() or self._generation != seen

                self._poke.wait_for(woken, timeout=min(wait, 60.0))

    def _not_before_in(self, account_id: str) -> float:
        return self._pass.wait_left(account_id)

    def wake(self) -> None:
        """Deliver the outbox now (after a send)."""
        self._wake.set()

    def sync_now(self) -> None:
        """Poll every account now ("Sync now"), rate limits still honoured."""
        for account_id, until in list(self._not_before.items()):
            if account_id not in self._backoff:
                continue
            if until > time.monotonic():
                self._not_before[account_id] = 0.0
        with self._poke:
            self._generation += 1
            self._poke.notify_all()
        self._force_outbox = True
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        with self._poke:
            self._poke.notify_all()

    def close(self) -> None:
        self.stop()
        self.sender.close()
