"""The ingest vocabulary: the records a fetch produces and ingest consumes.

They live in the bottom layer because ingest (console/models/ingest/) is
written against them: the contract of the layer that stores them is owned by
that layer, not by the providers above it. Providers build them and import
them through console/sync/base.py, which re-exports every name here, so the
provider contract reads in one place.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Network(enum.StrEnum):
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    EMAIL = "email"
    DEMO = "demo"


class Kind(enum.StrEnum):
    """What sort of conversation a thread is; due-time targets depend on it."""

    PUBLIC = "public"
    DIRECT = "direct"
    EMAIL = "email"
    COMMENT = "comment"


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


@dataclass(slots=True)
class ContactRecord:
    """Someone on the other side. ``remote_id`` is unique per network:
    a Mastodon account URI or id@instance, a DID, a lower-cased address."""

    network: str
    remote_id: str
    handle: str
    name: str = ""
    avatar_url: str | None = None
    email: str | None = None


@dataclass(slots=True)
class Location:
    """Where an e-mail copy sits on the server (one message, many copies)."""

    folder: str
    uidvalidity: int
    uid: int


@dataclass(slots=True)
class Attachment:
    name: str
    mime_type: str
    size: int | None = None
    url: str | None = None
    ref: str | None = None  # provider-specific handle to fetch it on demand


@dataclass(slots=True)
class MessageRecord:
    """One message of a thread, as the network reported it.

    ``thread_key`` is the conversation's stable remote key (root status URI,
    root post AT-URI, DM conversation id, root Message-ID). ``remote_id`` is
    unique per account and opaque: it is never compared or ordered locally.
    ``sent_at`` must be timezone-aware.
    """

    remote_id: str
    thread_key: str
    kind: Kind
    direction: Direction
    author: ContactRecord
    sent_at: datetime
    text: str
    html: str | None = None
    url: str | None = None
    in_reply_to: str | None = None
    subject: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    raw: Mapping[str, Any] | None = None
    edited_at: datetime | None = None
    deleted: bool = False
    visibility: str | None = None
    locations: list[Location] = field(default_factory=list)
    # Other accounts mentioned in the message (handles), for reply-all rules.
    mentions: list[str] = field(default_factory=list)
    # E-mail: the remote ids this message answers, oldest first (References,
    # then In-Reply-To). Ingest puts the message in the conversation of the
    # nearest one it already holds, and merges threads a late parent joins.
    parents: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Tombstone:
    """A message deleted on the network."""

    remote_id: str


@dataclass(slots=True)
class ThreadMerge:
    """Two local threads turned out to be one (late parent, new ancestor):
    every conversation keyed ``from_key`` merges into the one keyed
    ``into_key``."""

    from_key: str
    into_key: str


@dataclass(slots=True)
class FetchResult:
    """What one fetch returned. ``cursors`` replaces the stored cursors only
    when the batch commits; ``more`` tells the engine to call again at once
    (another page waits)."""

    messages: list[MessageRecord] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    merges: list[ThreadMerge] = field(default_factory=list)
    cursors: dict[str, Any] = field(default_factory=dict)
    more: bool = False
    skipped: list[str] = field(default_factory=list)
