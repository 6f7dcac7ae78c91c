"""Send, for the composer: the reply becomes an outbox item, once, or comes
back to its conversation's box with the reason.

At the press Send is disabled and the box emptied; the text stays here
(``sending``) until the write is done. The guards are asked as questions: a
colleague handles the conversation (asked before the write), or the
services' guard held the write (someone answered from this account since it
was opened, or the reply reaches people other than the one who wrote). A
confirmed question is not asked again for that conversation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from console.models.writer import URGENT
from console.services import drafts, outbox
from console.services.errors import UserError
from console.views.i18n import TrContext

if TYPE_CHECKING:
    from console.views.composer import Composer


class ReplySender(TrContext, QObject):
    """The send path of one composer (``composer``, which shows the state)."""

    TR_CONTEXT = "ConversationPane"

    def __init__(self, composer: Composer) -> None:
        super().__init__(composer)
        self.composer = composer
        self.sending: dict[str, str] = {}  # Send pressed, the write not done yet
        self.not_queued: dict[str, str] = {}  # the last Send failed (why), until the next
        # Guards the person confirmed, per conversation: (reason, people).
        self._confirmed: dict[str, set[tuple[str, frozenset[str]]]] = {}
        self.seen_at: dict[str, datetime] = {}  # when each conversation was opened

    def guard_question(self, body: str) -> str | None:
        """The team's question before the press (a colleague handles this
        conversation), or None. Whom the reply reaches is the services'
        guard, decided in the write (:meth:`_held`)."""
        c = self.composer
        conv_id = c.conv_id or ""
        if ("assignee", frozenset()) in self._confirmed.get(conv_id, set()):
            return None
        view = c.view
        assignee = view.assignee_id if view else None
        if view and assignee and c.me_id and assignee != c.me_id:
            name = (view.row.assignee_name if view.row.assignee_id else None) or "?"
            return self.tr("{0} is handling this conversation. Reply anyway?").format(name)
        return None

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(
            self.composer,
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
        """Queue the reply. At the press: Send is disabled and the box
        emptied; the text stays in memory until the write succeeds and comes
        back (with the reason) when it fails."""
        c = self.composer
        conv_id = c.conv_id
        if (
            not c.send_button.isEnabled()
            or conv_id is None
            or conv_id in self.sending
            or c.view is None
            or c.view.id != conv_id
        ):
            return
        body = c.editor.toPlainText()
        question = self.guard_question(body)
        if question is not None:
            if not self._ask(question):
                return
            self._confirmed.setdefault(conv_id, set()).add(("assignee", frozenset()))
        if c.conv_id != conv_id:
            return  # the question was answered on another conversation
        self.sending[conv_id] = body
        self.not_queued.pop(conv_id, None)
        c.show_save_state()
        c.saver.unsaved.pop(conv_id, None)  # the send's own write saves this text
        c.set_text("")
        c.update_counter()
        self._enqueue(conv_id, body, anyway=False)

    def _enqueue(self, conv_id: str, body: str, *, anyway: bool) -> None:
        """The write behind Send: my draft becomes an outbox item, once
        (services.outbox.enqueue decides, in the writer's transaction); a
        guard holds it (Held) until the person confirms."""
        since = self.seen_at.get(conv_id)
        c = self.composer

        def task(tx: Any) -> str:
            drafts.save_draft(tx, conv_id, body)
            return outbox.enqueue(tx, conv_id, anyway=anyway, since=since).id

        def sent(_item: str) -> None:
            if not shiboken6.isValid(self):
                return
            self.sending.pop(conv_id, None)
            c.update_counter()
            c.action.emit("sent", conv_id)
            c.settled(conv_id)

        def failed(exc: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            if isinstance(exc, outbox.Held):
                self._held(conv_id, body, exc.guard)
                return
            self.sending.pop(conv_id, None)
            reason = str(exc) if isinstance(exc, UserError) else self.tr("the cache refused it")
            self.not_queued[conv_id] = self.tr(
                "The reply was not queued ({0}); your text is back."
            ).format(reason)
            self._restore(conv_id, body)
            c.show_save_state()

        c.runner.write(task, sent, failed, priority=URGENT)

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
                self.seen_at[conv_id] = datetime.now(UTC)  # seen now
            else:
                self._confirmed.setdefault(conv_id, set()).add(asked)
            self._enqueue(conv_id, body, anyway=True)
            return
        self.sending.pop(conv_id, None)
        self._restore(conv_id, body)

    def _restore(self, conv_id: str, body: str) -> None:
        """A reply that did not go into the outbox comes back to its
        conversation's box, above anything typed since."""
        c = self.composer
        newer = c.editor.toPlainText() if c.conv_id == conv_id else c.saver.unsaved.get(conv_id, "")
        text = f"{body}\n\n{newer}" if newer.strip() else body
        c.saver.unsaved[conv_id] = text
        if c.conv_id == conv_id:
            c.set_text(text)
            c.update_counter()
        c.save_draft()
