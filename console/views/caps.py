"""Render caps: what a stranger's message may cost the window.

Qt's rich-text engine is fast on ordinary mail and slow on hostile input:
20,000 nested ``<div>`` froze the window for 16 s, a 10 MB message for 15 s,
one 256 kB line without a space for 8 s. So what is handed to Qt is bounded
here, before it gets there:

- at most ``MAX_DEPTH`` nested elements per message (deeper tags are dropped,
  their text kept);
- at most ``MAX_MARKUP`` characters of markup per message, cut at a tag or
  character boundary with every open element closed (the rest is behind
  "show the whole message", built off the GUI thread);
- text tamed for layout (:func:`tame`): no bidi embedding/override/isolate
  controls, at most ``MAX_COMBINING`` combining marks and one zero-width
  character in a row, and a break opportunity in every run of ``MAX_RUN``
  characters without a space.

The sanitiser (console/sync/html.py) still decides what is safe; these
functions decide what is affordable. No Qt here: the benchmark and the CLI
can use them too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from console.services.notes import MAX_NOTE

MAX_DEPTH = 100
MAX_MARKUP = 256 * 1024
#: Raw markup looked at before sanitising (sanitising costs what it reads).
PRE_CUT = 2 * MAX_MARKUP
#: The raw pre-pass keeps nesting this shallow, so the sanitiser never meets
#: a 20,000-deep tree; the exact MAX_DEPTH is enforced on its clean output.
RAW_DEPTH = 4 * MAX_DEPTH
MAX_RUN = 80
MAX_COMBINING = 4
#: A note is shown up to this many characters (the input cap, services/notes),
#: and the notes column at most NOTES_SHOWN (a QLabel lays out all it holds).
NOTE_SHOWN = 10_000
#: The note field takes at most what the notes service accepts.
NOTE_INPUT = MAX_NOTE
NOTES_SHOWN = 30_000
#: Lines of the whole-message view are hard-wrapped at this length (one
#: giant line is what makes text layout slow).
WHOLE_LINE = 1000

VOID = frozenset({"br", "hr", "img", "wbr", "meta", "link", "input", "area", "base", "col"})
#: Tags HTML closes implicitly when the same tag opens again.
_SIBLINGS = frozenset({"p", "li", "td", "th", "tr", "dt", "dd", "option"})

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_MARK = (  # combining marks: Latin, Cyrillic, Hebrew, Arabic, extended, symbols
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_COMBINING = re.compile(f"([{_MARK}]{{{MAX_COMBINING}}})[{_MARK}]+")
_ZERO_WIDTH = re.compile("([\u200b-\u200d\u2060\ufeff])[\u200b-\u200d\u2060\ufeff]+")
_RUN = re.compile(f"[^\\s\u200b]{{{MAX_RUN}}}(?=[^\\s\u200b])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: Anything tame() would change (one search instead of five substitutions).
_SUSPECT = re.compile(
    f"[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
    f"|[{_MARK}]{{{MAX_COMBINING + 1}}}"
    "|[\u200b-\u200d\u2060\ufeff]{2}"
    f"|[^\\s\u200b]{{{MAX_RUN + 1}}}"
)

# [^<>]*, never [^>]*: a flood of "<a" without ">" must stay linear.
_RAW_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>")
_TOKEN = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)"
    r"((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>"
)
_ENTITY_TAIL = re.compile(r"&[#A-Za-z0-9]{0,10}$")


@dataclass(frozen=True, slots=True)
class Capped:
    """What to hand to Qt, and whether something was left out."""

    text: str
    truncated: bool


def tame(text: str) -> str:
    """Text that lays out in bounded time and shows what it says (see the
    module docstring); for display only, never for storage."""
    text = _BIDI.sub("", text)
    text = _CONTROL.sub("", text)
    text = _COMBINING.sub(r"\1", text)
    text = _ZERO_WIDTH.sub(r"\1", text)
    return _RUN.sub(lambda m: m.group(0) + "\u200b", text)


def cap_text(text: str, limit: int = MAX_MARKUP) -> Capped:
    """Plain text cut to ``limit`` characters, tamed."""
    cut = len(text) > limit
    return Capped(tame(text[:limit] if cut else text), cut)


def one_line(text: str | None, limit: int = 200) -> str:
    """A stranger's name, handle, subject or preview for one label or cell:
    tamed (no bidi override reverses it, no control character) and cut,
    with "…" when cut."""
    shown = cap_text(text or "", limit)
    return shown.text + ("…" if shown.truncated else "")


def prepare_markup(raw: str, limit: int = MAX_MARKUP) -> Capped:
    """Raw (untrusted, maybe malformed) markup made cheap to sanitise: cut
    to twice ``limit`` and nested at most RAW_DEPTH deep (approximately:
    the exact cap is :func:`cap_markup`'s, on the sanitiser's output).
    Dropping tags before sanitising cannot make anything less safe."""
    cut = len(raw) > 2 * limit
    if cut:
        raw = raw[: 2 * limit]
    if raw.count("<") > RAW_DEPTH:
        raw = _RAW_TAG.sub(_raw_depth_limiter(), raw)
    return Capped(raw, cut)


def _raw_depth_limiter() -> Callable[[re.Match[str]], str]:
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    kept = 0

    def one(match: re.Match[str]) -> str:
        nonlocal kept
        closing, name = match.group(1), match.group(2).lower()
        if name in VOID:
            return match.group(0)
        if not closing:
            if stack and name in _SIBLINGS and stack[-1][0] == name:
                return match.group(0) if stack[-1][1] else ""
            keep = kept < RAW_DEPTH
            stack.append((name, keep))
            kept += keep
            return match.group(0) if keep else ""
        for n in range(len(stack) - 1, max(-1, len(stack) - 8), -1):
            if stack[n][0] == name:
                was_kept = stack[n][1]
                for _tag, k in stack[n:]:
                    kept -= k
                del stack[n:]
                return match.group(0) if was_kept else ""
        return ""  # a close tag nothing opened (nearby): drop it

    return one


def cap_markup(clean: str, limit: int = MAX_MARKUP, depth: int = MAX_DEPTH) -> Capped:
    """Well-formed (sanitised) markup with at most ``depth`` nested elements
    and ``limit`` characters, every element closed, text tamed."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements: (tag, kept)
    state = {"size": 0, "kept": 0, "closing": 0}  # closing: cost of closing what is open

    def fits(piece: str) -> bool:
        return state["size"] + len(piece) + state["closing"] <= limit

    def emit(piece: str) -> None:
        out.append(piece)
        state["size"] += len(piece)

    def text(chunk: str) -> bool:
        """Emit text; False when the budget ran out."""
        if not chunk:
            return True
        shown = chunk
        if _SUSPECT.search(chunk):
            shown = html.escape(tame(html.unescape(chunk)), quote=False)
        if not fits(shown):
            room = limit - state["size"] - state["closing"]
            emit(_ENTITY_TAIL.sub("", shown[: max(0, room)]))
            return False
        emit(shown)
        return True

    truncated = False
    pos = 0
    for match in _TOKEN.finditer(clean):
        if not text(clean[pos : match.start()]):
            truncated = True
            break
        pos = match.end()
        closing, name = bool(match.group(1)), match.group(2).lower()
        token = match.group(0)
        if name in VOID:
            if not fits(token):
                truncated = True
                break
            emit(token)
        elif not closing:
            keep = state["kept"] < depth and fits(token + f"</{name}>")
            if not keep and state["kept"] < depth:
                truncated = True  # no room left for even an empty element
                break
            stack.append((name, keep))
            if keep:
                state["kept"] += 1
                state["closing"] += len(name) + 3
                emit(token)
        else:
            for n in range(len(stack) - 1, -1, -1):
                if stack[n][0] == name:
                    # Close it and whatever it closes implicitly, in order.
                    for tag, kept in reversed(stack[n:]):
                        if kept:
                            state["kept"] -= 1
                            state["closing"] -= len(tag) + 3
                            emit(f"</{tag}>")
                    del stack[n:]
                    break
    else:
        truncated = not text(clean[pos:])
    out.extend(f"</{t}>" for t, k in reversed(stack) if k)
    return Capped("".join(out), truncated)


def markup_depth(markup: str) -> int:
    """The deepest nesting of elements in well-formed markup (tests and the
    benchmark check what reaches Qt with it)."""
    depth = deepest = 0
    for match in _TOKEN.finditer(markup):
        name = match.group(2).lower()
        if name in VOID:
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def whole_text(text: str) -> str:
    """The whole message as plain text for its own view: tamed, and lines
    longer than WHOLE_LINE hard-wrapped (text layout cost grows with the
    length of a line, not of the text)."""
    lines = []
    for line in tame(text).split("\n"):
        while len(line) > WHOLE_LINE:
            lines.append(line[:WHOLE_LINE])
            line = line[WHOLE_LINE:]
        lines.append(line)
    return "\n".join(lines)
