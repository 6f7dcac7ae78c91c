"""A small filesystem of our own for tests: a tmpfs in a private mount
namespace (``unshare -rm``), so a test can fill a disk or make it read-only
for real. Tests run as root, and root ignores file permissions; a full or
read-only filesystem stops root too (ENOSPC, EROFS)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Helpers the scripts get: run the CLI on the tmpfs home, fill the disk.
PRELUDE = """
import json, os, subprocess, sys
from pathlib import Path
MNT = Path(sys.argv[1])
HOME = MNT / "home"
def cli(*args, stdin=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLOIR")}
    env.update({"PARLOIR_HOME": str(HOME), "PYTHONPATH": os.getcwd()})
    done = subprocess.run([sys.executable, "-m", "console", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60)
    return {"code": done.returncode, "out": done.stdout, "err": done.stderr}
def fill():
    fd = os.open(MNT / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
def unfill():
    (MNT / "filler").unlink()
def remount_ro():
    subprocess.run(["mount", "-o", "remount,ro", str(MNT)], check=True)
results = {}
"""


@cache
def mount_problem() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a user namespace: {probe.stderr.strip()}"
    return None


def run_on_tmpfs(script: str, mountpoint: Path, size: str = "8m") -> dict[str, object]:
    """Run ``script`` (after PRELUDE) in a private mount namespace with a
    tmpfs of ``size`` at ``mountpoint``; it fills ``results``, returned here."""
    problem = mount_problem()
    if problem is not None:
        pytest.skip(problem)
    import json

    mountpoint.mkdir(parents=True, exist_ok=True)
    body = PRELUDE + script + "\nprint('RESULTS ' + json.dumps(results))\n"
    shell = 'mount -t tmpfs -o size="$1" tmpfs "$2" && exec "$3" -c "$4" "$2"'
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", shell, "sh", size, str(mountpoint), sys.executable, body],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("PARLOIR")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    line = [x for x in done.stdout.splitlines() if x.startswith("RESULTS ")][-1]
    return dict(json.loads(line[len("RESULTS ") :]))
