"""Mastodon's @mention syntax: @user on the account's own instance,
@user@domain elsewhere. Its one home: addressing, the length counter and
find_sent's comparison read these patterns, nothing else spells them.

They are three patterns, not one, because each use has always matched a
little differently, and the cases where they disagree are pinned by
tests/test_mastodon_mentions.py:

- :data:`NAMED`, whom a text names (addressing): not inside a word or a
  link, the user may hold ``.``/``-`` between word characters, a domain
  needs a dot; group 1 is the acct without its "@".
- :data:`COUNTED`, what Mastodon's length counter shortens to "@user":
  only @user@domain, anywhere (also inside a word), the domain without a
  dot (``@u@localhost``); group 1 is "@user".
- :data:`LOOSE`, what find_sent ignores when it compares a sent text with
  a status: any "@" and the word characters, dots, hyphens and "@" after it
  (an address's domain too, on both sides alike).

Mastodon itself has one (``Account::MENTION_RE``); making these follow it
would change which texts count and address differently, a decision of its
own (docs/decisions.md, "Mastodon's mention syntax has one home").
"""

from __future__ import annotations

import re

#: A mention a text names: @user or @user@domain (group 1: the acct).
NAMED = re.compile(r"(?<![\w@/])@(\w+(?:[.-]\w+)*(?:@[\w-]+(?:\.[\w-]+)+)?)")
#: A mention the length counter shortens: @user@domain (group 1: "@user").
COUNTED = re.compile(r"(@[\w.]+)@[\w.-]+\w")
#: Anything mention-like, dropped before find_sent compares texts.
LOOSE = re.compile(r"@[\w.@-]+")
