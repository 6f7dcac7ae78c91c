"""Every string the views hand to tr() has a French entry in the catalogue:
pyside6-lupdate lists them from the source, and a string missing from
parloir_fr.ts would show in English in a French window ("Reaches: …").

lupdate names a context by the class that calls tr(); a TrContext part
(Composer, PaneHeader…) translates in its TR_CONTEXT, so it is mapped.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from console.views import i18n

VIEWS = Path(i18n.__file__).resolve().parent
TS = i18n.TRANSLATIONS / "parloir_fr.ts"


def _tr_contexts() -> dict[str, str]:
    """Class name -> the context its tr() uses (TrContext parts)."""
    found: dict[str, str] = {}
    for path in VIEWS.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"class (\w+)\(TrContext\b.*?TR_CONTEXT = \"(\w+)\"", text, re.S):
            found[m.group(1)] = m.group(2)
    return found


def _messages(ts: Path, contexts: dict[str, str] | None = None) -> set[tuple[str, str]]:
    out = set()
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        name = (contexts or {}).get(name, name)
        for message in ctx.iter("message"):
            out.add((name, message.findtext("source") or ""))
    return out


def test_every_tr_string_of_the_views_is_in_the_french_catalogue(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    scanned = tmp_path / "scan.ts"
    sources = sorted(str(p) for p in VIEWS.rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(scanned), "-silent"], check=True)
    used = {(c, s) for c, s in _messages(scanned, _tr_contexts()) if c}
    assert used, "lupdate found no strings"
    missing = sorted(used - _messages(TS))
    assert missing == []
