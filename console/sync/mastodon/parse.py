"""Mastodon JSON in, records out: pure functions, no HTTP.

Tested from recorded answers of mastodon-mock (tests/fixtures/mastodon/,
tests/test_mastodon_parse.py). Every value a server sends is checked for
its type and size before it reaches a record; times are bounded
(console/models/timebounds.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from console.models.timebounds import bound_and_keep, bound_remote_time
from console.sync.base import (
    BadRecord,
    ContactRecord,
    Direction,
    Kind,
    LengthRule,
    Limits,
    MessageRecord,
)
from console.sync.html import html_to_text, sanitize_html
from console.sync.mastodon.addressing import canonical_acct
from console.sync.mastodon.mentions import LOOSE
from console.sync.numbers import server_int

#: The longest reply limit an instance may announce (forks go to 100,000).
MAX_CHARACTERS = 1_000_000


def note_id(note: Any) -> str | None:
    return str(note["id"]) if isinstance(note, dict) and note.get("id") else None


def note_time(note: Any) -> datetime | None:
    """A notification's time for the history window (bounded like every
    remote time), None when it has none."""
    if not isinstance(note, dict) or not note.get("created_at"):
        return None
    return bound_remote_time(note.get("created_at"))


def link(value: Any) -> str | None:
    """A link from a payload: text of sane length, else nothing (a server's
    number or object there must not reach the cache)."""
    return value if isinstance(value, str) and 0 < len(value) <= 2048 else None


def word(value: Any) -> str | None:
    """A short keyword from a payload (visibility), else None."""
    return value if isinstance(value, str) and 0 < len(value) <= 32 else None


def contact(account: Mapping[str, Any], domain: str) -> ContactRecord:
    """An account JSON as a contact, keyed by its canonical user@domain."""
    acct = canonical_acct(str(account["acct"]), domain)
    return ContactRecord(
        network="mastodon",
        remote_id=acct,
        handle=acct,
        name=str(account.get("display_name") or account.get("username") or acct),
        avatar_url=link(account.get("avatar_static")) or link(account.get("avatar")),
    )


def status_message(
    status: Mapping[str, Any], thread_key: str, kind: Kind, *, me: str, domain: str
) -> MessageRecord:
    """A status JSON as a message; ``me`` is our account's id (our own
    statuses are outbound). BadRecord when a required field is missing."""
    try:
        account = status["account"]
        content = str(status.get("content") or "")
        direction = Direction.OUT if str(account["id"]) == me else Direction.IN
        mentions = [canonical_acct(str(m["acct"]), domain) for m in status.get("mentions") or []]
        raw: dict[str, Any] = {"mentions": mentions} if mentions else {}
        # Times are the sender's choice: bounded (console/models/timebounds.py).
        sent_at = bound_and_keep(status.get("created_at"), None, raw, "created_at")
        edited = status.get("edited_at")
        edited_at = bound_and_keep(edited, None, raw, "edited_at") if edited else None
        return MessageRecord(
            remote_id=str(status["id"]),
            thread_key=thread_key,
            kind=kind,
            direction=direction,
            author=contact(account, domain),
            sent_at=sent_at,
            text=html_to_text(content),
            html=sanitize_html(content),
            url=link(status.get("url")) or link(status.get("uri")),
            in_reply_to=str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None,
            visibility=word(status.get("visibility")),
            edited_at=edited_at,
            mentions=mentions,
            raw=raw or None,
        )
    except (KeyError, TypeError) as exc:
        raise BadRecord(f"malformed status: missing {exc}", str(status.get("id"))) from exc


def dm_key(accounts: list[Any], own: str, domain: str) -> str:
    """A DM thread is keyed by who takes part (us excepted), not by the
    server's conversation id, which some servers change on every message
    (mastodon-mock mirrors the latest status id)."""
    mine = canonical_acct(own, domain)
    others = sorted(
        {canonical_acct(str(a["acct"]), domain) for a in accounts if isinstance(a, dict)} - {mine}
    )
    return "dm:" + ",".join(others) if others else ""


def thread_key(root: Mapping[str, Any]) -> str:
    """A public thread is keyed by its root status's URI (else its id)."""
    return str(root.get("uri") or root.get("id"))


def comparable(text: str) -> str:
    """Text as find_sent compares it: no @mentions, spaces collapsed, lower case."""
    text = LOOSE.sub("", text)
    return " ".join(text.split()).lower()


def instance_limits(data: Any) -> Limits:
    """The reply limit an /api/v2 (or v1) instance answer announces, each
    number validated: a string, a negative or 1e999 (infinity) there
    crashed every sync; out of range means Mastodon's default (500, URLs
    as 23). AttributeError when the answer is not an object."""
    statuses = (data.get("configuration") or {}).get("statuses") or {}
    found = server_int(statuses.get("max_characters"), 1, MAX_CHARACTERS)
    reserved = server_int(statuses.get("characters_reserved_per_url"), 0, 1000)
    per_url = reserved if reserved is not None else 23
    return Limits(found or 500, LengthRule.CHARACTERS, url_length=per_url)
