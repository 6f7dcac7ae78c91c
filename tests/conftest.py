"""Shared test set-up.

- Qt runs offscreen (without it and without a display, Qt aborts the process).
- Every test gets its own PARLOIR_HOME: nothing leaks into the user's real data.
- Tests marked ``keyring`` need a running Secret Service. They skip (with the
  reason) when there is none, except under scripts/test, which starts one and
  sets PARLOIR_REQUIRE_KEYRING=1: there a missing keyring is a failure.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.bluesky_network import bluesky  # noqa: F401 - shared fixtures
from tests.email_servers import dovecot, mailbox, smtp, smtp_auth  # noqa: F401 - shared fixtures
from tests.mastodon_server import mastodon, mastodon_server  # noqa: F401 - shared fixtures

# --- environment, before anything imports Qt ---------------------------------

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# --- per-test isolation -------------------------------------------------------


@pytest.fixture(autouse=True)
def parloir_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh PARLOIR_HOME per test (console.paths puts data, config, cache, logs under it)."""
    home = tmp_path / "parloir-home"
    home.mkdir()
    monkeypatch.setenv("PARLOIR_HOME", str(home))
    yield home


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread() -> Iterator[None]:
    """Collect reference cycles after each test, on the main thread.

    A widget kept alive only by a cycle is otherwise finalised by whichever
    thread next triggers the garbage collector (the writer, a read pool
    thread), and a QObject with timers destroyed off its thread crashes Qt.
    """
    yield
    gc.collect()


# --- the Secret Service gate (marker: keyring) --------------------------------

REQUIRE_KEYRING_ENV = "PARLOIR_REQUIRE_KEYRING"


@cache
def secret_service_problem() -> str | None:
    """Why the keyring tests cannot run here, or None when a Secret Service answers."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session (run scripts/test, which starts one with gnome-keyring)"
    from console import credentials

    try:
        credentials.load_secret("parloir-test-probe")
    except credentials.KeyringUnavailable as exc:
        return f"the Secret Service is not usable: {exc}"
    return None


@pytest.fixture(autouse=True)
def _keyring_gate(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("keyring") is None:
        return
    problem = secret_service_problem()
    if problem is None:
        return
    if os.environ.get(REQUIRE_KEYRING_ENV) == "1":
        pytest.fail(f"{REQUIRE_KEYRING_ENV}=1 but {problem}", pytrace=False)
    pytest.skip(f"keyring test skipped: {problem}")


# --- heavy variants (marker: slow) ----------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        default=False,
        help="also run the heavy variants marked 'slow' (long kill loops, many processes)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Heavy variants run only with ``--slow`` (``scripts/test --slow``), so the
    default run stays within its time budget while the long loops still exist
    and are run before an issue that touches them is resolved."""
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="heavy variant: run with scripts/test --slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)
