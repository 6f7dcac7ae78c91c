"""What a network declares about itself: :class:`NetworkSpec` and its parts.

A network's package (console/sync/<net>/) holds its provider, parser and
sign-in, and its ``spec.py`` says everything the rest of Parloir needs to
know about it: the key scheme of outbox items, the length rule, whether a
resend is safe, how an account signs in (the form fields the CLI's
``account add <net>`` and the dialogs offer) and signs in again (the check
of a new secret), its icon,
how a reply is addressed. Services, views and the CLI ask the spec and
never branch on a network's name. The registry of specs is
console/sync/networks.py; adding a network is a new package plus one line
there (docs/adding-a-network.md).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from console.sync.base import AccountInfo, Limits, Provider
from console.sync.lengths import LengthPolicy


class Reauth(enum.StrEnum):
    """What a person gives to sign an account in again."""

    OAUTH = "oauth"  # a token, from the browser or pasted
    APP_PASSWORD = "app_password"
    PASSWORD = "password"
    NONE = "none"


def _read_all(stdin: TextIO) -> str:
    return stdin.read().strip()


@dataclass(frozen=True, slots=True)
class SignInField:
    """One value a sign-in asks for.

    ``key`` names it in the values ``services.signin.add_account`` takes;
    ``option`` is its command-line option. A ``secret`` never appears on a
    command line: its option is a flag that says the value is on standard
    input (read by ``read``; ``missing`` is the sentence when it is empty).
    """

    key: str
    option: str
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    secret: bool = False
    missing: str = ""
    read: Callable[[TextIO], str] = _read_all


@dataclass(frozen=True, slots=True)
class SignInIO:
    """Where an interactive sign-in talks to the person: a pasted code is
    read from ``stdin``, warnings and prompts go to ``stderr``.
    ``show_address``: the window's way to show an address the person opens
    themselves when no browser could be started (called from the sign-in's
    thread); None on the command line, which prints it and reads a code."""

    stdin: TextIO | None = None
    stderr: TextIO | None = None
    show_address: Callable[[str], None] | None = None


@dataclass(frozen=True, slots=True)
class NewAccount:
    """An account whose credentials the network accepted, not yet stored."""

    network: str
    handle: str
    server: str
    secret: str | None
    remote_id: str | None = None
    display_name: str = ""
    config: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Known:
    """What the cache knows of an account being signed in again."""

    network: str
    handle: str
    server: str
    remote_id: str | None
    config: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What a network's check of a new secret found: whom it signs in, and
    the secret to keep (Bluesky keeps a session, not the app password alone)."""

    remote_id: str | None
    handle: str
    secret: str
    what: str = "sign-in"  # what the person gave, for a refusal: "That token belongs to..."


@dataclass(frozen=True, slots=True)
class ReplyFacts:
    """What decides whom a reply reaches and how its text goes out: the
    body, the thread's facts (addressing.thread_extra), our own handle and
    domain, whether it is a direct message, and (asked only when needed) the
    authors of the conversation's inbound messages."""

    body: str
    extra: Mapping[str, Any]
    handle: str
    domain: str
    direct: bool = False
    members: Callable[[], Sequence[str]] = tuple


def default_recipients(facts: ReplyFacts) -> list[str]:
    """The author answered, unless that is ourselves."""
    handle = str(facts.extra.get("reply_to_handle") or "")
    return [handle] if handle and handle.lower() != facts.handle.lower() else []


def plain_text(facts: ReplyFacts) -> str:
    return facts.body


def uuid_key(handle: str) -> str:
    """An idempotency key that is a random UUID."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class NetworkSpec:
    """Everything Parloir outside the network's package knows about it.

    - ``provider``: makes the account's Provider (imports lazily, so that
      ``parloir queue`` never loads an HTTP or IMAP library it does not use);
      ``timeout`` are connect/read seconds.
    - ``new_key``: the outbox item's idempotency key, chosen before sending.
    - ``resend_safe``: after a lookup finds nothing, resending cannot make a
      second reply (the key makes the server refuse a duplicate).
    - ``sign_in``: verifies the values of ``sign_in_fields`` with the network.
    - ``sign_in_again``: checks the new secret in the sign-in form's values
      for an account the cache knows (services.reauth does the rest); None:
      signing in again is not offered.
    - ``recipients``/``outgoing``: whom a reply reaches, the text as sent.
    - ``other_recipients_hold``: a reply reaching anyone but the author
      answered waits for a confirmation (e-mail's Reply-To can send it
      elsewhere).
    """

    name: str
    display_name: str
    icon: str
    provider: Callable[[AccountInfo, str | None, tuple[float, float]], Provider]
    length: LengthPolicy
    default_limits: Limits
    sign_in: Callable[[Mapping[str, Any], SignInIO], NewAccount]
    sign_in_fields: tuple[SignInField, ...] = ()
    reauth: Reauth = Reauth.NONE
    sign_in_again: Callable[[Known, Mapping[str, Any], SignInIO], SignedIn] | None = None
    #: The Settings button's English text ("Add Mastodon account…"), which
    #: the views translate; empty: "Add <display name> account…".
    add_label: str = ""
    new_key: Callable[[str], str] = uuid_key
    resend_safe: bool = True
    recipients: Callable[[ReplyFacts], list[str]] = default_recipients
    outgoing: Callable[[ReplyFacts], str] = plain_text
    other_recipients_hold: bool = False
