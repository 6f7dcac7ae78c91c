"""SVG icons from resources/icons, cached."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from console.sync.networks import find

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
#: The plain envelope, for a network this version does not know.
UNKNOWN_NETWORK = "email"


@cache
def icon(name: str) -> QIcon:
    path = ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def network_icon(network: str) -> QIcon:
    """The icon the network's spec names; a network Parloir does not know
    gets the plain envelope."""
    spec = find(network)
    return icon(spec.icon if spec is not None else UNKNOWN_NETWORK)


def app_icon() -> QIcon:
    return icon("org.parloir.Parloir")
