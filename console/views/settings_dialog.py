"""The Settings dialog: accounts, team, saved replies, workflow, language.

Every tab loads through the :class:`Runner` and saves through services on
the writer, so the dialog opens at once and never runs SQL on the GUI
thread. Lists and the team save as soon as the user acts (add, remove, a new
role); the Workflow and Language tabs are forms, saved on OK / Apply.

Signing in to a server can take minutes (a browser round trip), so it runs on
a plain thread (:class:`Background`), never on the writer, which must stay
free for the rest of the app; its outcome comes back with a Qt signal.

The dialog deletes itself when closed (``SettingsDialog(runner, self).open()``
does not leak), so every late callback checks that its widget still exists.

Signals:
    loaded(): every tab holds its first data (tests wait for it).
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from console.credentials import KeyringUnavailable
from console.models.writer import ChangeSet, Tx
from console.services import accounts, oauth, saved_replies, settings, signin, team
from console.services.errors import UserError
from console.sync.base import ProviderError
from console.views.icons import network_icon
from console.views.settings_forms import FORM_KEYS, LanguageTab, WorkflowTab
from console.views.tasks import Runner

log = logging.getLogger(__name__)

#: Fields a saved reply may use; keep in step with saved_replies.fields_for.
REPLY_FIELDS = (
    "contact.name",
    "contact.first_name",
    "contact.handle",
    "me.name",
    "me.first_name",
)
_ID = Qt.ItemDataRole.UserRole


def alive(widget: QObject, fn: Callable[[Any], None]) -> Callable[[Any], None]:
    """``fn`` guarded against a widget deleted while its task ran."""

    def call(value: Any) -> None:
        if shiboken6.isValid(widget):
            fn(value)

    return call


class Background(QObject):
    """Runs one slow call on a plain thread; outcome back on the GUI thread.

    ``failed`` callbacks get one sentence: a user error's own words, else a
    generic sentence (and the traceback goes to the log).
    """

    _outcome = Signal(object, object)  # callback, value

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._outcome.connect(self._deliver)

    def run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        def work() -> None:
            try:
                callback, value = done, fn()
            except (UserError, ProviderError, KeyringUnavailable, ValueError) as exc:
                callback, value = failed, str(exc)
            except Exception as exc:
                log.error("settings: background call failed", exc_info=exc)
                sentence = QCoreApplication.translate("Background", "Something went wrong: {0}")
                callback, value = failed, sentence.format(exc)
            try:
                self._outcome.emit(callback, value)
            except RuntimeError:  # the dialog was closed meanwhile: nobody listens
                log.debug("settings: outcome of a closed dialog dropped")

        threading.Thread(target=work, name="parloir-settings", daemon=True).start()

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)


# --------------------------------------------------------------------------
# Accounts


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: str
    network: str
    handle: str
    server: str
    status: str
    message: str | None


def _load_accounts(session: Session) -> list[AccountRow]:
    return [
        AccountRow(a.id, a.network, a.handle, a.server, a.status, a.status_message)
        for a in accounts.list_accounts(session)
    ]


class MastodonSignIn(QDialog):
    """Server address plus browser sign-in or a pasted token.

    ``work(server, token_or_None)`` runs on a thread; the dialog stays open,
    says "Signing in…", and shows the error sentence so the user can fix the
    token and try again. It closes itself on success.

    Signals:
        succeeded(object): what ``work`` returned.
    """

    succeeded = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        background: Background,
        work: Callable[[str, str | None], Any],
        server: str = "",
    ) -> None:
        super().__init__(parent)
        self.background, self.work = background, work
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Sign in again") if server else self.tr("Add Mastodon account"))
        self.server = QLineEdit(server)
        self.server.setPlaceholderText(self.tr("mastodon.social"))
        self.server.setReadOnly(bool(server))
        self.browser = QRadioButton(self.tr("Sign in with the browser"))
        self.use_token = QRadioButton(self.tr("Use an access token"))
        self.browser.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.browser)
        group.addButton(self.use_token)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("Access token"))
        self.token.setEnabled(False)
        self.use_token.toggled.connect(self.token.setEnabled)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(420)
        form = QFormLayout()
        form.addRow(self.tr("Server:"), self.server)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.browser)
        layout.addWidget(self.use_token)
        layout.addWidget(self.token)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        (self.token if server else self.server).setFocus()

    def sign_in(self) -> None:
        server = self.server.text().strip()
        token = self.token.text().strip() if self.use_token.isChecked() else None
        if not server:
            self.status.setText(self.tr("Type the address of your Mastodon server."))
            return
        if token == "":
            self.status.setText(self.tr("Paste the access token, or sign in with the browser."))
            return
        self._busy(True)
        self.status.setText(
            self.tr("Signing in… finish in the browser window.")
            if token is None
            else self.tr("Signing in…")
        )
        self.background.run(
            lambda: self.work(server, token), alive(self, self._done), alive(self, self._failed)
        )

    def _busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        for widget in (self.browser, self.use_token):
            widget.setEnabled(not busy)
        self.server.setEnabled(not busy)
        self.token.setEnabled(not busy and self.use_token.isChecked())

    def _done(self, result: Any) -> None:
        self.succeeded.emit(result)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.status.setText(message)


def _gui_browser_token(server: str) -> str:
    """A token through the browser; without a browser there is no terminal to
    paste a code into, so the out-of-band fallback gets an empty answer."""
    return oauth.browser_sign_in(
        signin.normalise_server(server), stdin=io.StringIO(), stderr=io.StringIO()
    )


class AccountsTab(QWidget):
    def __init__(self, runner: Runner, background: Background, report: Callable[[str], None]):
        super().__init__()
        self.runner, self.background, self.report = runner, background, report
        self.rows: dict[str, AccountRow] = {}
        self.signin_dialog: MastodonSignIn | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Account"), self.tr("Server"), self.tr("State")])
        self.tree.setRootIsDecorated(False)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.add_mastodon_button = QPushButton(self.tr("Add Mastodon account…"))
        self.add_mastodon_button.clicked.connect(self.add_mastodon)
        self.add_bluesky_button = QPushButton(self.tr("Add Bluesky account…"))
        self.add_email_button = QPushButton(self.tr("Add e-mail account…"))
        self.add_bluesky_button.clicked.connect(self.add_bluesky)
        self.add_email_button.clicked.connect(self.add_email)
        self.reauth_button = QPushButton(self.tr("Re-authenticate…"))
        self.reauth_button.clicked.connect(self.reauthenticate)
        self.reauth_button.setToolTip(self.tr("For an account whose server refused its sign-in"))
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.clicked.connect(self.remove)
        buttons = QVBoxLayout()
        for button in (
            self.add_mastodon_button,
            self.add_bluesky_button,
            self.add_email_button,
            self.reauth_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.insertSpacing(3, 12)
        buttons.addStretch()
        layout = QHBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def load(self, then: Callable[[], None] | None = None) -> None:
        def loaded(rows: list[AccountRow]) -> None:
            self._show(rows)
            if then is not None:
                then()

        self.runner.read(_load_accounts, alive(self, loaded))

    def _show(self, rows: list[AccountRow]) -> None:
        current = self.selected()
        self.rows = {r.id: r for r in rows}
        states = {"ok": self.tr("Signed in"), "needs_reauth": self.tr("Needs signing in again")}
        self.tree.clear()
        for row in rows:
            state = states.get(row.status) or self.tr("Error: {0}").format(row.message or "")
            item = QTreeWidgetItem([row.handle, row.server, state])
            item.setIcon(0, network_icon(row.network))
            item.setData(0, _ID, row.id)
            item.setToolTip(2, row.message or state)
            self.tree.addTopLevelItem(item)
            if current is not None and row.id == current.id:
                self.tree.setCurrentItem(item)
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)
        self._update_buttons()

    def selected(self) -> AccountRow | None:
        item = self.tree.currentItem()
        return self.rows.get(item.data(0, _ID)) if item is not None else None

    def _update_buttons(self, *_: Any) -> None:
        row = self.selected()
        self.remove_button.setEnabled(row is not None)
        self.reauth_button.setEnabled(
            row is not None and row.network == "mastodon" and row.status != "ok"
        )

    def add_mastodon(self) -> None:
        cache = self.runner.cache

        def work(server: str, token: str | None) -> str:
            account = signin.add_mastodon(cache, server, token, stdin=io.StringIO())
            return account.handle

        self._open_sign_in(work, "", lambda handle: self.tr("Added {0}.").format(handle))

    def add_bluesky(self) -> None:
        from console.views.bluesky_signin import BlueskySignIn

        cache = self.runner.cache

        def work(handle: str, app_password: str, service: str | None) -> str:
            return signin.add_bluesky(cache, handle, app_password, service=service).handle

        dialog = BlueskySignIn(self, self.background, work, alive)
        dialog.succeeded.connect(lambda handle: self.report(self.tr("Added {0}.").format(handle)))
        self.bluesky_dialog = dialog
        dialog.open()

    def add_email(self) -> None:
        from console.views.email_signin import EmailSignIn

        cache = self.runner.cache

        def work(
            imap: str, smtp: str, user: str, address: str | None, password: str, security: str
        ) -> str:
            account = signin.add_email(
                cache,
                imap=imap,
                smtp=smtp,
                user=user,
                address=address,
                password=password,
                security=security,
            )
            return account.handle

        dialog = EmailSignIn(self, self.background, work, alive)
        dialog.succeeded.connect(lambda handle: self.report(self.tr("Added {0}.").format(handle)))
        self.email_dialog = dialog
        dialog.open()

    def reauthenticate(self) -> None:
        row = self.selected()
        if row is None:
            return
        writer = self.runner.cache.writer

        def work(server: str, token: str | None) -> str:
            token = token if token is not None else _gui_browser_token(server)
            return accounts.reauthenticate(writer, row.id, token).handle

        self._open_sign_in(
            work, row.server, lambda handle: self.tr("{0} is signed in again.").format(handle)
        )

    def _open_sign_in(
        self, work: Callable[[str, str | None], str], server: str, said: Callable[[str], str]
    ) -> None:
        dialog = MastodonSignIn(self, self.background, work, server)
        dialog.succeeded.connect(lambda handle: self.report(said(handle)))
        self.signin_dialog = dialog
        dialog.open()

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove account"),
            self.tr(
                "Remove {0}? Its conversations, drafts and notes are deleted from this "
                "computer; nothing is deleted on the server."
            ).format(row.handle),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        writer = self.runner.cache.writer
        self.remove_button.setEnabled(False)
        self.background.run(
            lambda: accounts.remove_account(writer, row.id),
            alive(self, lambda _: self.report(self.tr("Removed {0}.").format(row.handle))),
            alive(self, self._remove_failed),
        )

    def _remove_failed(self, message: str) -> None:
        self.report(message)
        self._update_buttons()


# --------------------------------------------------------------------------
# Team


@dataclass(frozen=True, slots=True)
class MemberRow:
    id: str
    name: str
    role: str
    is_me: bool


def _load_members(session: Session) -> list[MemberRow]:
    return [MemberRow(m.id, m.name, m.role, m.is_me) for m in team.list_members(session)]


class TeamTab(QWidget):
    def __init__(self, runner: Runner, report: Callable[[str], None]) -> None:
        super().__init__()
        self.runner, self.report = runner, report
        self.rows: dict[str, MemberRow] = {}
        self.role_names = {
            "agent": self.tr("Agent"),
            "lead": self.tr("Lead"),
            "admin": self.tr("Admin"),
        }
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Role"), ""])
        self.tree.setRootIsDecorated(False)
        self.tree.currentItemChanged.connect(self._selection_changed)
        self.role = self._role_combo()
        self.role.activated.connect(self.change_role)
        self.me_button = QPushButton(self.tr("This is me"))
        self.me_button.clicked.connect(self.set_me)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("Name"))
        self.new_role = self._role_combo()
        self.add_button = QPushButton(self.tr("Add member"))
        self.add_button.clicked.connect(self.add_member)
        self.new_name.returnPressed.connect(self.add_member)
        selected = QHBoxLayout()
        selected.addWidget(QLabel(self.tr("Role:")))
        selected.addWidget(self.role)
        selected.addWidget(self.me_button)
        selected.addStretch()
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(self.new_role)
        adding.addWidget(self.add_button)
        note = QLabel(
            self.tr(
                "Agents answer; leads also reassign colleagues' conversations; "
                "admins also change these settings."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(selected)
        layout.addWidget(note)
        layout.addLayout(adding)
        self._selection_changed()

    def _role_combo(self) -> QComboBox:
        combo = QComboBox()
        for role in team.ROLES:
            combo.addItem(self.role_names[role], role)
        return combo

    def load(self, then: Callable[[], None] | None = None) -> None:
        def loaded(rows: list[MemberRow]) -> None:
            self._show(rows)
            if then is not None:
                then()

        self.runner.read(_load_members, alive(self, loaded))

    def _show(self, rows: list[MemberRow]) -> None:
        current = self.selected()
        self.rows = {r.id: r for r in rows}
        self.tree.clear()
        for row in rows:
            item = QTreeWidgetItem(
                [
                    row.name,
                    self.role_names.get(row.role, row.role),
                    self.tr("you") if row.is_me else "",
                ]
            )
            item.setData(0, _ID, row.id)
            self.tree.addTopLevelItem(item)
            if current is not None and row.id == current.id:
                self.tree.setCurrentItem(item)
        self._selection_changed()

    def selected(self) -> MemberRow | None:
        item = self.tree.currentItem()
        return self.rows.get(item.data(0, _ID)) if item is not None else None

    def _selection_changed(self, *_: Any) -> None:
        row = self.selected()
        self.role.setEnabled(row is not None)
        self.me_button.setEnabled(row is not None and not row.is_me)
        if row is not None:
            self.role.setCurrentIndex(self.role.findData(row.role))

    def _write(self, task: Callable[[Tx], Any]) -> None:
        self.runner.write(task, None, alive(self, self._failed))

    def _failed(self, exc: Exception) -> None:
        self.report(str(exc))
        self._selection_changed()  # the combo goes back to the stored role

    def add_member(self) -> None:
        name, role = self.new_name.text().strip(), str(self.new_role.currentData())
        if not name:
            self.report(self.tr("Type the new member's name."))
            return
        self.runner.write(
            lambda tx: team.add_member(tx, name, role).id,
            alive(self, lambda _: self.new_name.clear()),
            alive(self, self._failed),
        )

    def change_role(self, _index: int = 0) -> None:
        row, role = self.selected(), str(self.role.currentData())
        if row is not None and role != row.role:
            self._write(lambda tx: team.set_role(tx, row.id, role).id)

    def set_me(self) -> None:
        row = self.selected()
        if row is not None:
            self._write(lambda tx: team.set_me(tx, row.id).id)


# --------------------------------------------------------------------------
# Saved replies


def _load_replies(session: Session) -> list[tuple[str, str, str]]:
    return [(r.id, r.name, r.body) for r in saved_replies.list_replies(session)]


class RepliesTab(QWidget):
    def __init__(self, runner: Runner, report: Callable[[str], None]) -> None:
        super().__init__()
        self.runner, self.report = runner, report
        self.bodies: dict[str, tuple[str, str]] = {}
        self.current_id: str | None = None
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._selection_changed)
        self.name = QLineEdit()
        self.body = QPlainTextEdit()
        fields = ", ".join("{{" + f + "}}" for f in REPLY_FIELDS)
        self.hint = QLabel(self.tr("Fields you can use: {0}").format(fields))
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_button = QPushButton(self.tr("New"))
        self.new_button.clicked.connect(self.new)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self.delete)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Text:"), self.body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        editor = QVBoxLayout()
        editor.addLayout(form, 1)
        editor.addWidget(self.hint)
        editor.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(editor, 2)
        self.delete_button.setEnabled(False)

    def load(self, then: Callable[[], None] | None = None) -> None:
        def loaded(rows: list[tuple[str, str, str]]) -> None:
            self._show(rows)
            if then is not None:
                then()

        self.runner.read(_load_replies, alive(self, loaded))

    def _show(self, rows: list[tuple[str, str, str]]) -> None:
        """Refresh the list; the editor keeps what is being typed."""
        self.bodies = {rid: (name, body) for rid, name, body in rows}
        self.list.blockSignals(True)
        self.list.clear()
        for rid, name, _body in rows:
            item = QListWidgetItem(name)
            item.setData(_ID, rid)
            self.list.addItem(item)
            if rid == self.current_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.current_id is not None and self.current_id not in self.bodies:
            self.new()  # deleted (here or elsewhere)
        self.delete_button.setEnabled(self.current_id is not None)

    def _selection_changed(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is None:
            return
        self.current_id = item.data(_ID)
        name, body = self.bodies.get(self.current_id or "", ("", ""))
        self.name.setText(name)
        self.body.setPlainText(body)
        self.delete_button.setEnabled(True)

    def new(self) -> None:
        self.current_id = None
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.blockSignals(False)
        self.name.clear()
        self.body.clear()
        self.delete_button.setEnabled(False)
        self.name.setFocus()

    def save(self) -> None:
        rid, name, body = self.current_id, self.name.text(), self.body.toPlainText()

        def task(tx: Tx) -> str:
            if rid is None:
                return saved_replies.add_reply(tx, name, body).id
            return saved_replies.update_reply(tx, rid, name, body).id

        def saved(new_id: str) -> None:
            self.current_id = new_id
            self.report(self.tr("Saved {0}.").format(name.strip()))
            self.load()

        self.runner.write(task, alive(self, saved), alive(self, lambda e: self.report(str(e))))

    def delete(self) -> None:
        rid = self.current_id
        if rid is None:
            return
        name = self.bodies.get(rid, ("", ""))[0]
        answer = QMessageBox.question(
            self, self.tr("Delete saved reply"), self.tr("Delete {0}?").format(name)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.runner.write(
            lambda tx: saved_replies.delete_reply(tx, rid),
            alive(self, lambda _: self.load()),
            alive(self, lambda e: self.report(str(e))),
        )


# --------------------------------------------------------------------------
# The dialog


def _load_form(session: Session) -> dict[str, Any]:
    return {key: settings.base_value(session, key) for key in FORM_KEYS}


class SettingsDialog(QDialog):
    """See the module docstring."""

    loaded = Signal()

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Settings"))
        self.background = Background(self)
        self.accounts = AccountsTab(runner, self.background, self.show_message)
        self.team = TeamTab(runner, self.show_message)
        self.replies = RepliesTab(runner, self.show_message)
        self.workflow = WorkflowTab()
        self.language = LanguageTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.accounts, self.tr("Accounts"))
        self.tabs.addTab(self.team, self.tr("Team"))
        self.tabs.addTab(self.replies, self.tr("Saved replies"))
        self.tabs.addTab(self.workflow, self.tr("Workflow"))
        self.tabs.addTab(self.language, self.tr("Language"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        self.buttons.accepted.connect(lambda: self.apply(then=self.accept))
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self.buttons.setEnabled(False)  # until the forms hold the stored values
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(760, 500)
        self.form_values: dict[str, Any] = {}
        self._waiting = 4
        for tab in (self.accounts, self.team, self.replies):
            tab.load(self._one_loaded)
        runner.read(_load_form, alive(self, self._form_loaded))
        runner.changed.connect(self._changed)

    def _form_loaded(self, values: dict[str, Any]) -> None:
        self.form_values = values
        self.workflow.show_values(values)
        self.language.show_value(str(values["language"]))
        self.buttons.setEnabled(True)
        self._one_loaded()

    def _one_loaded(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self.loaded.emit()

    def _changed(self, changes: ChangeSet) -> None:
        """Another write (a sync marking an account, our own saves): refresh the lists.
        The forms are not reloaded, so nothing typed is overwritten."""
        if changes.accounts:
            self.accounts.load()
        if changes.team:
            self.team.load()
        if changes.settings:
            self.replies.load()

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def form(self) -> dict[str, Any]:
        return {**self.workflow.values(), "language": self.language.value()}

    def apply(self, *_: Any, then: Callable[[], None] | None = None) -> None:
        """Save what differs from the stored values (an untouched default stays a
        default, so a later version's better default still reaches this user)."""
        values = self.form()
        changed = {k: v for k, v in values.items() if v != self.form_values.get(k)}
        if not changed:
            if then is not None:
                then()
            return

        def task(tx: Tx) -> None:
            for key, value in changed.items():
                settings.put(tx, key, value)

        def saved(_: Any) -> None:
            self.form_values.update(changed)
            self.buttons.setEnabled(True)
            self.show_message(self.tr("Saved."))
            if then is not None:
                then()

        self.buttons.setEnabled(False)
        self.runner.write(task, alive(self, saved), alive(self, self._save_failed))

    def _save_failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.show_message(str(exc))
