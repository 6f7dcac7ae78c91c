"""The thread: every message of a conversation as escaped, capped markup,
shown in a browser that fetches nothing.

The markup is plain HTML built from the cache (text only: nothing remote),
within the render caps (console/views/caps.py): each message at most
caps.MAX_MARKUP, the thread at most THREAD_MARKUP, newest first. The
browser is a QTextBrowser that loads nothing remote (no tracking pixels, no
scripts: QTextBrowser runs none, and ``loadResource`` refuses every
non-local URL). Links open in the system browser, never inside.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from console.services.conversation_view import ConversationView, HistoryView, MessageView
from console.sync.email.parse import split_quoted
from console.sync.html import sanitize_html
from console.views import caps, dates, theme
from console.views.history_lines import history_line
from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.search_marks import mark_markup


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that never fetches anything from the network.

    Signals:
        attachment(str, int): the user opened attachment N of a message.
    """

    attachment = Signal(str, int)
    whole = Signal(str)  # a message id: show its whole text
    refused: list[str]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refused = []
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open)
        self._style()

    def changeEvent(self, event: QEvent) -> None:
        """A new palette: the next markup set takes its colours (the pane
        sets the thread again on the same change)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style()

    def _style(self) -> None:
        """Secondary text (class ``dim``, ``history``) in the palette's
        colours: the markup is built off the GUI thread, so it names classes
        and the colours are set here (theme.thread_css)."""
        self.document().setDefaultStyleSheet(theme.thread_css())

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab leaves the thread (queue → thread → reply → note) instead of
        walking its links one by one."""
        return QWidget.focusNextPrevChild(self, next)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        self.refused.append(QUrl(url).toString())
        return None

    def _open(self, url: QUrl) -> None:
        if url.scheme() == ATTACHMENT_SCHEME:
            message_id, _, index = url.path().rpartition("/")
            if index.isdigit():
                self.attachment.emit(message_id, int(index))
        elif url.scheme() == WHOLE_SCHEME:
            self.whole.emit(url.path())
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


def local_time(iso: str | None) -> str:
    """ISO UTC ("...Z") -> local time, as people read it (a time that
    cannot be read or shown locally is shown as stored, never raised)."""
    if not iso:
        return ""
    try:
        return dates.date_time(dates.from_iso(iso))
    except (ValueError, OverflowError, OSError):
        return short_text(iso, 40)


ATTACHMENT_SCHEME = "parloir-attachment"
#: A link to a message's whole text (what the render caps left out).
WHOLE_SCHEME = "parloir-whole"


#: Attachments listed per message (a stranger may send thousands).
MAX_ATTACHMENTS = 50


def _attachments_html(message: MessageView) -> str:
    """Attachment links (name, size); the bytes are fetched when clicked."""
    items = []
    for n, item in enumerate(message.attachments[:MAX_ATTACHMENTS]):
        name = html.escape(short_text(str(item.name or "attachment")))
        size = _size(item.size)
        href = f"{ATTACHMENT_SCHEME}:{html.escape(message.id, quote=True)}/{n}"
        items.append(f"📎 <a href='{href}'>{name}</a> <small class='dim'>{size}</small>")
    return ("<br>" + "&nbsp;&nbsp; ".join(items)) if items else ""


def _size(value: Any) -> str:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return ""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


_ANCHOR = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.S | re.I)


def display_html(raw: str, limit: int = caps.MAX_MARKUP) -> str:
    """Stored HTML made safe again (defence in depth) with every link's real
    target shown after it when the link text hides it (no "click here" that
    leads somewhere else unseen), within the render caps."""
    return message_markup(raw, limit).text


def message_markup(raw: str, limit: int = caps.MAX_MARKUP) -> caps.Capped:
    """:func:`display_html` saying whether the caps left something out."""
    pre = caps.prepare_markup(raw, limit)
    capped = caps.cap_markup(_show_targets(sanitize_html(pre.text)), limit)
    return caps.Capped(capped.text, capped.truncated or pre.truncated)


def _show_targets(clean: str) -> str:
    """Every link's real target after it when the link text hides it."""

    def show_target(match: re.Match[str]) -> str:
        href, text = html.unescape(match.group(1)), match.group(2)
        visible = re.sub(r"<[^>]+>", "", html.unescape(text)).strip().rstrip("…")
        parsed = urlparse(href)
        target = (parsed.netloc + parsed.path).rstrip("/") if parsed.netloc else href
        if not visible or (visible.startswith(("@", "#")) and parsed.netloc):
            return match.group(0)  # a mention or hashtag: the text is the target
        shown = visible.removeprefix("https://").removeprefix("http://").removeprefix("www.")
        if target.removeprefix("www.").startswith(shown.rstrip("/")):
            return match.group(0)
        return f"{match.group(0)} <small class='dim'>[{html.escape(target)}]</small>"

    return _ANCHOR.sub(show_target, clean)


def _mail_body(text: str, tr: Any, limit: int = caps.MAX_MARKUP) -> caps.Capped:
    """An e-mail as plain text, its quoted history folded under a quiet
    line (the history is in the thread already, message by message)."""
    cut = len(text) > limit
    new, quoted = split_quoted(text[:limit] if cut else text)
    body = _plain_html(new, limit)
    if quoted:
        lines = quoted.count("\n") + 1
        body = caps.Capped(
            body.text
            + f"<br><small class='dim'>— {html.escape(tr(QUOTED).format(lines))} —</small>",
            body.truncated,
        )
    return caps.Capped(body.text, body.truncated or cut)


def _plain_html(text: str, limit: int = caps.MAX_MARKUP) -> caps.Capped:
    """Plain text as markup within the caps (escaping grows it: cut first)."""
    shown = caps.cap_text(text, limit // 2)
    return caps.Capped(html.escape(shown.text).replace("\n", "<br>"), shown.truncated)


def short_text(text: str | None, limit: int = 200) -> str:
    """A name, handle or subject from a stranger, tamed and cut for one line."""
    shown = caps.cap_text(text or "", limit)
    return shown.text + ("…" if shown.truncated else "")


def _whole_link(message_id: str, tr: Any) -> str:
    href = f"{WHOLE_SCHEME}:{html.escape(message_id, quote=True)}"
    return f"<br><small>… <a href='{href}'>{html.escape(tr(SHOW_WHOLE))}</a></small>"


# thread_html is called with the pane's tr: its strings live in that context.
VIEW_ORIGINAL = QT_TRANSLATE_NOOP("ConversationPane", "view original")
DELETED = QT_TRANSLATE_NOOP("ConversationPane", "This message was deleted.")
QUOTED = QT_TRANSLATE_NOOP("ConversationPane", "{0} quoted lines folded")
SHOW_WHOLE = QT_TRANSLATE_NOOP("ConversationPane", "show the whole message")
#: The markup one whole thread may hand to Qt; older messages beyond it show
#: a short excerpt and the link (the newest are what people read first).
THREAD_MARKUP = 2 * caps.MAX_MARKUP
#: A message body larger than this is shown in a plain block, not a table.
BUBBLE_MAX = 32 * 1024
EXCERPT = 4096


def thread_html(detail: ConversationView, tr: Any, words: Sequence[str] = ()) -> str:
    """The thread as simple, escaped HTML (text only: nothing remote),
    within the render caps: each message at most caps.MAX_MARKUP, the
    thread at most THREAD_MARKUP (newest first), the rest behind "show the
    whole message". The search's ``words`` are highlighted in the bodies."""
    budget = THREAD_MARKUP
    rendered: list[str] = []
    for m in reversed(detail.messages):
        limit = caps.MAX_MARKUP if budget >= caps.MAX_MARKUP else EXCERPT
        block = _message_block(detail, m, tr, limit, words)
        budget -= len(block)
        rendered.append(block)
    blocks = _with_history(detail, list(reversed(rendered)), tr)
    return "<html><body style='margin:6px'>" + "".join(blocks) + "</body></html>"


#: History lines the pane shows (the newest; ``show --json`` lists them all).
MAX_HISTORY_LINES = 300


def _with_history(detail: ConversationView, blocks: list[str], tr: Any) -> list[str]:
    """The message blocks with the history folded in between them, in time
    order (a history line goes before the first message sent after it; a
    message without a time keeps its place)."""
    history = detail.history[-MAX_HISTORY_LINES:]
    out: list[str] = []
    i = 0
    for m, block in zip(detail.messages, blocks, strict=True):
        while m.sent_at and i < len(history) and history[i].at < m.sent_at:
            out.append(_history_block(history[i], tr))
            i += 1
        out.append(block)
    out.extend(_history_block(h, tr) for h in history[i:])
    return out


def _history_block(entry: HistoryView, tr: Any) -> str:
    """One small, dim line: what happened, and when."""
    line = html.escape(short_text(history_line(entry, tr, local_time)))
    when = html.escape(local_time(entry.at))
    return f"<p class='history' style='margin:0 0 6px 0;font-size:small'>{line} · {when}</p>"


def _message_block(
    detail: ConversationView, m: MessageView, tr: Any, limit: int, words: Sequence[str] = ()
) -> str:
    """One message of the thread, its body within ``limit``."""
    outbound = m.direction == "out"
    who = html.escape(short_text(m.author))
    when = html.escape(local_time(m.sent_at))
    link = ""
    if m.url and m.url.startswith(("http://", "https://")):
        link = f" · <a href='{html.escape(m.url, quote=True)}'>{tr(VIEW_ORIGINAL)}</a>"
    if m.damaged is not None:
        shown = caps.Capped(f"<i>{html.escape(short_text(m.damaged, 2000))}</i>", False)
    elif m.deleted:
        shown = caps.Capped(f"<i>{tr(DELETED)}</i>", False)
    elif detail.row.kind == "email" and m.text:
        shown = _mail_body(m.text, tr, limit)
    elif m.html:
        shown = message_markup(m.html, limit)
    else:
        shown = _plain_html(m.text or "", limit)
    body = mark_markup(shown.text, words) + (_whole_link(m.id, tr) if shown.truncated else "")
    side = "margin-left:48px" if outbound else "margin-right:48px"
    tint = "rgba(52,120,246,0.10)" if outbound else "rgba(127,127,127,0.10)"
    inner = f"<b>{who}</b> <small>{when}{link}</small><br>{body}{_attachments_html(m)}"
    if len(body) > BUBBLE_MAX:
        # A table cell costs Qt's layout 3x a plain block: a big message
        # goes without the bubble's padding.
        return f"<div style='{side};margin-bottom:8px;background-color:{tint}'>{inner}</div>"
    return (
        f"<table width='100%' cellpadding='8' style='{side};margin-bottom:8px;"
        f"background:{tint}'><tr><td>{inner}</td></tr></table>"
    )
