"""Languages: every label through tr(), French shipped, the system locale
followed unless Settings say otherwise."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QLocale, QSettings

from console.demo import build_demo
from console.models.db import open_cache
from console.views import i18n
from console.views.main_window import MainWindow
from console.views.tasks import Runner

TS = i18n.TRANSLATIONS / "parloir_fr.ts"


def french(context: str, source: str) -> str:
    for ctx in ET.parse(TS).getroot().iter("context"):
        if ctx.findtext("name") != context:
            continue
        for message in ctx.iter("message"):
            if message.findtext("source") == source:
                return message.findtext("translation") or ""
    raise AssertionError(f"{context}/{source} is not in {TS.name}")


def test_language_follows_the_setting_then_the_system_locale() -> None:
    assert i18n.language_for("fr", QLocale("en_GB")) == "fr"
    assert i18n.language_for("en", QLocale("fr_FR")) == "en"
    assert i18n.language_for("", QLocale("fr_CA")) == "fr"
    assert i18n.language_for(None, QLocale("de_DE")) == "en"  # not shipped: English


def test_every_string_is_translated_to_french() -> None:
    root = ET.parse(TS).getroot()
    missing = [
        f"{ctx.findtext('name')}: {m.findtext('source')}"
        for ctx in root.iter("context")
        for m in ctx.iter("message")
        if not (m.findtext("translation") or "").strip()
        or m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert missing == []


def test_under_a_french_locale_the_window_reads_in_french(qtbot, qapp, tmp_path: Path) -> None:
    subprocess.run(
        [str(Path(sys.executable).with_name("pyside6-lrelease")), "-silent", str(TS),
         "-qm", str(tmp_path / "parloir_fr.qm")],
        check=True,
    )  # fmt: skip
    language = i18n.language_for(None, QLocale("fr_FR"))
    translators = i18n.install(qapp, language, tmp_path)
    assert translators, "the French catalogue did not load"
    path = tmp_path / "cache.sqlite"
    build_demo(path)
    cache = open_cache(path)
    try:
        runner = Runner(cache)
        settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
        window = MainWindow(runner, settings, demo=True)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.ready, timeout=10_000):
            window.show()
        wanted = french("MainWindow", "All open")
        assert wanted and wanted != "All open"
        labels = [window.sidebar.item(r).text() for r in range(window.sidebar.count())]
        assert any(label.startswith(wanted) for label in labels), labels
        assert window.pane.send_button.text() == french("ConversationPane", "Send")
        runner.shutdown()
    finally:
        for t in translators:
            qapp.removeTranslator(t)
        cache.close()
