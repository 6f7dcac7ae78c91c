"""DESIGN.md's layers: nothing under models/, sync/, services/ imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ("models", "sync", "services")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_qt_import_in_the_core_sources() -> None:
    offenders = []
    files = [p for layer in CORE for p in (ROOT / "console" / layer).rglob("*.py")]
    assert len(files) > 10
    for path in files:
        qt = [n for n in _imports(path) if n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6")]
        if qt:
            offenders.append(f"{path.relative_to(ROOT)}: {', '.join(sorted(qt))}")
    assert offenders == []


def test_sync_never_imports_services() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "console" / "sync").rglob("*.py")
        if any(n.startswith("console.services") for n in _imports(p))
    ]
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt() -> None:
    script = (
        "import importlib, pkgutil, sys\n"
        "import console.models, console.sync, console.services\n"
        "for pkg in (console.models, console.sync, console.services):\n"
        "    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' not in mod.name:\n"
        "            importlib.import_module(mod.name)\n"
        "import console.cli, console.demo\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
