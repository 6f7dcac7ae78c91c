"""The commit-msg hook enforces the house rule: subject <= 72, blank line, a body."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check-commit-msg"


def check(tmp_path: Path, message: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(message)
    return subprocess.run([str(SCRIPT), str(path)], capture_output=True, text=True, check=False)


def test_a_short_subject_and_a_body_pass(tmp_path: Path) -> None:
    result = check(tmp_path, "Queue: sort by urgency\n\nLeads asked for it.\n# a git comment\n")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("message", "says"),
    [
        ("x" * 73 + "\n\nwhy\n", "73 characters"),
        ("Subject only\n", "add a body"),
        ("Subject\nno blank line\n", "blank line"),
        ("# only comments\n", "empty"),
        ("Subject\n\n# the body is only a comment\n", "add a body"),
    ],
)
def test_a_message_off_the_rule_is_refused_with_a_reason(
    tmp_path: Path, message: str, says: str
) -> None:
    result = check(tmp_path, message)
    assert result.returncode == 1
    assert says in result.stderr
