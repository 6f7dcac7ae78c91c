"""The desktop entry and AppStream metadata pass their validators."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (scripts/test installs it)")
    return path


def test_desktop_entry_is_valid() -> None:
    tool = _tool("desktop-file-validate")
    result = subprocess.run(
        [tool, str(PACKAGING / "org.parloir.Parloir.desktop")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_metainfo_is_valid() -> None:
    tool = _tool("appstreamcli")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(PACKAGING / "org.parloir.Parloir.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_icon_named_by_the_desktop_entry_exists() -> None:
    root = PACKAGING.parent
    assert (root / "resources" / "icons" / "org.parloir.Parloir.svg").is_file()
