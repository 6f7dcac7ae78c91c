"""The real window under a real window manager: Xvfb at a laptop's
1440x900 with openbox, Parloir started as a person starts it (no saved
size). Its whole frame, the status bar included, must be on the screen —
a 1440x900 window on that screen used to put its status bar below the edge.

The window reports where it is once it is shown and the manager has framed
it (tests/helpers/real_window.py prints one JSON line); the test waits for
that line, never for a time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.x_display import app_env, needs_x, x_display

HELPER = Path(__file__).parent / "helpers" / "real_window.py"

pytestmark = needs_x


@pytest.fixture
def display() -> Iterator[str]:
    """A private X server at 1440x900 with openbox managing it."""
    with x_display() as name:
        yield name


def _window_report(display: str, home: Path, *extra: str) -> dict[str, list[int]]:
    env = app_env(display, str(home))
    done = subprocess.run(
        [sys.executable, str(HELPER), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    report: dict[str, list[int]] = json.loads(lines[-1])
    return report


def _inside(rect: list[int], area: list[int]) -> bool:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return x >= ax and y >= ay and x + w <= ax + aw and y + h <= ay + ah


def test_first_start_at_1440x900_keeps_the_status_bar_on_screen(
    display: str, tmp_path: Path
) -> None:
    report = _window_report(display, tmp_path)
    assert report["screen"][2:] == [1440, 900]
    assert _inside(report["frame"], report["available"]), report
    assert _inside(report["status_bar"], report["available"]), report
    assert report["status_bar"][3] > 0  # shown, not squeezed away
