"""The status bar's sync side: one dot per account, a line of sync news,
and the link to the sync engine.

Everything the window says about syncing, and everything it asks of the
engine (sync now, wake when an account was added), is here, so how the
engine runs (its own process, views/engine_link.py; a thread with
PARLOIR_ENGINE=thread) changes nothing here. The engine's events arrive
already on the GUI thread (app.py connects them).
"""

from __future__ import annotations

import html
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStatusBar, QWidget

from console.views import theme
from console.views.ops.overview import AccountState

#: An account's sync state as a dot and its colour.
SYNC_STATES = {
    "ok": ("●", "#27ae60"),
    "syncing": ("◌", "#2980b9"),
    "offline": ("●", "#7f8c8d"),
    "rate_limited": ("●", "#e67e22"),
    "needs_reauth": ("●", "#c0392b"),
    "error": ("●", "#c0392b"),
}

#: Account states that outlast the engine's last word (stored on the account).
STICKY_STATES = ("needs_reauth", "error")


class Engine(Protocol):
    """What the window asks of the sync engine."""

    def sync_now(self) -> None: ...

    def wake(self) -> None: ...


class SyncEventLike(Protocol):
    """What the window reads of a console.sync.engine.SyncEvent."""

    @property
    def account_id(self) -> str: ...

    @property
    def handle(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def message(self) -> str: ...


def dot_html(state: str, handle: str) -> str:
    """The coloured dot and the account's handle, escaped."""
    dot, colour = SYNC_STATES.get(state, SYNC_STATES["ok"])
    return f"<span style='color:{theme.readable(colour)}'>{dot}</span> {html.escape(handle)}"


def sync_line(state: str, handle: str, message: str) -> str:
    """The status bar's line for one engine event. The message is a
    server's or an exception's words: never used as a format string (a "{"
    in it made the slot raise and the dot stayed "syncing")."""
    template = {
        "syncing": QCoreApplication.translate("MainWindow", "Syncing {0}…"),
        "ok": "",
        "offline": QCoreApplication.translate("MainWindow", "{0}: offline, will retry"),
        "rate_limited": QCoreApplication.translate(
            "MainWindow", "{0}: the server asked us to wait"
        ),
        "needs_reauth": QCoreApplication.translate("MainWindow", "{0}: sign in again (Settings)"),
    }.get(state)
    if template is None:
        return f"{handle}: {message}"
    return template.replace("{0}", handle)


class SyncStatus(QObject):
    """The accounts' dots and the sync line in ``bar``; holds the engine."""

    def __init__(self, bar: QStatusBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine: Engine | None = None
        self.label = QLabel()
        self.accounts_bar = QWidget()
        self.accounts_layout = QHBoxLayout(self.accounts_bar)
        self.accounts_layout.setContentsMargins(0, 0, 0, 0)
        self.accounts_layout.setSpacing(12)
        bar.addWidget(self.accounts_bar)
        bar.addWidget(self.label, 1)
        self.labels: dict[str, QLabel] = {}  # account id -> its dot
        self._states: dict[str, tuple[str, str]] = {}  # the engine's last word per account

    # -- the engine ------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self.engine = engine

    def sync_now(self) -> None:
        if self.engine is not None:
            self.engine.sync_now()
            self.label.setText(QCoreApplication.translate("MainWindow", "Syncing…"))

    def wake(self) -> None:
        """An account was signed in or a reply queued: the engine looks now."""
        if self.engine is not None:
            self.engine.wake()

    def sync_event(self, event: SyncEventLike) -> None:
        """A SyncEvent from the engine (relayed onto the GUI thread)."""
        self._states[event.account_id] = (event.state, event.message)
        label = self.labels.get(event.account_id)
        if label is not None:
            label.setText(dot_html(event.state, event.handle))
            label.setToolTip(event.message or _up_to_date())
        self.label.setText(sync_line(event.state, event.handle, event.message))

    # -- the accounts ----------------------------------------------------------

    def show_accounts(self, accounts: tuple[AccountState, ...]) -> None:
        """One dot per account: its sync state, the reason on hover."""
        for account in accounts:
            label = self.labels.get(account.id)
            if label is None:
                label = QLabel()
                self.labels[account.id] = label
                self.accounts_layout.addWidget(label)
            state, detail = self._states.get(account.id, (account.status, account.message))
            if account.status in STICKY_STATES:
                state, detail = account.status, account.message
            label.setText(dot_html(state, account.handle))
            label.setToolTip(detail or _up_to_date())
        for account_id in set(self.labels) - {a.id for a in accounts}:
            self.labels.pop(account_id).deleteLater()


def _up_to_date() -> str:
    return QCoreApplication.translate("MainWindow", "Up to date")
