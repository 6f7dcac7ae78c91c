"""The provider contract every network implements.

A provider is plain Python with no Qt and no database access: given an
account (its public settings), its secret and its cursors, it fetches what
changed since the cursors and returns normalised records plus new cursors.
The sync engine hands those records to the writer (console/models/ingest/),
which commits records and cursors in one transaction, so a provider never has
to care about crashes: it only has to be deterministic about remote ids.

Errors are typed so the engine can react without parsing messages:

- :class:`AuthError` -> the account needs re-authentication; no more polls.
- :class:`RateLimited` -> wait ``retry_after`` seconds, this account only.
- :class:`TransientError` -> timeouts, 5xx, refused, DNS: back off and retry
  (:class:`NotAServer`: the address answers, but not as the server should).
- :class:`BadRecord` -> one payload could not be understood; providers catch
  it themselves per record, log it and go on (a sync never stops on one bad
  record), and report the skipped ids in :attr:`FetchResult.skipped`.
"""

from __future__ import annotations

import abc
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from console.models.records import (
    Attachment,
    ContactRecord,
    Direction,
    FetchResult,
    Kind,
    Location,
    MessageRecord,
    Network,
    ThreadMerge,
    Tombstone,
)

# The records and enums live in the bottom layer (console/models/records.py),
# because ingest is written against them; providers import them from here,
# with the rest of their contract (hence __all__ at the end).
from console.models.settings_registry import HISTORY_DAYS
from console.sync.numbers import MAX_WAIT_S

# --------------------------------------------------------------------------
# errors


class ProviderError(Exception):
    """Base of the typed errors; ``str(err)`` is one sentence for a user."""


class AuthError(ProviderError):
    """The credentials were refused (revoked token, wrong password)."""


class RateLimited(ProviderError):
    """The server asked us to slow down; wait ``retry_after`` seconds
    (always finite, at most :data:`console.sync.numbers.MAX_WAIT_S`)."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        try:
            wait = float(retry_after)
        except (TypeError, ValueError, OverflowError):
            wait = 0.0
        self.retry_after = 0.0 if math.isnan(wait) else min(MAX_WAIT_S, max(0.0, wait))


class TransientError(ProviderError):
    """Network trouble that is worth retrying later with backoff."""


class NotAServer(TransientError):
    """The address answers, but not as the network's server does (an HTML
    page, a 404 where the API should be): a wrong address, most likely.
    Transient to the engine (a server mid-upgrade can answer like this);
    a sign-in says so in its own sentence (sync/signin_errors.py)."""


class BadRecord(ProviderError):
    """One remote payload was malformed; skip it and keep the rest."""

    def __init__(self, message: str, remote_id: str | None = None) -> None:
        super().__init__(message)
        self.remote_id = remote_id


class SendOutcomeUnknown(ProviderError):
    """The request may have reached the server (timeout after sending,
    dropped connection, a 500): the outbox item becomes ``unknown`` and is
    settled by :meth:`Provider.find_sent`, never by blindly resending."""


def never_left(exc: BaseException) -> bool:
    """True when a request failed before any byte of it left: the
    connection was refused, the name did not resolve, connecting timed out.
    Then a reply surely was not sent (queued, not unknown)."""
    seen: BaseException | None = exc
    while seen is not None:
        name = type(seen).__name__
        if name in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError"):
            return True
        if name in ("ConnectTimeout", "InvalidURL", "MissingSchema", "InvalidSchema"):
            return True  # connecting timed out, or no request could even be made
        if "Connection refused" in str(seen):
            return True
        if "Name or service not known" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class SendRejected(ProviderError):
    """The server refused the reply for good (422, too long, thread gone)."""


class SignInRefused(ValueError):
    """A sign-in cannot go on as asked (declined in the browser, no code, a
    value that is not one): one sentence for the person. Not a
    ProviderError, which the engine acts on; services.signin turns it into
    an InvalidArgument, and the dialogs show any ValueError's text."""


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
    history_days: int = HISTORY_DAYS.default


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


__all__ = [
    "AccountInfo",
    "Attachment",
    "AuthError",
    "BadRecord",
    "ContactRecord",
    "Direction",
    "FetchResult",
    "Kind",
    "LengthRule",
    "Limits",
    "Location",
    "MessageRecord",
    "Network",
    "NotAServer",
    "Provider",
    "ProviderError",
    "RateLimited",
    "ReplyRequest",
    "SendOutcomeUnknown",
    "SendRejected",
    "SentReply",
    "SignInRefused",
    "ThreadMerge",
    "Tombstone",
    "TransientError",
]
