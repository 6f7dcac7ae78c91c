"""Remote HTML made safe to show, and turned into plain text to search.

Every network hands us HTML written by strangers. ``sanitize_html`` keeps
formatting and links and drops everything active or remote: scripts,
styles, frames, forms, and every image (a remote image is a tracking pixel
until proven otherwise). Links get rel="noopener noreferrer nofollow".
``html_to_text`` keeps paragraphs, line breaks and link targets, for the
search index, previews and length rules.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "a", "p", "br", "span", "div", "b", "strong", "i", "em", "u", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table",
    "thead", "tbody", "tr", "td", "th", "small", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan"}}
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
SAFE_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(raw: str) -> str:
    """Safe HTML for a QTextBrowser: nothing active, nothing remote."""
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=SAFE_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_BLOCKS = {"p", "div", "li", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._href: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self._skip += 1
        elif tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            self._href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a" and self._href:
            href = self._href.pop() or ""
            text = "".join(self.parts[-1:])
            shown = text.strip()
            # Mastodon shortens link text ("example.org/very…"): keep the target.
            shortened = not shown or "…" in shown or shown not in href
            if href.startswith(("http://", "https://")) and href not in text and shortened:
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(raw: str) -> str:
    """Readable plain text: paragraphs kept, tags gone, entities decoded."""
    parser = _Text()
    parser.feed(raw)
    parser.close()
    text = html_lib.unescape("".join(parser.parts))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
