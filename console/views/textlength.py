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

from console.sync.richtext import graphemes

URL = re.compile(r"https?://\S+")
MENTION = re.compile(r"(@[\w.]+)@[\w.-]+\w")
LIMITS = {"mastodon": 500, "bluesky": 300}


def limit_for(network: str) -> int | None:
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
