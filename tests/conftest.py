"""Shared test set-up: every test gets its own PARLOIR_HOME, Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def parloir_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh home per test: nothing leaks into the user's real data."""
    home = tmp_path / "parloir-home"
    home.mkdir()
    monkeypatch.setenv("PARLOIR_HOME", str(home))
    yield home
