"""Shared test set-up.

- Qt runs offscreen (without it and without a display, Qt aborts the process).
- Every test gets its own PARLOIR_HOME: nothing leaks into the user's real data.
- Every test is marked ``server``, ``gui`` or ``unit`` from what it uses
  (see pytest_collection_modifyitems): ``scripts/test -m unit`` is the fast run.
- Property tests (hypothesis) run under the "ci" profile: no deadline (a
  deadline is a timing assert), the same examples on every run, and few
  enough of them that the property suite takes well under a minute.
- Tests marked ``keyring`` need a running Secret Service. They skip (with the
  reason) when there is none, except under scripts/test, which starts one and
  sets PARLOIR_REQUIRE_KEYRING=1: there a missing keyring is a failure.
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from console.demo import build_demo
from console.models.db import Cache, open_cache
from tests.helpers import factories
from tests.helpers.factories import cache_at

#: The real servers' fixtures (dovecot, smtp, mastodon, bluesky...), each
#: module a plugin; the speed markers below know them by these names.
REAL_SERVER_MODULES = (
    "tests.helpers.email_servers",
    "tests.helpers.mastodon_server",
    "tests.helpers.bluesky_network",
)
pytest_plugins = list(REAL_SERVER_MODULES)

# --- property tests -----------------------------------------------------------

try:
    from hypothesis import HealthCheck
    from hypothesis import settings as hypothesis_settings
except ImportError:  # pragma: no cover - the test extras bring it
    pass
else:
    hypothesis_settings.register_profile(
        "ci",
        deadline=None,
        derandomize=True,
        max_examples=40,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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


@pytest.fixture(autouse=True, scope="session")
def _cache_template(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One migrated empty cache per session, copied by factories.cache_at."""
    factories.use_template_dir(tmp_path_factory.mktemp("cache-template"))


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    """An empty, migrated cache in the test's tmp_path (closed afterwards).
    A module that needs more (an env variable, a seeded row) overrides it."""
    c = cache_at(tmp_path)
    yield c
    c.close()


@pytest.fixture
def demo_cache(tmp_path: Path) -> Iterator[Cache]:
    """The demo workspace (console.demo) in the test's tmp_path. Its own file
    name, so a test can use both ``cache`` and ``demo_cache``."""
    path = tmp_path / "demo.sqlite"
    build_demo(path)
    c = open_cache(path)
    yield c
    c.close()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Hide what collection imported (Qt, SQLAlchemy, every test module) from
    the garbage collector once: it lives for the whole session anyway, and the
    collection after each test below then walks only what the tests made
    (about 0.1 s less per test: most of a unit test's time otherwise)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread() -> Iterator[None]:
    """Collect reference cycles after each test, on the main thread.

    A widget kept alive only by a cycle is otherwise finalised by whichever
    thread next triggers the garbage collector (the writer, a read pool
    thread), and a QObject with timers destroyed off its thread crashes Qt.
    Until a Qt application exists no QObject can hold a timer or be a widget,
    so there is nothing to protect and the (costly) collection is skipped:
    that is the whole of a ``-m unit`` run.
    """
    yield
    if _qt_application_exists():
        gc.collect()


def _qt_application_exists() -> bool:
    qtcore = sys.modules.get("PySide6.QtCore")
    return qtcore is not None and qtcore.QCoreApplication.instance() is not None


# --- the Secret Service gate (marker: keyring) --------------------------------

REQUIRE_KEYRING_ENV = "PARLOIR_REQUIRE_KEYRING"


@functools.cache
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
    """Mark every test ``server``, ``gui`` or ``unit`` (speed markers), then skip
    the heavy variants unless ``--slow`` (``scripts/test --slow``), so the
    default run stays within its time budget while the long loops still exist
    and are run before an issue that touches them is resolved."""
    for item in items:
        for marker in speed_markers(item):
            item.add_marker(marker)
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="heavy variant: run with scripts/test --slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


# --- speed markers (server, gui, unit) --------------------------------------------
#
# The rule, from what a test uses rather than from a list to keep up to date:
# - server: it uses a fixture of a real-server module below, or it, one of its
#   fixtures or a test helper it calls starts a child process (subprocess,
#   multiprocessing: `parloir` as a command, dovecot, node, lrelease...);
# - gui: it uses qtbot or qapp (directly or through a fixture);
# - unit: neither. A test can be both server and gui.

GUI_FIXTURES = ("qtbot", "qapp")
PROCESS_NAMES = frozenset({"subprocess", "Popen", "multiprocessing"})


def speed_markers(item: pytest.Item) -> list[pytest.MarkDecorator]:
    fixtures = _fixture_functions(item)
    server = any(f.__module__ in REAL_SERVER_MODULES for f in fixtures)
    test = getattr(item, "obj", None)
    server = server or any(_starts_processes(f) for f in [*fixtures, test] if f is not None)
    gui = any(name in getattr(item, "fixturenames", ()) for name in GUI_FIXTURES)
    marks = [pytest.mark.server] if server else []
    marks += [pytest.mark.gui] if gui else []
    return marks or [pytest.mark.unit]


def _fixture_functions(item: pytest.Item) -> list[Callable[..., Any]]:
    """The functions of every fixture the test uses, transitively."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    return [d.func for defs in info.name2fixturedefs.values() for d in defs]


def _starts_processes(func: object, seen: set[int] | None = None) -> bool:
    """Whether a test function (or a helper of the tests package it calls by
    name, at any depth) refers to subprocess, Popen or multiprocessing."""
    func = inspect.unwrap(func) if callable(func) else func
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    seen = set() if seen is None else seen
    if id(func) in seen:
        return False
    seen.add(id(func))
    names = _names(code)
    if names & PROCESS_NAMES:
        return True
    scope = getattr(func, "__globals__", {})
    for name in names:
        helper = scope.get(name)
        if (
            inspect.isfunction(helper)
            and helper.__module__.startswith("tests.")
            and _starts_processes(helper, seen)
        ):
            return True
    return False


def _names(code: types.CodeType) -> set[str]:
    """Global and attribute names a code object uses, nested functions included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


# --- waits are hang detectors, not deadlines -------------------------------------

#: pytest-qt's waits (waitUntil, waitSignal, …) end a test that hangs; their
#: timeouts in the tests (5 s by default) are not meant as speed limits, but
#: on a loaded CI machine a healthy wait can outlast them. Every positive
#: timeout is stretched by this factor (PARLOIR_TEST_WAIT_SCALE overrides it),
#: so a test fails only when what it waits for does not happen at all.
WAIT_SCALE = float(os.environ.get("PARLOIR_TEST_WAIT_SCALE", "12"))


def _stretch_qtbot_waits() -> None:
    import functools

    from pytestqt.qtbot import QtBot

    for name in ("waitUntil", "waitSignal", "waitSignals", "waitCallback"):
        original = getattr(QtBot, name)
        if getattr(original, "_parloir_stretched", False):
            continue

        @functools.wraps(original)
        def stretched(*args: object, _original: object = original, **kwargs: object) -> object:
            timeout = kwargs.get("timeout", 5000)
            if isinstance(timeout, int | float) and timeout > 0:
                kwargs["timeout"] = int(timeout * WAIT_SCALE)
            return _original(*args, **kwargs)  # type: ignore[operator]

        stretched._parloir_stretched = True  # type: ignore[attr-defined]
        setattr(QtBot, name, stretched)


_stretch_qtbot_waits()
