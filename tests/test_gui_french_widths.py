"""Every dialog and part of the main window, in French, shows each of its
texts whole: no label, button, tab, check box, combo item or column title
narrower than its text (French runs a third longer than English). Fails
with the list of offenders (tests/helpers/fits.py measures)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from console.models.db import Cache
from console.models.schema import OutboxItem
from console.models.writer import Tx
from console.services import drafts, outbox
from console.sync.networks import names
from console.views import window_keys
from console.views.contact_card import LinkContactDialog
from console.views.main_window import MainWindow
from console.views.outbox_dialog import OutboxDialog
from console.views.settings import signin_kinds
from console.views.settings.common import AccountRow
from console.views.settings_dialog import SettingsDialog
from console.views.whole_message import WholeMessageDialog
from tests.helpers import fits
from tests.helpers.french import in_french
from tests.helpers.window import open_window


@pytest.fixture
def window(
    qtbot: Any, qapp: QApplication, demo_cache: Cache, tmp_path: Path
) -> Iterator[MainWindow]:
    with in_french(qapp, tmp_path):
        win = open_window(qtbot, demo_cache, tmp_path, demo=True)
        qtbot.waitUntil(lambda: win.pane.view is not None, timeout=5000)
        yield win
        win.close()
        win.runner.shutdown()
        QApplication.processEvents()


def _queue_reply(cache: Cache, conv_id: str, state: str) -> None:
    """A reply in the outbox in ``state``, as a sync would have left it."""

    def task(tx: Tx) -> None:
        drafts.save_draft(tx, conv_id, "Merci, nous regardons cela.")
        item = tx.session.get(OutboxItem, outbox.enqueue(tx, conv_id).id)
        assert item is not None
        item.state, item.attempts = state, 2
        item.error = "Le serveur a refusé la réponse." if state != "queued" else None
        tx.changes.outbox = True

    cache.writer.call(task)


def _shown(qtbot: Any, widget: QWidget) -> QWidget:
    widget.show()
    qtbot.waitExposed(widget)
    QApplication.processEvents()  # the layouts settle before measuring
    return widget


def test_every_text_fits_in_french(qtbot: Any, window: MainWindow) -> None:
    runner = window.runner
    found: dict[str, list[fits.Offender]] = {}
    QApplication.processEvents()  # the header's new text laid out
    found["main window 1366x768"] = fits.offenders(window)
    for row in range(4):  # a DM, an e-mail with its subject, public replies
        conv_id = window.model.conversation_id(row)
        window.table.selectRow(row)
        qtbot.waitUntil(lambda c=conv_id: window.pane.shown_id == c, timeout=5000)
        QApplication.processEvents()
        found[f"main window, row {row}"] = fits.offenders(window)

    settings = SettingsDialog(runner, window)
    with qtbot.waitSignal(settings.loaded, timeout=10_000):
        settings.show()
    for i in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(i)
        _shown(qtbot, settings)
        found[f"settings, {settings.tabs.tabText(i)}"] = fits.offenders(settings)
    settings.close()

    for network in names():
        dialog = signin_kinds.adding(network, window, runner)
        found[f"sign-in {network}"] = fits.offenders(_shown(qtbot, dialog))
        dialog.close()
        again = signin_kinds.dialog_of(network)
        if again is not None:  # signing a refused account in again
            account = AccountRow(
                "a1", network, "contact@velopain.example", "imap.velopain.example",
                "needs_reauth", "Le serveur a refusé le mot de passe enregistré.",
            )  # fmt: skip
            dialog = again(window, runner, lambda _values, _show: "", account)
            found[f"sign-in again {network}"] = fits.offenders(_shown(qtbot, dialog))
            dialog.close()

    for row, state in enumerate(("failed", "unknown", "queued")):
        conv_id = window.model.conversation_id(row + 1)
        assert conv_id
        _queue_reply(window.runner.cache, conv_id, state)
    box = OutboxDialog(runner, window)
    _shown(qtbot, box)
    qtbot.waitUntil(lambda: box.model.rowCount() >= 3, timeout=5000)
    for row in range(box.model.rowCount()):  # each state shows its own buttons
        box.view.setCurrentIndex(box.model.index(row, 0))
        QApplication.processEvents()
        found[f"outbox, row {row}"] = fits.offenders(box)
    box.close()

    link = LinkContactDialog(runner, set(), window)
    found["link contact"] = fits.offenders(_shown(qtbot, link))
    link.close()

    whole = WholeMessageDialog("Raoul Petit", "Bonjour\n" * 40, window)
    found["whole message"] = fits.offenders(_shown(qtbot, whole))
    whole.close()

    snooze, _edit = window.pane.menus.snooze_dialog()
    found["snooze until"] = fits.offenders(_shown(qtbot, snooze))
    snooze.close()

    sheet = QMessageBox(
        QMessageBox.Icon.Information, "Clavier", window_keys.shortcuts_html(), parent=window
    )
    found["shortcuts"] = fits.offenders(_shown(qtbot, sheet))
    sheet.close()

    offenders = {part: found_ for part, found_ in found.items() if found_}
    assert not offenders, fits.report(offenders)
    for widget in (settings, box, link, whole):
        if shiboken6.isValid(widget):
            widget.deleteLater()
