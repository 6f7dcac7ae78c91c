"""The speed markers' rule (tests/conftest.py): a test that starts a child
process, itself or through a helper of the tests package, is ``server``.

The samples are compiled from text, so these tests themselves stay ``unit``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import _starts_processes

SAMPLES = """
import subprocess, sys

def spawns():
    subprocess.run([sys.executable, "-c", "pass"], check=True)

def calls_a_spawner():
    spawns()

def via_helper():
    calls_a_spawner()

def nested():
    def later():
        subprocess.Popen(["true"])
    later()

def plain():
    assert sorted([2, 1]) == [1, 2]

def recursive(n=2):
    return 0 if n == 0 else recursive(n - 1)
"""


def sample(name: str) -> Callable[..., Any]:
    scope: dict[str, Any] = {"__name__": "tests.samples"}
    exec(compile(SAMPLES, "samples.py", "exec"), scope)
    return scope[name]


def test_a_direct_subprocess_call_counts() -> None:
    assert _starts_processes(sample("spawns"))


def test_a_helper_that_spawns_counts_at_any_depth() -> None:
    assert _starts_processes(sample("via_helper"))


def test_a_spawn_inside_a_nested_function_counts() -> None:
    assert _starts_processes(sample("nested"))


def test_plain_code_is_not_a_server_test() -> None:
    assert not _starts_processes(sample("plain"))
    assert not _starts_processes(None)


def test_recursion_ends() -> None:
    assert not _starts_processes(sample("recursive"))


def test_qtbot_waits_are_stretched_hang_detectors(qtbot) -> None:
    """A 5 s wait in a test becomes WAIT_SCALE times longer (conftest): a
    loaded machine may be slow; only a wait that never ends fails."""
    import pytest
    from pytestqt.exceptions import TimeoutError as QtTimeout

    from tests.conftest import WAIT_SCALE

    assert WAIT_SCALE >= 1
    qtbot.waitUntil(lambda: True, timeout=1)
    with pytest.raises(QtTimeout, match=f"in {int(2 * WAIT_SCALE)} milliseconds"):
        qtbot.waitUntil(lambda: False, timeout=2)
