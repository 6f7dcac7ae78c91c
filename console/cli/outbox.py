"""``parloir send`` and ``parloir outbox``: my draft into the outbox, one
delivery attempt, and what the outbox holds."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from console import terminal
from console.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    open_workspace,
    print_json,
)
from console.models.vocabulary import OutboxState

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    send = sub.add_parser("send")
    send.add_argument("conv")
    send.add_argument("--anyway", action="store_true", help="send a held reply all the same")
    outbox = sub.add_parser("outbox")
    outbox.add_argument("--json", action="store_true")


def cmd_send(args: argparse.Namespace) -> int:
    """Queue my draft once (a second ``send`` finds the same item), try it
    once, print its state; a held reply prints ``held: <sentence>``, exit 2."""
    from console.models.writer import URGENT
    from console.services import outbox
    from console.sync.outbox import OutboxSender

    def enqueue(tx: Any) -> tuple[str, str, str | None]:
        item = outbox.enqueue(tx, args.conv, anyway=args.anyway, record_hold=True)
        return item.id, item.state, item.error

    with open_workspace(args) as cache:
        item_id, state, error = cache.writer.call(enqueue, URGENT)
        if state == OutboxState.HELD:
            terminal.out(f"held: {error}")
            terminal.err(
                f"parloir: nothing was sent; to send it as it is: parloir send {args.conv} --anyway"
            )
            return EXIT_USAGE
        sender = OutboxSender(cache, demo=args.demo)
        try:
            sender.recover_stale()
            # The person asks now: the retry time of an earlier try (a backoff,
            # a rate limit) does not wait, as for `parloir sync`.
            state = sender.deliver(item_id, force=True)
        finally:
            sender.close()
        with cache.read() as s:
            from console.models.schema import OutboxItem

            item = s.get(OutboxItem, item_id)
            line = f"{item_id}  {item.state if item else state}"
            if item is not None and item.error:
                line += f"  {item.error}"
    terminal.out(line)
    if sender.keyring_problem is not None:  # queued, but it cannot go until unlocked
        terminal.err(f"parloir: {sender.keyring_problem}")
        return EXIT_USAGE
    return (
        EXIT_OK
        if state in (OutboxState.SENT, OutboxState.QUEUED, OutboxState.SENDING)
        else EXIT_FAILURE
    )


def cmd_outbox(args: argparse.Namespace) -> int:
    from console.services import outbox

    with open_workspace(args) as cache, cache.read() as s:
        items = [outbox.item_json(i) for i in outbox.list_items(s)]
    if args.json:
        print_json(items)
        return EXIT_OK
    for i in items:
        terminal.out(f"{i['id']}  {i['state']:<8} {i['attempts']} tries  {i['error'] or ''}")
    if not items:
        terminal.err("The outbox is empty.")
    return EXIT_OK


COMMANDS: dict[str, Command] = {"send": cmd_send, "outbox": cmd_outbox}
