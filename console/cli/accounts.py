"""``parloir account add|list|remove``: the accounts Parloir fetches from."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO, cast

from console import cli_input, terminal
from console.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    Parser,
    Usage,
    open_workspace,
    print_json,
)

if TYPE_CHECKING:
    from console.cli.common import Subparsers
    from console.services import signin


def add_parsers(sub: Subparsers) -> None:
    account = sub.add_parser("account", help="add, list, remove accounts")
    acc = account.add_subparsers(dest="account_command", required=True, parser_class=Parser)
    add = acc.add_parser("add", help="add an account")
    add_net = add.add_subparsers(dest="network", required=True, parser_class=Parser)
    _add_network_parsers(add_net)
    lst = acc.add_parser("list")
    lst.add_argument("--json", action="store_true")
    rm = acc.add_parser("remove")
    rm.add_argument("id")


def _add_network_parsers(add_net: Any) -> None:
    """``account add <net>``: one parser per network, its options from the
    sign-in fields the network's spec declares (a secret's option is a flag:
    the secret itself is read from standard input)."""
    from console.sync.networks import all_networks

    for spec in all_networks():
        net = add_net.add_parser(spec.name, help=f"add a {spec.display_name} account")
        for field in spec.sign_in_fields:
            if field.secret:
                net.add_argument(
                    field.option, action="store_true", required=field.required, help=field.help
                )
            else:
                net.add_argument(
                    field.option,
                    required=field.required,
                    choices=field.choices or None,
                    default=field.default,
                    help=field.help,
                )


def cmd_account(args: argparse.Namespace) -> int:
    from console.services import accounts

    if args.account_command == "list":
        with open_workspace(args) as cache, cache.read() as s:
            rows = [accounts.account_json(a) for a in accounts.list_accounts(s)]
        if args.json:
            print_json(rows)
        else:
            for a in rows:
                state = a["status"] + (f" ({a['status_message']})" if a["status_message"] else "")
                terminal.out(f"{a['id']}  {a['network']:<8} {a['handle']:<32} {state}")
        return EXIT_OK
    if args.demo:
        raise Usage("The demo workspace has fixed accounts; run without --demo to add yours.")
    if args.account_command == "remove":
        with open_workspace(args) as cache:
            removed = accounts.remove_account(cache.writer, args.id)
        terminal.out(f"Removed account {removed} and its keyring entry.")
        return EXIT_OK
    from console.services import signin

    with open_workspace(args) as cache:
        stdin = cast(TextIO, cli_input.utf8_stdin())  # reads as TextIO does, UTF-8 checked
        values = signin.cli_values(args.network, vars(args), stdin)
        try:
            account = signin.add_account(
                cache, args.network, values, stdin=stdin, stderr=sys.stderr
            )
        except signin.SignInFailed as failed:
            return _failed(failed)
    terminal.out(f"{account.id}  {account.network}  {account.handle}")
    return EXIT_OK


def _failed(failed: signin.SignInFailed) -> int:
    """The failure's one sentence (the raw cause is in the log); no keyring
    is the person's to fix (exit 2), the rest is the network's (exit 1)."""
    from console.services.signin import Failure

    terminal.err(f"parloir: {failed}")
    return EXIT_USAGE if failed.kind == Failure.NO_KEYRING else EXIT_FAILURE


COMMANDS: dict[str, Command] = {"account": cmd_account}
