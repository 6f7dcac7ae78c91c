"""Translations: the marker for strings translated later, and loading the
catalogues at start.

``QT_TRANSLATE_NOOP(context, text)`` marks a constant for pyside6-lupdate
(which finds it by name) and returns it unchanged; ``self.tr(text)`` in the
class named ``context`` translates it at run time. PySide6's own marker is
typed as returning ``object``; this one returns ``str``.

Catalogues: resources/translations/parloir_<lang>.ts in the repository,
compiled to .qm by scripts/run and scripts/test (pyside6-lrelease). The
language is the setting "language" when set, else the system locale.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from console.models.settings_registry import LANGUAGE

log = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
SHIPPED = tuple(c for c in LANGUAGE.choices if c)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    del context
    return text


class TrContext:
    """Mixed into a widget that is one part of a larger one: its strings
    translate in the larger one's context (``TR_CONTEXT``), so splitting a
    widget into parts leaves the catalogue and its translations as they are."""

    TR_CONTEXT = ""

    def tr(self, sourceText: str, /, disambiguation: str | None = None, n: int = -1) -> str:
        return QCoreApplication.translate(self.TR_CONTEXT, sourceText, disambiguation, n)


def language_for(setting: str | None, system: QLocale | None = None) -> str:
    """ "fr" / "en": the setting when it names a shipped language, else the
    system locale's language when shipped, else English."""
    if setting in SHIPPED:
        return str(setting)
    name = (system or QLocale.system()).name().split("_")[0]
    return name if name in SHIPPED else "en"


def use_locale_of(language: str) -> None:
    """Dates and numbers in the window's language: a French window on an
    English desktop writes "mer. 09:00", not "Wed 09:00" (the system's
    locale stays when it already speaks the language, keeping its country)."""
    if QLocale.system().name().split("_")[0] != language:
        QLocale.setDefault(QLocale(language))


def install(app: QApplication, language: str, directory: Path = TRANSLATIONS) -> list[QTranslator]:
    """Load Parloir's and Qt's own catalogues for ``language`` into ``app``.
    Returns the translators (keep them alive). English needs none."""
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    ours = QTranslator(app)
    if ours.load(str(directory / f"parloir_{language}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("no compiled translation for %s (run scripts/run to build it)", language)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
