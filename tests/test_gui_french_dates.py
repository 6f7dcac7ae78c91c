"""Under French every date and time the window writes is French: QLocale's
day and month names ("mer. 09:00", "30 nov."), never strftime's English
("Wed 09:00", "30 Nov"), and the workflow words of the queue's column."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from console.models.db import Cache
from console.services.conversation_view import HistoryView
from console.views import dates, history_lines, i18n, window_keys
from console.views.main_window import MainWindow
from console.views.settings.forms import HoursBox
from tests.helpers.french import in_french
from tests.helpers.window import open_window

ENGLISH = re.compile(
    r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)
FRENCH_DAYS = re.compile(r"\b(lun|mar|mer|jeu|ven|sam|dim)\.")
FRENCH_MONTHS = re.compile(r"\b(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)\b")


@pytest.fixture
def french(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    with in_french(qapp, tmp_path):
        yield


@pytest.fixture
def window(qtbot: Any, french: None, demo_cache: Cache, tmp_path: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, demo_cache, tmp_path, demo=True)
    yield win
    win.close()
    win.runner.shutdown()
    QApplication.processEvents()


def test_the_helpers_write_the_locales_names(french: None) -> None:
    wednesday = datetime(2026, 12, 2, 9, 5).astimezone()
    assert dates.day_time(wednesday) == "mer. 09:05"
    assert dates.date_time(wednesday, wednesday) == "2 déc. 09:05"
    assert dates.date_time(wednesday.replace(year=2025), wednesday) == "2 déc. 2025 09:05"
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    assert dates.day_time(wednesday) == "Wed 09:05"
    assert dates.day_month(wednesday, wednesday) == "2 Dec"


def test_the_window_writes_no_english_day_or_month(qtbot: Any, window: MainWindow) -> None:
    pane = window.pane
    qtbot.waitUntil(lambda: pane.view is not None, timeout=5000)
    thread = pane.browser.toPlainText()
    # the times the thread writes: each message's header and history line
    assert FRENCH_MONTHS.search(thread), thread[:500]
    waiting = window.model.COLUMNS.index("waiting")
    tooltips = [
        str(window.model.index(r, waiting).data(Qt.ItemDataRole.ToolTipRole))
        for r in range(window.model.rowCount())
    ]
    menu = pane.menus.snooze_menu()
    snooze = [a.text() for a in menu.actions() if a.text()]
    assert any(FRENCH_DAYS.search(t) for t in snooze), snooze
    shown = {
        "header": pane.title.text(),
        "thread": _times_only(thread),
        "waiting": "\n".join(tooltips),
        "snooze": "\n".join(snooze),
        "notes": pane.notes.text(),
    }
    english = {k: ENGLISH.findall(v) for k, v in shown.items() if ENGLISH.search(v)}
    assert english == {}


def _times_only(thread: str) -> str:
    """The thread's lines that carry a time (a stranger's text may say "May")."""
    return "\n".join(line for line in thread.splitlines() if re.search(r"\d\d:\d\d", line))


def test_history_and_shortcuts_use_the_windows_words(french: None) -> None:
    def tr(text: str) -> str:
        return QApplication.translate("ConversationPane", text)

    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC).isoformat()
    raised = HistoryView(at=at, actor=None, op="priority", value="high", reason=None)
    status = HistoryView(at=at, actor=None, op="status", value="snoozed", reason=None)
    line = history_lines.history_line(raised, tr, lambda iso: iso)
    assert line == "priorité haute"
    assert history_lines.history_line(status, tr, lambda iso: iso) == "statut reportée"
    sheet = window_keys.shortcuts_html()
    assert "Entrée" in sheet and "Échap" in sheet and "Ctrl+Entrée" in sheet
    assert ">Enter<" not in sheet and ">Esc<" not in sheet


def test_hours_read_as_people_write_them(qtbot: Any, french: None) -> None:
    box = HoursBox()
    qtbot.addWidget(box)
    box.setDecimals(2)
    box.setSuffix(" h")
    box.setValue(1.0)
    assert box.text() == "1 h"
    box.setValue(1.5)
    assert box.text() == "1,5 h"
    box.setValue(0.25)
    assert box.text() == "0,25 h"


def test_the_chosen_language_sets_the_locale_of_dates() -> None:
    before = QLocale()
    try:
        other = "en" if QLocale.system().name().startswith("fr") else "fr"
        i18n.use_locale_of(other)
        assert QLocale().name().split("_")[0] == other
    finally:
        QLocale.setDefault(before)
