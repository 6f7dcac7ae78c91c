"""``parloir cache rebuild``: repair a damaged cache, keeping the person's work."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from console import paths, terminal
from console.cli.common import EXIT_OK, Command, Parser

if TYPE_CHECKING:
    from console.cli.common import Subparsers


def add_parsers(sub: Subparsers) -> None:
    cache = sub.add_parser("cache", help="repair the local cache")
    cc = cache.add_subparsers(dest="cache_command", required=True, parser_class=Parser)
    rebuild = cc.add_parser("rebuild", help="a damaged cache: keep your work, fetch the rest")
    rebuild.add_argument("--force", action="store_true", help="also when the check passes")


def cmd_cache(args: argparse.Namespace) -> int:
    """``cache rebuild``: without opening the cache (it may not open)."""
    from console.services.cache_rebuild import rebuild

    report = rebuild(paths.cache_path(demo=args.demo), force=args.force)
    terminal.out(report.summary())
    return EXIT_OK


COMMANDS: dict[str, Command] = {"cache": cmd_cache}
