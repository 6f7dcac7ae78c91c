"""Which dialog signs in each network: to add an account, and to sign one
in again after its server refused the stored secret.

This is the one place the Settings dialog knows networks by name; the
NetworkSpec registry (issue 11, step 3) replaces it with each spec's
re-authentication kind. The work each dialog runs off the GUI thread is
built here, from the services that verify and store the secret.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from console.services import accounts, signin
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

    add: Callable[[QWidget, Runner], SignInDialog]
    again: Callable[[QWidget, Runner, AccountRow], SignInDialog] | None = None


def add_mastodon(parent: QWidget, runner: Runner) -> SignInDialog:
    cache = runner.cache

    def work(server: str, token: str | None) -> str:
        return signin.add_mastodon(cache, server, token, stdin=io.StringIO()).handle

    return MastodonSignIn(parent, runner, work)


def mastodon_again(parent: QWidget, runner: Runner, row: AccountRow) -> SignInDialog:
    writer = runner.cache.writer

    def work(server: str, token: str | None) -> str:
        token = token if token is not None else browser_token(server)
        return accounts.reauthenticate(writer, row.id, token).handle

    return MastodonSignIn(parent, runner, work, row.server)


def add_bluesky(parent: QWidget, runner: Runner) -> SignInDialog:
    cache = runner.cache

    def work(handle: str, app_password: str, service: str | None) -> str:
        return signin.add_bluesky(cache, handle, app_password, service=service).handle

    return BlueskySignIn(parent, runner, work)


def add_email(parent: QWidget, runner: Runner) -> SignInDialog:
    cache = runner.cache

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

    return EmailSignIn(parent, runner, work)


#: By network name.
SIGN_IN = {
    "mastodon": SignInKind(add_mastodon, mastodon_again),
    "bluesky": SignInKind(add_bluesky),
    "email": SignInKind(add_email),
}


def can_sign_in_again(row: AccountRow) -> bool:
    """The server refused the account's secret, and its network has a
    dialog to sign it in again."""
    kind = SIGN_IN.get(row.network)
    return row.status != "ok" and kind is not None and kind.again is not None
