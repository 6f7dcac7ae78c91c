"""The workflow commands on one conversation — assign, take, unassign,
status, priority, snooze, tag, note, draft — each one write through the
writer, then the conversation's new state on one line."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from console import terminal
from console.cli.common import (
    EXIT_OK,
    Command,
    Usage,
    open_workspace,
    parse_time,
    read_stdin,
    write,
)
from console.models.vocabulary import SETTABLE_STATUSES, Priority

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    assign = sub.add_parser("assign")
    assign.add_argument("conv")
    assign.add_argument("member")
    for name in ("take", "unassign"):
        sub.add_parser(name).add_argument("conv")
    status = sub.add_parser("status")
    status.add_argument("conv")
    status.add_argument("status", choices=[str(s) for s in SETTABLE_STATUSES])
    priority = sub.add_parser("priority")
    priority.add_argument("conv")
    priority.add_argument("priority", choices=[str(p) for p in Priority])
    snooze = sub.add_parser("snooze")
    snooze.add_argument("conv")
    snooze.add_argument("--until", required=True)
    tag = sub.add_parser("tag")
    tag.add_argument("conv")
    tag.add_argument("tag")
    tag.add_argument("--remove", action="store_true")
    note = sub.add_parser("note")
    note.add_argument("conv")
    note.add_argument("--text-stdin", action="store_true", required=True)
    draft = sub.add_parser("draft")
    draft.add_argument("conv")
    draft_action = draft.add_mutually_exclusive_group(required=True)
    draft_action.add_argument("--text-stdin", action="store_true", help="save my draft")
    draft_action.add_argument("--discard", action="store_true", help="delete my draft")


def cmd_workflow(args: argparse.Namespace) -> int:
    from console.services import drafts, notes, workflow
    from console.services.conversation import row

    c = args.command
    if c == "assign":
        result = write(args, lambda tx: workflow.assign(tx, args.conv, args.member).id)
    elif c == "take":
        result = write(args, lambda tx: workflow.take(tx, args.conv).id)
    elif c == "unassign":
        result = write(args, lambda tx: workflow.unassign(tx, args.conv).id)
    elif c == "status":
        result = write(args, lambda tx: workflow.set_status(tx, args.conv, args.status).id)
    elif c == "priority":
        result = write(args, lambda tx: workflow.set_priority(tx, args.conv, args.priority).id)
    elif c == "snooze":
        until = parse_time(args.until)
        result = write(args, lambda tx: workflow.snooze(tx, args.conv, until).id)
    elif c == "tag":
        op = workflow.untag if args.remove else workflow.tag
        result = write(args, lambda tx: op(tx, args.conv, args.tag).id)
    elif c == "note":
        text = read_stdin()
        result = write(args, lambda tx: notes.add_note(tx, args.conv, text).conversation_id)
    elif c == "draft" and args.discard:

        def discard(tx: Any) -> str:
            drafts.discard_draft(tx, args.conv)  # none there is fine: the draft is gone
            return workflow.resolve(tx.session, args.conv).id

        result = write(args, discard)
    elif c == "draft":
        text = read_stdin()

        def save(tx: Any) -> str:
            drafts.save_draft(tx, args.conv, text)
            return workflow.resolve(tx.session, args.conv).id

        result = write(args, save)
    else:  # pragma: no cover - argparse limits the choices
        raise Usage(f"unknown command {c}")
    with open_workspace(args) as cache, cache.read() as s:
        r = row(s, result)
    assignee = r.assignee_name or "nobody"
    terminal.out(f"{r.id}  {r.status}  assigned to {assignee}  tags: {', '.join(r.tags) or '-'}")
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    name: cmd_workflow
    for name in (
        "assign",
        "take",
        "unassign",
        "status",
        "snooze",
        "priority",
        "tag",
        "note",
        "draft",
    )
}
