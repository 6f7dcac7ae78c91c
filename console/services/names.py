"""The rule for names people give things: tags and team members.

A name is text the whole team reads in lists, filters and mentions, so it
is held to one rule, the same from the CLI and the window: NFC, trimmed,
runs of spaces inside made one space, 1 to 64 characters, no control,
bidi or other invisible format character (those can fake another name or
break a line), and unique by case: ``LIVRAISON`` typed beside an existing
``livraison`` is that tag, ``ana souza`` is Ana Souza.

ZWNJ and ZWJ are allowed (Persian and Indic names, emoji sequences need
them) but ignored when comparing, so they cannot make an invisible twin.
"""

from __future__ import annotations

import re
import unicodedata

from console.services.errors import InvalidArgument

MAX_LENGTH = 64

_JOINERS = "\u200c\u200d"
#: Runs of spaces (any space separator), not line breaks or tabs: those are refused.
_SPACES = re.compile(r"[^\S\n\r\t\v\f\x1c-\x1f\x85\u2028\u2029]+")


def _refused(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs", "Zl", "Zp"):
        return True
    return category == "Cf" and ch not in _JOINERS


def clean(value: str, what: str) -> str:
    """``value`` made a valid name, or InvalidArgument in one sentence.

    ``what`` names the thing for the sentence ("A tag", "A team member's name").
    """
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", value).strip())
    if not name:
        raise InvalidArgument(f"{what} needs at least one character.")
    bad = next((ch for ch in name if _refused(ch)), None)
    if bad is not None:
        raise InvalidArgument(
            f"{what} cannot hold the invisible or control character U+{ord(bad):04X}; "
            "type it again without it."
        )
    if len(name) > MAX_LENGTH:
        raise InvalidArgument(f"{what} can be at most {MAX_LENGTH} characters, not {len(name)}.")
    return name


def key(name: str) -> str:
    """What two names are compared by: twins (case, normalisation, spacing,
    joiners) have the same key. Never raises, so it also reads old rows."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", name).strip()).casefold()
    return unicodedata.normalize("NFC", text).translate({ord(j): None for j in _JOINERS})
