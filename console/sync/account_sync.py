"""One account's pass: fetch every waiting page and commit it page by page.

Split from the engine's loop (console/sync/engine.py), which decides *when*
an account syncs; this decides *how* one pass goes and what each typed error
means for the account (module docstring of the engine). The waits it sets
(backoff, a server's Retry-After) live in dicts the engine shares, so "Sync
now" can clear them.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from console import credentials
from console.models.cache_errors import CacheError
from console.models.db import Cache
from console.models.ingest import ingest
from console.models.schema import Account
from console.models.types import now_ms, utcnow
from console.models.writer import Tx
from console.sync.base import (
    AuthError,
    FetchResult,
    Provider,
    ProviderError,
    RateLimited,
    TransientError,
)
from console.sync.events import AccountOutcome, SyncEvent
from console.sync.numbers import server_int
from console.sync.registry import is_demo
from console.sync.streams import retry_streams_now, stream_problem

log = logging.getLogger(__name__)

MAX_PAGES_PER_PASS = 1000
DAY_MS = 86_400_000
BACKOFF_BASE_S = 5.0
BACKOFF_MAX_S = 15 * 60.0


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


class Committer:
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


class AccountSync:
    """Runs one account's pass (``run``) for the engine; ``stop`` is the
    engine's stop event, checked between pages."""

    def __init__(
        self,
        cache: Cache,
        factory: Callable[[Account, str | None], Provider],
        emit: Callable[[SyncEvent], None],
        stop: threading.Event,
    ) -> None:
        self.cache, self._factory, self._emit, self._stop = cache, factory, emit, stop
        self.backoff: dict[str, Backoff] = {}
        self.not_before: dict[str, float] = {}

    def back_off(self, account_id: str) -> None:
        delay = self.backoff.setdefault(account_id, Backoff()).next_delay()
        self.not_before[account_id] = time.monotonic() + delay

    def wait_left(self, account_id: str) -> float:
        """Seconds until the account may be polled again (0: now)."""
        until = self.not_before.get(account_id)
        return max(0.0, until - time.monotonic()) if until else 0.0

    def _set_status(self, account_id: str, status: str, message: str | None) -> None:
        """Store the account's state; a failure to store it (the cache is
        full, closed) is logged, never raised: the event still goes out."""
        try:
            self._store_status(account_id, status, message)
        except Exception:
            log.exception("could not store the state of account %s", account_id)

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

    def run(self, account: Account, *, force: bool = False) -> AccountOutcome:
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
            committer = Committer(self.cache, account, outcome, self._emit)
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
            self.backoff.pop(account.id, None)
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
            self.not_before[account.id] = time.monotonic() + exc.retry_after
        except (TransientError, OSError) as exc:
            outcome.state, outcome.message = "offline", str(exc)
            self.back_off(account.id)
            self._set_status(account.id, "error", str(exc))
        except ProviderError as exc:
            outcome.state, outcome.message = "error", str(exc)
            self.back_off(account.id)
            self._set_status(account.id, "error", str(exc))
        except (credentials.KeyringUnavailable, CacheError) as exc:
            outcome.state, outcome.message = "error", str(exc)
            self.back_off(account.id)
            self._set_status(account.id, "error", str(exc))
        except Exception as exc:
            # A bug, a KeyError on a payload nobody foresaw, a full disk:
            # the traceback goes to the log, the account says it in words,
            # backs off and tries again. The worker thread never dies.
            log.exception("%s: sync failed unexpectedly", account.handle)
            outcome.state, outcome.message = "error", unexpected_sentence(exc)
            self.back_off(account.id)
            self._set_status(account.id, "error", outcome.message)
        retry = self.not_before.get(account.id)
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
