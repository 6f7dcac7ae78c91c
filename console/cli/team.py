"""``parloir team add|me|list``: who works the queue, and which of them I am."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from console import terminal
from console.cli.common import EXIT_OK, Command, Parser, open_workspace, print_json, write
from console.models.vocabulary import Role

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    team = sub.add_parser("team")
    tm = team.add_subparsers(dest="team_command", required=True, parser_class=Parser)
    tadd = tm.add_parser("add")
    tadd.add_argument("name")
    tadd.add_argument("--role", choices=[str(r) for r in Role], required=True)
    tm.add_parser("me").add_argument("name")
    tlist = tm.add_parser("list")
    tlist.add_argument("--json", action="store_true")


def cmd_team(args: argparse.Namespace) -> int:
    from console.services import team

    if args.team_command == "add":
        write(args, lambda tx: team.add_member(tx, args.name, args.role).id)
    elif args.team_command == "me":
        write(args, lambda tx: team.set_me(tx, args.name).id)
    with open_workspace(args) as cache, cache.read() as s:
        members = [
            {"id": m.id, "name": m.name, "role": m.role, "me": m.is_me}
            for m in team.list_members(s)
        ]
    if args.team_command == "list" and args.json:
        print_json(members)
        return EXIT_OK
    for m in members:
        terminal.out(f"{m['id']}  {m['name']:<24} {m['role']:<6} {'(me)' if m['me'] else ''}")
    return EXIT_OK


COMMANDS: dict[str, Command] = {"team": cmd_team}
