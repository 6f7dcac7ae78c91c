"""The conversation pane: header with actions, the thread, notes, composer.

The thread renders in a QTextBrowser that loads nothing remote (no tracking
pixels, no scripts: QTextBrowser runs none, and ``loadResource`` refuses
every non-local URL). Links open in the system browser, never inside.

Typed text belongs to the conversation it was typed in (docs/decisions.md):
the composer and the note field are bound to the conversation they show,
every keystroke records its text under that conversation's id, and saves and
note submissions carry the id. Between a switch and the new conversation's
arrival both are read-only, so nothing typed lands in the wrong place.
Autosave is a throttle (at most ``AUTOSAVE_MS`` after a keystroke); text the
cache has not confirmed stays in memory per conversation, is shown again
with that conversation, and is retried until it is saved.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import shiboken6
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.models.vocabulary import Status
from console.models.writer import URGENT
from console.services import attachments, conversation, drafts, notes, outbox, saved_replies
from console.services.errors import UserError
from console.services.outbox import LengthRule
from console.sync.html import sanitize_html
from console.sync.mailparse import split_quoted
from console.sync.textlength import limit_for, measure, reply_problem
from console.views import actions, caps, kinds
from console.views.actions import ActionMenus
from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.ops.queue import SetStatus, Take
from console.views.tasks import Runner
from console.views.throttle import Throttle
from console.views.whole_message import WholeMessageDialog, whole_text_of

log = logging.getLogger(__name__)

#: Typed text is handed to the writer at most this long after a keystroke.
AUTOSAVE_MS = 200
#: Whom a reply reaches is asked again at most this long after a keystroke.
RECIPIENTS_MS = 400
#: A failed autosave is retried after this long, doubling up to RETRY_MAX_MS.
RETRY_MS = 1000
RETRY_MAX_MS = 30_000


class ReplyEditor(QPlainTextEdit):
    """The reply box. Signals: focus_left(): it lost the keyboard focus
    (what was typed is saved at once)."""

    focus_left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_left.emit()


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


def _local_time(iso: str | None) -> str:
    """ISO UTC ("...Z") -> local time, as people read it (a time that
    cannot be read or shown locally is shown as stored, never raised)."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
        return when.strftime("%d %b %H:%M")
    except (ValueError, OverflowError, OSError):
        return short_text(iso, 40)


ATTACHMENT_SCHEME = "parloir-attachment"
#: A link to a message's whole text (what the render caps left out).
WHOLE_SCHEME = "parloir-whole"


#: Attachments listed per message (a stranger may send thousands).
MAX_ATTACHMENTS = 50


def _attachments_html(message: dict[str, Any]) -> str:
    """Attachment links (name, size); the bytes are fetched when clicked."""
    items = []
    for n, item in enumerate((message.get("attachments") or [])[:MAX_ATTACHMENTS]):
        name = html.escape(short_text(str(item.get("name") or "attachment")))
        size = _size(item.get("size"))
        href = f"{ATTACHMENT_SCHEME}:{html.escape(message['id'], quote=True)}/{n}"
        items.append(f"📎 <a href='{href}'>{name}</a> <small style='color:gray'>{size}</small>")
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
        return f"{match.group(0)} <small style='color:gray'>[{html.escape(target)}]</small>"

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
            + f"<br><small style='color:gray'>— {html.escape(tr(QUOTED).format(lines))} —</small>",
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
#: Where the pane's background load leaves the thread's markup in the detail.
THREAD_KEY = "_thread_html"
#: The markup one whole thread may hand to Qt; older messages beyond it show
#: a short excerpt and the link (the newest are what people read first).
THREAD_MARKUP = 2 * caps.MAX_MARKUP
#: A message body larger than this is shown in a plain block, not a table.
BUBBLE_MAX = 32 * 1024
EXCERPT = 4096


def thread_html(detail: dict[str, Any], tr: Any) -> str:
    """The thread as simple, escaped HTML (text only: nothing remote),
    within the render caps: each message at most caps.MAX_MARKUP, the
    thread at most THREAD_MARKUP (newest first), the rest behind "show the
    whole message"."""
    budget = THREAD_MARKUP
    rendered: list[str] = []
    for m in reversed(detail["messages"]):
        limit = caps.MAX_MARKUP if budget >= caps.MAX_MARKUP else EXCERPT
        block = _message_block(detail, m, tr, limit)
        budget -= len(block)
        rendered.append(block)
    return "<html><body style='margin:6px'>" + "".join(reversed(rendered)) + "</body></html>"


def _message_block(detail: dict[str, Any], m: dict[str, Any], tr: Any, limit: int) -> str:
    """One message of the thread, its body within ``limit``."""
    outbound = m["direction"] == "out"
    who = html.escape(short_text(m["author"]["name"] or m["author"]["handle"]))
    when = html.escape(_local_time(m["sent_at"]))
    link = ""
    if m["url"] and m["url"].startswith(("http://", "https://")):
        link = f" · <a href='{html.escape(m['url'], quote=True)}'>{tr(VIEW_ORIGINAL)}</a>"
    if m["deleted"]:
        shown = caps.Capped(f"<i>{tr(DELETED)}</i>", False)
    elif detail.get("kind") == "email" and m["text"]:
        shown = _mail_body(m["text"], tr, limit)
    elif m.get("html"):
        shown = message_markup(m["html"], limit)
    else:
        shown = _plain_html(m["text"] or "", limit)
    body = shown.text + (_whole_link(str(m.get("id") or ""), tr) if shown.truncated else "")
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


class ConversationPane(QWidget):
    """Signals:
    loaded(str): a conversation and my draft are on screen (its id).
    queue_action(QueueAction): a workflow action for this conversation
        (console/views/ops/queue.py).
    action(str, object): ("notice", text) for the status bar, or
        ("sent", conv_id).
    open_conversation(str): the user asked to show another conversation.
    whole_opened(str): the whole text of a message (its id) is on screen.
    """

    loaded = Signal(str)
    action = Signal(str, object)
    queue_action = Signal(object)
    open_conversation = Signal(str)
    whole_opened = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.conv_id: str | None = None
        self.network = ""
        self.detail: dict[str, Any] = {}
        self.me_id: str | None = None
        self.max_length: int | None = None
        # Guards the person confirmed, per conversation: (reason, people).
        self._confirmed: dict[str, set[tuple[str, frozenset[str]]]] = {}
        self._seen_at: dict[str, datetime] = {}  # when each conversation was opened
        # The conversation whose draft and note the composer and the note
        # field hold (None while a newly chosen one loads: both read-only).
        self._editor_conv: str | None = None
        self._note_conv: str | None = None
        self._unsaved: dict[str, str] = {}  # typed, not yet confirmed by the cache
        self._saving: dict[str, str] = {}  # the last text handed to the writer
        # Reads that may fill the composer, numbered: only the latest one
        # issued applies (it started after every change announced so far; an
        # older read finishing late must not put back a stale draft).
        self._draft_reads = 0
        # A draft changed elsewhere while our own save or send was in flight:
        # looked at again once that write is done.
        self._draft_stale: set[str] = set()
        self._failing: set[str] = set()  # the last save of these failed: retrying
        self._refused: dict[str, str] = {}  # refused for what the text is (why, in words)
        self._not_queued: dict[str, str] = {}  # the last Send failed (why), until the next
        self._sending: dict[str, str] = {}  # Send pressed, the write not done yet
        self._notes_held: dict[str, str] = {}  # half-typed notes of other conversations
        self._edits = 0  # keystrokes so far (a reload never undoes a newer one)
        self._retry_ms = RETRY_MS
        self.menus = ActionMenus(self)
        self.menus.chosen.connect(self.queue_action)

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.take_button = QPushButton(self.tr("Take"))
        self.take_button.setToolTip(self.tr("Assign to me (t)"))
        self.take_button.clicked.connect(lambda: self.queue_action.emit(Take()))
        self.assign_button = self._menu_button(
            self.tr("Assign"), lambda: self.menus.assign_menu(self.detail.get("assignee_id"))
        )
        self.assign_button.setToolTip(self.tr("Assign to a team member (a)"))
        self.snooze_button = self._menu_button(self.tr("Snooze"), self.menus.snooze_menu)
        self.snooze_button.setToolTip(self.tr("Hide until a time (s)"))
        self.tag_button = self._menu_button(
            self.tr("Tags"), lambda: self.menus.tag_menu(tuple(self.detail.get("tags") or ()))
        )
        self.tag_button.setToolTip(self.tr("Tag (#)"))
        self.priority_button = self._menu_button(
            self.tr("Priority"),
            lambda: self.menus.priority_menu(str(self.detail.get("priority") or "normal")),
        )
        self.pending_button = QPushButton(self.tr("Pending"))
        self.pending_button.setToolTip(self.tr("Waiting on the other side"))
        self.pending_button.clicked.connect(
            lambda: self.queue_action.emit(SetStatus(Status.PENDING))
        )
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setToolTip(self.tr("Done (e)"))
        self.close_button.clicked.connect(self._close_or_reopen)
        tools = QHBoxLayout()
        tools.setSpacing(4)
        for b in (
            self.take_button,
            self.assign_button,
            self.snooze_button,
            self.tag_button,
            self.priority_button,
        ):
            tools.addWidget(b)
        tools.addStretch(1)
        tools.addWidget(self.pending_button)
        tools.addWidget(self.close_button)
        self._controls: list[QWidget] = [
            self.take_button,
            self.assign_button,
            self.snooze_button,
            self.tag_button,
            self.priority_button,
            self.pending_button,
            self.close_button,
        ]

        self.browser = SafeBrowser()
        self.browser.attachment.connect(self.save_attachment)
        self.browser.whole.connect(self.show_whole)

        self.editor = ReplyEditor()
        self.editor.setPlaceholderText(self.tr("Write a reply… (Ctrl+Enter sends)"))
        self.counter = QLabel()
        # Whom a reply reaches, as the provider will address it (services.outbox).
        self.recipients = QLabel()
        self.recipients.setWordWrap(True)
        self.recipients.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recipients.hide()
        # "not saved — retrying", "not queued: ..." (the save's state, in words).
        self.save_state = QLabel()
        self.save_state.setStyleSheet("color:#c0392b")
        self.save_state.setWordWrap(True)
        self.save_state.hide()
        self.saved_button = self._menu_button(self.tr("Saved replies"), self._saved_menu)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setDefault(True)
        self.send_button.setToolTip(self.tr("Queue in the outbox (Ctrl+Enter); works offline"))
        self.send_button.clicked.connect(self.send)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.send)
        bottom = QHBoxLayout()
        bottom.addWidget(self.saved_button)
        bottom.addWidget(self.counter, 1)
        bottom.addWidget(self.send_button)
        composer = QWidget()
        col = QVBoxLayout(composer)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.recipients)
        col.addWidget(self.editor)
        col.addWidget(self.save_state)
        col.addLayout(bottom)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.browser)
        split.addWidget(composer)
        split.setSizes([520, 180])
        split.setChildrenCollapsible(False)
        self.splitter = split

        # The side column: who this is (contact card) and the team's notes.
        self.side = QWidget()
        side_layout = QVBoxLayout(self.side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.card: Any = None
        try:
            from console.views.contact_card import ContactCard

            self.card = ContactCard(runner)
            self.card.open_conversation.connect(self.open_conversation)
            side_layout.addWidget(self.card, 1)
        except ImportError:  # pragma: no cover - arrives with the contact card
            pass
        notes_title = QLabel(self.tr("<b>Internal notes</b>"))
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop)
        notes_scroll = QScrollArea()
        notes_scroll.setWidget(self.notes)
        notes_scroll.setWidgetResizable(True)
        notes_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.note_input = QLineEdit()
        self.note_input.setPlaceholderText(self.tr("Add a note for the team (@name mentions)"))
        self.note_input.returnPressed.connect(self._note_entered)
        self.note_input.textEdited.connect(self._note_typed)
        # The field never holds more than a note may be (a 5 MB paste is cut
        # by Qt before any of it is laid out), and says so.
        self.note_input.setMaxLength(caps.NOTE_INPUT)
        self.note_input.textChanged.connect(self._note_length)
        side_layout.addWidget(notes_title)
        side_layout.addWidget(notes_scroll, 1)
        side_layout.addWidget(self.note_input)
        self._controls.append(self.note_input)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(split)
        body.addWidget(self.side)
        # Extra width goes to the thread; the side column keeps its width.
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 0)
        self.side.setMinimumWidth(220)
        body.setSizes([470, 290])
        body.setChildrenCollapsible(False)
        self.body_splitter = body

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(tools)
        layout.addWidget(body, 1)

        self.autosave = Throttle(AUTOSAVE_MS, self.save_draft, self)
        self._addressing = Throttle(RECIPIENTS_MS, self._refresh_recipients, self)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.save_draft)
        self.editor.textChanged.connect(self._typed)
        self.editor.focus_left.connect(self.save_draft)
        self.show_empty()

    def _menu_button(self, text: str, build: Any) -> QToolButton:
        """A button that opens a menu built when clicked (current data)."""
        button = QToolButton()
        button.setText(text + " ▾")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAutoRaise(False)

        def pop() -> None:
            menu = build()
            actions.show_menu(menu, button.mapToGlobal(button.rect().bottomLeft()))

        button.clicked.connect(pop)
        button.pop = pop  # type: ignore[attr-defined]  # keyboard shortcuts open it too
        return button

    # -- showing -------------------------------------------------------------

    def show_empty(self) -> None:
        self.conv_id = None
        self._editor_conv = self._note_conv = None
        self.detail = {}
        nothing = self.tr("No conversation")
        self.title.setText(f"<span style='font-size:14pt'>{nothing}</span>")
        self.browser.setHtml(
            "<p style='color:gray'>" + self.tr("Pick a conversation in the queue.") + "</p>"
        )
        self.notes.setText("")
        for w in [*self._controls, self.editor, self.send_button, self.saved_button]:
            w.setEnabled(False)

    def show_damaged(self, sentence: str) -> None:
        """A queue row that could not be built (services.queue: damaged):
        the pane says why instead of failing or showing nothing."""
        self.save_draft()
        self._hold_note()
        self._detach()
        self.show_empty()
        title = html.escape(self.tr("This conversation cannot be shown"))
        self.title.setText(f"<span style='font-size:14pt'>{title}</span>")
        self.browser.setHtml(f"<p>{html.escape(short_text(sentence, 2000))}</p>")

    def show_conversation(self, conv_id: str) -> None:
        if conv_id == self.conv_id:
            return
        self.save_draft()
        self._hold_note()
        self.conv_id = conv_id
        self._detach()
        self.reload()

    def _detach(self) -> None:
        """Between a switch and the new conversation's arrival: nothing can be
        typed or pressed (the keyboard focus stays where it was)."""
        self._editor_conv = self._note_conv = None
        self.editor.blockSignals(True)
        self.editor.clear()
        self.editor.blockSignals(False)
        self.editor.setReadOnly(True)
        self.note_input.setReadOnly(True)
        self.send_button.setEnabled(False)
        for w in self._controls:
            if w is not self.note_input:
                w.setEnabled(False)
        self._show_save_state()

    def _hold_note(self) -> None:
        """A half-typed note stays with its conversation (shown again there)."""
        text = self.note_input.text()
        if text and self._note_conv is not None:
            self._notes_held[self._note_conv] = text
        self.note_input.clear()

    def reload(self) -> None:
        """Load the shown conversation again (it changed on the writer)."""
        if self.conv_id is None:
            return
        conv_id = self.conv_id
        quiet = (self._edits, conv_id in self._unsaved or conv_id in self._sending)
        self._draft_reads += 1
        ticket = self._draft_reads

        tr = self.tr

        def load(session: Any) -> tuple[dict[str, Any], str]:
            detail = conversation.pane_json(session, conv_id)
            # The thread's markup is built here, off the GUI thread (the
            # sanitiser and the caps cost what a stranger's message costs).
            detail[THREAD_KEY] = thread_html(detail, tr)
            draft = drafts.my_draft(session, detail["id"])
            # A draft in the outbox (or sent) is not in the composer any more.
            editable = drafts.shows_in_composer(draft)
            return detail, draft.body if editable and draft else ""

        self.runner.read(
            load, self._alive(partial(self._show, quiet=quiet, requested=conv_id, ticket=ticket))
        )

    def draft_changed(self) -> None:
        """My draft for the shown conversation changed in the cache, not by a
        save of ours in flight (the outbox's Cancel gave a reply back, another
        process wrote it): the composer shows it unless something was typed
        here since, which wins."""
        conv_id = self._editor_conv
        if conv_id is None:
            return
        if conv_id in self._saving or conv_id in self._sending:
            self._draft_stale.add(conv_id)  # looked at again when our write is done
            return
        quiet = (self._edits, conv_id in self._unsaved)
        self._draft_reads += 1
        ticket = self._draft_reads

        def load(session: Any) -> str:
            draft = drafts.my_draft(session, conv_id)
            return draft.body if draft is not None and drafts.shows_in_composer(draft) else ""

        def done(body: str) -> None:
            if (
                ticket == self._draft_reads
                and self._editor_conv == conv_id
                and quiet == (self._edits, False)
                and conv_id not in self._unsaved
                and conv_id not in self._sending
            ):
                self._set_editor(body)
                self._update_counter()

        self.runner.read(load, self._alive(done))

    def _settled(self, conv_id: str) -> None:
        """Our save or send for the conversation is done: a change of the
        draft made elsewhere meanwhile is looked at now."""
        busy = conv_id in self._saving or conv_id in self._sending
        if conv_id in self._draft_stale and not busy:
            self._draft_stale.discard(conv_id)
            self.draft_changed()

    def _alive(self, fn: Any) -> Any:
        """``fn`` as a callback that does nothing once the pane is deleted (the
        Runner can tell that only for bound methods, not for a partial)."""

        def call(result: Any) -> None:
            if shiboken6.isValid(self):
                fn(result)

        return call

    def _show(
        self,
        loaded: tuple[dict[str, Any], str],
        quiet: tuple[int, bool] | None = None,
        requested: str | None = None,
        ticket: int | None = None,
    ) -> None:
        detail, draft = loaded
        if (requested or detail["id"]) != self.conv_id:
            return  # another conversation was chosen meanwhile
        self.conv_id = detail["id"]  # a merged conversation's id redirects to the survivor
        same = self.detail.get("id") == detail["id"]
        conv_id = detail["id"]
        self.detail = detail
        self.network = detail["network"]
        self.max_length = detail.get("max_length")  # the instance's own limit, when known
        self.title.setText(self._title_html(detail))
        bar = self.browser.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        keep = bar.value()
        self.browser.setHtml(detail.get(THREAD_KEY) or thread_html(detail, self.tr))
        bar.setValue(bar.maximum() if (at_end or not same) else keep)
        self._show_notes(detail["notes"])
        if self.card is not None:
            self.card.show_contact(detail.get("contact_id"))
        if self._editor_conv != conv_id:
            # Newly shown: text not yet in the cache wins over the stored draft.
            self._set_editor(self._unsaved.get(conv_id, draft))
            self._editor_conv = self._note_conv = conv_id
            self.note_input.setText(self._notes_held.pop(conv_id, ""))
            self._seen_at[conv_id] = datetime.now(UTC)
        elif (
            quiet == (self._edits, False)
            and (ticket is None or ticket == self._draft_reads)
            and conv_id not in self._unsaved
            and conv_id not in self._sending
        ):
            # A reload of the same conversation never overwrites what is being
            # typed: only when nothing was typed or pending since it started.
            self._set_editor(draft)
        self.editor.setReadOnly(False)
        self.note_input.setReadOnly(False)
        for w in [*self._controls, self.editor, self.saved_button]:
            w.setEnabled(True)
        closed = detail["status"] == "closed"
        self.close_button.setText(self.tr("Reopen") if closed else self.tr("Close"))
        self.take_button.setEnabled(detail.get("assignee_id") != self.me_id or not self.me_id)
        self._update_counter()
        self._show_save_state()
        if self.editor.toPlainText() == draft:
            self._show_recipients(conv_id, list(detail.get("recipients") or []))
        else:
            self._refresh_recipients()
        self.loaded.emit(detail["id"])

    def _set_editor(self, text: str) -> None:
        if self.editor.toPlainText() != text:
            self.editor.blockSignals(True)
            self.editor.setPlainText(text)
            self.editor.blockSignals(False)

    def _title_html(self, detail: dict[str, Any]) -> str:
        """The header: who, where, and first of all who reads a reply (the
        public/DM/e-mail mark; its sentence is the header's tooltip)."""
        name = html.escape(short_text(detail["contact"]["name"] or detail["contact"]["handle"]))
        handle = html.escape(short_text(detail["contact"]["handle"]))
        subject = html.escape(short_text(detail["subject"] or "", 300))
        assignee = detail["assignee"]["name"] if detail["assignee"] else self.tr("nobody")
        kind = str(detail.get("kind") or "public")
        self.title.setToolTip(kinds.sentence(kind))
        self.title.setAccessibleDescription(kinds.sentence(kind))
        colour = KIND_COLOURS.get(kind, KIND_COLOURS["public"])
        mark = f"<b style='color:{colour}'>{html.escape(kinds.label(kind))}</b>"
        facts = [
            mark,
            html.escape(detail.get("account_handle") or detail["network"]),
            html.escape(self.tr(STATUS_LABELS.get(detail["status"], detail["status"]))),
            html.escape(self.tr("assigned to {0}").format(assignee)),
        ]
        if detail.get("priority") not in (None, "normal"):
            facts.append(
                html.escape(
                    self.tr("priority: {0}").format(
                        self.tr(PRIORITY_NAMES.get(detail["priority"], detail["priority"]))
                    )
                )
            )
        tags = "".join(
            f" <span style='background:rgba(127,127,127,0.18)'>&nbsp;{html.escape(t)}&nbsp;</span>"
            for t in detail.get("tags") or []
        )
        return (
            f"<span style='font-size:14pt'><b>{name}</b></span> "
            f"<span style='color:gray'>{handle}</span><br>"
            f"<span style='color:gray'>{' · '.join(facts)}</span>{tags}"
            + (f"<br>{subject}" if subject else "")
        )

    def _show_notes(self, items: list[dict[str, Any]]) -> None:
        if not items:
            empty = self.tr("No notes yet.")
            self.notes.setText(f"<span style='color:gray'>{empty}</span>")
            return
        shown: list[str] = []
        budget = caps.NOTES_SHOWN
        for n in reversed(items):  # the newest notes first, within the budget
            if budget <= 0:
                older = self.tr("{0} older notes not shown.").format(len(items) - len(shown))
                shown.append(f"<p style='color:gray'>{html.escape(older)}</p>")
                break
            text = caps.cap_text(n["text"] or "", min(caps.NOTE_SHOWN, budget))
            budget -= len(text.text)
            more = " …" if text.truncated else ""
            shown.append(
                f"<p style='margin:0 0 6px 0'><b>{html.escape(short_text(n['author']))}</b> "
                f"<small style='color:gray'>{html.escape(_local_time(n['created_at']))}</small>"
                f"<br>{_mentions_bold(html.escape(text.text))}{more}</p>"
            )
        self.notes.setText("".join(reversed(shown)))

    def _close_or_reopen(self) -> None:
        closed = self.detail.get("status") == "closed"
        self.queue_action.emit(SetStatus(Status.OPEN if closed else Status.CLOSED))

    # -- composing -------------------------------------------------------------

    def _typed(self) -> None:
        """A keystroke: its text is recorded under the conversation it was
        typed in, and saved within AUTOSAVE_MS."""
        conv_id = self._editor_conv
        if conv_id is None:
            return
        self._unsaved[conv_id] = self.editor.toPlainText()
        self._edits += 1
        self._update_counter()
        self.autosave.poke()
        self._addressing.poke()

    def _refresh_recipients(self) -> None:
        """Ask (off the GUI thread) whom the text in the composer reaches:
        a Mastodon mention adds its person, even in a private conversation."""
        conv_id = self._editor_conv
        if conv_id is None:
            return
        body = self.editor.toPlainText()

        def load(session: Any) -> list[str] | None:
            try:
                return outbox.recipients(session, conv_id, body)
            except UserError:
                return None  # the account is gone: Send says why

        def done(people: list[str] | None) -> None:
            self._show_recipients(conv_id, people)

        self.runner.read(load, self._alive(done))

    def _show_recipients(self, conv_id: str, people: list[str] | None) -> None:
        if conv_id != self._editor_conv:
            return
        if not people:
            self.recipients.hide()
            return
        shown = ", ".join(people[:8]) + (", …" if len(people) > 8 else "")
        text = self.tr("Reaches: {0}").format(shown)
        self.recipients.setText(html.escape(text))
        self.recipients.setToolTip("\n".join(people))
        self.recipients.setAccessibleName(text)
        self.recipients.show()

    def _update_counter(self) -> None:
        """The length against the network's rule (console/sync/textlength.py,
        the one ``send`` obeys); nothing typed is ever cut: over the limit,
        Send waits and the counter says why."""
        text = self.editor.toPlainText()
        rule = self.detail.get("length_rule")
        if isinstance(rule, LengthRule):
            limit, length, problem = rule.limit(), rule.count(text), rule.problem(text)
        else:  # nothing loaded yet: the network's plain rule
            kind = str(self.detail.get("kind") or "") or None
            configured = self.max_length if self.network == "mastodon" else None
            limit = limit_for(self.network, kind=kind, configured=configured)
            length = measure(text, self.network)
            problem = reply_problem(text, self.network, kind=kind, configured=configured)
        over = problem is not None
        if limit is None:
            self.counter.setText(self.tr("{0} characters").format(length))
        else:
            self.counter.setText(f"{length} / {limit}")
        self.counter.setToolTip(problem or "")
        self.counter.setStyleSheet("color:#c0392b;font-weight:bold" if over else "")
        conv_id = self._editor_conv
        self.send_button.setEnabled(
            bool(text.strip()) and not over and conv_id is not None and conv_id not in self._sending
        )

    def save_draft(self) -> None:
        """Hand every unsaved text to the writer now, each under the
        conversation it was typed in (urgent: never waits behind a sync)."""
        self.autosave.stop()
        self._retry.stop()
        for conv_id, body in list(self._unsaved.items()):
            if self._saving.get(conv_id) != body:
                self._save(conv_id, body)

    def _save(self, conv_id: str, body: str) -> None:
        self._saving[conv_id] = body

        def task(tx: Any) -> None:
            if body.strip():
                drafts.save_draft(tx, conv_id, body)
            else:  # the person cleared the composer: that deletes the draft, explicitly
                drafts.discard_draft(tx, conv_id)

        def saved(_result: Any) -> None:
            if not shiboken6.isValid(self):
                return
            if self._saving.get(conv_id) == body:
                del self._saving[conv_id]
            if self._unsaved.get(conv_id) == body:
                del self._unsaved[conv_id]  # typed since: it stays for the next save
            self._settled(conv_id)
            self._failing.discard(conv_id)
            self._refused.pop(conv_id, None)
            if not self._failing:
                self._retry_ms = RETRY_MS
            self._show_save_state()

        def failed(exc: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            if self._saving.get(conv_id) == body:
                del self._saving[conv_id]
            if conv_id not in self._unsaved:
                return  # sent since, or a newer text was saved: nothing is lost
            self._failing.add(conv_id)
            if isinstance(exc, UserError):
                # Refused for what it is (too long...): kept here, saved again
                # when it changes; retrying the same text would not help.
                self._refused[conv_id] = str(exc)
                self._show_save_state()
                return
            self._show_save_state()
            self.action.emit(
                "notice",
                self.tr("Your draft could not be saved; Parloir keeps the text and retries."),
            )
            if not self._retry.isActive():
                self._retry.start(self._retry_ms)
                self._retry_ms = min(self._retry_ms * 2, RETRY_MAX_MS)

        self.runner.write(task, saved, failed, priority=URGENT)

    def unsaved_failures(self) -> int:
        """How many conversations hold text the cache refused (retrying)."""
        return len(self._failing)

    def _show_save_state(self) -> None:
        """The composer's marker: what has not reached the cache, in words."""
        conv_id = self._editor_conv
        if conv_id is not None and conv_id in self._refused:
            message = self._refused[conv_id]
        elif conv_id is not None and conv_id in self._failing:
            message = self.tr("Not saved — retrying. Your text is kept here.")
        elif self._failing:
            message = self.tr("{0} drafts not saved — retrying.").format(len(self._failing))
        elif conv_id is not None and conv_id in self._not_queued:
            message = self._not_queued[conv_id]
        else:
            message = ""
        self.save_state.setText(message)
        self.save_state.setAccessibleName(message)
        self.save_state.setVisible(bool(message))

    def guard_question(self, body: str) -> str | None:
        """The team's question before the press (a colleague handles this
        conversation), or None. Whom the reply reaches is the services'
        guard, decided in the write (:meth:`_held`)."""
        conv_id = self._editor_conv or ""
        if ("assignee", frozenset()) in self._confirmed.get(conv_id, set()):
            return None
        assignee = self.detail.get("assignee_id")
        if assignee and self.me_id and assignee != self.me_id:
            name = (self.detail.get("assignee") or {}).get("name") or "?"
            return self.tr("{0} is handling this conversation. Reply anyway?").format(name)
        return None

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Send this reply?"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _held_question(self, guard: outbox.Guard) -> str:
        """The services' guard as a question, in the person's language."""
        people = ", ".join(guard.people[:6]) + (", …" if len(guard.people) > 6 else "")
        if guard.reason == "answered":
            return self.tr(
                "Someone answered this conversation from your account since you opened it. "
                "Send your reply anyway?"
            )
        if guard.reason == "recipients":
            return self.tr(
                "This reply would go to {0}, not (only) to the person who wrote. Send it anyway?"
            ).format(people)
        if guard.reason == "many":
            return self.tr("This reply would reach {0} people ({1}). Send it anyway?").format(
                len(guard.people), people
            )
        return guard.sentence

    def send(self) -> None:
        """Queue the reply. At the press: Send is disabled and the composer
        emptied; the text stays in memory until the write succeeds and comes
        back (with the reason) when it fails."""
        conv_id = self._editor_conv
        if (
            not self.send_button.isEnabled()
            or conv_id is None
            or conv_id in self._sending
            or self.detail.get("id") != conv_id
        ):
            return
        body = self.editor.toPlainText()
        question = self.guard_question(body)
        if question is not None:
            if not self._ask(question):
                return
            self._confirmed.setdefault(conv_id, set()).add(("assignee", frozenset()))
        if self._editor_conv != conv_id:
            return  # the question was answered on another conversation
        self._sending[conv_id] = body
        self._not_queued.pop(conv_id, None)
        self._show_save_state()
        self._unsaved.pop(conv_id, None)  # the send's own write saves this text
        self._set_editor("")
        self._update_counter()
        self._enqueue(conv_id, body, anyway=False)

    def _enqueue(self, conv_id: str, body: str, *, anyway: bool) -> None:
        """The write behind Send: my draft becomes an outbox item, once
        (services.outbox.enqueue decides, in the writer's transaction); a
        guard holds it (Held) until the person confirms."""
        since = self._seen_at.get(conv_id)

        def task(tx: Any) -> str:
            drafts.save_draft(tx, conv_id, body)
            return outbox.enqueue(tx, conv_id, anyway=anyway, since=since).id

        def sent(_item: str) -> None:
            if not shiboken6.isValid(self):
                return
            self._sending.pop(conv_id, None)
            self._update_counter()
            self.action.emit("sent", conv_id)
            self._settled(conv_id)

        def failed(exc: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            if isinstance(exc, outbox.Held):
                self._held(conv_id, body, exc.guard)
                return
            self._sending.pop(conv_id, None)
            reason = str(exc) if isinstance(exc, UserError) else self.tr("the cache refused it")
            self._not_queued[conv_id] = self.tr(
                "The reply was not queued ({0}); your text is back."
            ).format(reason)
            self._restore(conv_id, body)
            self._show_save_state()

        self.runner.write(task, sent, failed, priority=URGENT)

    def _held(self, conv_id: str, body: str, guard: outbox.Guard) -> None:
        """A guard held the reply: the same question confirmed before for
        this conversation passes; otherwise ask. Yes sends anyway; Cancel
        gives the text back."""
        asked = (guard.reason, frozenset(p.lower() for p in guard.people))
        if guard.reason != "answered" and asked in self._confirmed.get(conv_id, set()):
            self._enqueue(conv_id, body, anyway=True)
            return
        if self._ask(self._held_question(guard)):
            if guard.reason == "answered":
                self._seen_at[conv_id] = datetime.now(UTC)  # seen now
            else:
                self._confirmed.setdefault(conv_id, set()).add(asked)
            self._enqueue(conv_id, body, anyway=True)
            return
        self._sending.pop(conv_id, None)
        self._restore(conv_id, body)

    def _restore(self, conv_id: str, body: str) -> None:
        """A reply that did not go into the outbox comes back to its
        conversation's composer, above anything typed since."""
        newer = (
            self.editor.toPlainText()
            if self._editor_conv == conv_id
            else self._unsaved.get(conv_id, "")
        )
        text = f"{body}\n\n{newer}" if newer.strip() else body
        self._unsaved[conv_id] = text
        if self._editor_conv == conv_id:
            self._set_editor(text)
            self._update_counter()
        self.save_draft()

    def _saved_menu(self) -> QMenu:
        """Saved replies, inserted with their fields filled for this contact."""
        menu = QMenu(self)
        conv_id = self._editor_conv

        def load(session: Any) -> list[tuple[str, str]]:
            return [(r.id, r.name) for r in saved_replies.list_replies(session)]

        def insert(reply_id: str) -> None:
            if conv_id is None:
                return

            def render(session: Any) -> str:
                return saved_replies.render_for(session, reply_id, conv_id)

            self.runner.read(render, self._alive(partial(self._insert_text, conv_id)))

        # The list is small and cached per open; loaded in the background, the
        # menu fills when it arrives (an empty menu says so meanwhile).
        placeholder = menu.addAction(self.tr("Loading…"))
        placeholder.setEnabled(False)

        def fill(items: list[tuple[str, str]]) -> None:
            menu.removeAction(placeholder)
            if not items:
                none = menu.addAction(self.tr("No saved replies yet (Settings)"))
                none.setEnabled(False)
            for reply_id, name in items:
                menu.addAction(name, partial(insert, reply_id))

        self.runner.read(load, fill)
        return menu

    def _insert_text(self, conv_id: str, text: str) -> None:
        """A saved reply filled for ``conv_id`` goes into that composer only."""
        if self._editor_conv == conv_id and not self.editor.isReadOnly():
            self.editor.insertPlainText(text)
            self.editor.setFocus()

    # -- attachments ---------------------------------------------------------------

    def save_attachment(self, message_id: str, index: int) -> None:
        """Fetch the attachment from its server (off the GUI thread), then
        ask where to save it."""
        cache = self.runner.cache
        self.action.emit("notice", self.tr("Fetching the attachment…"))

        def fetch() -> Any:
            return attachments.fetch(cache, message_id, index)

        def fetched(item: Any) -> None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save attachment"), item.name)
            if path:
                Path(path).write_bytes(item.data)
                self.action.emit("notice", self.tr("Saved {0}.").format(Path(path).name))

        self.runner.call(fetch, fetched)

    # -- the whole of a long message ----------------------------------------------

    def show_whole(self, message_id: str) -> None:
        """Open the whole text of a message the caps cut, prepared off the
        GUI thread."""
        messages = self.detail.get("messages") or []
        message = next((m for m in messages if m["id"] == message_id), None)
        if message is None:
            return
        title = short_text(message["author"]["name"] or message["author"]["handle"], 60)
        self.action.emit("notice", self.tr("Preparing the whole message…"))

        def opened(text: str) -> None:
            dialog = WholeMessageDialog(title, text, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            self.whole_dialog = dialog
            self.whole_opened.emit(message_id)

        kind = str(self.detail.get("kind") or "")
        self.runner.call(lambda: whole_text_of(message, kind), opened)

    # -- notes -------------------------------------------------------------------

    def _note_typed(self, _text: str) -> None:
        """A keystroke in the note field binds the note to this conversation."""
        if self._editor_conv is not None:
            self._note_conv = self._editor_conv

    def _note_length(self, text: str) -> None:
        if len(text) >= caps.NOTE_INPUT:
            self.action.emit(
                "notice",
                self.tr("A note holds at most {0} characters; the rest was not added.").format(
                    caps.NOTE_INPUT
                ),
            )

    def _note_entered(self) -> None:
        text, conv_id = self.note_input.text(), self._note_conv
        if text.strip() and conv_id is not None:
            self.add_note(text, conv_id)
            self.note_input.clear()

    def add_note(self, text: str, conv_id: str | None = None) -> None:
        """Add a note to ``conv_id`` (the conversation it was typed in); when
        the write fails the text comes back to that conversation's field."""
        conv_id = conv_id or self._editor_conv
        if conv_id is None or not text.strip():
            return

        def failed(_exc: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            if self._note_conv == conv_id and not self.note_input.text():
                self.note_input.setText(text)
            elif self._note_conv != conv_id:
                self._notes_held.setdefault(conv_id, text)

        self.runner.write(lambda tx: notes.add_note(tx, conv_id, text), None, failed)


#: The public/DM mark's colour in the header (the icons' colours).
KIND_COLOURS = {"public": "#2f7d4f", "direct": "#8e44ad", "email": "#b9660f", "comment": "#2c6fb7"}

STATUS_LABELS = {
    "open": QT_TRANSLATE_NOOP("ConversationPane", "open"),
    "pending": QT_TRANSLATE_NOOP("ConversationPane", "pending"),
    "snoozed": QT_TRANSLATE_NOOP("ConversationPane", "snoozed"),
    "closed": QT_TRANSLATE_NOOP("ConversationPane", "closed"),
}
PRIORITY_NAMES = {
    "urgent": QT_TRANSLATE_NOOP("ConversationPane", "urgent"),
    "high": QT_TRANSLATE_NOOP("ConversationPane", "high"),
    "low": QT_TRANSLATE_NOOP("ConversationPane", "low"),
}


def _mentions_bold(escaped: str) -> str:
    return re.sub(r"(?<![\w@])(@[\w.-]+)", r"<b>\1</b>", escaped)
