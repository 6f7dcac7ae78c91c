"""The ``parloir`` command line (contract: CLI.md; keep it stable).

No subcommand starts the GUI. Exit status: 0 success; 2 a user's mistake
(unknown id, bad option, no keyring), one line on stderr, no traceback;
1 a failure of the network or a server. Stack traces go to the log file.
Qt is imported only when the GUI starts.

This module is the entry point (``main``) and the net under every command;
the parser is in ``parser``, each command group in its own module, what
they share in ``common``.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from console import cli_input, terminal
from console.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Command, Usage
from console.cli.logfile import log_file, setup_logging
from console.cli.parser import GROUPS, build_parser

__all__ = [
    "COMMANDS",
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_USAGE",
    "Usage",
    "build_parser",
    "main",
]

log = logging.getLogger("console.cli")

#: Each subcommand's function, from every group (tests replace entries).
COMMANDS: dict[str, Command] = {
    name: command for group in GROUPS for name, command in group.COMMANDS.items()
}


def _user_errors() -> tuple[type[BaseException], ...]:
    from console.credentials import KeyringUnavailable
    from console.models.db import CacheError
    from console.services.errors import UserError
    from console.sync.engine import UnknownAccount  # the sync layer cannot raise a UserError

    return (Usage, cli_input.InputError, UserError, CacheError, KeyringUnavailable, UnknownAccount)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every way it can end is an exit status and at most
    one line on stderr (CLI.md), the details of a failure in the log."""
    _tolerant_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        problem = cli_input.argv_problem(argv)
        if problem is not None:
            terminal.err(f"parloir: {problem}")
            return EXIT_USAGE
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as done:  # --help, --version, or a usage error already printed
            return done.code if isinstance(done.code, int) else EXIT_USAGE
        setup_logging()
        if args.command is None:
            from console.app import run_gui

            return run_gui(
                demo=args.demo,
                screenshot=Path(args.screenshot) if args.screenshot else None,
                size=args.size,
                open_conv=args.open,
            )
        code = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except KeyboardInterrupt:
        log.info("interrupted")
        with contextlib.suppress(OSError, ValueError):
            terminal.err("parloir: interrupted.")
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`parloir queue | head`): not a failure.
        _stdout_gone()
        return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from console.sync.base import ProviderError

    try:
        return COMMANDS[args.command](args)
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except _user_errors() as exc:
        log.info("user error: %s", exc)
        terminal.err(f"parloir: {exc}")
        return EXIT_USAGE
    except ProviderError as exc:
        log.exception("network failure")
        terminal.err(f"parloir: {exc}")
        return EXIT_FAILURE
    except OSError as exc:
        log.exception("system failure")
        terminal.err(f"parloir: {exc.strerror or exc}")
        return EXIT_FAILURE
    except Exception as exc:  # the net under every other failure: logged, one sentence
        log.exception("unexpected failure in `parloir %s`", args.command)
        terminal.err(f"parloir: {_unexpected(args.command, exc)}")
        return EXIT_FAILURE


def _unexpected(command: str, exc: Exception) -> str:
    """The sentence for a failure nobody foresaw: what failed, where the details are."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    written_to = log_file()
    where = (
        f"the details are in {written_to}"
        if written_to is not None
        else "the log file could not be opened, so no details were kept"
    )
    if isinstance(exc, sqlite3.Error | DBAPIError):
        reason = getattr(exc, "orig", None) or exc
        return (
            f"`{command}` failed: the cache could not be read or written ({reason}); "
            f"try again, and if it keeps failing {where}."
        )
    return (
        f"`{command}` failed unexpectedly ({type(exc).__name__}); try again, "
        f"and if it keeps failing report it: {where}."
    )


def _tolerant_streams() -> None:
    """A terminal that is not UTF-8 gets backslash escapes rather than a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="backslashreplace")


def _stdout_gone() -> None:
    """Point stdout at /dev/null so the interpreter's final flush stays quiet."""
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
