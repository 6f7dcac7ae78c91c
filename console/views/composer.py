"""The composer: the reply box, its counter, whom a reply reaches, Send.

Typed text belongs to the conversation it was typed in (docs/decisions.md):
the composer is bound to the conversation it shows (``conv_id``), every
keystroke records its text under that id (console/views/draft_saver.py
saves it), and a send carries the id. Between a switch and the new
conversation's arrival it is read-only, so nothing typed lands in the wrong
place. A reload never undoes a newer keystroke: reads that may fill the box
are numbered and only the latest applies, and only when nothing was typed
or sent since it started.

Send empties the box at the press; the text stays in memory until the
outbox has it and comes back (with the reason) when it does not. The
guards (a colleague handles it, someone answered, whom a reply reaches) are
asked as questions; a confirmed one is not asked again for the conversation.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.services import drafts, outbox, saved_replies
from console.services.conversation_view import ConversationView
from console.services.errors import UserError
from console.services.outbox import LengthRule
from console.sync.textlength import limit_for, measure, reply_problem
from console.views import theme
from console.views.actions import menu_button
from console.views.draft_saver import DraftSaver
from console.views.i18n import TrContext
from console.views.reply_send import ReplySender
from console.views.tasks import Runner
from console.views.throttle import Throttle

#: Whom a reply reaches is asked again at most this long after a keystroke.
RECIPIENTS_MS = 400


def while_alive(owner: QObject, fn: Callable[[Any], None]) -> Callable[[Any], None]:
    """``fn`` as a callback that does nothing once ``owner`` is deleted (the
    Runner can tell that only for bound methods, not for a partial)."""

    def call(result: Any) -> None:
        if shiboken6.isValid(owner):
            fn(result)

    return call


class ReplyEditor(QPlainTextEdit):
    """The reply box. Signals: focus_left(): it lost the keyboard focus
    (what was typed is saved at once)."""

    focus_left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_left.emit()

    def event(self, event: QEvent) -> bool:
        # Ctrl+K is the window's palette (saved replies while typing), not
        # the text box's "delete to the end of the line".
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_K
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            event.ignore()
            return False
        return super().event(event)


class Composer(TrContext, QWidget):
    """Signals: action(str, object): ("sent", conv_id) or ("notice", text)."""

    TR_CONTEXT = "ConversationPane"
    action = Signal(str, object)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        #: The conversation whose draft the box holds (None: read-only).
        self.conv_id: str | None = None
        self.view: ConversationView | None = None
        self.network = ""
        self.max_length: int | None = None
        self.me_id: str | None = None
        #: Saved replies (id, name), preloaded by the window (None: not yet).
        self.saved_list: tuple[tuple[str, str], ...] | None = None
        # Reads that may fill the box, numbered: only the latest one issued
        # applies (it started after every change announced so far; an older
        # read finishing late must not put back a stale draft).
        self._draft_reads = 0
        # A draft changed elsewhere while our own save or send was in flight:
        # looked at again once that write is done.
        self._draft_stale: set[str] = set()
        self._edits = 0  # keystrokes so far (a reload never undoes a newer one)
        self.saver = DraftSaver(runner, self)
        self.saver.changed.connect(self.show_save_state)
        self.saver.settled.connect(self.settled)
        self.outgoing = ReplySender(self)
        self.saver.notice.connect(lambda text: self.action.emit("notice", text))

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
        self.save_state.setStyleSheet(f"color:{theme.readable(theme.ALARM)}")
        self.save_state.setWordWrap(True)
        self.save_state.hide()
        self.saved_button = menu_button(self.tr("Saved replies"), self._saved_menu)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setDefault(True)
        self.send_button.setToolTip(self.tr("Queue in the outbox (Ctrl+Enter); works offline"))
        self.send_button.clicked.connect(self.send)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.send)
        bottom = QHBoxLayout()
        bottom.addWidget(self.saved_button)
        bottom.addWidget(self.counter, 1)
        bottom.addWidget(self.send_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.recipients)
        col.addWidget(self.editor)
        col.addWidget(self.save_state)
        col.addLayout(bottom)

        self._addressing = Throttle(RECIPIENTS_MS, self._refresh_recipients, self)
        self.editor.textChanged.connect(self._typed)
        self.editor.focus_left.connect(self.save_draft)

    # -- bound to a conversation ---------------------------------------------------

    def clear(self) -> None:
        """No conversation: nothing to type into."""
        self.conv_id = None
        self.view = None
        for w in (self.editor, self.send_button, self.saved_button):
            w.setEnabled(False)

    def detach(self) -> None:
        """Between a switch and the new conversation's arrival: nothing can be
        typed or sent (the keyboard focus stays where it was)."""
        self.conv_id = None
        self.editor.blockSignals(True)
        self.editor.clear()
        self.editor.blockSignals(False)
        self.editor.setReadOnly(True)
        self.send_button.setEnabled(False)
        self.show_save_state()

    def read_ticket(self, conv_id: str) -> tuple[tuple[int, bool], int]:
        """Taken when a read that may fill the box starts: what was typed or
        sent so far, and the read's number (see ``show``)."""
        quiet = (self._edits, conv_id in self.saver.unsaved or conv_id in self.outgoing.sending)
        self._draft_reads += 1
        return quiet, self._draft_reads

    def show_draft(
        self, view: ConversationView, draft: str, quiet: tuple[int, bool] | None, ticket: int | None
    ) -> None:
        """The conversation (re)loaded with my stored ``draft``: newly shown,
        text not yet in the cache wins over it; on a reload of the same one,
        it replaces the box only when nothing was typed or sent since the
        read started (``quiet``) and no later read was issued (``ticket``)."""
        conv_id = view.id
        self.view = view
        self.network = view.row.network
        self.max_length = view.max_length  # the instance's own limit, when known
        if self.conv_id != conv_id:
            self.set_text(self.saver.unsaved.get(conv_id, draft))
            self.conv_id = conv_id
            self.outgoing.seen_at[conv_id] = datetime.now(UTC)
        elif (
            quiet == (self._edits, False)
            and (ticket is None or ticket == self._draft_reads)
            and conv_id not in self.saver.unsaved
            and conv_id not in self.outgoing.sending
        ):
            self.set_text(draft)
        self.editor.setReadOnly(False)
        self.editor.setEnabled(True)
        self.saved_button.setEnabled(True)
        self.update_counter()
        self.show_save_state()
        if self.editor.toPlainText() == draft:
            self._show_recipients(conv_id, list(view.recipients))
        else:
            self._refresh_recipients()

    def draft_changed(self) -> None:
        """My draft for the shown conversation changed in the cache, not by a
        save of ours in flight (the outbox's Cancel gave a reply back, another
        process wrote it): the box shows it unless something was typed here
        since, which wins."""
        conv_id = self.conv_id
        if conv_id is None:
            return
        if conv_id in self.saver.saving or conv_id in self.outgoing.sending:
            self._draft_stale.add(conv_id)  # looked at again when our write is done
            return
        quiet, ticket = self.read_ticket(conv_id)

        def load(session: Any) -> str:
            draft = drafts.my_draft(session, conv_id)
            return draft.body if draft is not None and drafts.shows_in_composer(draft) else ""

        def done(body: str) -> None:
            if (
                ticket == self._draft_reads
                and self.conv_id == conv_id
                and quiet == (self._edits, False)
                and conv_id not in self.saver.unsaved
                and conv_id not in self.outgoing.sending
            ):
                self.set_text(body)
                self.update_counter()

        self.runner.read(load, while_alive(self, done))

    def settled(self, conv_id: str) -> None:
        """Our save or send for the conversation is done: a change of the
        draft made elsewhere meanwhile is looked at now."""
        busy = conv_id in self.saver.saving or conv_id in self.outgoing.sending
        if conv_id in self._draft_stale and not busy:
            self._draft_stale.discard(conv_id)
            self.draft_changed()

    def set_text(self, text: str) -> None:
        if self.editor.toPlainText() != text:
            self.editor.blockSignals(True)
            self.editor.setPlainText(text)
            self.editor.blockSignals(False)

    # -- typing ------------------------------------------------------------------

    def _typed(self) -> None:
        """A keystroke: its text is recorded under the conversation it was
        typed in, and saved within AUTOSAVE_MS."""
        conv_id = self.conv_id
        if conv_id is None:
            return
        self._edits += 1
        self.update_counter()
        self.saver.record(conv_id, self.editor.toPlainText())
        self._addressing.poke()

    def _refresh_recipients(self) -> None:
        """Ask (off the GUI thread) whom the text in the box reaches: a
        Mastodon mention adds its person, even in a private conversation."""
        conv_id = self.conv_id
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

        self.runner.read(load, while_alive(self, done))

    def _show_recipients(self, conv_id: str, people: list[str] | None) -> None:
        if conv_id != self.conv_id:
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

    def update_counter(self) -> None:
        """The length against the network's rule (console/sync/textlength.py,
        the one ``send`` obeys); nothing typed is ever cut: over the limit,
        Send waits and the counter says why."""
        text = self.editor.toPlainText()
        rule = self.view.length_rule if self.view is not None else None
        if isinstance(rule, LengthRule):
            limit, length, problem = rule.limit(), rule.count(text), rule.problem(text)
        else:  # nothing loaded yet: the network's plain rule
            kind = (self.view.row.kind if self.view is not None else "") or None
            # only a network whose rule honours the instance's own limit uses it
            configured = self.max_length
            limit = limit_for(self.network, kind=kind, configured=configured)
            length = measure(text, self.network)
            problem = reply_problem(text, self.network, kind=kind, configured=configured)
        over = problem is not None
        if limit is None:
            self.counter.setText(self.tr("{0} characters").format(length))
        else:
            self.counter.setText(f"{length} / {limit}")
        self.counter.setToolTip(problem or "")
        alarm = theme.readable(theme.ALARM)
        self.counter.setStyleSheet(f"color:{alarm};font-weight:bold" if over else "")
        conv_id = self.conv_id
        self.send_button.setEnabled(
            bool(text.strip())
            and not over
            and conv_id is not None
            and conv_id not in self.outgoing.sending
        )

    # -- saving and sending ------------------------------------------------------

    def save_draft(self) -> None:
        """Hand every unsaved text to the writer now (draft_saver)."""
        self.saver.save_all()

    def unsaved_failures(self) -> int:
        """How many conversations hold text the cache refused (retrying)."""
        return self.saver.failures()

    def show_save_state(self) -> None:
        """The box's marker: what has not reached the cache, in words."""
        conv_id, saver = self.conv_id, self.saver
        if conv_id is not None and conv_id in saver.refused:
            message = saver.refused[conv_id]
        elif conv_id is not None and conv_id in saver.failing:
            message = self.tr("Not saved — retrying. Your text is kept here.")
        elif saver.failing:
            message = self.tr("{0} drafts not saved — retrying.").format(len(saver.failing))
        elif conv_id is not None and conv_id in self.outgoing.not_queued:
            message = self.outgoing.not_queued[conv_id]
        else:
            message = ""
        self.save_state.setText(message)
        self.save_state.setAccessibleName(message)
        self.save_state.setVisible(bool(message))

    def send(self) -> None:
        """Queue the reply (console/views/reply_send.py)."""
        self.outgoing.send()

    # -- saved replies -----------------------------------------------------------

    def _saved_menu(self) -> QMenu:
        """Saved replies, inserted at the cursor with their fields filled for
        this contact. The list is preloaded with the sidebar's overview, so
        the menu opens whole (and is placed on screen at its full size)."""
        menu = QMenu(self)
        if self.saved_list is None:
            waiting = menu.addAction(self.tr("Loading…"))
            waiting.setEnabled(False)
        elif not self.saved_list:
            none = menu.addAction(self.tr("No saved replies yet (Settings)"))
            none.setEnabled(False)
        for reply_id, name in self.saved_list or ():
            menu.addAction(name, partial(self.insert_saved, reply_id))
        return menu

    def insert_saved(self, reply_id: str) -> None:
        """Fill saved reply ``reply_id`` for this conversation's contact (in
        the background) and insert it at the cursor."""
        conv_id = self.conv_id
        if conv_id is None:
            return

        def render(session: Any) -> str:
            return saved_replies.render_for(session, reply_id, conv_id)

        self.runner.read(render, while_alive(self, partial(self._insert_text, conv_id)))

    def _insert_text(self, conv_id: str, text: str) -> None:
        """A saved reply filled for ``conv_id`` goes into that box only."""
        if self.conv_id == conv_id and not self.editor.isReadOnly():
            self.editor.insertPlainText(text)
            self.editor.setFocus()
