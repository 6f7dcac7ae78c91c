"""Which dialog signs in each network: to add an account, and to sign one
in again after its server refused the stored secret.

A network's spec says what its sign-in asks for (``reauth``: a token or
the browser, an app password, a password); each kind has its dialog here.
The work each dialog runs off the GUI thread is built here, from the
services that verify and store the secret (services.signin.add_account
with the network's name and the values typed).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from console.services import accounts, signin
from console.sync.netspec import NetworkSpec, Reauth
from console.sync.networks import find
from console.views.settings.bluesky_signin import BlueskySignIn
from console.views.settings.common import AccountRow
from console.views.settings.email_signin import EmailSignIn
from console.views.settings.mastodon_signin import MastodonSignIn, browser_token
from console.views.settings.signin import SignInDialog
from console.views.tasks import Runner


@dataclass(frozen=True, slots=True)
class SignInKind:
    """The dialogs of one network: ``add(parent, runner)`` and, when the
    network can, ``again(parent, runner, account)``."""

    add: Callable[[QWidget, Runner, str], SignInDialog]
    again: Callable[[QWidget, Runner, AccountRow], SignInDialog] | None = None


def add_mastodon(parent: QWidget, runner: Runner, network: str) -> SignInDialog:
    cache = runner.cache

    def work(server: str, token: str | None) -> str:
        values = {"server": server, "token": token}
        return signin.add_account(cache, network, values, stdin=io.StringIO()).handle

    return MastodonSignIn(parent, runner, work)


def mastodon_again(parent: QWidget, runner: Runner, row: AccountRow) -> SignInDialog:
    writer = runner.cache.writer

    def work(server: str, token: str | None) -> str:
        token = token if token is not None else browser_token(server)
        return accounts.reauthenticate(writer, row.id, token).handle

    return MastodonSignIn(parent, runner, work, row.server)


def add_bluesky(parent: QWidget, runner: Runner, network: str) -> SignInDialog:
    cache = runner.cache

    def work(handle: str, app_password: str, service: str | None) -> str:
        values = {"handle": handle, "app_password": app_password, "service": service}
        return signin.add_account(cache, network, values).handle

    return BlueskySignIn(parent, runner, work)


def add_email(parent: QWidget, runner: Runner, network: str) -> SignInDialog:
    cache = runner.cache

    def work(
        imap: str, smtp: str, user: str, address: str | None, password: str, security: str
    ) -> str:
        values = {
            "imap": imap,
            "smtp": smtp,
            "user": user,
            "address": address,
            "password": password,
            "security": security,
        }
        return signin.add_account(cache, network, values).handle

    return EmailSignIn(parent, runner, work)


#: By what the network's sign-in asks for (NetworkSpec.reauth).
SIGN_IN = {
    Reauth.OAUTH: SignInKind(add_mastodon, mastodon_again),
    Reauth.APP_PASSWORD: SignInKind(add_bluesky),
    Reauth.PASSWORD: SignInKind(add_email),
}


def sign_in_kind(network: str) -> SignInKind | None:
    """The dialogs of the network's kind of sign-in, or None."""
    spec = find(network)
    return SIGN_IN.get(spec.reauth) if spec is not None else None


def add_dialog(spec: NetworkSpec, parent: QWidget, runner: Runner) -> SignInDialog:
    """The dialog that adds an account of this network."""
    kind = SIGN_IN[spec.reauth]
    return kind.add(parent, runner, spec.name)


def can_sign_in_again(row: AccountRow) -> bool:
    """The server refused the account's secret, its network can check a
    new one, and there is a dialog to sign it in again."""
    kind = sign_in_kind(row.network)
    return (
        row.status != "ok"
        and accounts.can_sign_in_again(row.network)
        and kind is not None
        and kind.again is not None
    )
