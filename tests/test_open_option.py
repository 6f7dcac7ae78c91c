"""``parloir --open CONV`` (CLI.md): the window starts with that conversation
open — what desktop notifications and links use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from console.app import _conversation_to_open
from console.cli import build_parser
from console.demo import build_demo
from console.models.db import open_cache

ROOT = Path(__file__).resolve().parents[1]


def test_the_option_is_parsed_before_any_subcommand() -> None:
    args = build_parser().parse_args(["--open", "37b783c4"])
    assert args.open == "37b783c4" and args.command is None


def test_a_prefix_opens_its_conversation_and_a_stale_link_still_opens_the_window(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.sqlite"
    build_demo(path)
    cache = open_cache(path)
    try:
        with cache.read() as s:
            conv_id = s.execute(text("SELECT id FROM conversations LIMIT 1")).scalar_one()
        assert _conversation_to_open(cache, conv_id[-8:], None) == (conv_id, None)
        focus, missing = _conversation_to_open(cache, "ffffffff-no-such", "fallback")
        assert focus == "fallback" and missing  # the window opens and says why
    finally:
        cache.close()


def test_the_window_starts_on_a_stale_link_and_says_so_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PARLOIR_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [sys.executable, "-m", "console", "--demo", "--open", "zz\x1b]0;x",
         "--screenshot", str(shot)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 0
    lines = [line for line in done.stderr.splitlines() if line.startswith("parloir:")]
    assert len(lines) == 1 and "\x1b" not in lines[0]
