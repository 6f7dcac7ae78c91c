"""Signing an account in again after its server refused the stored secret.

A revoked Mastodon token, a revoked Bluesky app password, a changed e-mail
password: the sync engine marks the account ``needs_reauth`` and stops
syncing it. Signing in again gives the SAME account a new secret; it never
adds a second account, so its conversations, drafts and notes stay put.

:func:`sign_in_again` takes the same values as adding an account (the
sign-in form's fields) and does the shared part once: the network checks
them (its spec's ``sign_in_again``, in the network's package), a secret of
another remote account is refused (it would silently sync someone else's
inbox under this account's name), the
new secret replaces the old one in the keyring, and the status returns to
ok (the sync engine picks the account up again). Call it off the GUI
thread: it talks to the server and the keyring.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from console import credentials
from console.models.activity import record_activity
from console.models.schema import Account
from console.models.writer import Tx, Writer
from console.services.accounts import find_account, set_status
from console.services.errors import InvalidArgument
from console.sync.netspec import Known, SignedIn, SignInIO
from console.sync.networks import find
from console.sync.signin_errors import host_of, keeping_secret

__all__ = ["Known", "SignedIn", "check_same", "known", "offered", "restore", "sign_in_again"]


def known(writer: Writer, account_id: str) -> Known:
    def read(tx: Tx) -> Known:
        a = find_account(tx.session, account_id)
        return Known(a.network, a.handle, a.server, a.remote_id, dict(a.config or {}))

    return writer.call(read)


def check_same(account: Known, signed: SignedIn) -> None:
    """Refuse a secret that signs in a different remote account."""
    if None not in (account.remote_id, signed.remote_id) and signed.remote_id != account.remote_id:
        raise InvalidArgument(
            f"That {signed.what} belongs to {signed.handle}, not to {account.handle}; "
            f"sign in as {account.handle}."
        )


def restore(writer: Writer, account_id: str, signed: SignedIn) -> Account:
    """Store the verified secret, then mark the account ok again."""
    credentials.store_secret(credentials.account_key(account_id), signed.secret)

    def task(tx: Tx) -> Account:
        account = find_account(tx.session, account_id)
        if account.remote_id is None and signed.remote_id is not None:
            account.remote_id = signed.remote_id
        set_status(tx, account.id, "ok")
        record_activity(
            tx.session.connection(), None, None, "account.reauth", {"account": account.id}
        )
        tx.changes.accounts.add(account.id)
        return account

    return writer.call(task)


def offered(network: str) -> bool:
    """The network's spec has a check of a new secret (NetworkSpec.sign_in_again)."""
    found = find(network)
    return found is not None and found.sign_in_again is not None


def sign_in_again(
    writer: Writer,
    account_id: str,
    values: Mapping[str, Any],
    *,
    stdin: TextIO | None = None,
    stderr: TextIO | None = None,
    show_address: Callable[[str], None] | None = None,
) -> Account:
    """Give the account the new secret in ``values`` (the sign-in form's
    fields) once its network accepts it; see the module docstring.
    ``stdin``/``stderr``/``show_address`` serve an interactive sign-in
    (Mastodon's browser; see SignInIO). A failure to reach the server, a
    refusal or a missing keyring is a SignInFailed."""
    account = known(writer, account_id)
    found = find(account.network)
    check = found.sign_in_again if found is not None else None
    if check is None:
        raise InvalidArgument(
            f"Signing in again to {account.network} accounts arrives in a later version."
        )
    io = SignInIO(
        stdin=sys.stdin if stdin is None else stdin,
        stderr=sys.stderr if stderr is None else stderr,
        show_address=show_address,
    )
    signed = check(account, values, io)
    check_same(account, signed)
    with keeping_secret(host_of(account.server), account.network):
        return restore(writer, account_id, signed)
