"""The conversation pane: the header with its actions, the thread, the
composer and, beside them, the contact card and the team's notes.

The pane assembles its parts and loads the conversation for them, off the
GUI thread (services.conversation.pane_view, and the thread's markup, whose
sanitiser and caps cost what a stranger's message costs). The parts:
console/views/pane_header.py (who, where, the workflow buttons),
thread_view.py (the messages, in a browser that fetches nothing),
composer.py with draft_saver.py and reply_send.py (typing, autosave, Send),
notes_panel.py (internal notes) and contact_card.py.

Typed text belongs to the conversation it was typed in (docs/decisions.md):
the composer and the note field are bound to the conversation they show;
between a switch and the new conversation's arrival both are read-only, so
nothing typed lands in the wrong place.
"""

from __future__ import annotations

import html
import logging
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QSplitter, QVBoxLayout, QWidget

from console.services import attachments, conversation, drafts
from console.services.conversation_view import ConversationView
from console.views.actions import ActionMenus
from console.views.composer import Composer, while_alive
from console.views.notes_panel import NotesPanel
from console.views.pane_header import PaneHeader
from console.views.tasks import Runner
from console.views.thread_view import SafeBrowser, short_text, thread_html
from console.views.whole_message import WholeMessageDialog, whole_text_of

log = logging.getLogger(__name__)


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
        #: The conversation on screen, as loaded (None: nothing shown).
        self.view: ConversationView | None = None
        self.menus = ActionMenus(self)
        self.menus.chosen.connect(self.queue_action)

        self.header = PaneHeader(self.menus)
        self.header.queue_action.connect(self.queue_action)
        self.browser = SafeBrowser()
        self.browser.attachment.connect(self.save_attachment)
        self.browser.whole.connect(self.show_whole)
        self.composer = Composer(runner)
        self.composer.action.connect(self.action)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.browser)
        split.addWidget(self.composer)
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
        self.notes_panel = NotesPanel(runner, self)
        self.notes_panel.notice.connect(lambda text: self.action.emit("notice", text))
        self.notes_panel.place(side_layout)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(split)
        body.addWidget(self.side)
        # Extra width goes to the thread; the side column keeps its width.
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 0)
        self.side.setMinimumWidth(220)
        body.setSizes([470, 250])
        body.setChildrenCollapsible(False)
        self.body_splitter = body

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)

        # The parts' widgets, by the names the window and the tests use.
        h, c = self.header, self.composer
        self.title = h.title
        self.take_button, self.assign_button = h.take_button, h.assign_button
        self.snooze_button, self.tag_button = h.snooze_button, h.tag_button
        self.priority_button = h.priority_button
        self.pending_button, self.close_button = h.pending_button, h.close_button
        self.editor, self.counter, self.recipients = c.editor, c.counter, c.recipients
        self.save_state, self.send_button = c.save_state, c.send_button
        self.saved_button, self.autosave = c.saved_button, c.saver.autosave
        self.notes, self.note_input = self.notes_panel.notes, self.notes_panel.note_input
        #: The queue's search words, highlighted in the thread.
        self.search_words: tuple[str, ...] = ()
        self.show_empty()

    @property
    def me_id(self) -> str | None:
        """Me in the team (None in solo use before "me" exists)."""
        return self.composer.me_id

    @me_id.setter
    def me_id(self, value: str | None) -> None:
        self.composer.me_id = value

    @property
    def shown_id(self) -> str | None:
        """The id of the conversation on screen (once its load arrived)."""
        return self.view.id if self.view is not None else None

    @property
    def sending(self) -> dict[str, str]:
        """The replies whose Send is pressed and not yet in the outbox (by
        conversation id)."""
        return self.composer.outgoing.sending

    # -- showing -------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Light to dark (or back): the thread, header and notes are drawn
        again in the new palette's colours (theme.py)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.view is not None:
            self.reload()

    def show_empty(self) -> None:
        self.conv_id = None
        self.view = None
        self.header.show_title(self.tr("No conversation"))
        self.browser.setHtml(
            "<p class='dim'>" + self.tr("Pick a conversation in the queue.") + "</p>"
        )
        self.notes.setText("")
        self.notes_panel.conv_id = None
        self.composer.clear()
        self.header.set_enabled(False)
        self.note_input.setEnabled(False)

    def show_damaged(self, sentence: str) -> None:
        """A queue row that could not be built (services.queue: damaged):
        the pane says why instead of failing or showing nothing."""
        self.save_draft()
        self._detach()
        self.show_empty()
        title = html.escape(self.tr("This conversation cannot be shown"))
        self.header.show_title(title)
        self.browser.setHtml(f"<p>{html.escape(short_text(sentence, 2000))}</p>")

    def set_search_words(self, words: tuple[str, ...]) -> None:
        """The queue's search words, highlighted in the thread (shown
        again when they change)."""
        if words != self.search_words:
            self.search_words = words
            self.reload()

    def show_conversation(self, conv_id: str) -> None:
        if conv_id == self.conv_id:
            return
        self.save_draft()
        self.conv_id = conv_id
        self._detach()
        self.reload()

    def _detach(self) -> None:
        """Between a switch and the new conversation's arrival: nothing can be
        typed or pressed (a half-typed note stays with its conversation)."""
        self.notes_panel.detach()
        self.composer.detach()
        self.header.set_enabled(False)

    def reload(self) -> None:
        """Load the shown conversation again (it changed on the writer)."""
        if self.conv_id is None:
            return
        conv_id = self.conv_id
        quiet, ticket = self.composer.read_ticket(conv_id)
        tr, words = self.tr, self.search_words

        def load(session: Any) -> tuple[ConversationView, str, str]:
            view = conversation.pane_view(session, conv_id)
            # The thread's markup is built here, off the GUI thread (the
            # sanitiser and the caps cost what a stranger's message costs).
            markup = thread_html(view, tr, words)
            draft = drafts.my_draft(session, view.id)
            # A draft in the outbox (or sent) is not in the composer any more.
            editable = drafts.shows_in_composer(draft)
            return view, markup, draft.body if editable and draft else ""

        self.runner.read(
            load,
            while_alive(self, partial(self._show, quiet=quiet, requested=conv_id, ticket=ticket)),
        )

    def draft_changed(self) -> None:
        """My draft for the shown conversation changed in the cache (the
        composer looks at it again)."""
        self.composer.draft_changed()

    def _show(
        self,
        loaded: tuple[ConversationView, str, str],
        quiet: tuple[int, bool] | None = None,
        requested: str | None = None,
        ticket: int | None = None,
    ) -> None:
        view, markup, draft = loaded
        if (requested or view.id) != self.conv_id:
            return  # another conversation was chosen meanwhile
        self.conv_id = view.id  # a merged conversation's id redirects to the survivor
        same = self.shown_id == view.id
        self.view = view
        self.header.show_conversation(view, self.me_id)
        bar = self.browser.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        keep = bar.value()
        self.browser.setHtml(markup)
        bar.setValue(bar.maximum() if (at_end or not same) else keep)
        self.notes_panel.show_notes(view.notes)
        if self.card is not None:
            self.card.show_contact(view.contact_id)
        if self.notes_panel.conv_id != view.id:
            self.notes_panel.bind(view.id)
        self.note_input.setEnabled(True)
        self.composer.show_draft(view, draft, quiet, ticket)
        self.loaded.emit(view.id)

    # -- the composer, as the window asks ---------------------------------------

    def save_draft(self) -> None:
        """Hand every unsaved text to the writer now."""
        self.composer.save_draft()

    def unsaved_failures(self) -> int:
        return self.composer.unsaved_failures()

    def send(self) -> None:
        self.composer.send()

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
        view = self.view
        message = view.message(message_id) if view is not None else None
        if view is None or message is None:
            return
        title = short_text(message.author, 60)
        self.action.emit("notice", self.tr("Preparing the whole message…"))

        def opened(text: str) -> None:
            dialog = WholeMessageDialog(title, text, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            self.whole_dialog = dialog
            self.whole_opened.emit(message_id)

        kind = view.row.kind
        self.runner.call(lambda: whole_text_of(message, kind), opened)
