"""What every command group shares: exit statuses, the user-mistake
exception, the parser class whose errors are one line, and the few steps
each command takes (open the cache, write through the one writer, read
stdin, print JSON). Kept apart so a command module imports none of its
siblings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

from console import cli_input, paths, terminal

if TYPE_CHECKING:
    #: What ``add_subparsers`` returns: each group adds its commands to it.
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

#: A command: the parsed arguments in, the exit status out.
Command = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class Usage(Exception):
    """A user's mistake found by the CLI itself."""


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        terminal.err(f"parloir: {message}")
        raise SystemExit(EXIT_USAGE)

    def _print_message(self, message: str, file: Any = None) -> None:
        # --help, --version and usage text also pass through the one output function.
        if message:
            terminal.out(message.rstrip("\n"), multiline=True, file=file or sys.stderr)


def open_workspace(args: argparse.Namespace) -> Any:
    """The cache the command works on: the demo one (made on first use)
    with ``--demo``, else the person's."""
    from console.models.db import open_cache

    path = paths.cache_path(demo=args.demo)
    if args.demo:
        from console.demo import ensure_demo

        ensure_demo(path)
    return open_cache(path)


def write(args: argparse.Namespace, task: Callable[[Any], Any]) -> Any:
    """Run one write through the cache's single writer and return its result."""
    with open_workspace(args) as cache:
        return cache.writer.call(task)


def read_stdin() -> str:
    return cli_input.read_stdin()


def print_json(value: Any) -> None:
    terminal.out_json(value)


def parse_time(value: str) -> datetime:
    """ISO 8601; local time when it has no offset (CLI.md); 1970 to 2099."""
    return cli_input.user_time(value)
