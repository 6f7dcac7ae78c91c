"""Light, dark, or the desktop's choice ("appearance" in the settings
registry), and the colours the views write by hand, derived from the
palette so they read on either.

Qt 6.8+ asks the platform for a colour scheme (QStyleHints.setColorScheme);
a platform that cannot honour it (the offscreen one of ``--screenshot``,
older desktops) keeps its palette, so Parloir then sets Fusion's light or a
dark palette itself. "System" follows the desktop, also when it changes
while the window is open (QStyleHints.colorSchemeChanged).

``PARLOIR_APPEARANCE`` (system, light, dark) overrides the setting for one
run (a dark ``--screenshot``).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from console.models.settings_registry import APPEARANCE

ENV = "PARLOIR_APPEARANCE"
MODES = APPEARANCE.choices
Role = QPalette.ColorRole


def mode_for(setting: object) -> str:
    """The mode to use: the environment's when valid, else the setting's, else system."""
    forced = os.environ.get(ENV, "").strip().lower()
    if forced in MODES:
        return forced
    return str(setting) if setting in MODES else "system"


def is_dark(palette: QPalette | None = None) -> bool:
    window = (palette or QGuiApplication.palette()).color(Role.Window)
    return window.lightness() < 128


def dark_palette() -> QPalette:
    """A dark palette in Fusion's manner (Qt's own dark Fusion colours)."""
    p = QPalette()
    text, base, window = QColor(240, 240, 240), QColor(36, 36, 36), QColor(50, 50, 50)
    dim = QColor(150, 150, 150)
    for role, colour in (
        (Role.Window, window),
        (Role.WindowText, text),
        (Role.Base, base),
        (Role.AlternateBase, QColor(44, 44, 44)),
        (Role.ToolTipBase, QColor(60, 60, 60)),
        (Role.ToolTipText, text),
        (Role.PlaceholderText, dim),
        (Role.Text, text),
        (Role.Button, window),
        (Role.ButtonText, text),
        (Role.BrightText, QColor(255, 90, 90)),
        (Role.Light, QColor(75, 75, 75)),
        (Role.Midlight, QColor(62, 62, 62)),
        (Role.Mid, QColor(40, 40, 40)),
        (Role.Dark, QColor(25, 25, 25)),
        (Role.Shadow, QColor(0, 0, 0)),
        (Role.Highlight, QColor(42, 110, 200)),
        (Role.HighlightedText, QColor(255, 255, 255)),
        (Role.Link, QColor(110, 170, 255)),
        (Role.LinkVisited, QColor(180, 140, 255)),
    ):
        p.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        p.setColor(disabled, role, QColor(120, 120, 120))
    return p


def apply(app: QApplication, mode: str) -> None:
    """Show ``mode`` now: ask the platform, and fall back to our palette
    when the platform's palette does not follow."""
    hints = app.styleHints()
    if mode == "system":
        hints.unsetColorScheme()
        app.setPalette(QPalette())  # back to the platform's (or the style's) own
        wanted_dark = hints.colorScheme() == Qt.ColorScheme.Dark
    else:
        wanted_dark = mode == "dark"
        hints.setColorScheme(Qt.ColorScheme.Dark if wanted_dark else Qt.ColorScheme.Light)
    if is_dark(app.palette()) != wanted_dark:
        if wanted_dark:
            app.setPalette(dark_palette())
        else:
            app.setPalette(app.style().standardPalette())


class Appearance(QObject):
    """The mode in use; re-applies "system" when the desktop changes its scheme."""

    def __init__(self, app: QApplication, mode: str = "system") -> None:
        super().__init__(app)
        self.app = app
        self.mode = mode
        app.styleHints().colorSchemeChanged.connect(self._desktop_changed)
        apply(app, mode)

    def set_mode(self, mode: str) -> None:
        """The person's choice, now (it wins over PARLOIR_APPEARANCE)."""
        self.mode = mode if mode in MODES else "system"
        apply(self.app, self.mode)

    def _desktop_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.mode == "system":
            apply(self.app, "system")


def current(app: QApplication) -> Appearance:
    """The application's Appearance (made, following the system, when none is)."""
    found = app.findChild(Appearance)
    return found if isinstance(found, Appearance) else Appearance(app)


# --------------------------------------------------------------------------
# colours the views write in HTML and item roles


#: The colour of what is late, damaged or refused (on a light palette).
ALARM = "#c0392b"


def dim() -> str:
    """Secondary text (handles, times, history lines): the palette's placeholder colour."""
    return QGuiApplication.palette().color(Role.PlaceholderText).name()


def readable(colour: str) -> str:
    """A signal colour (alarm red, a kind's mark) that reads on the window:
    as given on a light palette, lighter on a dark one."""
    if not is_dark():
        return colour
    return QColor(colour).lighter(160).name()


def thread_css() -> str:
    """The thread's default style sheet: its markup, built off the GUI
    thread, names classes; the palette's colours are filled in here."""
    return f".dim, .history {{ color: {dim()}; }}"
