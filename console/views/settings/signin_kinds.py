"""Which dialog signs in each network: to add an account, and to sign one
in again after its server refused the stored secret.

A network's spec says what its sign-in asks for (``reauth``: a token or the
browser, an app password, a password); each kind has its dialog here. Every
dialog hands its work the form's values by field key, so the work is the
same for every network: ``services.signin.add_account`` to add one,
``services.reauth.sign_in_again`` to sign one in again.
"""

from __future__ import annotations

import io
from typing import Any

from PySide6.QtWidgets import QWidget

from console.services import reauth, signin
from console.sync.netspec import Reauth
from console.sync.networks import find, spec
from console.views.settings.bluesky_signin import BlueskySignIn
from console.views.settings.common import AccountRow
from console.views.settings.email_signin import EmailSignIn
from console.views.settings.mastodon_signin import MastodonSignIn
from console.views.settings.signin import ShowAddress, SignInDialog
from console.views.tasks import Runner

#: By what the network's sign-in asks for (NetworkSpec.reauth).
SIGN_IN: dict[Reauth, type[SignInDialog]] = {
    Reauth.OAUTH: MastodonSignIn,
    Reauth.APP_PASSWORD: BlueskySignIn,
    Reauth.PASSWORD: EmailSignIn,
}


def dialog_of(network: str) -> type[SignInDialog] | None:
    """The dialog of the network's kind of sign-in, or None."""
    found = find(network)
    return SIGN_IN.get(found.reauth) if found is not None else None


def adding(network: str, parent: QWidget, runner: Runner) -> SignInDialog:
    """The dialog that adds an account of ``network``."""
    cache = runner.cache

    def work(values: dict[str, Any], show_address: ShowAddress) -> str:
        # From the window there is no terminal to paste a code into or print to.
        return signin.add_account(
            cache,
            network,
            values,
            stdin=io.StringIO(),
            stderr=io.StringIO(),
            show_address=show_address,
        ).handle

    return SIGN_IN[spec(network).reauth](parent, runner, work)


def can_sign_in_again(row: AccountRow) -> bool:
    """The server refused the account's secret, and its network has a
    dialog and a check to sign it in again."""
    return row.status != "ok" and dialog_of(row.network) is not None and reauth.offered(row.network)


def signing_in_again(parent: QWidget, runner: Runner, row: AccountRow) -> SignInDialog:
    """The dialog that gives the account ``row`` a new secret (the same
    account: never a second one)."""
    writer = runner.cache.writer

    def work(values: dict[str, Any], show_address: ShowAddress) -> str:
        # From the window there is no terminal to paste a code into or print to.
        return reauth.sign_in_again(
            writer,
            row.id,
            values,
            stdin=io.StringIO(),
            stderr=io.StringIO(),
            show_address=show_address,
        ).handle

    dialog = dialog_of(row.network)
    assert dialog is not None  # can_sign_in_again said so
    return dialog(parent, runner, work, row)
