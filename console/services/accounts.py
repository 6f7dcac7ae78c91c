"""Accounts: the rows in the cache; their secrets live in the keyring.

Adding an account stores the secret first and the row second (and takes
the secret back out if the row fails), so neither half is ever left alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console import credentials
from console.models import settings_registry
from console.models.activity import record_activity
from console.models.schema import Account
from console.models.settings_registry import Scope
from console.models.types import iso_z, new_id, utcnow
from console.models.writer import Tx, Writer
from console.services.errors import InvalidArgument, NotFound
from console.sync import networks


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.network, Account.handle)))


def find_account(session: Session, ref: str) -> Account:
    account = session.get(Account, ref)
    if account is not None:
        return account
    bare = ref.strip().lstrip("@").lower()
    matches = [
        a
        for a in list_accounts(session)
        if a.handle.lower() == bare or (len(ref) >= 4 and a.id.startswith(ref))
    ]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise InvalidArgument(f"{ref!r} matches several accounts; give more of the id.")
    raise NotFound(f"No account {ref!r}; see `parloir account list`.")


def add_account(
    writer: Writer,
    *,
    network: str,
    handle: str,
    server: str,
    secret: str | None,
    remote_id: str | None = None,
    display_name: str = "",
    config: dict[str, Any] | None = None,
) -> Account:
    """Store the secret in the keyring, then the account row."""
    if networks.find(network) is None:
        raise InvalidArgument(f"Unknown network {network!r}.")
    account_id = new_id()
    if secret is not None:
        credentials.store_secret(credentials.account_key(account_id), secret)

    def task(tx: Tx) -> Account:
        existing = tx.session.scalar(
            select(Account).where(
                Account.network == network, Account.server == server, Account.handle == handle
            )
        )
        if existing is not None:
            raise InvalidArgument(
                f"The {network} account {handle} is already set up ({existing.id})."
            )
        account = Account(
            id=account_id,
            network=network,
            handle=handle,
            server=server,
            remote_id=remote_id,
            display_name=display_name,
            config=config or {},
            cursors={},
            created_at=utcnow(),
        )
        tx.session.add(account)
        tx.session.flush()
        record_activity(tx.session.connection(), None, None, "account.add", {"account": account_id})
        tx.changes.accounts.add(account_id)
        return account

    try:
        return writer.call(task)
    except BaseException:
        if secret is not None:
            credentials.delete_secret(credentials.account_key(account_id))
        raise


def remove_account(writer: Writer, ref: str) -> str:
    """Delete the account's secret, then the account, its threads and index
    entries, so that a locked or missing keyring changes nothing.

    The keyring is asked first (reading the secret needs it unlocked): if it
    refuses, KeyringUnavailable leaves with the account untouched. If the
    rows then cannot be deleted (disk full), the secret is put back.
    """

    def find(tx: Tx) -> str:
        return find_account(tx.session, ref).id

    account_id = writer.call(find)
    key = credentials.account_key(account_id)
    secret = credentials.load_secret(key)
    credentials.delete_secret(key)

    def task(tx: Tx) -> str:
        conn = tx.session.connection()
        conn.exec_driver_sql(
            "DELETE FROM message_fts WHERE rowid IN "
            "(SELECT seq FROM messages WHERE account_id = ?)",
            (account_id,),
        )
        conn.exec_driver_sql("DELETE FROM accounts WHERE id = ?", (account_id,))
        settings_registry.forget(conn, Scope.ACCOUNT, account_id)
        record_activity(conn, None, None, "account.remove", {"account": account_id})
        tx.changes.accounts.add(account_id)
        return account_id

    try:
        return writer.call(task)
    except BaseException:
        if secret is not None:
            credentials.store_secret(key, secret)
        raise


def set_status(tx: Tx, account_id: str, status: str, message: str | None = None) -> None:
    account = tx.session.get(Account, account_id)
    if account is None:
        return
    if (account.status, account.status_message) != (status, message):
        account.status = status
        account.status_message = message
        tx.changes.accounts.add(account_id)


def account_json(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "network": account.network,
        "handle": account.handle,
        "server": account.server,
        "status": account.status,
        "status_message": account.status_message,
        "last_sync_at": iso_z(account.last_sync_at),
    }
