"""Bluesky rich text: grapheme clusters and facets.

A post allows 300 grapheme clusters and 3,000 UTF-8 bytes. Mentions and
links are not markup in the text: they are *facets*, ranges given in UTF-8
byte offsets (not characters) with a feature each (a mention carries the
DID, a link the URI). Qt-free: the composer's counter and the provider
share it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

ZWJ = "\u200d"
MAX_GRAPHEMES = 300
MAX_BYTES = 3000

# A handle after "@": labels of letters, digits and hyphens, at least one dot.
MENTION = re.compile(
    r"(?<![\w@/])@([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+)"
)
LINK = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def _extends(ch: str) -> bool:
    cp = ord(ch)
    return (
        unicodedata.combining(ch) != 0
        or unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0x1F3FB <= cp <= 0x1F3FF  # skin tones
        or 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)
    )


def graphemes(text: str) -> int:
    """Grapheme clusters, approximated without ``\\X`` (see module doc of textlength)."""
    count = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        i += 1
        if 0x1F1E6 <= ord(ch) <= 0x1F1FF and i < n and 0x1F1E6 <= ord(text[i]) <= 0x1F1FF:
            i += 1  # a flag: two regional indicators
        while i < n and (_extends(text[i]) or text[i] == ZWJ):
            if text[i] == ZWJ and i + 1 < n:
                i += 2  # joiner plus the joined character
            else:
                i += 1
        if ch == "\r" and i < n and text[i] == "\n":
            i += 1
        count += 1
    return count


def byte_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Character offsets -> UTF-8 byte offsets."""
    begin = len(text[:start].encode("utf-8"))
    return begin, begin + len(text[start:end].encode("utf-8"))


def facets(text: str, resolve: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """Mention and link facets of ``text``; ``resolve(handle)`` gives the
    DID of a handle, or None (then no facet: the text stays plain)."""
    out: list[dict[str, Any]] = []
    for match in MENTION.finditer(text):
        did = resolve(match.group(1).lower())
        if did:
            start, end = byte_range(text, match.start(), match.end())
            out.append(
                {
                    "index": {"byteStart": start, "byteEnd": end},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                }
            )
    for match in LINK.finditer(text):
        start, end = byte_range(text, match.start(), match.end())
        out.append(
            {
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}],
            }
        )
    return out
