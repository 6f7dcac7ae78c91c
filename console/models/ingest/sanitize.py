"""Records made storable before any rule sees them: times inside the
bounds a listing can show, text SQLite can encode, one record per remote id.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from console.models.records import MessageRecord
from console.models.timebounds import EARLIEST, FUTURE_SKEW, bound_and_keep
from console.models.types import utcnow

log = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(value: Any) -> Any:
    """Text SQLite can store: a lone surrogate (JSON's "\\ud800", which a
    sender can write) cannot be encoded as UTF-8 and made the whole chunk
    fail on every pass; it becomes U+FFFD. Lists and dicts are walked."""
    if isinstance(value, str):
        if value.isascii():
            return value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _SURROGATE.sub("\ufffd", value)
        return value
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, (dict, Mapping)):  # dict first: the ABC check is slow
        return {clean(str(k)): clean(v) for k, v in value.items()}
    return value


def _storable(rec: MessageRecord) -> bool:
    """Whether every text field of ``rec`` is a string UTF-8 can encode: the
    common case, checked with one join and one test instead of a call per
    field (this was a third of ingest's Python time). A surrogate stays a
    lone code point when joined, so the joined string fails exactly when
    one of the fields would."""
    author = rec.author
    parts: list[str | None] = [
        rec.remote_id,
        rec.thread_key,
        rec.text,
        rec.html,
        rec.url,
        rec.in_reply_to,
        rec.subject,
        rec.visibility,
        author.network,
        author.remote_id,
        author.handle,
        author.name,
        author.avatar_url,
        author.email,
    ]
    if rec.mentions:
        parts += rec.mentions
    if rec.parents:
        parts += rec.parents
    for attachment in rec.attachments:
        parts += (attachment.name, attachment.mime_type, attachment.url, attachment.ref)
    if rec.locations:
        parts += (location.folder for location in rec.locations)
    try:
        joined = "".join(filter(None, parts))
    except TypeError:  # not a string: the walk below decides
        return False
    if joined.isascii():
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(rec: MessageRecord) -> None:
    """Every text of a record as :func:`clean` makes it (in place)."""
    if _storable(rec):
        rec.mentions = list(rec.mentions)
        rec.parents = list(rec.parents)
        if rec.raw is not None:
            rec.raw = clean(rec.raw)
        return
    for name in ("remote_id", "thread_key", "text", "html", "url", "in_reply_to", "subject"):
        setattr(rec, name, clean(getattr(rec, name)))
    rec.visibility = clean(rec.visibility)
    author = rec.author
    for name in ("network", "remote_id", "handle", "name", "avatar_url", "email"):
        setattr(author, name, clean(getattr(author, name)))
    rec.mentions = clean(list(rec.mentions))
    rec.parents = clean(list(rec.parents))
    for attachment in rec.attachments:
        for name in ("name", "mime_type", "url", "ref"):
            setattr(attachment, name, clean(getattr(attachment, name)))
    for location in rec.locations:
        location.folder = clean(location.folder)
    if rec.raw is not None:
        rec.raw = clean(rec.raw)


def _in_bounds(value: object, latest: datetime) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None and EARLIEST <= value <= latest


def bound_times(rec: MessageRecord, latest: datetime) -> None:
    """The last line of defence behind the providers' own bounds: no record
    from any provider stores a time a listing cannot turn back into a date
    (console/models/timebounds.py). A replaced time is kept, as given, in
    the record's raw payload."""
    if _in_bounds(rec.sent_at, latest) and (
        rec.edited_at is None or _in_bounds(rec.edited_at, latest)
    ):
        return
    raw: dict[str, Any] = dict(rec.raw) if isinstance(rec.raw, Mapping) else {}
    rec.sent_at = bound_and_keep(rec.sent_at, None, raw, "sent_at")
    if rec.edited_at is not None:
        rec.edited_at = bound_and_keep(rec.edited_at, None, raw, "edited_at")
    rec.raw = raw
    log.warning("message %s: a time outside the bounds was replaced", rec.remote_id[:200])


def prepare(messages: Sequence[MessageRecord]) -> list[MessageRecord]:
    """The chunk's records bounded and cleaned (in place), the last of
    several with one remote id kept, in first-seen order."""
    latest = utcnow() + FUTURE_SKEW
    unique: dict[str, MessageRecord] = {}
    for rec in messages:
        bound_times(rec, latest)
        clean_text(rec)
        unique[rec.remote_id] = rec
    return list(unique.values())
