"""Builders for tests: a cache on a temp path, accounts, message records."""

from __future__ import annotations

import itertools
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from console.models.db import Cache, open_cache
from console.models.ingest import IngestReport, ingest
from console.models.types import new_id, utcnow
from console.models.writer import Tx
from console.sync.base import ContactRecord, Direction, FetchResult, Kind, MessageRecord

_ids = itertools.count(1)
ME = ContactRecord("mastodon", "us@social.example", "us@social.example", "Us")


#: The folder of the migrated empty cache that :func:`cache_at` copies (set
#: once per session by tests/conftest.py); None: every cache migrates itself.
_template_dir: Path | None = None
TEMPLATE_NAME = "template.sqlite"


def use_template_dir(folder: Path) -> None:
    """Let :func:`cache_at` build its template in ``folder`` (on first use)."""
    global _template_dir
    _template_dir = folder


def _template() -> Path | None:
    """The migrated empty cache, built the first time it is asked for.
    Running the Alembic migrations costs about 0.1 s a cache; copying the
    file, which open_cache then finds at the current user_version and opens
    as it is, costs nothing."""
    if _template_dir is None:
        return None
    path = _template_dir / TEMPLATE_NAME
    if not path.exists():
        open_cache(path).close()  # close checkpoints: the one file holds it all
    return path


def cache_at(tmp_path: Path, name: str = "cache.sqlite") -> Cache:
    """An empty, migrated cache at ``tmp_path / name`` (an existing file there
    is opened as it is)."""
    path = tmp_path / name
    template = _template()
    if template is not None and path.parent.is_dir() and not path.exists():
        shutil.copyfile(template, path)
    return open_cache(path)


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


def put(cache: Cache, account_id: str, *messages: MessageRecord, **kw: Any) -> IngestReport:
    return ingest(cache.writer, account_id, FetchResult(messages=list(messages), **kw))


def conv_by_key(cache: Cache, account_id: str, key: str):
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
