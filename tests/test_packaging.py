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


def test_ids_icon_and_version_agree() -> None:
    """The desktop entry, the metainfo, the icon and pyproject name the same app and release."""
    import ast
    import configparser
    import tomllib
    import xml.etree.ElementTree as ET

    root = PACKAGING.parent
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]
    desktop.read(PACKAGING / "org.parloir.Parloir.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Exec"].split()[0] == "parloir"
    assert (root / "resources" / "icons" / f"{entry['Icon']}.svg").is_file()

    meta = ET.parse(PACKAGING / "org.parloir.Parloir.metainfo.xml").getroot()
    assert meta.findtext("id") == entry["Icon"] == "org.parloir.Parloir"
    assert meta.findtext("launchable") == "org.parloir.Parloir.desktop"
    newest = meta.find("releases/release")
    assert newest is not None
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert newest.get("version") == project["version"]
    assert meta.find("content_rating") is not None

    svg = ET.parse(root / "resources" / "icons" / "org.parloir.Parloir.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") == "0 0 128 128"

    # The PyInstaller spec is not built in CI, but it must at least be valid Python.
    ast.parse((PACKAGING / "parloir.spec").read_text(encoding="utf-8"))
