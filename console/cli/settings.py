"""``parloir settings list|get|set``: the typed settings registry
(console/models/settings_registry.py) from a terminal."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from console import cli_input, terminal
from console.cli.common import EXIT_OK, Command, Parser, open_workspace, print_json, write

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    setting = sub.add_parser("settings", help="list, read and change settings")
    st = setting.add_subparsers(dest="settings_command", required=True, parser_class=Parser)
    st.add_parser("list").add_argument("--json", action="store_true")
    get = st.add_parser("get")
    put = st.add_parser("set")
    get.add_argument("key")
    put.add_argument("key")
    put.add_argument("value")
    for one in (get, put):
        where = one.add_mutually_exclusive_group()
        where.add_argument("--account", metavar="ID")
        where.add_argument("--member", metavar="NAME")
        where.add_argument("--tag", metavar="T")
    get.add_argument("--json", action="store_true")


def _setting_text(value: Any) -> str:
    return value if isinstance(value, str) else terminal.json_dumps(value, indent=None)


def cmd_settings(args: argparse.Namespace) -> int:
    """``settings list`` (with each value that applies to everyone),
    ``settings get KEY``, ``settings set KEY VALUE`` (prints what was stored)."""
    from console.services import settings

    where = {k: getattr(args, k, None) for k in ("account", "member", "tag")}
    if args.settings_command == "set":
        value = cli_input.setting_value(args.key, args.value)
        stored = write(args, lambda tx: settings.put_scoped(tx, args.key, value, **where))
        scope = next((f"{k} {n}" for k, n in where.items() if n), "")
        terminal.out(f"{args.key} = {_setting_text(stored)}" + (f" ({scope})" if scope else ""))
        return EXIT_OK
    with open_workspace(args) as cache, cache.read() as s:
        if args.settings_command == "get":
            got = settings.get(s, args.key, **where)
            if args.json:
                print_json(got)
            else:
                terminal.out(_setting_text(got))
            return EXIT_OK
        rows = [{**d, "value": settings.get(s, d["key"])} for d in settings.catalogue()]
    if args.json:
        print_json(rows)
        return EXIT_OK
    for r in rows:
        bounds = ", ".join(repr(c) for c in r["choices"] or ()) or (
            f"{r['minimum']}..{r['maximum']}" if r["minimum"] is not None else ""
        )
        unit = f" {r['unit']}" if r["unit"] else ""
        value = terminal.json_dumps(r["value"], indent=None)
        terminal.out(
            f"{r['key']} = {value}  ({r['type']}, {bounds}{unit}; {', '.join(r['scopes'])})"
            f"  {r['label']}"
        )
    return EXIT_OK


COMMANDS: dict[str, Command] = {"settings": cmd_settings}
