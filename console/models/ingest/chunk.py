"""One chunk of fetched records applied in one transaction, and a whole
fetch applied through the writer as a sequence of such chunks.

The order of the steps is the contract: contacts before the messages that
name them, threading before the conversations are looked up, new
conversations before their messages (which reference them), messages before
the known conversations are written back (a reply's new waiting time is read
from them), tombstones and merges last, and the cursors in the same
transaction as the records (a crash resumes with no gap; every record is an
upsert, so a replay adds no duplicate).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from console.models import settings_registry
from console.models.activity import record_activity
from console.models.ingest import conversations, rules
from console.models.ingest.contacts import upsert_contacts
from console.models.ingest.email_threads import thread_by_parents
from console.models.ingest.merges import merge_by_keys
from console.models.ingest.messages import MessageBatch, load_known
from console.models.ingest.sanitize import prepare
from console.models.ingest.state import ConvState
from console.models.ingest.tombstones import apply_tombstones
from console.models.records import Direction, FetchResult, Kind, MessageRecord, ThreadMerge
from console.models.types import now_ms, to_ms
from console.models.writer import BULK, Tx, Writer


@dataclass(slots=True)
class IngestReport:
    """What one chunk did (for logs, the status bar and benchmarks)."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    merged: int = 0
    reopened: list[str] = field(default_factory=list)

    def add(self, other: IngestReport) -> None:
        """Count ``other`` (a later chunk) into this report."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.deleted += other.deleted
        self.merged += other.merged
        self.reopened += other.reopened


def _window_start(conn: Connection, account_id: str, now: int) -> int:
    """The window the engine gave the provider: the account's, else the
    workspace's, else the registry's default (one precedence rule)."""
    acct = conn.exec_driver_sql("SELECT 1 FROM accounts WHERE id = ?", (account_id,)).first()
    if acct is None:
        raise LookupError(f"no account {account_id}")
    history = settings_registry.get(conn, settings_registry.HISTORY_DAYS, account=account_id)
    return rules.window_start(now, history)


def _store_messages(
    conn: Connection,
    batch: MessageBatch,
    recs: Sequence[MessageRecord],
    convs: dict[str, ConvState],
    contact_ids: dict[tuple[str, str], str],
    window_start: int,
) -> None:
    """Sort each record into the batch (new or known) and fold each new,
    live one into its conversation's state."""
    known = load_known(conn, batch.account_id, [r.remote_id for r in recs])
    for rec in recs:
        old = known.get(rec.remote_id)
        if old is not None:
            batch.known(rec, old)
            continue
        conv = convs[rec.thread_key]
        sent = to_ms(rec.sent_at)
        author_id = contact_ids.get((rec.author.network, rec.author.remote_id))
        batch.new(rec, conv.id, author_id, sent)
        if not rec.deleted:
            rules.fold_message(
                conv,
                inbound=rec.direction == Direction.IN,
                sent=sent,
                text=rec.text,
                subject=rec.subject,
                author_id=author_id,
                window_start=window_start,
            )


def ingest_chunk(
    tx: Tx,
    account_id: str,
    messages: Sequence[MessageRecord] = (),
    tombstones: Sequence[str] = (),
    merges: Sequence[ThreadMerge] = (),
    cursors: dict[str, Any] | None = None,
) -> IngestReport:
    """Apply one chunk of fetched records in the current transaction.

    ``cursors`` (when given) are stored in the same transaction: records and
    cursor commit together, so a crash resumes with no gap, and because every
    record is an upsert, replaying a chunk adds no duplicate.
    """
    conn = tx.session.connection()
    now = now_ms()
    window_start = _window_start(conn, account_id, now)
    targets = conversations.due_targets(conn)

    recs = prepare(messages)
    contact_ids = upsert_contacts(conn, (r.author for r in recs))
    if any(r.parents or r.kind == Kind.EMAIL for r in recs):
        merges = [*merges, *thread_by_parents(conn, account_id, recs)]
    convs = conversations.states_for(conn, account_id, recs)
    batch = MessageBatch.start(conn, account_id, now)
    _store_messages(conn, batch, recs, convs, contact_ids, window_start)

    states = list({c.id: c for c in convs.values()}.values())
    fresh = [c for c in states if c.new]
    for c in fresh:
        rules.settle_arrival(c, window_start)
    conversations.insert_conversations(conn, account_id, fresh, targets)
    batch.write(conn)
    conversations.update_conversations(conn, [c for c in states if not c.new], targets)
    for cid in batch.edited:
        conversations.recompute_conversation(conn, cid)  # an edit may change the preview

    report = IngestReport(inserted=batch.inserted, updated=batch.updated)
    for s in states:
        if s.reopened and not s.new:
            report.reopened.append(s.id)
            record_activity(conn, None, s.id, "status", {"status": "open", "reason": "inbound"})
    gone = [*tombstones, *batch.deleted]
    if gone:
        report.deleted += apply_tombstones(conn, account_id, gone, batch.touched)
    for merge in merges:
        if merge_by_keys(tx, account_id, merge):
            report.merged += 1
    if cursors is not None:
        conn.exec_driver_sql(
            "UPDATE accounts SET cursors = ?, last_sync_at = ? WHERE id = ?",
            (json.dumps(cursors), now, account_id),
        )
        tx.changes.accounts.add(account_id)
    tx.changes.conversations |= batch.touched
    tx.changes.messages_added += report.inserted
    return report


def ingest(
    writer: Writer,
    account_id: str,
    result: FetchResult,
    *,
    target_ms: float = 250.0,
    first_chunk: int = 1000,
) -> IngestReport:
    """Apply a FetchResult through the writer in chunks of about ``target_ms``.

    Small pages go in one transaction. A large batch is cut into chunks,
    each its own transaction at BULK priority, so a draft save or a click
    waits at most one chunk. Tombstones, merges and the new cursors commit
    with the last chunk: a crash in between replays the earlier chunks as
    upserts (no duplicate) from the old cursor (no gap).
    """
    total = IngestReport()
    msgs = result.messages
    size = max(1, first_chunk)
    start = 0
    while True:
        part = msgs[start : start + size]
        last = start + size >= len(msgs)
        began = time.perf_counter()

        def task(tx: Tx, part: Sequence[MessageRecord] = part, last: bool = last) -> IngestReport:
            if not last:
                return ingest_chunk(tx, account_id, part)
            return ingest_chunk(
                tx,
                account_id,
                part,
                [t.remote_id for t in result.tombstones],
                result.merges,
                result.cursors,
            )

        total.add(writer.call(task, BULK))
        elapsed_ms = (time.perf_counter() - began) * 1000
        if last:
            return total
        start += size
        if elapsed_ms > 0:
            size = max(50, min(20_000, int(size * target_ms / elapsed_ms)))
