"""The conversation pane: header with actions, the thread, notes, composer.

The thread renders in a QTextBrowser that loads nothing remote (no tracking
pixels, no scripts: QTextBrowser runs none, and ``loadResource`` refuses
every non-local URL). Links open in the system browser, never inside.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
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

from console.models.writer import URGENT
from console.services import attachments, conversation, drafts, notes, outbox, saved_replies
from console.sync.html import sanitize_html
from console.sync.mailparse import split_quoted
from console.views import actions
from console.views.actions import ActionMenus
from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.tasks import Runner
from console.views.textlength import limit_for, measure


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that never fetches anything from the network.

    Signals:
        attachment(str, int): the user opened attachment N of a message.
    """

    attachment = Signal(str, int)
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
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


def _local_time(iso: str | None) -> str:
    """ISO UTC ("...Z") -> local time, as people read it."""
    if not iso:
        return ""
    when = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    return when.strftime("%d %b %H:%M")


ATTACHMENT_SCHEME = "parloir-attachment"


def _attachments_html(message: dict[str, Any]) -> str:
    """Attachment links (name, size); the bytes are fetched when clicked."""
    items = []
    for n, item in enumerate(message.get("attachments") or []):
        name = html.escape(str(item.get("name") or "attachment"))
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


def display_html(raw: str) -> str:
    """Stored HTML made safe again (defence in depth) with every link's real
    target shown after it when the link text hides it (no "click here" that
    leads somewhere else unseen)."""
    clean = sanitize_html(raw)

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


def _mail_body(text: str, tr: Any) -> str:
    """An e-mail as plain text, its quoted history folded under a quiet
    line (the history is in the thread already, message by message)."""
    new, quoted = split_quoted(text)
    body = html.escape(new).replace("\n", "<br>")
    if quoted:
        lines = quoted.count("\n") + 1
        body += f"<br><small style='color:gray'>— {html.escape(tr(QUOTED).format(lines))} —</small>"
    return body


# thread_html is called with the pane's tr: its strings live in that context.
VIEW_ORIGINAL = QT_TRANSLATE_NOOP("ConversationPane", "view original")
DELETED = QT_TRANSLATE_NOOP("ConversationPane", "This message was deleted.")
QUOTED = QT_TRANSLATE_NOOP("ConversationPane", "{0} quoted lines folded")


def thread_html(detail: dict[str, Any], tr: Any) -> str:
    """The thread as simple, escaped HTML (text only: nothing remote)."""
    parts = ["<html><body style='margin:6px'>"]
    for m in detail["messages"]:
        outbound = m["direction"] == "out"
        who = html.escape(m["author"]["name"] or m["author"]["handle"])
        when = html.escape(_local_time(m["sent_at"]))
        link = ""
        if m["url"] and m["url"].startswith(("http://", "https://")):
            link = f" · <a href='{html.escape(m['url'], quote=True)}'>{tr(VIEW_ORIGINAL)}</a>"
        if m["deleted"]:
            body = f"<i>{tr(DELETED)}</i>"
        elif detail.get("kind") == "email" and m["text"]:
            body = _mail_body(m["text"], tr)
        elif m.get("html"):
            body = display_html(m["html"])
        else:
            body = html.escape(m["text"]).replace("\n", "<br>")
        side = "margin-left:48px" if outbound else "margin-right:48px"
        tint = "rgba(52,120,246,0.10)" if outbound else "rgba(127,127,127,0.10)"
        parts.append(
            f"<table width='100%' cellpadding='8' style='{side};margin-bottom:8px;"
            f"background:{tint}'><tr><td>"
            f"<b>{who}</b> <small>{when}{link}</small><br>{body}{_attachments_html(m)}"
            "</td></tr></table>"
        )
    parts.append("</body></html>")
    return "".join(parts)


class ConversationPane(QWidget):
    """Signals:
    loaded(str): a conversation and my draft are on screen (its id).
    action(str, object): a workflow action for this conversation (see
        console/views/actions.py for names), or ("sent", conv_id).
    open_conversation(str): the user asked to show another conversation.
    """

    loaded = Signal(str)
    action = Signal(str, object)
    open_conversation = Signal(str)

    #: A public reply addressed to more people than this asks first.
    MASS_REPLY = 3

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.conv_id: str | None = None
        self.network = ""
        self.detail: dict[str, Any] = {}
        self.me_id: str | None = None
        self.max_length: int | None = None
        self._draft_dirty = False
        self._guard_passed: set[str] = set()
        self.menus = ActionMenus(self)
        self.menus.chosen.connect(self.action)

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.take_button = QPushButton(self.tr("Take"))
        self.take_button.setToolTip(self.tr("Assign to me (t)"))
        self.take_button.clicked.connect(lambda: self.action.emit("take", None))
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
        self.pending_button.clicked.connect(lambda: self.action.emit("status", "pending"))
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

        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(self.tr("Write a reply… (Ctrl+Enter sends)"))
        self.counter = QLabel()
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
        col.addWidget(self.editor)
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

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(700)
        self._autosave.timeout.connect(self.save_draft)
        self.editor.textChanged.connect(self._typed)
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
        self.detail = {}
        nothing = self.tr("No conversation")
        self.title.setText(f"<span style='font-size:14pt'>{nothing}</span>")
        self.browser.setHtml(
            "<p style='color:gray'>" + self.tr("Pick a conversation in the queue.") + "</p>"
        )
        self.notes.setText("")
        for w in [*self._controls, self.editor, self.send_button, self.saved_button]:
            w.setEnabled(False)

    def show_conversation(self, conv_id: str) -> None:
        if conv_id == self.conv_id:
            return
        self.save_draft()
        self.conv_id = conv_id
        self.reload()

    def reload(self) -> None:
        """Load the shown conversation again (it changed on the writer)."""
        if self.conv_id is None:
            return
        conv_id = self.conv_id

        def load(session: Any) -> tuple[dict[str, Any], str]:
            detail = conversation.pane_json(session, conv_id)
            draft = drafts.my_draft(session, detail["id"])
            # A queued draft is in the outbox now: the composer starts empty.
            editable = draft is not None and draft.state != "queued"
            return detail, draft.body if editable and draft else ""

        self.runner.read(load, self._show)

    def _show(self, loaded: tuple[dict[str, Any], str]) -> None:
        detail, draft = loaded
        if detail["id"] != self.conv_id:
            return
        same = self.detail.get("id") == detail["id"]
        self.detail = detail
        self.network = detail["network"]
        self.max_length = detail.get("max_length")  # the instance's own limit, when known
        self.title.setText(self._title_html(detail))
        bar = self.browser.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        keep = bar.value()
        self.browser.setHtml(thread_html(detail, self.tr))
        bar.setValue(bar.maximum() if (at_end or not same) else keep)
        self._show_notes(detail["notes"])
        if self.card is not None:
            self.card.show_contact(detail.get("contact_id"))
        if not same or not self._draft_dirty:
            # A reload of the same conversation never overwrites what is being typed.
            self.editor.blockSignals(True)
            if self.editor.toPlainText() != draft:
                self.editor.setPlainText(draft)
            self.editor.blockSignals(False)
            self._draft_dirty = False
        for w in [*self._controls, self.editor, self.saved_button]:
            w.setEnabled(True)
        closed = detail["status"] == "closed"
        self.close_button.setText(self.tr("Reopen") if closed else self.tr("Close"))
        self.take_button.setEnabled(detail.get("assignee_id") != self.me_id or not self.me_id)
        self._update_counter()
        self.loaded.emit(detail["id"])

    def _title_html(self, detail: dict[str, Any]) -> str:
        name = html.escape(detail["contact"]["name"] or detail["contact"]["handle"])
        handle = html.escape(detail["contact"]["handle"])
        subject = html.escape(detail["subject"] or "")
        assignee = detail["assignee"]["name"] if detail["assignee"] else self.tr("nobody")
        facts = [
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
        self.notes.setText(
            "".join(
                f"<p style='margin:0 0 6px 0'><b>{html.escape(n['author'] or '')}</b> "
                f"<small style='color:gray'>{html.escape(_local_time(n['created_at']))}</small>"
                f"<br>{_mentions_bold(html.escape(n['text']))}</p>"
                for n in items
            )
        )

    def _close_or_reopen(self) -> None:
        closed = self.detail.get("status") == "closed"
        self.action.emit("status", "open" if closed else "closed")

    # -- composing -------------------------------------------------------------

    def _typed(self) -> None:
        self._draft_dirty = True
        self._update_counter()
        self._autosave.start()

    def _update_counter(self) -> None:
        text = self.editor.toPlainText()
        limit = self.max_length if self.network == "mastodon" and self.max_length else None
        limit = limit or limit_for(self.network)
        length = measure(text, self.network)
        over = limit is not None and length > limit
        if limit is None:
            self.counter.setText(self.tr("{0} characters").format(length))
        else:
            self.counter.setText(f"{length} / {limit}")
        self.counter.setStyleSheet("color:#c0392b;font-weight:bold" if over else "")
        self.send_button.setEnabled(bool(text.strip()) and not over and self.conv_id is not None)

    def save_draft(self) -> None:
        """Autosave (urgent on the writer: never waits behind a sync)."""
        self._autosave.stop()
        if not self._draft_dirty or self.conv_id is None:
            return
        conv_id, body = self.conv_id, self.editor.toPlainText()
        self._draft_dirty = False
        self.runner.write(lambda tx: drafts.save_draft(tx, conv_id, body), priority=URGENT)

    def audience(self, body: str) -> list[str]:
        """Everyone a public reply would reach: the message's audience plus
        the accounts named in the text."""
        own = str(self.detail.get("account_handle") or "").lower()
        people = [h for h in self.detail.get("audience") or [] if h]
        for found in re.findall(r"(?<![\w@/])@(\w+(?:[.-]\w+)*(?:@[\w-]+(?:\.[\w-]+)+)?)", body):
            handle = found.lower()
            short = handle.split("@")[0]
            if handle != own and not any(p == handle or p.split("@")[0] == short for p in people):
                people.append(handle)
        return people

    def guard_question(self, body: str) -> str | None:
        """The one question to ask before a hurried reply, or None."""
        if self.conv_id in self._guard_passed:
            return None
        assignee = self.detail.get("assignee_id")
        if assignee and self.me_id and assignee != self.me_id:
            name = (self.detail.get("assignee") or {}).get("name") or "?"
            return self.tr("{0} is handling this conversation. Reply anyway?").format(name)
        if self.detail.get("kind") == "public":
            count = len(self.audience(body))
            if count > self.MASS_REPLY:
                return self.tr("Send to {0} people?").format(count)
        return None

    def send(self) -> None:
        if not self.send_button.isEnabled() or self.conv_id is None:
            return
        conv_id, body = self.conv_id, self.editor.toPlainText()
        question = self.guard_question(body)
        if question is not None:
            answer = QMessageBox.question(
                self,
                self.tr("Send this reply?"),
                question,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._guard_passed.add(conv_id)
        self._autosave.stop()
        self._draft_dirty = False

        def task(tx: Any) -> str:
            drafts.save_draft(tx, conv_id, body)
            return outbox.enqueue(tx, conv_id).id

        def sent(_item: str) -> None:
            if self.conv_id == conv_id:
                self.editor.blockSignals(True)
                self.editor.clear()
                self.editor.blockSignals(False)
                self._update_counter()
            self.action.emit("sent", conv_id)

        self.runner.write(task, sent, priority=URGENT)

    def _saved_menu(self) -> QMenu:
        """Saved replies, inserted with their fields filled for this contact."""
        menu = QMenu(self)
        conv_id = self.conv_id

        def load(session: Any) -> list[tuple[str, str]]:
            return [(r.id, r.name) for r in saved_replies.list_replies(session)]

        def insert(reply_id: str) -> None:
            if conv_id is None:
                return

            def render(session: Any) -> str:
                return saved_replies.render_for(session, reply_id, conv_id)

            self.runner.read(render, self._insert_text)

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

    def _insert_text(self, text: str) -> None:
        if self.conv_id is not None:
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

    # -- notes -------------------------------------------------------------------

    def _note_entered(self) -> None:
        text = self.note_input.text()
        if text.strip():
            self.add_note(text)
            self.note_input.clear()

    def add_note(self, text: str) -> None:
        if self.conv_id is not None and text.strip():
            conv_id = self.conv_id
            self.runner.write(lambda tx: notes.add_note(tx, conv_id, text))


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
