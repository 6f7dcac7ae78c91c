"""``parloir sync [--account ID] [--once]``: fetch and deliver, once or
polling, without the window."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from console import terminal
from console.cli.common import EXIT_FAILURE, EXIT_OK, Command, open_workspace

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    sync = sub.add_parser("sync", help="fetch new messages and deliver the outbox")
    sync.add_argument("--account")
    sync.add_argument("--once", action="store_true")


def cmd_sync(args: argparse.Namespace) -> int:
    from console.sync.engine import SyncEngine

    with open_workspace(args) as cache:
        engine = SyncEngine(cache, demo=args.demo)
        if args.once:
            report = engine.run_once(account=args.account)
            for line in report.lines():
                terminal.out(line)
            return EXIT_OK if report.ok else EXIT_FAILURE
        engine.run_forever(account=args.account)
    return EXIT_OK


COMMANDS: dict[str, Command] = {"sync": cmd_sync}
