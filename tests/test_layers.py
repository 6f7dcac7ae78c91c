"""The layer order holds (DESIGN.md, "Layers"; docs/decisions.md).

The static rules — each layer imports only the layers below it, and the core
(models, sync, services and their helpers) imports no Qt, so `parloir sync`
and the core tests run headless — are import-linter contracts in
pyproject.toml ([tool.importlinter]); scripts/test runs `lint-imports` and so
does this file. What a static import graph cannot see stays here: imports
spelled as strings (importlib.import_module) and what importing every core
module really loads, third-party packages included.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = ("models", "sync", "services")
QT_ROOTS = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2"}

# lint-imports puts its working directory first on sys.path, so it reads the
# console package of the tree it runs in (not the one the venv was installed from).
LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
)


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_contracts_hold() -> None:
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_contracts_catch_an_upward_import_and_qt_in_the_core(tmp_path: Path) -> None:
    """The contracts are not vacuous: a copy of the tree with a model importing
    sync, paths importing Qt and an undeclared top-level module fails all three."""
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        REPO / "console", tmp_path / "console", ignore=shutil.ignore_patterns("__pycache__")
    )
    with (tmp_path / "console" / "models" / "types.py").open("a") as f:
        f.write("\nfrom console.sync import base as _upward  # noqa\n")
    with (tmp_path / "console" / "paths.py").open("a") as f:
        f.write("\nimport PySide6  # noqa\n")
    (tmp_path / "console" / "stray.py").write_text('"""Placed in no layer."""\n')
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "console.models.types -> console.sync.base" in done.stdout
    assert "console.paths -> PySide6" in done.stdout
    assert "console.stray" in done.stdout


def core_files() -> list[Path]:
    return sorted(p for layer in CORE for p in (REPO / "console" / layer).rglob("*.py"))


def dynamic_qt_imports(path: Path, root: Path = REPO) -> list[str]:
    """Qt modules imported by name as a string (importlib.import_module,
    __import__): invisible to import-linter's static graph."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value.split(".")[0] in QT_ROOTS
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {node.args[0].value}")
    return found


def test_core_layers_exist() -> None:
    assert len(core_files()) >= len(CORE), "the scan found nothing: did the layout move?"


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_qt_imported_by_name_in_core_source(path: Path) -> None:
    assert dynamic_qt_imports(path) == []


def test_the_scan_sees_imports_by_name(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import importlib\n"
        "def later():\n"
        "    importlib.import_module('PySide6.QtWidgets')\n"
        "    __import__('shiboken6')\n"
        "    importlib.import_module('json')\n"
    )
    found = [line.split(": ", 1)[1] for line in dynamic_qt_imports(sample, tmp_path)]
    assert sorted(found) == ["PySide6.QtWidgets", "shiboken6"]


IMPORT_ALL = """
import importlib, json, pkgutil, sys
import console.models, console.sync, console.services
qt_roots = set(json.loads(sys.argv[1]))
LAYERS = ("models", "sync", "services")
failed = {}
def note(name):
    failed[name] = repr(sys.exc_info()[1])
for package in (console.models, console.sync, console.services):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".", onerror=note):
        if info.name.endswith(".migrations.env"):
            continue  # Alembic's script, runs only inside alembic (the contracts cover it)
        try:
            importlib.import_module(info.name)
        except ImportError as exc:
            failed[info.name] = repr(exc)
qt = sorted(m for m in sys.modules if m.split(".")[0] in qt_roots)
core = sorted(m for m in sys.modules if m.split(".")[:2] in [["console", x] for x in LAYERS])
print(json.dumps({"qt": qt, "core": core, "failed": failed}))
"""


def test_importing_every_core_module_loads_no_qt() -> None:
    """At run time, third-party packages included (a keyring backend or a
    library that pulls Qt in would pass the static contracts)."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, json.dumps(sorted(QT_ROOTS))],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["qt"] == [], f"Qt was imported by the core: {result['qt']}"
    assert len(result["core"]) >= len(CORE)
    # A module that cannot import is reported, so a broken import cannot hide a Qt one.
    assert result["failed"] == {}
