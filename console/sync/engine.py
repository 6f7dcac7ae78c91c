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
import queue
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from console import credentials
from console.models import settings_registry
from console.models.cache_errors import CacheError
from console.models.db import Cache
from console.models.ingest import ingest
from console.models.schema import Account
from console.models.types import now_ms, utcnow
from console.models.vocabulary import OutboxState
from console.models.writer import Tx
from console.sync.base import (
    AuthError,
    FetchResult,
    Provider,
    ProviderError,
    RateLimited,
    TransientError,
)
from console.sync.lock import EngineLock, lock_path
from console.sync.numbers import server_int
from console.sync.outbox import OutboxSender
from console.sync.registry import is_demo, make_provider
from console.sync.streams import retry_streams_now, stream_problem

log = logging.getLogger(__name__)

MAX_PAGES_PER_PASS = 1000
DAY_MS = 86_400_000
BACKOFF_BASE_S = 5.0
BACKOFF_MAX_S = 15 * 60.0


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


def unexpected_sentence(exc: BaseException) -> str:
    """One sentence for an error no rule foresaw (its traceback is logged)."""
    if isinstance(exc, StoreFailed):
        return (
            f"What was fetched could not be stored ({type(exc.cause).__name__}); Parloir "
            "will try again, and the log file has the details."
        )
    return (
        f"Syncing failed unexpectedly ({type(exc).__name__}); Parloir will try again, "
        "and the log file has the details."
    )


class _Committer:
    """Stores fetched pages on its own thread, in order, while the provider
    fetches the next one (network waits and commits overlap). At most two
    pages wait, so memory stays bounded; ``finish`` waits for the last and
    re-raises the first error a store hit."""

    def __init__(
        self,
        cache: Cache,
        account: Account,
        outcome: AccountOutcome,
        emit: Callable[[SyncEvent], None],
    ) -> None:
        self.cache, self.account, self.outcome, self.emit = cache, account, outcome, emit
        self.pages: queue.Queue[FetchResult | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(
            target=self._run, name=f"commit-{account.handle}", daemon=True
        )
        self.thread.start()

    @property
    def failed(self) -> bool:
        return self.error is not None

    def put(self, result: FetchResult) -> None:
        self.pages.put(result)

    def _run(self) -> None:
        while True:
            result = self.pages.get()
            if result is None:
                return
            if self.error is not None:
                continue  # after a failure nothing later may commit (its cursor)
            try:
                report = ingest(self.cache.writer, self.account.id, result)
            except BaseException as exc:  # handed to the engine's thread by finish()
                self.error = exc
                continue
            self.outcome.new_messages += report.inserted
            self.outcome.skipped += len(result.skipped)
            self.emit(
                SyncEvent(
                    self.account.id,
                    self.account.handle,
                    "syncing",
                    fetched=self.outcome.new_messages,
                )
            )

    def finish(self) -> None:
        self.pages.put(None)
        self.thread.join()
        if self.error is None:
            return
        if isinstance(self.error, CacheError | ProviderError):
            raise self.error  # already one sentence (disk full, read-only, damaged)
        raise StoreFailed(self.error) from self.error


class StoreFailed(Exception):
    """Ingest failed on what was fetched for an unforeseen reason (a bug, an
    OS error): told apart from the provider's own errors, which name the
    network; an OSError here is the disk, not the network being offline."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(repr(cause))
        self.cause = cause


class UnknownAccount(LookupError):
    """``--account`` named no account (a user's mistake)."""


class Backoff:
    """Capped exponential backoff with jitter, per account."""

    def __init__(self, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_MAX_S) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0

    def next_delay(self) -> float:
        self.failures += 1
        delay: float = min(self.cap, self.base * 2.0 ** (self.failures - 1))
        return delay * random.uniform(0.5, 1.0)

    def reset(self) -> None:
        self.failures = 0


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
        self._backoff: dict[str, Backoff] = {}
        self._not_before: dict[str, float] = {}
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

    def _set_status(self, account_id: str, status: str, message: str | None) -> None:
        """Store the account's state; a failure to store it (the cache is
        full, closed) is logged, never raised: the event still goes out."""
        try:
            self._store_status(account_id, status, message)
        except Exception:
            log.exception("could not store the state of account %s", account_id)

    def _back_off(self, account_id: str) -> None:
        delay = self._backoff.setdefault(account_id, Backoff()).next_delay()
        self._not_before[account_id] = time.monotonic() + delay

    def _store_status(self, account_id: str, status: str, message: str | None) -> None:
        def task(tx: Tx) -> None:
            account = tx.session.get(Account, account_id)
            if account is not None and (account.status, account.status_message) != (
                status,
                message,
            ):
                account.status = status
                account.status_message = message
                tx.changes.accounts.add(account_id)

        self.cache.writer.call(task)

    def sync_account(self, account: Account, *, force: bool = False) -> AccountOutcome:
        """Fetch every waiting page of one account, committing page by page.
        ``force`` (a pass the person asked for) retries streams that wait
        out a backoff (console/sync/streams.py) at once."""
        outcome = AccountOutcome(account.id, account.handle, "ok")
        if account.status == "needs_reauth":
            outcome.state = "needs_reauth"
            outcome.message = account.status_message or "sign in again"
            return outcome
        self._emit(SyncEvent(account.id, account.handle, "syncing"))
        try:
            secret = None
            if not is_demo(account):
                secret = credentials.load_secret(credentials.account_key(account.id))
                if secret is None:
                    raise AuthError("No credentials in the keyring; add the account again.")
            provider = self._factory(account, secret)
            committer = _Committer(self.cache, account, outcome, self._emit)
            try:
                cursors: dict[str, Any] = dict(account.cursors or {})
                if force:
                    cursors = retry_streams_now(cursors)
                for _ in range(MAX_PAGES_PER_PASS):
                    if self._stop.is_set() or committer.failed:
                        break
                    result: FetchResult = provider.fetch(cursors)
                    new_secret = provider.secret_update()
                    if new_secret is not None:
                        credentials.store_secret(credentials.account_key(account.id), new_secret)
                    if not result.cursors:
                        result.cursors = cursors
                    # Stored by the committer while the next page is fetched;
                    # pages commit in order, each with the cursor after it.
                    committer.put(result)
                    cursors = dict(result.cursors)
                    if not result.more:
                        break
                limits = self._limits_to_store(account, provider)
            finally:
                try:
                    provider.close()
                except Exception:
                    log.exception("%s: closing the provider failed", account.handle)
                committer.finish()  # waits for every page; re-raises a failed store
            self._mark_synced(account.id, limits)
            self._backoff.pop(account.id, None)
            # A stream that failed while the others synced (its own backoff
            # is in the cursors): the account says so, in words.
            problem = stream_problem(cursors)
            if problem:
                outcome.state, outcome.message = "error", problem
            self._set_status(account.id, "error" if problem else "ok", problem)
        except AuthError as exc:
            outcome.state, outcome.message = "needs_reauth", str(exc)
            self._set_status(account.id, "needs_reauth", str(exc))
        except RateLimited as exc:
            outcome.state, outcome.message = "rate_limited", str(exc)
            self._not_before[account.id] = time.monotonic() + exc.retry_after
        except (TransientError, OSError) as exc:
            outcome.state, outcome.message = "offline", str(exc)
            self._back_off(account.id)
            self._set_status(account.id, "error", str(exc))
        except ProviderError as exc:
            outcome.state, outcome.message = "error", str(exc)
            self._back_off(account.id)
            self._set_status(account.id, "error", str(exc))
        except (credentials.KeyringUnavailable, CacheError) as exc:
            outcome.state, outcome.message = "error", str(exc)
            self._back_off(account.id)
            self._set_status(account.id, "error", str(exc))
        except Exception as exc:
            # A bug, a KeyError on a payload nobody foresaw, a full disk:
            # the traceback goes to the log, the account says it in words,
            # backs off and tries again. The worker thread never dies.
            log.exception("%s: sync failed unexpectedly", account.handle)
            outcome.state, outcome.message = "error", unexpected_sentence(exc)
            self._back_off(account.id)
            self._set_status(account.id, "error", outcome.message)
        retry = self._not_before.get(account.id)
        self._emit(
            SyncEvent(
                account.id,
                account.handle,
                outcome.state,
                outcome.message,
                outcome.new_messages,
                retry_in=max(0.0, retry - time.monotonic()) if retry else None,
            )
        )
        return outcome

    def _limits_to_store(self, account: Account, provider: Provider) -> dict[str, Any] | None:
        """The network's length rule for the composer, asked once a day."""
        known = (account.config or {}).get("limits")
        checked = server_int(known.get("checked"), 0, 2**53) if isinstance(known, dict) else None
        if checked is not None and now_ms() - checked < DAY_MS:
            return None
        try:
            rule = provider.limits()
        except ProviderError:
            return None
        return {
            "max_length": rule.max_length,
            "url_length": rule.url_length,
            "rule": str(rule.rule),
            "checked": now_ms(),
        }

    def _mark_synced(self, account_id: str, limits: dict[str, Any] | None = None) -> None:
        def task(tx: Tx) -> None:
            account = tx.session.get(Account, account_id)
            if account is not None:
                account.initial_sync_done = True
                account.last_sync_at = utcnow()
                if limits is not None:
                    account.config = {**(account.config or {}), "limits": limits}
                tx.changes.accounts.add(account_id)

        self.cache.writer.call(task)

    # -- passes -------------------------------------------------------------

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

    def run_forever(self, account: str | None = None) -> None:
        """Poll every account on its interval until :meth:`stop`."""
        self._lock.acquire(timeout=None)
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
                self._back_off(account_id)
                wait = self._not_before_in(account_id)
                self._emit(
                    SyncEvent(account_id, handle, "error", unexpected_sentence(exc), retry_in=wait)
                )
            with self._poke:

                def woken(seen: int = seen) -> bool:
                    return self._stop.is_set() or self._generation != seen

                self._poke.wait_for(woken, timeout=min(wait, 60.0))

    def _not_before_in(self, account_id: str) -> float:
        until = self._not_before.get(account_id)
        return max(0.0, until - time.monotonic()) if until else 0.0

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
