"""Mastodon's @mention syntax, pinned: which strings are mentions and what
each pattern captures.

Three uses read it, each with its own pattern (console/sync/mastodon/mentions.py
says why they differ): whom a reply names (``NAMED``: @user or
@user@domain, the acct captured), what the length counter shortens
(``COUNTED``: @user@domain counts as @user), and what find_sent ignores
when it compares texts (``LOOSE``). The cases where they disagree are
pinned on purpose: changing one is a decision, not a refactor.
"""

from __future__ import annotations

import pytest

from console.sync.mastodon.mentions import COUNTED, NAMED
from console.sync.mastodon.parse import comparable
from console.sync.mastodon.spec import mastodon_length


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("@bob", ["bob"]),
        ("hi @bob@social.example!", ["bob@social.example"]),
        ("@Bob@Social.Example", ["Bob@Social.Example"]),  # as written; compared lower case
        ("@a-b@x.y @a.b@x-y.z @_x@y.z", ["a-b@x.y", "a.b@x-y.z", "_x@y.z"]),
        ("@bób@exämple.org", ["bób@exämple.org"]),
        ("(@bob@s.e), @carol.", ["bob@s.e", "carol"]),  # punctuation ends a mention
        ("@bob@social.example.", ["bob@social.example"]),
        ("@u@localhost", ["u"]),  # a domain has a dot: this names the local u
        ("@a..b@x.y", ["a"]),
        ("foo@bar@baz.com", []),  # inside a word: not a mention
        ("mail bob@x.org", []),
        ("http://x/@bob", []),  # a profile link
        ("@@bob", []),
    ],
)
def test_the_mentions_a_reply_names(text: str, named: list[str]) -> None:
    assert NAMED.findall(text) == named


@pytest.mark.parametrize(
    ("text", "shortened", "length"),
    [
        ("@bob@social.example", "@bob", 4),
        ("hi @bob@social.example!", "hi @bob!", 8),
        ("(@bob@s.e)", "(@bob)", 6),
        ("@bob@social.example.", "@bob.", 5),
        ("@bob", "@bob", 4),  # no domain: nothing to shorten
        ("@u@localhost", "@u", 2),  # unlike NAMED, no dot needed in the domain
        ("@a..b@x.y", "@a..b", 5),
        ("foo@bar@baz.com", "foo@bar", 7),  # unlike NAMED, inside a word too
        ("@a-b@x.y", "@a-b@x.y", 8),  # unlike NAMED, no hyphen in the user
        ("mail bob@x.org", "mail bob@x.org", 14),
    ],
)
def test_what_the_length_counter_shortens(text: str, shortened: str, length: int) -> None:
    assert COUNTED.sub(r"\1", text) == shortened
    assert mastodon_length(text) == length


def test_the_counter_captures_the_user_with_its_at() -> None:
    assert [m.group(1) for m in COUNTED.finditer("@a@b.c and @d.e@f-g.h")] == ["@a", "@d.e"]


@pytest.mark.parametrize(
    ("text", "compared"),
    [
        ("@bob@social.example Thanks!", "thanks!"),
        ("hi @bob and @carol@s.e", "hi and"),
        ("mail bob@x.org", "mail bob"),  # any @word goes, even an address's domain
        ("(@bob@s.e)", "()"),
    ],
)
def test_what_find_sent_ignores_when_comparing(text: str, compared: str) -> None:
    assert comparable(text) == compared
