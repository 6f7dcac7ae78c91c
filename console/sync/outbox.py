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

import json
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
from console.models.db import Cache
from console.models.ingest import ingest_chunk, record_activity
from console.models.schema import Account, Conversation, Draft, OutboxItem
from console.models.types import now_ms, utcnow
from console.models.writer import URGENT, Tx
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
        if row is None or row[0] not in ("queued", "unknown"):
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
        extra.update(_thread_extra(tx, conv, item))
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
        return _Claimed(item_id, account, request, item.attempts, row[0] == "unknown")

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
        try:
            provider = self._provider(claimed.account)
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
            sent = provider.send(claimed.request)
        except SendOutcomeUnknown as exc:
            self._set(claimed.item_id, "unknown", str(exc))
            return
        except SendRejected as exc:
            self._set(claimed.item_id, "failed", str(exc))
            return
        except AuthError as exc:
            self._set(claimed.item_id, "queued", str(exc), account_status=("needs_reauth", exc))
            return
        except RateLimited as exc:
            self._set(claimed.item_id, "queued", str(exc), retry_in=exc.retry_after)
            return
        except (TransientError, OSError) as exc:
            delay = min(MAX_BACKOFF_S, 5 * 2 ** min(claimed.attempts, 8))
            self._set(
                claimed.item_id,
                "queued",
                f"Offline: {exc}",
                retry_in=delay * random.uniform(0.8, 1.2),
            )
            return
        except ProviderError as exc:
            self._set(claimed.item_id, "failed", str(exc))
            return
        except Exception as exc:  # a bug must not leave the item "sending"
            log.exception("sending %s failed unexpectedly", claimed.item_id)
            self._set(claimed.item_id, "unknown", f"Unexpected error: {exc}")
            return
        self._finish_sent(claimed, sent, looked_up=False)

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
            # Answered and nobody else waits: the ball is in the other court.
            # "pending" keeps it out of the open queue; their next message
            # reopens it (ingest's reopen rule).
            tx.session.connection().exec_driver_sql(
                "UPDATE conversations SET status = 'pending' "
                "WHERE id = ? AND status = 'open' AND waiting_since IS NULL",
                (item.conversation_id,),
            )
            draft = None
            if item.author_id:
                draft = (
                    tx.session.query(Draft)
                    .filter_by(conversation_id=item.conversation_id, author_id=item.author_id)
                    .first()
                )
            if draft is not None and draft.state == "queued" and draft.body == item.body:
                tx.session.delete(draft)
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
            if state == "failed":
                draft = (
                    tx.session.query(Draft)
                    .filter_by(conversation_id=item.conversation_id, author_id=item.author_id)
                    .first()
                )
                if draft is not None:
                    draft.state = "failed"
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


def _thread_extra(tx: Tx, conv: Conversation, item: OutboxItem) -> dict[str, Any]:
    """Facts about the thread a provider may need: subject, the message
    answered and its author, everyone mentioned in it."""
    conn = tx.session.connection()
    extra: dict[str, Any] = {"subject": conv.subject}
    if item.in_reply_to_remote_id:
        row = conn.exec_driver_sql(
            "SELECT author_handle, subject, raw, visibility FROM messages "
            "WHERE account_id = ? AND remote_id = ?",
            (item.account_id, item.in_reply_to_remote_id),
        ).first()
        if row is not None:
            extra["reply_to_handle"] = row[0]
            extra["reply_to_subject"] = row[1]
            extra["reply_to_visibility"] = row[3]
            extra["reply_to_mentions"] = _raw_mentions(row[2])
            extra.update(_raw_mail_headers(row[2]))
    return extra


def _raw_mail_headers(raw: Any) -> dict[str, Any]:
    """E-mail: the answered message's Reply-To and References, as the
    provider kept them in ``raw`` (for To and References of the reply)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    if not isinstance(raw, dict):
        return {}
    out: dict[str, Any] = {}
    if isinstance(raw.get("reply_to"), list):
        out["reply_to_reply_to"] = [str(a) for a in raw["reply_to"]]
    if isinstance(raw.get("references"), list):
        out["reply_to_references"] = [str(r) for r in raw["references"]]
    return out


def _raw_mentions(raw: Any) -> list[str]:
    """The handles a message mentioned, as its provider kept them in ``raw``."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    mentions = raw.get("mentions") if isinstance(raw, dict) else None
    return [str(m) for m in mentions] if isinstance(mentions, list) else []


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
