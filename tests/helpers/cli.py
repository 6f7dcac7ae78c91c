"""Run the ``parloir`` command line as a child process, on a given PARLOIR_HOME.

One place for the environment a CLI test gives the child: the caller's
environment without any PARLOIR_* variable (the test's own home must not
leak), the home it names, and this checkout on PYTHONPATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``parloir`` child working on ``home``; ``extra``
    adds variables (PARLOIR_NET_TIMEOUT, ...)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLOIR")}
    env.update({"PARLOIR_HOME": str(home), "PYTHONPATH": str(ROOT), **extra})
    return env


def run_cli(
    home: Path,
    *args: str,
    stdin: str | None = None,
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m console *args`` on ``home`` (or with ``env`` as given),
    its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(home) if env is None else env,
        cwd=ROOT,
        timeout=timeout,
    )
