"""Signing an account in again after its server refused the stored secret.

A revoked Mastodon token, a revoked Bluesky app password, a changed e-mail
password: the sync engine marks the account ``needs_reauth`` and stops
syncing it. Signing in again gives the SAME account a new secret; it never
adds a second account, so its conversations, drafts and notes stay put.

:func:`sign_in_again` takes the same values as adding an account (the
sign-in form's fields) and does the shared part once: the network checks
them (:data:`CHECKS`), a secret of another remote account is refused (it
would silently sync someone else's inbox under this account's name), the
new secret replaces the old one in the keyring, and the status returns to
ok (the sync engine picks the account up again). Call it off the GUI
thread: it talks to the server and the keyring.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from console import credentials
from console.models.activity import record_activity
from console.models.schema import Account
from console.models.writer import Tx, Writer
from console.services.accounts import find_account, set_status
from console.services.errors import InvalidArgument
from console.sync.netspec import SignInIO
from console.sync.signin_errors import host_of, keeping_secret, signing_in


@dataclass(frozen=True, slots=True)
class Known:
    """What the cache knows of the account being signed in again."""

    network: str
    handle: str
    server: str
    remote_id: str | None
    config: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What a network's check found: whom the new secret signs in, and the
    secret to keep (Bluesky keeps a session, not the app password alone)."""

    remote_id: str | None
    handle: str
    secret: str
    what: str = "sign-in"  # what the person gave, for a refusal: "That token belongs to..."


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


def _mastodon(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    """``token``, or None for the browser sign-in; the server stays the stored one."""
    from console.sync.mastodon.signin import browser_token, verify_token

    with signing_in(host_of(account.server), "Mastodon"):
        token = values.get("token")
        if token is None:
            token = browser_token(account.server, io)
        data = verify_token(account.server, str(token))
    return SignedIn(str(data["id"]), str(data["acct"]), str(token), "token")


def _bluesky(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    """``app_password``: one createSession as the account (its DID, else its
    handle) on its PDS; the new session replaces the old one."""
    from console.sync.base import AccountInfo
    from console.sync.bluesky.provider import BlueskyProvider

    app_password = str(values.get("app_password") or "")
    identifier = account.remote_id or account.handle
    info = AccountInfo(id="", network="bluesky", handle=account.handle, server=account.server)
    probe = BlueskyProvider(info, json.dumps({"pds": account.server}))
    try:
        with signing_in(host_of(account.server), "Bluesky"):
            data = probe.create_session(identifier, app_password)
    finally:
        probe.close()
    session = {
        "did": data.get("did"),
        "handle": data.get("handle"),
        "pds": account.server,
        "accessJwt": data.get("accessJwt"),
        "refreshJwt": data.get("refreshJwt"),
        "appPassword": app_password,
    }
    did = str(data.get("did") or "") or None
    return SignedIn(did, str(data.get("handle") or did), json.dumps(session), "app password")


def _email(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    """``password`` for the stored login: IMAP and (when it offers AUTH)
    SMTP accept it before it is kept."""
    from console.sync.base import AccountInfo
    from console.sync.email.provider import EmailProvider

    password = str(values.get("password") or "")
    info = AccountInfo(
        id="", network="email", handle=account.handle, server="", settings=account.config
    )
    probe = EmailProvider(info, password)
    from console.sync.email.signin import check_login

    try:
        check_login(probe, probe.imap)
    finally:
        probe.close()
    return SignedIn(None, account.handle, password)


#: How each network checks a new secret, by network name. The NetworkSpec
#: registry (issue 11, step 3) replaces this table with each spec's sign-in.
CHECKS: dict[str, Callable[[Known, Mapping[str, Any], SignInIO], SignedIn]] = {
    "mastodon": _mastodon,
    "bluesky": _bluesky,
    "email": _email,
}


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
    check = CHECKS.get(account.network)
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
