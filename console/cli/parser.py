"""The ``parloir`` argument parser: the global options here, each command
group's subcommands in its own module (GROUPS, in the order ``--help``
lists them)."""

from __future__ import annotations

import argparse
from types import ModuleType

from console import __version__, cli_input
from console.cli import (
    accounts,
    cache,
    contact,
    conversations,
    demo,
    outbox,
    settings,
    sync,
    team,
    workflow,
)
from console.cli.common import Parser

#: Every command group; each has ``add_parsers(sub)`` and ``COMMANDS``.
GROUPS: tuple[ModuleType, ...] = (
    accounts,
    sync,
    conversations,
    workflow,
    outbox,
    team,
    settings,
    contact,
    cache,
    demo,
)


def _size(value: str) -> tuple[int, int]:
    """``--size WxH``: each side a whole number of pixels within
    cli_input.MAX_WINDOW_SIDE (a huge one made Qt abort the process)."""
    side = cli_input.whole_number(cli_input.MIN_WINDOW_SIDE, cli_input.MAX_WINDOW_SIDE)
    try:
        w, h = value.lower().split("x")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"size must look like 1440x900, not {cli_input.shown(value)}"
        ) from None
    return side(w), side(h)


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="parloir", description="One conversation queue for your team.")
    p.add_argument("--demo", action="store_true", help="use the demo workspace")
    p.add_argument("--version", action="version", version=f"parloir {__version__}")
    p.add_argument("--screenshot", metavar="PATH", help="render the main window to PATH and exit")
    p.add_argument("--size", type=_size, default=None, metavar="WxH")
    p.add_argument("--open", metavar="CONV", help="start the window with this conversation open")
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    for group in GROUPS:
        group.add_parsers(sub)
    return p
