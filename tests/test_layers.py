"""The core knows no Qt: console/models, console/sync and console/services import
no PySide6, so `parloir sync` and the tests run headless (DESIGN.md, "Layers")."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = ("models", "sync", "services")
QT_ROOTS = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2"}


def core_files() -> list[Path]:
    return sorted(p for layer in CORE for p in (REPO / "console" / layer).rglob("*.py"))


def qt_imports(path: Path, root: Path = REPO) -> list[str]:
    """Every Qt import in the file, at any depth (functions, try blocks, classes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]  # importlib.import_module("PySide6...")
        else:
            continue
        found += [f"{path.relative_to(root)}:{node.lineno}: {n}" for n in names if _is_qt(n)]
    return found


def _is_qt(module: str) -> bool:
    return module.split(".")[0] in QT_ROOTS


def test_core_layers_exist() -> None:
    assert len(core_files()) >= len(CORE), "the scan found nothing: did the layout move?"


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_qt_import_in_core_source(path: Path) -> None:
    assert qt_imports(path) == []


def test_the_scan_sees_nested_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def later():\n"
        "    try:\n"
        "        from PySide6.QtCore import QObject\n"
        "    except ImportError:\n"
        "        import PySide6.QtGui as g\n"
        "import importlib\n"
        "importlib.import_module('PySide6.QtWidgets')\n"
        "from .PySide6 import nothing\n"  # relative: a local module, not Qt
    )
    found = [line.split(": ", 1)[1] for line in qt_imports(sample, tmp_path)]
    assert sorted(found) == ["PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"]


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
            continue  # Alembic's script, runs only inside alembic (the AST scan covers it)
        try:
            importlib.import_module(info.name)
        except ImportError as exc:
            failed[info.name] = repr(exc)
qt = sorted(m for m in sys.modules if m.split(".")[0] in qt_roots)
core = sorted(m for m in sys.modules if m.split(".")[:2] in [["console", x] for x in LAYERS])
print(json.dumps({"qt": qt, "core": core, "failed": failed}))
"""


def test_importing_every_core_module_loads_no_qt() -> None:
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


def test_sync_never_imports_services() -> None:
    """DESIGN.md: services may call sync, never the other way round."""
    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in (root / "console" / "sync").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.startswith("console.services") for n in names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
