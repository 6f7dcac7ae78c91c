"""Adding accounts: the network's sign-in verifies the credentials, then the
secret goes to the keyring and the account to the cache (services.accounts).

Shared by ``parloir account add`` and the GUI's settings. A wrong token or
password is refused by the network's sign-in, before anything is saved. What
a sign-in asks for is declared by the network's spec (``sign_in_fields``):
values come in as a mapping of those fields' keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TextIO

from console.models.db import Cache
from console.models.schema import Account
from console.services.errors import InvalidArgument
from console.sync.base import SignInRefused
from console.sync.http import normalise_server
from console.sync.netspec import NetworkSpec, NewAccount, SignInField, SignInIO
from console.sync.networks import find
from console.sync.signin_errors import Failure, SignInFailed, host_of, keeping_secret

__all__ = [
    "Failure",
    "SignInFailed",
    "add_account",
    "cli_values",
    "normalise_server",
    "option_dest",
    "store",
]


def _spec(network: str) -> NetworkSpec:
    found = find(network)
    if found is None:
        raise InvalidArgument(f"Adding {network} accounts arrives with the {network} issue.")
    return found


def option_dest(field: SignInField) -> str:
    """The attribute argparse gives the field's option (``--token-stdin`` ->
    ``token_stdin``)."""
    return field.option.lstrip("-").replace("-", "_")


def cli_values(network: str, options: Mapping[str, Any], stdin: TextIO) -> dict[str, Any]:
    """The sign-in values from the command line's options: a secret is read
    from standard input when its flag is given (never from the command
    line, where other users could see it)."""
    values: dict[str, Any] = {}
    for field in _spec(network).sign_in_fields:
        given = options.get(option_dest(field))
        if not field.secret:
            values[field.key] = given
            continue
        values[field.key] = None
        if given:
            secret = field.read(stdin)
            if not secret:
                raise InvalidArgument(field.missing or "Nothing on standard input.")
            values[field.key] = secret
    return values


def store(cache: Cache, new: NewAccount) -> Account:
    """Keep a verified account: the secret in the keyring, then the row."""
    from console.services.accounts import add_account as add_row

    return add_row(
        cache.writer,
        network=new.network,
        handle=new.handle,
        server=new.server,
        secret=new.secret,
        remote_id=new.remote_id,
        display_name=new.display_name,
        config=new.config,
    )


def add_account(
    cache: Cache,
    network: str,
    values: Mapping[str, Any],
    *,
    stdin: TextIO | None = None,
    stderr: TextIO | None = None,
    show_address: Callable[[str], None] | None = None,
) -> Account:
    """Sign in to ``network`` with ``values`` (keys of its sign-in fields),
    then store the account. ``stdin``/``stderr`` serve an interactive
    sign-in (Mastodon's browser sign-in reads a pasted code from stdin when
    no browser opens; they default to the process's own); the window
    passes ``show_address`` instead (see SignInIO).

    A server that cannot be reached, refuses the login or is not one, and
    a missing keyring, are a :class:`SignInFailed` (its kind, the host):
    one sentence the CLI prints and the window translates."""
    spec = _spec(network)
    try:
        new = spec.sign_in(values, SignInIO(stdin=stdin, stderr=stderr, show_address=show_address))
    except SignInRefused as exc:
        raise InvalidArgument(str(exc)) from exc
    with keeping_secret(host_of(new.server), spec.display_name):
        return store(cache, new)
