"""A network's length rule as a value: how a reply is counted, the most it
may be, and the draft ceiling.

Each network's spec (console/sync/<net>/spec.py) holds one
:class:`LengthPolicy`; console/sync/textlength.py asks the registry for it
by network name, so the composer's counter, ``save_draft`` and ``send``
all obey the same rule.

Two bounds exist: the network's limit, which ``send`` enforces (nothing
longer is queued), and the draft ceiling, which ``save_draft`` enforces:
higher than any network's limit so that a draft being shortened is still
saved (typed text is never lost), low enough that no one can store or
render 50 MB.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Any draft (and any reply at all) is at most this many characters, unless
#: the network's ceiling is counted in bytes instead.
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


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class LengthPolicy:
    """How one network counts and bounds a reply.

    ``limit``/``max_bytes`` bound a post, ``direct_limit``/``direct_max_bytes``
    a direct message (when the network has other bounds there);
    ``honours_configured``: the instance's own limit, kept in the account,
    replaces ``limit`` (Mastodon). ``ceiling_bytes``: the draft ceiling is
    counted in UTF-8 bytes rather than characters (e-mail: 1 MB).
    """

    name: str = ""
    limit: int | None = None
    direct_limit: int | None = None
    max_bytes: int | None = None
    direct_max_bytes: int | None = None
    counter: Callable[[str], int] = len
    honours_configured: bool = False
    ceiling_bytes: int | None = None
    ceiling_words: str = ""

    def limit_for(self, kind: str | None = None, configured: int | None = None) -> int | None:
        """The longest reply the network takes, in its own unit; None: no rule."""
        if self.honours_configured and configured:
            return configured
        if kind == "direct" and self.direct_limit is not None:
            return self.direct_limit
        return self.limit

    def measure(self, text: str) -> int:
        return self.counter(text)

    def over_ceiling(self, text: str) -> tuple[str, str] | None:
        """(how big the text is, the most allowed) when it is over the draft
        ceiling; cheap, so it runs before any counting of a huge text."""
        if self.ceiling_bytes is not None:
            size = _utf8_size(text)
            if size > self.ceiling_bytes:
                return _megabytes(size), self.ceiling_words
            return None
        if len(text) > DRAFT_MAX_CHARS:
            return f"{len(text):,} characters", f"a reply may be at most {DRAFT_MAX_CHARS:,}"
        return None

    def draft_problem(self, text: str) -> str | None:
        """Why a draft this long cannot be saved (one sentence), or None."""
        over = self.over_ceiling(text)
        if over is None:
            return None
        return f"This draft is {over[0]} and {over[1]}, so it was not saved: shorten it."

    def reply_problem(
        self, text: str, *, kind: str | None = None, configured: int | None = None
    ) -> str | None:
        """Why this reply cannot be sent on the network (one sentence), or None.

        ``text`` is the reply as it goes out (Mastodon: with the @mentions the
        provider puts in front, which the server counts too).
        """
        over = self.over_ceiling(text)
        if over is not None:
            return f"This reply is {over[0]} and {over[1]}: shorten it, then send."
        max_bytes = self.direct_max_bytes if kind == "direct" else self.max_bytes
        if max_bytes is not None:
            size = _utf8_size(text)
            if size > max_bytes:
                return (
                    f"This reply is {size:,} bytes long and {self.name} allows {max_bytes:,}: "
                    "shorten it, then send."
                )
        limit = self.limit_for(kind, configured)
        if limit is not None:
            length = self.measure(text)
            if length > limit:
                return (
                    f"This reply is {length:,} characters long and {self.name} allows "
                    f"{limit:,}: shorten it, then send."
                )
        return None


#: The rule of a network nobody declared: no limit, the plain draft ceiling.
PLAIN = LengthPolicy()
