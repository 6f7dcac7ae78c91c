"""The conversation pane: header with actions, the thread, notes, composer.

The thread renders in a QTextBrowser that loads nothing remote (no tracking
pixels, no scripts: QTextBrowser runs none, and ``loadResource`` refuses
every non-local URL). Links open in the system browser, never inside.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from console.models.writer import URGENT
from console.services import conversation, drafts, notes, outbox
from console.views.tasks import Runner
from console.views.textlength import limit_for, measure


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that never fetches anything from the network."""

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
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


def _local_time(iso: str | None) -> str:
    """ISO UTC ("...Z") -> local time, as people read it."""
    if not iso:
        return ""
    when = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    return when.strftime("%d %b %H:%M")


def thread_html(detail: dict[str, Any], tr: Any) -> str:
    """The thread as simple, escaped HTML (text only: nothing remote)."""
    parts = ["<html><body style='margin:6px'>"]
    for m in detail["messages"]:
        outbound = m["direction"] == "out"
        who = html.escape(m["author"]["name"] or m["author"]["handle"])
        when = html.escape(_local_time(m["sent_at"]))
        link = ""
        if m["url"] and m["url"].startswith(("http://", "https://")):
            link = f" · <a href='{html.escape(m['url'], quote=True)}'>{tr('open')}</a>"
        if m["deleted"]:
            body = f"<i>{tr('This message was deleted.')}</i>"
        else:
            body = html.escape(m["text"]).replace("\n", "<br>")
        side = "margin-left:48px" if outbound else "margin-right:48px"
        tint = "rgba(52,120,246,0.10)" if outbound else "rgba(127,127,127,0.10)"
        parts.append(
            f"<table width='100%' cellpadding='8' style='{side};margin-bottom:8px;"
            f"background:{tint}'><tr><td>"
            f"<b>{who}</b> <small>{when}{link}</small><br>{body}"
            "</td></tr></table>"
        )
    parts.append("</body></html>")
    return "".join(parts)


class ConversationPane(QWidget):
    """Signals:
    loaded(str): a conversation and my draft are on screen (its id).
    action(str, object): the user asked for a workflow action (name, arg).
    """

    loaded = Signal(str)
    action = Signal(str, object)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.conv_id: str | None = None
        self.network = ""
        self._draft_dirty = False

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.take_button = QPushButton(self.tr("Take"))
        self.close_button = QPushButton(self.tr("Close"))
        self.pending_button = QPushButton(self.tr("Pending"))
        self.snooze_button = QPushButton(self.tr("Snooze"))
        for name, button in (
            ("take", self.take_button),
            ("close", self.close_button),
            ("pending", self.pending_button),
            ("snooze", self.snooze_button),
        ):
            button.clicked.connect(lambda _=False, n=name: self.action.emit(n, self.conv_id))
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        for b in (self.take_button, self.pending_button, self.snooze_button, self.close_button):
            header.addWidget(b)

        self.browser = SafeBrowser()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)

        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(self.tr("Write a reply… (Ctrl+Enter sends)"))
        self.counter = QLabel()
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.clicked.connect(self.send)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.send)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counter, 1)
        bottom.addWidget(self.send_button)
        composer = QWidget()
        col = QVBoxLayout(composer)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.editor)
        col.addLayout(bottom)

        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.browser, 1)
        top_layout.addWidget(self.notes)
        split.addWidget(top)
        split.addWidget(composer)
        split.setSizes([520, 180])
        self.splitter = split

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(split, 1)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(700)
        self._autosave.timeout.connect(self.save_draft)
        self.editor.textChanged.connect(self._typed)
        self.show_empty()

    # -- showing -------------------------------------------------------------

    def show_empty(self) -> None:
        self.conv_id = None
        self.title.setText(f"<span style='font-size:14pt'>{self.tr('No conversation')}</span>")
        self.browser.setHtml(
            f"<p style='color:gray'>{self.tr('Pick a conversation in the queue.')}</p>"
        )
        for w in (
            self.editor,
            self.send_button,
            self.take_button,
            self.close_button,
            self.pending_button,
            self.snooze_button,
        ):
            w.setEnabled(False)

    def show_conversation(self, conv_id: str) -> None:
        if conv_id == self.conv_id:
            return
        self.save_draft()
        self.conv_id = conv_id

        def load(session: Any) -> tuple[dict[str, Any], str]:
            detail = conversation.detail_json(session, conv_id)
            draft = drafts.my_draft(session, detail["id"])
            return detail, draft.body if draft else ""

        self.runner.read(load, self._show)

    def _show(self, loaded: tuple[dict[str, Any], str]) -> None:
        detail, draft = loaded
        if detail["id"] != self.conv_id:
            return
        self.network = detail["network"]
        name = html.escape(detail["contact"]["name"] or detail["contact"]["handle"])
        handle = html.escape(detail["contact"]["handle"])
        subject = html.escape(detail["subject"] or "")
        assignee = detail["assignee"]["name"] if detail["assignee"] else self.tr("nobody")
        self.title.setText(
            f"<span style='font-size:14pt'><b>{name}</b></span> "
            f"<span style='color:gray'>{handle} · {html.escape(detail['network'])} · "
            f"{html.escape(self.tr(detail['status']))} · {self.tr('assigned to')} "
            f"{html.escape(assignee)}</span>" + (f"<br>{subject}" if subject else "")
        )
        self.browser.setHtml(thread_html(detail, self.tr))
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.maximum())
        if detail["notes"]:
            items = "".join(
                f"<p><b>{html.escape(n['author'] or '')}</b>: {html.escape(n['text'])}</p>"
                for n in detail["notes"]
            )
            self.notes.setText(f"<div style='background:rgba(241,196,15,0.18)'>{items}</div>")
            self.notes.show()
        else:
            self.notes.hide()
        self.editor.blockSignals(True)
        self.editor.setPlainText(draft)
        self.editor.blockSignals(False)
        self._draft_dirty = False
        for w in (
            self.editor,
            self.take_button,
            self.close_button,
            self.pending_button,
            self.snooze_button,
        ):
            w.setEnabled(True)
        self._update_counter()
        self.loaded.emit(detail["id"])

    # -- composing -------------------------------------------------------------

    def _typed(self) -> None:
        self._draft_dirty = True
        self._update_counter()
        self._autosave.start()

    def _update_counter(self) -> None:
        text = self.editor.toPlainText()
        limit = limit_for(self.network)
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

    def send(self) -> None:
        if not self.send_button.isEnabled() or self.conv_id is None:
            return
        conv_id, body = self.conv_id, self.editor.toPlainText()
        self._autosave.stop()
        self._draft_dirty = False

        def task(tx: Any) -> str:
            drafts.save_draft(tx, conv_id, body)
            return outbox.enqueue(tx, conv_id).id

        def sent(_item: str) -> None:
            self.editor.blockSignals(True)
            self.editor.clear()
            self.editor.blockSignals(False)
            self._update_counter()
            self.action.emit("sent", conv_id)

        self.runner.write(task, sent, priority=URGENT)

    def add_note(self, text: str) -> None:
        if self.conv_id is not None and text.strip():
            conv_id = self.conv_id
            self.runner.write(lambda tx: notes.add_note(tx, conv_id, text))
