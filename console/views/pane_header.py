"""The conversation pane's header: who wrote, where, who reads a reply, and
the workflow buttons (take, assign, snooze, tags, priority, pending, close).

The header never writes: each button emits ``queue_action(QueueAction)`` (a
value of console/views/ops/queue.py), which the pane passes on to the window.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.models.vocabulary import Status
from console.services.conversation_view import ConversationView
from console.views import kinds, queue_cells, theme
from console.views.actions import ActionMenus, menu_button
from console.views.i18n import TrContext
from console.views.ops.queue import SetStatus, Take
from console.views.thread_view import short_text

#: The public/DM mark's colour in the header (the icons' colours).
KIND_COLOURS = {"public": "#2f7d4f", "direct": "#8e44ad", "email": "#b9660f", "comment": "#2c6fb7"}


class PaneHeader(TrContext, QWidget):
    """Signals: queue_action(QueueAction): a workflow action for the
    conversation shown (``show_conversation``)."""

    TR_CONTEXT = "ConversationPane"
    queue_action = Signal(object)

    def __init__(self, menus: ActionMenus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.menus = menus
        self.view: ConversationView | None = None
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.take_button = QPushButton(self.tr("Take"))
        self.take_button.setToolTip(self.tr("Assign to me (t)"))
        self.take_button.clicked.connect(lambda: self.queue_action.emit(Take()))
        self.assign_button = menu_button(
            self.tr("Assign"),
            lambda: menus.assign_menu(self.view.assignee_id if self.view else None),
        )
        self.assign_button.setToolTip(self.tr("Assign to a team member (a)"))
        self.snooze_button = menu_button(self.tr("Snooze"), menus.snooze_menu)
        self.snooze_button.setToolTip(self.tr("Hide until a time (s)"))
        self.tag_button = menu_button(
            self.tr("Tags"), lambda: menus.tag_menu(self.view.row.tags if self.view else ())
        )
        self.tag_button.setToolTip(self.tr("Tag (#)"))
        self.priority_button = menu_button(
            self.tr("Priority"),
            lambda: menus.priority_menu(self.view.row.priority if self.view else "normal"),
        )
        self.pending_button = QPushButton(self.tr("Pending"))
        self.pending_button.setToolTip(self.tr("Waiting on the other side"))
        self.pending_button.clicked.connect(
            lambda: self.queue_action.emit(SetStatus(Status.PENDING))
        )
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setToolTip(self.tr("Done (e)"))
        self.close_button.clicked.connect(self._close_or_reopen)
        #: Every button, in the order shown (enabled only with a conversation).
        self.controls: list[QWidget] = [
            self.take_button,
            self.assign_button,
            self.snooze_button,
            self.tag_button,
            self.priority_button,
            self.pending_button,
            self.close_button,
        ]
        tools = QHBoxLayout()
        tools.setSpacing(4)
        for b in self.controls[:5]:
            tools.addWidget(b)
        tools.addStretch(1)
        tools.addWidget(self.pending_button)
        tools.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(tools)

    def show_title(self, markup: str) -> None:
        """A header without a conversation ("No conversation", why not)."""
        self.view = None
        self.title.setText(f"<span style='font-size:14pt'>{markup}</span>")
        self._fit_title()

    def show_conversation(self, view: ConversationView, me_id: str | None) -> None:
        self.view = view
        self.title.setText(self._title_html(view))
        self._fit_title()
        for w in self.controls:
            w.setEnabled(True)
        closed = view.row.status == "closed"
        self.close_button.setText(self.tr("Reopen") if closed else self.tr("Close"))
        self.take_button.setEnabled(view.assignee_id != me_id or not me_id)

    def _title_html(self, view: ConversationView) -> str:
        """The header: who, where, and first of all who reads a reply (the
        public/DM/e-mail mark; its sentence is the header's tooltip)."""
        row = view.row
        name = html.escape(short_text(row.contact_name or row.contact_handle))
        handle = html.escape(short_text(row.contact_handle))
        subject = html.escape(short_text(row.subject or "", 300))
        assignee = row.assignee_name if row.assignee_id else self.tr("nobody")
        kind = row.kind or "public"
        self.title.setToolTip(kinds.sentence(kind))
        self.title.setAccessibleDescription(kinds.sentence(kind))
        colour = theme.readable(KIND_COLOURS.get(kind, KIND_COLOURS["public"]))
        dim = theme.dim()
        mark = f"<b style='color:{colour}'>{html.escape(kinds.label(kind))}</b>"
        facts = [
            mark,
            html.escape(view.account_handle or row.network),
            html.escape(queue_cells.status_word(row.status)),
            html.escape(self.tr("assigned to {0}").format(assignee)),
        ]
        if row.due_at is not None or row.waiting_since is not None:
            # The legend of the list's red times: "Overdue by 3 h", "Due in 20 min".
            legend = html.escape(queue_cells.due_text(row))
            late = row.due_at is not None and row.due_at <= datetime.now(UTC)
            alarm = theme.readable(theme.ALARM)
            facts.append(f"<b style='color:{alarm}'>{legend}</b>" if late else legend)
        if row.priority not in (None, "normal"):
            facts.append(
                html.escape(
                    self.tr("priority: {0}").format(queue_cells.priority_word(row.priority))
                )
            )
        tags = "".join(
            f" <span style='background:rgba(127,127,127,0.18)'>&nbsp;{html.escape(t)}&nbsp;</span>"
            for t in row.tags
        )
        return (
            f"<span style='font-size:14pt'><b>{name}</b></span> "
            f"<span style='color:{dim}'>{handle}</span><br>"
            f"<span style='color:{dim}'>{' · '.join(facts)}</span>{tags}"
            + (f"<br>{subject}" if subject else "")
        )

    def set_enabled(self, on: bool) -> None:
        for w in self.controls:
            w.setEnabled(on)

    def _close_or_reopen(self) -> None:
        closed = self.view is not None and self.view.row.status == "closed"
        self.queue_action.emit(SetStatus(Status.OPEN if closed else Status.CLOSED))

    def _fit_title(self) -> None:
        """A wrapped title gets the height of its lines: the splitters above
        do not pass height-for-width down, so a long header would be cut."""
        self.title.setMinimumHeight(self.title.heightForWidth(max(1, self.title.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_title()
