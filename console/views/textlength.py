"""Reply length by each network's rule, for the composer's counter.

- Mastodon counts code points, every URL as 23, and a mention
  @user@domain as just "@user" (the instance's limit; 500 by default).
- Bluesky counts grapheme clusters: 300. Python's ``re`` has no ``\\X``, so
  clusters are approximated: a base character plus combining marks,
  variation selectors, skin-tone modifiers and zero-width-joiner sequences,
  and regional-indicator pairs (flags).
- E-mail has no limit.
"""

from __future__ import annotations

import re
import unicodedata

URL = re.compile(r"https?://\S+")
MENTION = re.compile(r"(@[\w.]+)@[\w.-]+\w")
LIMITS = {"mastodon": 500, "bluesky": 300}
ZWJ = "\u200d"


def limit_for(network: str) -> int | None:
    return LIMITS.get(network)


def mastodon_length(text: str, url_length: int = 23) -> int:
    text = URL.sub("x" * url_length, text)
    text = MENTION.sub(r"\1", text)
    return len(text)


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


def measure(text: str, network: str) -> int:
    if network == "bluesky":
        return graphemes(text)
    if network == "mastodon":
        return mastodon_length(text)
    return len(text)
