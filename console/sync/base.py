"""The provider contract every network implements.

A provider is plain Python with no Qt and no database access: given an
account (its public settings), its secret and its cursors, it fetches what
changed since the cursors and returns normalised records plus new cursors.
The sync engine hands those records to the writer (console/models/ingest.py),
which commits records and cursors in one transaction, so a provider never has
to care about crashes: it only has to be deterministic about remote ids.

Errors are typed so the engine can react without parsing messages:

- :class:`AuthError` -> the account needs re-authentication; no more polls.
- :class:`RateLimited` -> wait ``retry_after`` seconds, this account only.
- :class:`TransientError` -> timeouts, 5xx, refused, DNS: back off and retry.
- :class:`BadRecord` -> one payload could not be understood; providers catch
  it themselves per record, log it and go on (a sync never stops on one bad
  record), and report the skipped ids in :attr:`FetchResult.skipped`.
"""

from __future__ import annotations

import abc
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


# --------------------------------------------------------------------------
# errors


class ProviderError(Exception):
    """Base of the typed errors; ``str(err)`` is one sentence for a user."""


class AuthError(ProviderError):
    """The credentials were refused (revoked token, wrong password)."""


class RateLimited(ProviderError):
    """The server asked us to slow down; wait ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(0.0, float(retry_after))


class TransientError(ProviderError):
    """Network trouble that is worth retrying later with backoff."""


class BadRecord(ProviderError):
    """One remote payload was malformed; skip it and keep the rest."""

    def __init__(self, message: str, remote_id: str | None = None) -> None:
        super().__init__(message)
        self.remote_id = remote_id


class SendOutcomeUnknown(ProviderError):
    """The request may have reached the server (timeout after sending,
    dropped connection, a 500): the outbox item becomes ``unknown`` and is
    settled by :meth:`Provider.find_sent`, never by blindly resending."""


class SendRejected(ProviderError):
    """The server refused the reply for good (422, too long, thread gone)."""


# --------------------------------------------------------------------------
# normalised records


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


# --------------------------------------------------------------------------
# sending


@dataclass(slots=True)
class ReplyRequest:
    """One reply to send. ``key`` is chosen and committed before the first
    attempt (Mastodon Idempotency-Key, Bluesky rkey TID, e-mail Message-ID)."""

    key: str
    body: str
    thread_key: str
    kind: Kind
    in_reply_to: str | None
    visibility: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SentReply:
    """What the network answered for a sent reply; ``message`` is the
    outbound message as it now exists remotely, ingested into the thread."""

    remote_id: str
    url: str | None = None
    message: MessageRecord | None = None


class LengthRule(enum.StrEnum):
    CHARACTERS = "characters"  # Mastodon: code points, URLs count a fixed width
    GRAPHEMES = "graphemes"  # Bluesky: grapheme clusters
    NONE = "none"  # e-mail


@dataclass(slots=True, frozen=True)
class Limits:
    """How long a reply may be and how its length is counted."""

    max_length: int | None
    rule: LengthRule
    url_length: int | None = None
    max_bytes: int | None = None


# --------------------------------------------------------------------------
# the interface


@dataclass(slots=True)
class AccountInfo:
    """The public (non-secret) part of an account, as providers see it."""

    id: str
    network: str
    handle: str
    server: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    history_days: int = 14


class Provider(abc.ABC):
    """One network. Instances are cheap; the engine makes one per account
    and calls it from that account's worker thread only."""

    network: str
    #: After an ``unknown`` outcome and a lookup that found nothing, may the
    #: sender send again with the same key? True where the key itself makes
    #: a resend safe (Mastodon Idempotency-Key, Bluesky rkey); False for
    #: SMTP and Bluesky DMs, where the user decides.
    resend_after_lookup: bool = True

    def __init__(self, account: AccountInfo, secret: str | None) -> None:
        self.account = account
        self.secret = secret

    @abc.abstractmethod
    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        """Fetch what changed since ``cursors`` (empty on the first sync)."""

    @abc.abstractmethod
    def send(self, reply: ReplyRequest) -> SentReply:
        """Send one reply. Raises SendOutcomeUnknown when the outcome cannot
        be known, SendRejected for a permanent refusal, or the usual errors."""

    @abc.abstractmethod
    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        """Look up whether ``reply`` (by its key, or by its text in reply to
        its parent) already exists remotely. None when it surely does not."""

    @abc.abstractmethod
    def limits(self) -> Limits:
        """The length rule for replies on this account."""

    def may_resend(self, reply: ReplyRequest) -> bool:
        """After an unknown outcome and a lookup that found nothing, may this
        reply be sent again? (Bluesky: yes for a post, whose rkey makes it
        safe; no for a DM, which has no idempotency.)"""
        return self.resend_after_lookup

    def secret_update(self) -> str | None:
        """A new secret to store (a refreshed session), or None. The engine
        saves it to the keyring at once after every call."""
        return None

    def close(self) -> None:
        """Release connections."""
        return None
