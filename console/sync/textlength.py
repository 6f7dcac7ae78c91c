"""How long a reply may be, by network name: the one place the composer's
counter, ``save_draft`` and ``send`` all ask.

Each network declares its rule once, as a :class:`LengthPolicy` in its spec
(Mastodon: code points, URLs as 23, a mention @user@domain as "@user", the
instance's own limit; Bluesky: grapheme clusters and UTF-8 bytes, other
bounds for a direct message; e-mail: no limit, at most 1 MB). This module
only finds the policy for a name; a network nobody declared has no limit
and the plain draft ceiling.
"""

from __future__ import annotations

from console.sync.lengths import DRAFT_MAX_CHARS, PLAIN, LengthPolicy, configured_limit
from console.sync.networks import find

__all__ = [
    "DRAFT_MAX_CHARS",
    "configured_limit",
    "draft_problem",
    "limit_for",
    "measure",
    "policy",
    "reply_problem",
]


def policy(network: str) -> LengthPolicy:
    found = find(network)
    return found.length if found is not None else PLAIN


def limit_for(
    network: str, *, kind: str | None = None, configured: int | None = None
) -> int | None:
    """The longest reply the network takes, in its own unit; None: no rule."""
    return policy(network).limit_for(kind, configured)


def measure(text: str, network: str) -> int:
    return policy(network).measure(text)


def draft_problem(text: str, network: str) -> str | None:
    """Why a draft this long cannot be saved (one sentence), or None."""
    return policy(network).draft_problem(text)


def reply_problem(
    text: str, network: str, *, kind: str | None = None, configured: int | None = None
) -> str | None:
    """Why this reply cannot be sent on the network (one sentence), or None."""
    return policy(network).reply_problem(text, kind=kind, configured=configured)
