"""How long a reply may be, by each network's rule: the one place the
composer's counter, ``save_draft`` and ``send`` all ask.

- Mastodon counts code points, every URL as 23, and a mention
  @user@domain as just "@user" (the instance's limit; 500 by default).
- Bluesky counts grapheme clusters: 300 for a post (and 3,000 UTF-8
  bytes), 1,000 for a direct message (and 10,000 bytes). Python's ``re``
  has no ``\\X``, so clusters are approximated: a base character plus
  combining marks, variation selectors, skin-tone modifiers and
  zero-width-joiner sequences, and regional-indicator pairs (flags).
- E-mail has no length rule, but a reply is at most 1 MB (UTF-8).

Two bounds exist: the network's limit, which ``send`` enforces (nothing
longer is queued), and the draft ceiling, which ``save_draft`` enforces:
higher than any network's limit so that a draft being shortened is still
saved (typed text is never lost), low enough that no one can store or
render 50 MB.
"""

from __future__ import annotations

import re
from typing import Any

from console.sync.richtext import graphemes

URL = re.compile(r"https?://\S+")
MENTION = re.compile(r"(@[\w.]+)@[\w.-]+\w")
LIMITS = {"mastodon": 500, "bluesky": 300}
BLUESKY_POST_BYTES = 3000
BLUESKY_DM_LIMIT = 1000
BLUESKY_DM_BYTES = 10_000
#: An e-mail reply, and an e-mail draft, is at most this many UTF-8 bytes.
EMAIL_MAX_BYTES = 1_000_000
#: Any other draft (and any reply at all) is at most this many characters.
DRAFT_MAX_CHARS = 100_000
#: An instance's own limit is believed between these bounds.
_CONFIGURED_RANGE = (1, DRAFT_MAX_CHARS)


def configured_limit(config: Any) -> int | None:
    """The instance's limit stored with the account (``config["limits"]``),
    when it is a sane number; None otherwise (then the default applies)."""
    limits = config.get("limits") if isinstance(config, dict) else None
    value = limits.get("max_length") if isinstance(limits, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    low, high = _CONFIGURED_RANGE
    return value if low <= value <= high else None


def limit_for(
    network: str, *, kind: str | None = None, configured: int | None = None
) -> int | None:
    """The longest reply the network takes, in its own unit; None: no rule."""
    if network == "mastodon" and configured:
        return configured
    if network == "bluesky" and kind == "direct":
        return BLUESKY_DM_LIMIT
    return LIMITS.get(network)


def mastodon_length(text: str, url_length: int = 23) -> int:
    text = URL.sub("x" * url_length, text)
    text = MENTION.sub(r"\1", text)
    return len(text)


def measure(text: str, network: str) -> int:
    if network == "bluesky":
        return graphemes(text)
    if network == "mastodon":
        return mastodon_length(text)
    return len(text)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _over_ceiling(text: str, network: str) -> tuple[str, str] | None:
    """(how big the text is, the most allowed) when it is over the draft
    ceiling; cheap, so it runs before any counting of a huge text."""
    if network == "email":
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > EMAIL_MAX_BYTES:
            return _megabytes(size), "an e-mail reply may be at most 1 MB"
        return None
    if len(text) > DRAFT_MAX_CHARS:
        return f"{len(text):,} characters", f"a reply may be at most {DRAFT_MAX_CHARS:,}"
    return None


def draft_problem(text: str, network: str) -> str | None:
    """Why a draft this long cannot be saved (one sentence), or None."""
    over = _over_ceiling(text, network)
    if over is None:
        return None
    return f"This draft is {over[0]} and {over[1]}, so it was not saved: shorten it."


def reply_problem(
    text: str, network: str, *, kind: str | None = None, configured: int | None = None
) -> str | None:
    """Why this reply cannot be sent on the network (one sentence), or None.

    ``text`` is the reply as it goes out (Mastodon: with the @mentions the
    provider puts in front, which the server counts too).
    """
    over = _over_ceiling(text, network)
    if over is not None:
        return f"This reply is {over[0]} and {over[1]}: shorten it, then send."
    name = {"mastodon": "Mastodon", "bluesky": "Bluesky"}.get(network, network)
    if network == "bluesky":
        max_bytes = BLUESKY_DM_BYTES if kind == "direct" else BLUESKY_POST_BYTES
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            return (
                f"This reply is {size:,} bytes long and {name} allows {max_bytes:,}: "
                "shorten it, then send."
            )
    limit = limit_for(network, kind=kind, configured=configured)
    if limit is not None:
        length = measure(text, network)
        if length > limit:
            return (
                f"This reply is {length:,} characters long and {name} allows {limit:,}: "
                "shorten it, then send."
            )
    return None
