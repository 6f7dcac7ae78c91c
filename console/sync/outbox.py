"""The outbox sender: delivers queued replies exactly once.

States: queued -> sending -> sent | failed | unknown.

- An item is claimed atomically (``UPDATE ... WHERE state = 'queued'``), so
  two processes on one home never both send it.
- Items of one conversation go out in order: an item waits while an older
  item of its conversation is queued, sending or unknown.
- ``unknown`` means the request may have reached the server (a timeout after
  sending, a dropped connection, a 500, or a crash while ``sending``). It is
  settled by looking the reply up (Provider.find_sent), never by resending
  blindly; only a provider whose key makes a resend safe may resend after a
  lookup that found nothing (Provider.may_resend).
- Offline (TransientError before the request left) or rate limited: the item
  stays queued and goes by itself when the network is back.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from console import credentials
from console.credentials import KeyringUnavailable
from console.models import workflow_rules
from console.models.activity import record_activity
from console.models.db import Cache
from console.models.ingest import ingest_chunk
from console.models.schema import Account, Conversation, Draft, OutboxItem
from console.models.types import now_ms, utcnow
from console.models.vocabulary import DraftState, OutboxState
from console.models.writer import URGENT, Tx
from console.sync.addressing import thread_extra
from console.sync.base import (
    AuthError,
    ContactRecord,
    Direction,
    Kind,
    MessageRecord,
    Provider,
    ProviderError,
    RateLimited,
    ReplyRequest,
    SendOutcomeUnknown,
    SendRejected,
    SentReply,
    TransientError,
)
from console.sync.registry import make_provider

log = logging.getLogger(__name__)

#: A ``sending`` claim older than this belongs to a dead process.
STALE_CLAIM = timedelta(minutes=3)
MAX_BACKOFF_S = 15 * 60


def process_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(slots=True)
class _Claimed:
    item_id: str
    account: Account
    request: ReplyRequest
    attempts: int
    was_unknown: bool


FOREVER_MS = 2**62


class OutboxSender:
    """Delivers outbox items through the account's provider."""

    def __init__(
        self,
        cache: Cache,
        *,
        demo: bool = False,
        provider_factory: Any = None,
        owner: str | None = None,
    ) -> None:
        self.cache = cache
        self.demo = demo
        self.owner = owner or process_token()
        self._factory = provider_factory or make_provider
        self._providers: dict[str, Provider] = {}
        #: The locked or missing keyring that kept the last attempt from
        #: starting (the CLI says it in one sentence and exits 2), else None.
        self.keyring_problem: KeyringUnavailable | None = None

    # -- public -----------------------------------------------------------

    def deliver(self, item_id: str, *, force: bool = False) -> str:
        """Try to deliver one item now; return its state afterwards.

        ``force`` ignores the item's retry time (the user asked: ``parloir
        sync``, "Sync now"); the server's answer still decides.
        """
        claimed = self.cache.writer.call(lambda tx: self._claim(tx, item_id, force), URGENT)
        if claimed is not None:
            self._attempt(claimed)
        return self._state(item_id)

    def recover_stale(self) -> None:
        """Claims of dead processes become ``unknown`` (settled by lookup)."""
        self.cache.writer.call(self._recover_stale, URGENT)

    def deliver_pending(self, *, force: bool = False) -> dict[str, str]:
        """Recover stale claims, settle unknown items, send what is due
        (everything waiting, when ``force``)."""
        self.cache.writer.call(self._recover_stale)
        with self.cache.read() as s:
            ids = [
                r[0]
                for r in s.execute(
                    text(
                        "SELECT id FROM outbox WHERE state IN ('queued', 'unknown') "
                        "AND (next_attempt_at IS NULL OR next_attempt_at <= :now) "
                        "ORDER BY created_at"
                    ),
                    {"now": FOREVER_MS if force else now_ms()},
                )
            ]
        return {item_id: self.deliver(item_id, force=force) for item_id in ids}

    def close(self) -> None:
        for provider in self._providers.values():
            provider.close()
        self._providers.clear()

    # -- claiming -----------------------------------------------------------

    def _claim(self, tx: Tx, item_id: str, force: bool = False) -> _Claimed | None:
        conn = tx.session.connection()
        now = now_ms()
        due_by = FOREVER_MS if force else now
        row = conn.exec_driver_sql(
            "SELECT state, conversation_id, created_at FROM outbox WHERE id = ?", (item_id,)
        ).first()
        if row is None or row[0] not in (OutboxState.QUEUED, OutboxState.UNKNOWN):
            return None
        earlier = conn.exec_driver_sql(
            "SELECT count(*) FROM outbox WHERE conversation_id = ? AND id != ? "
            "AND created_at < ? AND state IN ('queued', 'sending', 'unknown')",
            (row[1], item_id, row[2]),
        ).scalar_one()
        if earlier:
            return None
        claimed = conn.exec_driver_sql(
            "UPDATE outbox SET state = 'sending', claimed_by = ?, attempts = attempts + 1, "
            "first_attempt_at = coalesce(first_attempt_at, ?), updated_at = ? "
            "WHERE id = ? AND state = ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
            (self.owner, now, now, item_id, row[0], due_by),
        )
        if claimed.rowcount != 1:
            return None
        item = tx.session.get(OutboxItem, item_id)
        assert item is not None
        tx.session.refresh(item)
        account = tx.session.get(Account, item.account_id)
        conv = tx.session.get(Conversation, item.conversation_id)
        if account is None or conv is None:
            return None
        tx.changes.outbox = True
        extra = dict(item.extra or {})
        extra.update(
            thread_extra(tx.session, item.account_id, conv.subject, item.in_reply_to_remote_id)
        )
        request = ReplyRequest(
            key=item.key,
            body=item.body,
            thread_key=conv.remote_key,
            kind=Kind(conv.kind),
            in_reply_to=item.in_reply_to_remote_id,
            visibility=item.visibility,
            extra=extra,
        )
        tx.session.expunge(account)
        return _Claimed(item_id, account, request, item.attempts, row[0] == OutboxState.UNKNOWN)

    def _recover_stale(self, tx: Tx) -> None:
        """A ``sending`` item whose process died may have gone out: unknown."""
        cutoff = now_ms() - int(STALE_CLAIM.total_seconds() * 1000)
        rows = tx.session.connection().exec_driver_sql(
            "SELECT id, claimed_by, updated_at FROM outbox WHERE state = 'sending'"
        )
        for item_id, owner, updated in list(rows):
            if owner == self.owner:
                continue
            if updated < cutoff or _owner_dead(owner):
                tx.session.connection().exec_driver_sql(
                    "UPDATE outbox SET state = 'unknown', error = ? WHERE id = ?",
                    ("Parloir stopped while sending; checking whether it went out.", item_id),
                )
                tx.changes.outbox = True

    # -- sending --------------------------------------------------------------

    def _provider(self, account: Account) -> Provider:
        provider = self._providers.get(account.id)
        if provider is None:
            secret = None
            if not (account.config or {}).get("demo"):
                secret = credentials.load_secret(credentials.account_key(account.id))
                if secret is None:
                    raise AuthError(
                        "No credentials for this account in the keyring; add the account again."
                    )
            provider = self._factory(account, secret)
            self._providers[account.id] = provider
        return provider

    def _attempt(self, claimed: _Claimed) -> None:
        """Prepare, look up when needed, send. Only a failure of the send
        request itself can leave the item ``unknown``: whatever fails before
        it (a locked keyring, no credentials, a failed lookup) leaves the
        item as it was, queued (or unknown), with the reason."""
        try:
            provider = self._provider(claimed.account)
        except BaseException as exc:
            self._not_sent(claimed, exc)
            if not isinstance(exc, Exception):
                raise
            return
        try:
            if claimed.was_unknown or claimed.attempts > 1:
                found = provider.find_sent(claimed.request)
                if found is not None:
                    self._finish_sent(claimed, found, looked_up=True)
                    return
                if claimed.was_unknown and not provider.may_resend(claimed.request):
                    self._set(
                        claimed.item_id,
                        "unknown",
                        "It may have been sent; check and decide whether to send again.",
                        retry_in=600,
                    )
                    return
        except BaseException as exc:
            self._not_sent(claimed, exc, looking_up=True)
            if not isinstance(exc, Exception):
                raise
            return
        try:
            sent = provider.send(claimed.request)
        except KeyboardInterrupt:
            self._set(
                claimed.item_id,
                "unknown",
                "Interrupted while sending; checking whether it went out.",
            )
            raise
        except SendOutcomeUnknown as exc:
            self._set(claimed.item_id, "unknown", str(exc))
            return
        except SendRejected as exc:
            self._set(claimed.item_id, "failed", str(exc))
            return
        except (AuthError, RateLimited, TransientError) as exc:
            self._not_sent(claimed, exc)
            return
        except OSError as exc:
            self._not_sent(claimed, TransientError(str(exc)))
            return
        except ProviderError as exc:
            self._set(claimed.item_id, "failed", str(exc))
            return
        except Exception as exc:  # a bug must not leave the item "sending"
            log.exception("sending %s failed unexpectedly", claimed.item_id)
            self._set(claimed.item_id, "unknown", f"Unexpected error: {exc}")
            return
        self._finish_sent(claimed, sent, looked_up=False)

    def _not_sent(self, claimed: _Claimed, exc: BaseException, *, looking_up: bool = False) -> None:
        """The reply surely did not leave this time: back to the queue with
        the reason (an unknown item stays unknown: only a lookup settles it)."""
        back = "unknown" if claimed.was_unknown else "queued"
        delay = min(MAX_BACKOFF_S, 5 * 2 ** min(claimed.attempts, 8)) * random.uniform(0.8, 1.2)
        if isinstance(exc, KeyringUnavailable):
            self.keyring_problem = exc
            self._set(claimed.item_id, back, f"Not sent yet: {exc}", retry_in=delay)
        elif isinstance(exc, AuthError):
            self._set(claimed.item_id, back, str(exc), account_status=("needs_reauth", exc))
        elif isinstance(exc, RateLimited):
            self._set(claimed.item_id, back, str(exc), retry_in=exc.retry_after)
        elif isinstance(exc, TransientError):
            self._set(claimed.item_id, back, f"Offline: {exc}", retry_in=delay)
        elif isinstance(exc, ProviderError) and not looking_up:
            self._set(claimed.item_id, "failed", str(exc))
        elif isinstance(exc, Exception):
            log.error("preparing %s failed", claimed.item_id, exc_info=exc)
            what = "checking whether it went out" if looking_up else "preparing it"
            self._set(
                claimed.item_id,
                back,
                f"Not sent: {what} failed ({exc.__class__.__name__}); it will be tried again.",
                retry_in=delay,
            )
        else:  # interrupted (Ctrl-C) before the request left
            self._set(claimed.item_id, back, "Interrupted before sending; it will go later.")

    def _finish_sent(self, claimed: _Claimed, sent: SentReply, *, looked_up: bool) -> None:
        account = claimed.account
        message = sent.message or MessageRecord(
            remote_id=sent.remote_id,
            thread_key=claimed.request.thread_key,
            kind=claimed.request.kind,
            direction=Direction.OUT,
            author=ContactRecord(
                network=account.network,
                remote_id=account.remote_id or account.handle,
                handle=account.handle,
                name=account.display_name or account.handle,
            ),
            sent_at=utcnow(),
            text=claimed.request.body,
            url=sent.url,
            in_reply_to=claimed.request.in_reply_to,
        )
        message.direction = Direction.OUT
        message.thread_key = claimed.request.thread_key

        def task(tx: Tx) -> None:
            item = tx.session.get(OutboxItem, claimed.item_id)
            if item is None:
                return
            item.state = "sent"
            item.remote_id = sent.remote_id
            item.error = None
            item.updated_at = utcnow()
            ingest_chunk(tx, item.account_id, [message])
            workflow_rules.pending_after_reply(tx.session.connection(), item.conversation_id)
            draft = _draft_of(tx, item)
            if draft is not None:
                # Kept, marked sent: sending it again finds this item (the
                # same reply); new text makes it a new reply.
                draft.state = "sent"
                tx.changes.drafts.add(item.conversation_id)
            record_activity(
                tx.session.connection(),
                item.author_id,
                item.conversation_id,
                "sent",
                {"outbox": item.id, "remote_id": sent.remote_id, "found": looked_up},
            )
            tx.changes.outbox = True
            tx.changes.conversations.add(item.conversation_id)

        self.cache.writer.call(task, URGENT)

    def _set(
        self,
        item_id: str,
        state: str,
        error: str | None,
        *,
        retry_in: float | None = None,
        account_status: tuple[str, Exception] | None = None,
    ) -> None:
        def task(tx: Tx) -> None:
            item = tx.session.get(OutboxItem, item_id)
            if item is None:
                return
            item.state = state
            item.error = error
            item.updated_at = utcnow()
            item.next_attempt_at = (
                utcnow() + timedelta(seconds=retry_in) if retry_in is not None else None
            )
            if state == OutboxState.FAILED:
                draft = _draft_of(tx, item)
                if draft is not None:
                    draft.state = "failed"
                    tx.changes.drafts.add(item.conversation_id)
            if account_status is not None:
                account = tx.session.get(Account, item.account_id)
                if account is not None:
                    account.status = account_status[0]
                    account.status_message = str(account_status[1])
                    tx.changes.accounts.add(account.id)
            tx.changes.outbox = True

        self.cache.writer.call(task, URGENT)

    def _state(self, item_id: str) -> str:
        with self.cache.read() as s:
            item = s.get(OutboxItem, item_id)
            return item.state if item else "missing"


def _draft_of(tx: Tx, item: OutboxItem) -> Draft | None:
    """The draft this item was made from, while it still holds the item's
    text (a draft rewritten since is a new reply: its state is its own)."""
    if not item.author_id:
        return None
    draft = (
        tx.session.query(Draft)
        .filter_by(conversation_id=item.conversation_id, author_id=item.author_id)
        .first()
    )
    if draft is None or draft.body != item.body or draft.state == DraftState.EDITING:
        return None
    linked = (item.extra or {}).get("draft")
    return draft if linked in (None, draft.id) else None


def _owner_dead(owner: str | None) -> bool:
    """True when ``owner`` names a process on this host that is gone."""
    if not owner:
        return True
    host, _, rest = owner.partition(":")
    if host != socket.gethostname():
        return False
    try:
        pid = int(rest.split(":", 1)[0])
    except ValueError:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
