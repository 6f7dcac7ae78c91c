"""``parloir account add|list|remove``: the accounts Parloir fetches from."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO, cast

from console import cli_input, terminal
from console.cli.common import EXIT_OK, Command, Parser, Usage, open_workspace, print_json

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    account = sub.add_parser("account", help="add, list, remove accounts")
    acc = account.add_subparsers(dest="account_command", required=True, parser_class=Parser)
    add = acc.add_parser("add", help="add an account")
    add_net = add.add_subparsers(dest="network", required=True, parser_class=Parser)
    masto = add_net.add_parser("mastodon")
    masto.add_argument("--server", required=True)
    masto.add_argument("--token-stdin", action="store_true")
    bsky = add_net.add_parser("bluesky")
    bsky.add_argument("--handle", required=True)
    bsky.add_argument("--service")
    bsky.add_argument("--app-password-stdin", action="store_true", required=True)
    mail = add_net.add_parser("email")
    mail.add_argument("--imap", required=True)
    mail.add_argument("--smtp", required=True)
    mail.add_argument("--user", required=True)
    mail.add_argument("--address")
    mail.add_argument("--password-stdin", action="store_true", required=True)
    mail.add_argument("--security", choices=("tls", "starttls", "none"), default="tls")
    lst = acc.add_parser("list")
    lst.add_argument("--json", action="store_true")
    rm = acc.add_parser("remove")
    rm.add_argument("id")


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
        account = signin.add_account(cache, args, stdin=stdin)
    terminal.out(f"{account.id}  {account.network}  {account.handle}")
    return EXIT_OK


COMMANDS: dict[str, Command] = {"account": cmd_account}
