"""``parloir demo generate``: fill PARLOIR_HOME with a large workspace for benchmarks."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from console import cli_input, paths, terminal
from console.cli.common import EXIT_OK, Command, Parser, Usage

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    demo = sub.add_parser("demo")
    dm = demo.add_subparsers(dest="demo_command", required=True, parser_class=Parser)
    gen = dm.add_parser("generate")
    gen.add_argument(
        "--conversations",
        type=cli_input.whole_number(1, cli_input.MAX_DEMO_CONVERSATIONS),
        required=True,
    )
    gen.add_argument(
        "--messages", type=cli_input.whole_number(1, cli_input.MAX_DEMO_MESSAGES), required=True
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from console.demo import generate

    if args.conversations < 1 or args.messages < args.conversations:
        raise Usage("Need at least one conversation and one message per conversation.")
    result = generate(paths.cache_path(), args.conversations, args.messages)
    terminal.out(terminal.json_dumps(result, indent=None))
    return EXIT_OK


COMMANDS: dict[str, Command] = {"demo": cmd_demo}
