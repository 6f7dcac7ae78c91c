"""Building the demo workspace: the accounts and team (cast.py), each
thread's messages through the real ingest rules (threads.py), then the
workflow state with its Activity lines. Seeded ids make it the same on
every machine; nothing here touches the keyring or the network."""

from __future__ import annotations

import os
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

from console.demo.cast import ACCOUNTS, PEOPLE, SAVED_REPLIES, SEED, TEAM
from console.demo.threads import THREADS, Thread
from console.models import types
from console.models.activity import record_activity
from console.models.db import Cache, open_cache
from console.models.ingest import ingest
from console.models.schema import (
    Account,
    Contact,
    Conversation,
    ConversationTag,
    Draft,
    Note,
    SavedReply,
    Tag,
    TeamMember,
)
from console.models.types import utcnow
from console.models.vocabulary import Status
from console.models.writer import Tx
from console.sync.base import ContactRecord, Direction, FetchResult, Kind, MessageRecord


def ensure_demo(path: Path) -> None:
    """Create the demo workspace at ``path`` unless it is there already."""
    if path.exists() and path.stat().st_size > 0:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        build_demo(tmp)
        if not path.exists():
            os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def _contact(key: str) -> ContactRecord:
    network, handle, name, email = PEOPLE[key]
    return ContactRecord(network, handle, handle, name, email=email)


def _us(account: str) -> ContactRecord:
    network, handle, _server, name = ACCOUNTS[account]
    return ContactRecord(network, handle, handle, name)


def _demo_url(thread: Thread, n: int) -> str | None:
    """Where the message would live on its network (stable: crc32, not hash())."""
    number = zlib.crc32(f"{thread.key}:{n}".encode()) % 10**9
    if thread.account == "masto":
        return f"https://social.example/@velopain/{number}"
    if thread.account == "bsky":
        return f"https://bsky.app/profile/velopain.bsky.social/post/demo{number}"
    return None


def build_demo(path: Path) -> None:
    """Build the demo into ``path`` (a new file) with seeded ids."""
    types.seeded_ids(SEED)
    try:
        with open_cache(path) as cache:
            _fill(cache)
            cache.checkpoint()
    finally:
        types.seeded_ids(None)


def _fill(cache: Cache) -> None:
    now = utcnow()
    account_ids: dict[str, str] = {}

    def accounts_and_team(tx: Tx) -> None:
        for key, (network, handle, server, name) in ACCOUNTS.items():
            account = Account(
                network=network,
                handle=handle,
                server=server,
                display_name=name,
                remote_id=handle,
                cursors={},
                config={"demo": True},
                created_at=now,
                initial_sync_done=True,
            )
            tx.session.add(account)
            tx.session.flush()
            account_ids[key] = account.id
        for name, role, is_me in TEAM:
            tx.session.add(TeamMember(name=name, role=role, is_me=is_me, created_at=now))
        for name, body in SAVED_REPLIES:
            tx.session.add(SavedReply(name=name, body=body, created_at=now))

    cache.writer.call(accounts_and_team)

    for thread in THREADS:
        records = []
        for n, (ago, direction, who, text) in enumerate(thread.messages):
            author = _us(thread.account) if who == "us" else _contact(who)
            records.append(
                MessageRecord(
                    remote_id=f"demo:{thread.key}:{n}",
                    thread_key=thread.key,
                    kind=thread.kind,
                    direction=Direction(direction),
                    author=author,
                    sent_at=now - timedelta(minutes=ago),
                    text=text,
                    html=thread.html.get(n),
                    subject=thread.subject,
                    url=_demo_url(thread, n),
                    visibility="direct" if thread.kind == Kind.DIRECT else None,
                )
            )
        ingest(cache.writer, account_ids[thread.account], FetchResult(messages=records))

    cache.writer.call(lambda tx: _workflow(tx, account_ids, now))


def _workflow(tx: Tx, account_ids: dict[str, str], now: Any) -> None:
    """Assignments, statuses, tags, notes and drafts, each with its Activity."""
    session = tx.session
    conn = session.connection()
    members = {m.name: m for m in session.query(TeamMember).all()}
    me = next(m for m in members.values() if m.is_me)
    tags: dict[str, Tag] = {}
    for thread in THREADS:
        conv = (
            session.query(Conversation)
            .filter_by(account_id=account_ids[thread.account], remote_key=thread.key)
            .one()
        )
        if thread.assignee:
            conv.assignee_id = members[thread.assignee].id
            record_activity(conn, me.id, conv.id, "assign", {"assignee": conv.assignee_id})
        if thread.status:
            conv.status = thread.status
            record_activity(conn, me.id, conv.id, "status", {"status": thread.status})
        if thread.snooze_hours is not None:
            conv.status = Status.SNOOZED
            conv.snoozed_until = now + timedelta(hours=thread.snooze_hours)
            record_activity(
                conn, me.id, conv.id, "snooze", {"until": types.to_ms(conv.snoozed_until)}
            )
        for name in thread.tags:
            if name not in tags:
                tags[name] = Tag(name=name)
                session.add(tags[name])
                session.flush()
            session.add(ConversationTag(conversation_id=conv.id, tag_id=tags[name].id))
            record_activity(conn, me.id, conv.id, "tag", {"tag": name, "present": True})
        if thread.priority:
            conv.priority = thread.priority
        for author, text in thread.notes:
            mentions = [m.id for m in members.values() if f"@{m.name.split()[0]}" in text]
            session.add(
                Note(
                    conversation_id=conv.id,
                    author_id=members[author].id,
                    text=text,
                    mentions=mentions,
                    created_at=now - timedelta(minutes=20),
                )
            )
        if thread.draft:
            session.add(
                Draft(
                    conversation_id=conv.id,
                    author_id=me.id,
                    body=thread.draft,
                    created_at=now,
                    updated_at=now,
                )
            )
    # The customer who wrote on two channels is one person.
    noor = [
        c for c in session.query(Contact).all() if c.name == "Noor Haddad" and c.person_id is None
    ]
    if len(noor) == 2:
        from console.models.schema import Person

        person = Person(name="Noor Haddad", created_at=now)
        session.add(person)
        session.flush()
        for contact in noor:
            contact.person_id = person.id


def demo_conversation_id(cache: Cache, key: str = "focus") -> str:
    """The id of a demo conversation by its thread key (the focus one has a
    draft by me: the screenshot opens it)."""
    with cache.read() as s:
        conv = s.query(Conversation).filter_by(remote_key=key).one()
        return conv.id
