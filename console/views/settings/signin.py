"""What every sign-in dialog shares: the form, the error line, the busy
state and the call that runs the sign-in off the GUI thread.

A network's dialog (Mastodon, Bluesky, e-mail) adds its fields to
``form``, says which widgets wait while it works (:meth:`inputs`), checks
what was typed in :meth:`sign_in` and hands the slow part to :meth:`start`.
Signing in talks to a server and can take minutes (a browser round trip),
so it runs through :meth:`Runner.call` (the network pool: never the
writer, which must stay free for the rest of the app). The dialog stays
open while it works and after a refusal, with the server's sentence on the
error line, so the person can fix what they typed and try again; it closes
itself on success.

A refusal the person can fix (a wrong password, a server that cannot be
reached, a locked keyring, a malformed address) comes back as a
:class:`Refusal` value, not as a failure: it is the dialog's to show, not
the status bar's or the log's. Anything else is a real failure, logged and
reported by the Runner, and the dialog shows one sentence for it.

Signals:
    succeeded(str): the handle of the account signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.credentials import KeyringUnavailable
from console.services.errors import UserError
from console.sync.base import ProviderError
from console.sync.signin_errors import CONTEXT, SENTENCES, SignInFailed
from console.views.settings.common import AccountRow
from console.views.tasks import Runner

#: Shows the person an address to open themselves (no browser started).
ShowAddress = Callable[[str], None]

#: The sign-in form's values by field key (the keys services.signin and
#: services.reauth take) and where to show an address to open, to the
#: handle of the account signed in.
Work = Callable[[dict[str, Any], ShowAddress], str]

T = TypeVar("T")

#: Errors whose own words are the sentence to show: a value that is not
#: one, a sign-in declined in the browser, a locked keyring when removing.
#: A failed sign-in (SignInFailed) is shown by its kind, translated.
SAID = (UserError, ProviderError, KeyringUnavailable, ValueError)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A sign-in (or removal) the person can retry: the sentence to show."""

    sentence: str


def failure_sentence(failure: SignInFailed) -> str:
    """The failure's sentence in the window's language (its kind's
    sentence from sync/signin_errors.py, translated, filled in)."""
    return failure.sentence(QCoreApplication.translate(CONTEXT, SENTENCES[failure.kind]))


def sentence(exc: BaseException) -> str:
    """One sentence for a failed call: a failed sign-in's by its kind, a
    refusal's own words, else a generic sentence (the traceback is in the
    log)."""
    if isinstance(exc, SignInFailed):
        return failure_sentence(exc)
    if isinstance(exc, SAID):
        return str(exc)
    words = QCoreApplication.translate("SignInDialog", "Something went wrong: {0}")
    return words.format(exc)


def attempt(fn: Callable[[], T]) -> T | Refusal:
    """``fn()``, or the :class:`Refusal` it raised (run on the worker thread)."""
    try:
        return fn()
    except (SignInFailed, *SAID) as exc:
        return Refusal(sentence(exc))


class SignInDialog(QDialog):
    """See the module docstring. Subclasses set the title and the OK
    button's text, fill ``form`` (and ``extras``, the widgets under it),
    call :meth:`finish`, and implement :meth:`inputs` and :meth:`sign_in`."""

    succeeded = Signal(str)

    def __init__(
        self, parent: QWidget, runner: Runner, work: Work, account: AccountRow | None = None
    ) -> None:
        """``work`` runs off the GUI thread with the form's values. With
        ``account``, the dialog signs that account in again: what is known of
        it is shown read-only, and only the new secret is asked for."""
        super().__init__(parent)
        self.runner, self.work, self.account = runner, work, account
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = QFormLayout()
        self.extras = QVBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(self.form)
        self._layout.addLayout(self.extras)
        self.setMinimumWidth(460)

    def finish(self) -> None:
        """Put the error line and the buttons under the fields; call it at
        the end of a subclass's ``__init__``, so the buttons also come last
        in the tab order (a widget joins it when it joins the dialog)."""
        self._layout.addWidget(self.status)
        self._layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def inputs(self) -> list[QWidget]:
        """The widgets that wait while the sign-in runs."""
        raise NotImplementedError

    def sign_in(self) -> None:
        """Check what was typed (say what is missing on the error line) and
        :meth:`start` the sign-in."""
        raise NotImplementedError

    def say(self, text: str) -> None:
        """Show ``text`` on the error line, the dialog growing to show all
        of it: a top-level window does not grow by itself for a label that
        wraps onto more lines, which then shows cut off."""
        self.status.setText(text)
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def show_address(self, url: str) -> None:
        """No browser could be started: show ``url`` for the person to open
        (the Mastodon dialog does; the others never get one)."""

    def start(self, saying: str, values: dict[str, Any]) -> None:
        """Run the work with ``values`` off the GUI thread; ``saying`` is
        shown meanwhile."""
        self.set_busy(True)
        self.say(saying)
        work, runner, show = self.work, self.runner, self.show_address

        def show_address(url: str) -> None:  # on the worker thread
            runner.post(show, url)

        self.runner.call(
            lambda: attempt(lambda: work(values, show_address)), self._finished, self._failed
        )

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        for widget in self.inputs():
            widget.setEnabled(not busy)

    def _finished(self, outcome: str | Refusal) -> None:
        if isinstance(outcome, Refusal):
            self.set_busy(False)
            self.say(outcome.sentence)
            return
        self.succeeded.emit(outcome)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.set_busy(False)
        self.say(sentence(exc))
