"""What the command line prints: text that cannot drive the terminal.

Remote content (names, subjects, message bodies, server error strings) is
written by strangers. Printed raw, an escape sequence in it can set the
window title, write the clipboard (OSC 52), disguise a link (OSC 8) or
rewrite the lines above; a bidi override can make a name or an address read
as something else. Every human-readable line the CLI prints goes through
:func:`out` or :func:`err`, JSON through :func:`json_dumps`.

The visible form of a neutralised character is its JSON escape: ``\\u001b``
for ESC, ``\\u202e`` for RIGHT-TO-LEFT OVERRIDE (``\\U000e0041`` beyond the
BMP), so the terminal and ``--json`` show the same code. Neutralised:

- C0 controls, DEL and C1 controls (U+0000–U+001F, U+007F–U+009F), except a
  newline and a tab where the text legitimately holds several lines (a
  message body, a note); in a one-line field they become a space, so a
  subject cannot fake a second row of the table. ``\\r\\n`` is a newline.
- bidi embeddings, overrides, isolates and marks (U+202A–U+202E,
  U+2066–U+2069, U+200E, U+200F, U+061C), the line and paragraph separators
  (U+2028, U+2029) and every other invisible format character (Unicode
  category Cf: zero-width space, word joiner, BOM, tag characters...) except
  what text needs to render and that moves nothing: ZWNJ, ZWJ (emoji
  sequences), the soft hyphen, and tag characters inside a flag sequence.
- lone surrogates (undecodable bytes kept by ``surrogateescape``), which
  would otherwise make the write itself fail.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TextIO

#: Format characters (category Cf) that real text needs and that move nothing.
_KEPT_FORMAT = frozenset("\u00ad\u200c\u200d")

#: Every character :func:`unsafe` may refuse lies in this class (a superset,
#: so the regex engine skips ordinary text fast; the predicate decides).
_BEYOND_C0 = (
    "\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u089f\u08e2"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_CANDIDATES = "\x00-\x1f" + _BEYOND_C0
#: A subdivision flag (black flag, tag letters, cancel tag) is kept whole.
_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_TERMINAL = re.compile(f"{_FLAG}|\r\n|[{_CANDIDATES}]")


@lru_cache(maxsize=1024)
def unsafe(ch: str) -> bool:
    """True when ``ch`` must never reach a terminal as itself."""
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs", "Zl", "Zp"):
        return True
    return category == "Cf" and ch not in _KEPT_FORMAT


def code(ch: str) -> str:
    """The visible form of ``ch``: its escape as JSON or Python would write it."""
    point = ord(ch)
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


class _Table(dict[int, str]):
    """A ``str.translate`` table filled on demand: each distinct character is
    classified once, then looked up at C speed (a 10 MB body in well under a
    second, escape sequences or not)."""

    def __init__(self, replace: Callable[[str], str]) -> None:
        super().__init__()
        self._replace = replace

    def __missing__(self, point: int) -> str:
        ch = chr(point)
        value = self._replace(ch)
        self[point] = value
        return value


def _for_terminal(multiline: bool) -> Callable[[str], str]:
    def replace(ch: str) -> str:
        if ch in "\n\t":
            return ch if multiline else " "
        return code(ch) if unsafe(ch) else ch

    return replace


_BLOCK = _Table(_for_terminal(multiline=True))
_LINE = _Table(_for_terminal(multiline=False))


def _by_line(value: str, table: _Table, multiline: bool) -> str:
    """Translate only the lines that need it (most lines of a body need nothing)."""
    lines = [line if line.isprintable() else line.translate(table) for line in value.split("\n")]
    return ("\n" if multiline else " ").join(lines)


def safe(text: object, *, multiline: bool = False) -> str:
    """``text`` with every character that could drive a terminal shown as a visible code.

    ``multiline``: keep newlines and tabs (a message body); otherwise they
    become spaces and the result is exactly one line.
    """
    value = str(text)
    if value.isprintable():
        return value  # nothing unsafe is printable: the common case, at C speed
    if "\U0001f3f4" not in value:  # no flag sequence to keep whole: line by line
        return _by_line(value.replace("\r\n", "\n"), _BLOCK if multiline else _LINE, multiline)

    def visible(match: re.Match[str]) -> str:
        found = match.group()
        if found in ("\n", "\t", "\r\n"):
            return found[-1] if multiline else " "
        if len(found) > 1 or not unsafe(found):
            return found  # a flag sequence, or a candidate that is harmless
        return code(found)

    return _TERMINAL.sub(visible, value)


def out(text: object = "", *, multiline: bool = False, file: TextIO | None = None) -> None:
    """Print one line (or, with ``multiline``, one block) for a person, on stdout."""
    stream = sys.stdout if file is None else file
    stream.write(safe(text, multiline=multiline) + "\n")


def err(text: object) -> None:
    """Print one line on stderr (an error, a warning): always exactly one line."""
    sys.stderr.write(safe(text) + "\n")
    sys.stderr.flush()


def _json_escape(ch: str) -> str:
    if ord(ch) < 0x20 or not unsafe(ch):
        return ch  # C0 is already escaped by json.dumps, except the layout's newlines
    point = ord(ch)
    if point <= 0xFFFF:
        return f"\\u{point:04x}"
    point -= 0x10000  # JSON writes an astral character as a surrogate pair
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


_JSON_TABLE = _Table(_json_escape)


def json_dumps(value: Any, *, indent: int | None = 2) -> str:
    """JSON text, UTF-8 and readable, with every character :func:`unsafe` refuses escaped.

    ``json.dumps(ensure_ascii=False)`` escapes only U+0000–U+001F; DEL, C1
    controls, bidi and other invisible format characters (flags' tag
    characters included) and lone surrogates are escaped here as ``\\uXXXX``
    too. That is the same JSON value: a parser reads back the original string.
    Outside strings JSON text is ASCII (and its layout's newlines and spaces
    are left alone), so only string contents are touched.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.isascii():
        return text
    return _by_line(text, _JSON_TABLE, multiline=True)  # the layout's newlines stay


def out_json(value: Any) -> None:
    """Print ``value`` as JSON on stdout (see :func:`json_dumps`), as UTF-8
    bytes whatever the locale's encoding: JSON is UTF-8 (CLI.md), and the
    backslash escapes a non-UTF-8 terminal gets would make it invalid."""
    data = (json_dumps(value) + "\n").encode("utf-8")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # stdout replaced by a text-only stream
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


class SafeFormatter(logging.Formatter):
    """Log lines are read in a terminal too (``tail -f parloir.log``), and
    they quote remote text (a server's error, a subject in an exception):
    each record is neutralised like the CLI's output, keeping its newlines
    (a traceback is a block of lines)."""

    def format(self, record: logging.LogRecord) -> str:
        return safe(super().format(record), multiline=True)
