"""``parloir contact forget CONTACT``: erasure of one person."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from console import terminal
from console.cli.common import EXIT_FAILURE, EXIT_OK, Command, Parser, open_workspace

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    contact = sub.add_parser("contact")
    ct = contact.add_subparsers(dest="contact_command", required=True, parser_class=Parser)
    ct.add_parser("forget").add_argument("contact")


def cmd_contact(args: argparse.Namespace) -> int:
    """Forget the person; exit 1 when a copy must wait for another process to end."""
    from console.services import people

    with open_workspace(args) as cache:
        erasure = people.forget_person(cache, args.contact)
    counts = (
        f"{erasure['messages']} messages, {erasure['conversations']} conversations, "
        f"{erasure['contacts']} contact records"
    )
    if not erasure.complete:
        terminal.err(
            f"parloir: Removed {counts} from the cache, but another Parloir process is reading "
            "it, so a copy stays in the cache files until that process ends and is erased then."
        )
        return EXIT_FAILURE
    terminal.out(f"Forgotten: {counts}.")
    return EXIT_OK


COMMANDS: dict[str, Command] = {"contact": cmd_contact}
