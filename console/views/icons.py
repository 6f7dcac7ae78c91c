"""SVG icons from resources/icons, cached."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


@cache
def icon(name: str) -> QIcon:
    path = ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def network_icon(network: str) -> QIcon:
    return icon(network if network in ("mastodon", "bluesky", "email") else "email")


def app_icon() -> QIcon:
    return icon("org.parloir.Parloir")
