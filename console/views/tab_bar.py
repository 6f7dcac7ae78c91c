"""A tab bar tall enough for accented capitals.

Qt sizes a tab by its font's ascent, and draws the label clipped to it; in
common fonts (DejaVu Sans, Qt's offscreen default) an accented capital
stands above the ascent, so the accent of "Équipe" vanished and the tab
read "Equipe". The tabs here are taller by what the accents need.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QTabBar, QTabWidget

#: Capitals whose accent stands highest (French, and its neighbours).
ACCENTED = "ÉÈÊÀÂÎÔÛÇÅÄÖÜ"


class AccentTabBar(QTabBar):
    def tabSizeHint(self, index: int) -> QSize:
        size = super().tabSizeHint(index)
        metrics = self.fontMetrics()
        above = -metrics.boundingRect(ACCENTED).top() - metrics.ascent()
        size.setHeight(size.height() + 2 * max(0, above) + 2)
        return size


def accent_tabs(tabs: QTabWidget) -> QTabWidget:
    """``tabs`` with an AccentTabBar (call before adding tabs)."""
    tabs.setTabBar(AccentTabBar(tabs))
    return tabs
