"""Whom a Bluesky reply reaches: a post the author answered and every
handle its text mentions (rich-text facets), a direct message its members.
The spec's ``recipients`` gives it to the composer and the send guard.

Light on purpose (no HTTP library): ``parloir show`` imports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from console.sync.richtext import MENTION


def bluesky_recipients(
    body: str, extra: Mapping[str, Any], own: str, *, members: Sequence[str] = ()
) -> list[str]:
    """A post reaches the author answered and every handle the text
    mentions; a direct message reaches the conversation's members."""
    mine = own.lower().lstrip("@")
    if members:
        candidates = list(members)
    else:
        candidates = [str(extra.get("reply_to_handle") or ""), *MENTION.findall(body)]
    people: list[str] = []
    for handle in candidates:
        h = handle.lower().lstrip("@")
        if h and h != mine and h not in people:
            people.append(h)
    return people
