"""The window in French for a test: Parloir's and Qt's French catalogues
installed and QLocale's default set to fr_FR (dates, numbers), both undone
afterwards so the next test reads English again."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from console.views import i18n

TS = i18n.TRANSLATIONS / "parloir_fr.ts"


@contextmanager
def in_french(app: QApplication, workdir: Path) -> Iterator[None]:
    """Compile the catalogue into ``workdir`` (the .ts as it is now), install it."""
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    qm = workdir / "parloir_fr.qm"
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(qm)], check=True)
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translators = i18n.install(app, "fr", workdir)
    assert len(translators) == 2, "the French catalogues (Parloir's, Qt's) did not load"
    try:
        yield
    finally:
        for t in translators:
            app.removeTranslator(t)
        QLocale.setDefault(before)
