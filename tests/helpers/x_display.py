"""A private X server with a real window manager, for the tests that run
the real window (tests/test_real_window*.py): Xvfb at a laptop's 1440x900
and openbox managing it, as a person's desktop would (focus, activation,
frames), where Qt's offscreen platform fakes them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

#: The checkout the tests run from.
ROOT = Path(__file__).resolve().parents[2]

#: Skips a module's tests where the X tools are missing (scripts/test installs them).
needs_x = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("openbox") is None,
    reason="needs Xvfb and openbox (scripts/test installs them)",
)


@contextlib.contextmanager
def x_display() -> Iterator[str]:
    """Start Xvfb (it names its display once it accepts clients) and
    openbox on it; yield the display name (":N"); stop both."""
    ready_r, ready_w = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(ready_w), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        pass_fds=(ready_w,),
        stderr=subprocess.DEVNULL,
    )
    os.close(ready_w)
    with os.fdopen(ready_r) as ready:
        number = ready.readline().strip()
    assert number, "Xvfb did not start"
    name = f":{number}"
    env = {**os.environ, "DISPLAY": name}
    wm = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield name
    finally:
        for proc in (wm, xvfb):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def app_env(display: str, home: str) -> dict[str, str]:
    """The environment a helper runs the window in: this display, Qt on X,
    and this checkout's code first (an editable install may point at another)."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "PARLOIR_HOME": home,
        "PYTHONPATH": path,
    }
    env.pop("WAYLAND_DISPLAY", None)
    return env
