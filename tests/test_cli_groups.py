"""The CLI package's command groups (console/cli/): every subcommand the
parser accepts has its function in COMMANDS and no function is left without
a subcommand, so moving a command between group modules cannot drop one."""

from __future__ import annotations

import argparse
from datetime import timedelta

from console import cli
from console.cli.conversations import ago
from console.cli.parser import GROUPS
from console.models.types import utcnow


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.extend(action.choices)
    return found


def test_every_subcommand_has_its_command_and_back() -> None:
    names = _subcommands(cli.build_parser())
    assert sorted(names) == sorted(cli.COMMANDS)
    assert len(names) == len(set(names))


def test_no_two_groups_claim_one_command() -> None:
    claimed = [name for group in GROUPS for name in group.COMMANDS]
    assert len(claimed) == len(set(claimed))


def test_help_lists_the_commands_in_the_contract_order() -> None:
    assert _subcommands(cli.build_parser()) == [
        "account", "sync", "queue", "show", "assign", "take", "unassign", "status",
        "priority", "snooze", "tag", "note", "draft", "send", "outbox", "team",
        "settings", "contact", "cache", "demo",
    ]  # fmt: skip


def test_ago_uses_the_largest_whole_unit() -> None:
    now = utcnow()
    assert ago(None) == "-"
    assert ago(now - timedelta(minutes=5, seconds=30)) == "5m"
    assert ago(now - timedelta(hours=3, minutes=59)) == "3h"
    assert ago(now - timedelta(days=2, hours=23)) == "2d"
    assert ago(now + timedelta(minutes=10)) == "0m"  # a clock ahead: never negative
