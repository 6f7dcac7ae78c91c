"""Builders for tests: a cache on a temp path, accounts, message records."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.models.db import Cache, open_cache
from console.models.ingest import ingest
from console.models.types import new_id, utcnow
from console.models.writer import Tx
from console.sync.base import ContactRecord, Direction, FetchResult, Kind, MessageRecord

_ids = itertools.count(1)
ME = ContactRecord("mastodon", "us@social.example", "us@social.example", "Us")


def cache_at(tmp_path: Path, name: str = "cache.sqlite") -> Cache:
    return open_cache(tmp_path / name)


def add_account(
    cache: Cache,
    network: str = "mastodon",
    handle: str = "us@social.example",
    *,
    history_days: int | None = None,
    config: dict[str, object] | None = None,
) -> str:
    from console.models.schema import Account

    account_id = new_id()

    def task(tx: Tx) -> None:
        tx.session.add(
            Account(
                id=account_id,
                network=network,
                handle=handle,
                server="https://social.example",
                remote_id=handle,
                cursors={},
                config=config or {},
                history_days=history_days,
                created_at=utcnow(),
            )
        )

    cache.writer.call(task)
    return account_id


def person(name: str, network: str = "mastodon", email: str | None = None) -> ContactRecord:
    handle = f"{name.lower()}@example.org"
    return ContactRecord(network, handle, handle, name, email=email)


def msg(
    thread: str,
    *,
    ago_min: float = 10,
    direction: str = "in",
    author: ContactRecord | None = None,
    text: str | None = None,
    remote_id: str | None = None,
    kind: Kind = Kind.PUBLIC,
    subject: str | None = None,
    at: datetime | None = None,
) -> MessageRecord:
    n = next(_ids)
    when = at or (utcnow() - timedelta(minutes=ago_min))
    return MessageRecord(
        remote_id=remote_id or f"m{n}",
        thread_key=thread,
        kind=kind,
        direction=Direction(direction),
        author=author or (ME if direction == "out" else person("Alice")),
        sent_at=when.astimezone(UTC),
        text=text or f"message {n} in {thread}",
        subject=subject,
    )


def put(cache: Cache, account_id: str, *messages: MessageRecord, **kw: object) -> object:
    return ingest(cache.writer, account_id, FetchResult(messages=list(messages), **kw))  # type: ignore[arg-type]


def conv_by_key(cache: Cache, account_id: str, key: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from console.models.schema import Conversation

    with cache.read() as s:
        conv = s.scalar(
            select(Conversation).where(
                Conversation.account_id == account_id, Conversation.remote_key == key
            )
        )
        assert conv is not None, key
        s.expunge(conv)
        return conv
