"""Where a search's words are in a text, to highlight them: in the queue
row's preview (queue_cells' delegate) and in the open conversation's
thread (thread_view).

A word matches where a word of the text starts with it, accents and case
ignored, as the full-text index matches (services/queue/sql.py,
``fts_query``: every word a prefix). The thread's markup is escaped
first; :func:`mark_markup` only ever wraps text between tags, re-escaped,
so a highlight never breaks the escaping.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from console.services.queue import MIN_PREFIX

#: The highlight, in the thread (the row's delegate paints the same colour).
MARK_COLOUR = "#ffe58a"
MARK_OPEN = f"<span style='background-color:{MARK_COLOUR};color:#000'>"
MARK_CLOSE = "</span>"
_TAG = re.compile(r"(<[^>]*>)")


def _fold(ch: str) -> str:
    """One character without accent, lower case, still one character (so
    positions in the folded text are positions in the text)."""
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    folded = base.casefold()
    return folded[0] if folded else ch


def fold(text: str) -> str:
    return "".join(_fold(ch) for ch in text)


def spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each place a word of ``text`` starts with one of
    ``words``, in order, not overlapping. Words shorter than MIN_PREFIX match whole
    words only, as in the search."""
    wanted = sorted({fold(w) for w in words if w}, key=len, reverse=True)
    if not wanted or not text:
        return []
    folded = fold(text)
    found: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isalnum() and (i == 0 or not text[i - 1].isalnum()):
            for w in wanted:
                end = i + len(w)
                whole = len(w) >= MIN_PREFIX or end >= n or not text[end].isalnum()
                if folded.startswith(w, i) and whole:
                    found.append((i, end))
                    i = end
                    break
            else:
                i += 1
            continue
        i += 1
    return found


def mark_text(text: str, words: Sequence[str]) -> str:
    """Plain ``text`` escaped as HTML with the matches wrapped."""
    out: list[str] = []
    at = 0
    for start, end in spans(text, words):
        out.append(html.escape(text[at:start], quote=False))
        out.append(MARK_OPEN + html.escape(text[start:end], quote=False) + MARK_CLOSE)
        at = end
    out.append(html.escape(text[at:], quote=False))
    return "".join(out)


def mark_markup(markup: str, words: Sequence[str]) -> str:
    """Escaped ``markup`` with the matches in its text (never in a tag or
    an attribute) wrapped; unchanged without words."""
    if not any(words):
        return markup
    parts = _TAG.split(markup)
    for k in range(0, len(parts), 2):  # even parts are text between tags
        if parts[k]:
            plain = html.unescape(parts[k])
            if spans(plain, words):
                parts[k] = mark_text(plain, words)
    return "".join(parts)
