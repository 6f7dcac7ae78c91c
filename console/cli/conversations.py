"""``parloir queue`` and ``parloir show``: reading conversations, as a
table for a terminal or as the JSON of CLI.md."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from console import cli_input, terminal
from console.cli.common import EXIT_OK, Command, open_workspace, print_json

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    queue = sub.add_parser("queue", help="list conversations")
    queue.add_argument("--view", default="open")
    queue.add_argument("--account")
    queue.add_argument("--network")
    queue.add_argument("--tag")
    queue.add_argument("--assignee")
    queue.add_argument("--search")
    queue.add_argument("--sort", default="waiting")
    queue.add_argument("--limit", type=cli_input.whole_number(1, cli_input.MAX_LIMIT))
    queue.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="one conversation")
    show.add_argument("conv")
    show.add_argument("--json", action="store_true")


def ago(when: datetime | None) -> str:
    """How long ago, in the largest whole unit (``5m``, ``3h``, ``2d``); ``-`` for never."""
    if when is None:
        return "-"
    from console.models.types import utcnow

    seconds = int((utcnow() - when).total_seconds())
    if seconds < 3600:
        return f"{max(seconds, 0) // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def cmd_queue(args: argparse.Namespace) -> int:
    from console.services import queue, team
    from console.services.accounts import find_account

    with open_workspace(args) as cache, cache.read() as s:
        me = team.me(s)
        assignee_id = team.find_member(s, args.assignee).id if args.assignee else None
        account_id = find_account(s, args.account).id if args.account else None
        flt = queue.QueueFilter(
            view=args.view,
            account_id=account_id,
            network=args.network,
            tag=_stored_tag(s, args.tag) if args.tag else None,
            assignee_id=assignee_id,
            search=args.search,
            sort=args.sort,
        )
        if args.limit is not None:
            rows = queue.page(s, flt, me_id=me.id if me else None, limit=args.limit).rows
        else:
            rows = queue.iterate(s, flt, me_id=me.id if me else None)
    if args.json:
        print_json([r.to_json() for r in rows])
        return EXIT_OK
    for r in rows:
        if r.damaged is not None:
            terminal.out(f"{r.id[-8:]}  damaged: {r.damaged}")
            continue
        who = r.contact_name or r.contact_handle
        assignee = r.assignee_name or "-"
        waiting = ago(r.waiting_since)
        text = (r.subject + " — " if r.subject else "") + r.preview
        terminal.out(
            f"{r.id[-8:]}  {r.network:<8} {r.status:<7} {waiting:>4}  {assignee[:12]:<12} "
            f"{who[:24]:<24} {text[:60]}"
        )
    if not rows:
        terminal.err("Nothing here.")
    return EXIT_OK


def _stored_tag(session: Any, typed: str) -> str:
    """The stored tag a typed name means (``LIVRAISON`` is ``livraison``)."""
    from console.services import workflow

    found = workflow.find_tag(session, typed)
    return found.name if found is not None else typed


def cmd_show(args: argparse.Namespace) -> int:
    from console.services.conversation import detail_json

    with open_workspace(args) as cache, cache.read() as s:
        detail = detail_json(s, args.conv)
    if args.json:
        print_json(detail)
        return EXIT_OK
    if detail.get("damaged"):
        terminal.out(f"{detail['id']}  damaged: {detail['damaged']}")
    else:
        head = detail["contact"]["name"] or detail["contact"]["handle"]
        terminal.out(f"{detail['id']}  {detail['network']}  {detail['status']}  {head}")
    if detail["subject"]:
        terminal.out(f"Subject: {detail['subject']}")
    for m in detail["messages"]:
        if m.get("damaged"):
            terminal.out()
            terminal.out(f"!! message {m['id']} damaged: {m['damaged']}")
            continue
        arrow = "<-" if m["direction"] == "in" else "->"
        body = "(deleted)" if m["deleted"] else m["text"]
        terminal.out()
        terminal.out(f"{arrow} {m['author']['name'] or m['author']['handle']}  {m['sent_at']}")
        terminal.out(body, multiline=True)
    for n in detail["notes"]:
        terminal.out()
        terminal.out(f"[note] {n['author']}: {n['text']}", multiline=True)
    return EXIT_OK


COMMANDS: dict[str, Command] = {"queue": cmd_queue, "show": cmd_show}
