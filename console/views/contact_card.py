"""The contact card: who is on the other side, and everything we said to them.

It sits in the narrow column beside the conversation. It answers the
second question of DESIGN.md ("who is this person?"): their other
identities (the same person on Mastodon and by e-mail, linked by hand or by
an exact e-mail match) and every conversation with them on every channel
and account, newest first, so an agent sees that the angry mention follows
two unanswered e-mails. Linking and unlinking happen here too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from console.models.writer import URGENT, ChangeSet
from console.services import people
from console.services.people import ContactSummary, HistoryRow, PersonCard
from console.views import queue_cells
from console.views.caps import one_line
from console.views.icons import network_icon
from console.views.outbox_model import local_time
from console.views.tasks import Runner

ID_ROLE = Qt.ItemDataRole.UserRole
ICON = QSize(16, 16)


def _muted(label: QLabel) -> QLabel:
    """Secondary text in the palette's own muted colour (light and dark)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _contact_text(contact: ContactSummary) -> str:
    if contact.name and contact.name != contact.handle:
        return f"{one_line(contact.name)} — {one_line(contact.handle)}"
    return one_line(contact.handle)


class LinkContactDialog(QDialog):
    """Pick another contact (by name, handle or e-mail) to link to this one."""

    def __init__(self, runner: Runner, exclude: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.exclude = exclude
        self._asked = ""
        self.setWindowTitle(self.tr("Link contact"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, handle or e-mail address"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setIconSize(ICON)
        self.hint = _muted(QLabel(self.tr("The linked contacts are shown as one person.")))
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Link"))
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.resize(360, 320)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._search)
        self.search.textChanged.connect(self._debounce.start)
        self.results.currentItemChanged.connect(self._picked)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        # By keyboard: type, Down/Up choose in the list while the field keeps
        # the keys, Enter links the chosen one (the first match is chosen).
        self.search.installEventFilter(self)
        self.ok_button.setDefault(True)
        self.search.setAccessibleName("Contact search")
        self.results.setAccessibleName("Contacts")

    def _search(self) -> None:
        text = self.search.text()
        self._asked = text

        def find(session: Session) -> tuple[str, list[ContactSummary]]:
            found = people.search_contacts(session, text, limit=20)
            return text, [ContactSummary(c.id, c.network, c.handle, c.name) for c in found]

        self.runner.read(find, self._found)

    def _found(self, found: tuple[str, list[ContactSummary]]) -> None:
        text, contacts = found
        if text != self._asked:
            return  # an older search answered late
        self.results.clear()
        for contact in contacts:
            if contact.id in self.exclude:
                continue
            item = QListWidgetItem(network_icon(contact.network), _contact_text(contact))
            item.setData(ID_ROLE, contact.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        self._picked()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return False

    def _picked(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.chosen_id() is not None)

    def chosen_id(self) -> str | None:
        item = self.results.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else None


class ContactCard(QWidget):
    """The contact, their linked contacts and their conversations.

    Signals:
        open_conversation(str): the user double-clicked a conversation.
    """

    open_conversation = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.contact_id: str | None = None
        self.card: PersonCard | None = None
        self.link_dialog: LinkContactDialog | None = None

        self.network_label = QLabel()
        self.name_label = QLabel()
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.name_label.font()
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setWordWrap(True)
        self.handle_label = _muted(QLabel())
        self.handle_label.setTextFormat(Qt.TextFormat.PlainText)
        self.handle_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.handle_label.setWordWrap(True)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name_label)
        names.addWidget(self.handle_label)
        top = QHBoxLayout()
        top.addWidget(self.network_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(names, 1)

        self.linked_title = _muted(QLabel(self.tr("Also")))
        self.linked = QListWidget()
        self.linked.setIconSize(ICON)
        self.linked.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.linked.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.linked.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.linked.currentItemChanged.connect(self._linked_picked)
        self.link_button = QPushButton(self.tr("Link contact…"))
        self.link_button.setToolTip(self.tr("This person also writes from another contact."))
        self.link_button.clicked.connect(self.link_contact)
        self.unlink_button = QPushButton(self.tr("Unlink"))
        self.unlink_button.setToolTip(self.tr("The selected contact is someone else."))
        self.unlink_button.clicked.connect(self.unlink_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.unlink_button)
        buttons.addStretch(1)

        self.history_title = _muted(QLabel())
        self.history = QListWidget()
        self.history.setIconSize(ICON)
        self.history.setWordWrap(False)
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.itemDoubleClicked.connect(self._opened)
        self.history.itemActivated.connect(self._opened)

        self.empty_label = _muted(QLabel(self.tr("No contact for this conversation.")))
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.linked_title)
        layout.addWidget(self.linked)
        layout.addLayout(buttons)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.empty_label)
        layout.addStretch(0)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        runner.changed.connect(self._changed)
        self._show_card(None)

    # -- loading -------------------------------------------------------------------

    def show_contact(self, contact_id: str | None) -> None:
        """Show a contact (None: the conversation has no known contact)."""
        changed = contact_id != self.contact_id
        self.contact_id = contact_id
        if contact_id is None:
            self._show_card(None)
            return
        if changed:
            self.history.clear()
        self.reload()

    def reload(self) -> None:
        contact_id = self.contact_id
        if contact_id is None:
            return
        self.runner.read(lambda s: (contact_id, people.person_card(s, contact_id)), self._loaded)

    def _changed(self, changes: ChangeSet) -> None:
        # Link/unlink mark the team; any conversation may be a new one with
        # this person. The card is one small query: reload, debounced.
        if self.contact_id is not None and (
            changes.team or changes.conversations or changes.removed
        ):
            self._debounce.start()

    def _loaded(self, loaded: tuple[str, PersonCard | None]) -> None:
        contact_id, card = loaded
        if contact_id != self.contact_id:
            return  # another contact was asked for meanwhile
        self._show_card(card)

    # -- showing -------------------------------------------------------------------

    def _show_card(self, card: PersonCard | None) -> None:
        self.card = card
        present = card is not None
        for widget in (self.name_label, self.handle_label, self.network_label, self.history):
            widget.setVisible(present)
        self.history_title.setVisible(present)
        self.empty_label.setVisible(not present)
        self.link_button.setEnabled(present)
        if card is None:
            self.linked.clear()
            self.history.clear()
            self.linked_title.hide()
            self.linked.hide()
            self.unlink_button.hide()
            return
        contact = card.contact
        self.network_label.setPixmap(network_icon(contact.network).pixmap(ICON))
        self.network_label.setToolTip(contact.network)
        self.name_label.setText(one_line(contact.name or contact.handle))
        self.handle_label.setText(one_line(contact.handle))
        self._show_linked(card.linked)
        self._show_history(card.conversations)

    def _show_linked(self, linked: list[ContactSummary]) -> None:
        keep = self.selected_linked_id()
        self.linked.clear()
        for other in linked:
            item = QListWidgetItem(network_icon(other.network), _contact_text(other))
            item.setData(ID_ROLE, other.id)
            item.setToolTip(_contact_text(other))
            self.linked.addItem(item)
            if other.id == keep or len(linked) == 1:
                self.linked.setCurrentItem(item)
        # As tall as its rows (up to four): a short list needs no scrolling.
        rows = min(max(self.linked.count(), 1), 4)
        row = self.linked.sizeHintForRow(0) if self.linked.count() else 20
        self.linked.setFixedHeight(rows * row + 2 * self.linked.frameWidth() + 2)
        shown = bool(linked)
        self.linked_title.setVisible(shown)
        self.linked.setVisible(shown)
        self.unlink_button.setVisible(shown)
        self._linked_picked()

    def status_label(self, status: str) -> str:
        return queue_cells.status_word(status)

    def _show_history(self, rows: list[HistoryRow]) -> None:
        keep = self.history.currentItem()
        keep_id = keep.data(ID_ROLE) if keep is not None else None
        self.history.clear()
        for row in rows:
            about = one_line((row.subject or row.preview or "").strip().replace("\n", " "))
            meta = " · ".join(
                part
                for part in (
                    row.account_handle,
                    self.status_label(row.status),
                    local_time(row.last_activity_at),
                )
                if part
            )
            item = QListWidgetItem(network_icon(row.network), f"{about or '—'}\n{meta}")
            item.setData(ID_ROLE, row.conversation_id)
            preview = one_line(row.preview, 500)
            tip = one_line(row.subject) + "\n" + preview if row.subject else preview
            item.setToolTip(f"{tip}\n\n{meta}" if tip else meta)
            self.history.addItem(item)
            if row.conversation_id == keep_id:
                self.history.setCurrentItem(item)
        self.history_title.setText(self.tr("Conversations ({0})").format(len(rows)))

    def conversation_ids(self) -> list[str]:
        """The conversations on the card, in order (tests, keyboard users)."""
        items = (self.history.item(n) for n in range(self.history.count()))
        return [str(item.data(ID_ROLE)) for item in items if item is not None]

    def _opened(self, item: QListWidgetItem) -> None:
        self.open_conversation.emit(str(item.data(ID_ROLE)))

    # -- linking ---------------------------------------------------------------------

    def selected_linked_id(self) -> str | None:
        item = self.linked.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else None

    def _linked_picked(self, *_args: object) -> None:
        self.unlink_button.setEnabled(self.selected_linked_id() is not None)

    def link_contact(self) -> LinkContactDialog | None:
        """Open the picker; linking happens when the user accepts it."""
        if self.card is None:
            return None
        contact_id = self.card.contact.id
        exclude = {contact_id, *(c.id for c in self.card.linked)}
        dialog = LinkContactDialog(self.runner, exclude, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            other = dialog.chosen_id()
            if other is not None:
                self.runner.write(
                    lambda tx: people.link(tx, contact_id, other),
                    lambda _person: self.reload(),
                    priority=URGENT,
                )

        dialog.accepted.connect(accepted)
        dialog.finished.connect(self._link_dialog_closed)
        self.link_dialog = dialog
        dialog.open()
        return dialog

    def _link_dialog_closed(self, _result: int) -> None:
        self.link_dialog = None

    def unlink_selected(self) -> None:
        other = self.selected_linked_id()
        if other is None:
            return
        self.runner.write(
            lambda tx: people.unlink(tx, other), lambda _none: self.reload(), priority=URGENT
        )
