"""Benchmark workspaces (``parloir demo generate``, bench/run): many
synthetic conversations in two languages through the real ingest rules."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from console.demo.cast import TEAM
from console.models import types
from console.models.db import open_cache
from console.models.ingest import ingest
from console.models.schema import Account, TeamMember
from console.models.types import utcnow
from console.models.writer import Tx
from console.sync.base import ContactRecord, Direction, FetchResult, Kind, MessageRecord

_EN = (
    "order delivery bike repair wheel tyre brake chain bread croissant coffee booking app "
    "invoice refund price shipping weekend workshop class puncture cargo saddle light thanks "
    "please question broken late help opening hours gift card loyalty points winter commute"
).split()
_FR = (
    "commande livraison vélo réparation roue pneu frein chaîne pain croissant café réservation "
    "application facture remboursement prix expédition atelier cours crevaison cargo selle "
    "lumière merci question cassé retard aide horaires carte cadeau fidélité hiver trajet"
).split()


def _sentence(rng: random.Random, words: Sequence[str]) -> str:
    """Common words plus a few specific ones (order numbers, product and
    place names) drawn with a Zipf-like skew, as in real inbox text: a few
    terms are everywhere, most are rare."""
    n = rng.randint(12, 60)
    chosen = [rng.choice(words) for _ in range(n)]
    for _ in range(rng.randint(1, 3)):
        rank = int(rng.paretovariate(1.1)) % 50_000
        chosen.insert(rng.randrange(len(chosen) + 1), f"ref{rank}")
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def generate(path: Path, conversations: int, messages: int, *, seed: int = 7) -> dict[str, Any]:
    """Fill the cache at ``path`` with a large synthetic workspace through the
    real ingest rules (for benchmarks): a mix of networks and languages, most
    threads answered or old (closed), about a tenth waiting."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with open_cache(path) as cache:
        now = utcnow()
        account_ids = []

        def setup(tx: Tx) -> None:
            for network, handle in (
                ("mastodon", "bench@social.example"),
                ("bluesky", "bench.bsky.social"),
                ("email", "bench@shop.example"),
            ):
                account = Account(
                    network=network,
                    handle=handle,
                    server="bench",
                    remote_id=handle,
                    cursors={},
                    config={"demo": True},
                    created_at=now,
                )
                tx.session.add(account)
                tx.session.flush()
                account_ids.append(account.id)
            for name, role, is_me in TEAM:
                exists = tx.session.query(TeamMember).filter_by(name=name).first()
                if exists is None:
                    tx.session.add(TeamMember(name=name, role=role, is_me=is_me, created_at=now))

        cache.writer.call(setup)
        per = [messages // conversations] * conversations
        for i in range(messages - sum(per)):
            per[i % conversations] += 1
        batch: dict[str, list[MessageRecord]] = {a: [] for a in account_ids}
        inserted = 0
        for c in range(conversations):
            account = account_ids[c % 3]
            network = ("mastodon", "bluesky", "email")[c % 3]
            kind = (Kind.PUBLIC, Kind.DIRECT, Kind.EMAIL)[c % 3]
            words = _FR if c % 2 else _EN
            who = f"person{rng.randrange(conversations // 3 + 1)}"
            author = ContactRecord(
                network, f"{who}@{network}.example", f"{who}@{network}.example", who.capitalize()
            )
            us = ContactRecord(network, "us", "us", "Us")
            start = now - timedelta(minutes=rng.uniform(5, 60 * 24 * 60))
            waiting = rng.random() < 0.12
            for m in range(per[c]):
                last = m == per[c] - 1
                direction = Direction.IN if (m % 2 == 0 or (last and waiting)) else Direction.OUT
                batch[account].append(
                    MessageRecord(
                        remote_id=f"g{c}.{m}",
                        thread_key=f"g{c}",
                        kind=kind,
                        direction=direction,
                        author=author if direction == Direction.IN else us,
                        sent_at=start + timedelta(minutes=m * 7),
                        text=_sentence(rng, words),
                        subject=_sentence(rng, words)[:60] if kind == Kind.EMAIL else None,
                    )
                )
            if sum(len(b) for b in batch.values()) >= 50_000:
                for acc, records in batch.items():
                    if records:
                        inserted += ingest(
                            cache.writer, acc, FetchResult(messages=records)
                        ).inserted
                        records.clear()
        for acc, records in batch.items():
            if records:
                inserted += ingest(cache.writer, acc, FetchResult(messages=records)).inserted
        ingest_seconds = time.perf_counter() - started

        def spread_workflow(tx: Tx) -> None:
            conn = tx.session.connection()
            members = [r[0] for r in conn.exec_driver_sql("SELECT id FROM team_members")]
            conn.exec_driver_sql(
                "UPDATE conversations SET assignee_id = ? WHERE abs(sort_wait) % 4 = 0",
                (members[0],),
            )
            conn.exec_driver_sql(
                "UPDATE conversations SET assignee_id = ? WHERE abs(sort_wait) % 4 = 1",
                (members[1],),
            )
            conn.exec_driver_sql(
                "UPDATE conversations SET status = 'pending' WHERE status = 'open' "
                "AND abs(sort_wait) % 10 = 3"
            )
            conn.exec_driver_sql(
                "UPDATE conversations SET status = 'snoozed', snoozed_until = ? "
                "WHERE status = 'open' AND abs(sort_wait) % 10 = 5",
                (types.to_ms(now + timedelta(days=1)),),
            )

        cache.writer.call(spread_workflow)
    return {
        "conversations": conversations,
        "messages": inserted,
        "seconds": round(time.perf_counter() - started, 2),
        "ingest_seconds": round(ingest_seconds, 2),
    }
