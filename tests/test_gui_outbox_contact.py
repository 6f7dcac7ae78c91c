"""The outbox window, its status-bar button and the contact card, on the demo
workspace with the real writer and real background reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import select

from console.demo import demo_conversation_id
from console.models.db import Cache
from console.models.schema import Contact, OutboxItem
from console.models.writer import Tx
from console.services import drafts, outbox, people
from console.views.contact_card import ContactCard
from console.views.outbox_dialog import OutboxDialog, OutboxStatus
from console.views.tasks import Runner
from tests.helpers.inline_runner import InlineRunner

MAIL_THREAD = "<ben-wholesale@northcycles.example>"


@pytest.fixture
def widgets() -> Iterator[list[QWidget]]:
    """Strong references to the widgets under test, dropped on the GUI thread
    after the runner is done. pytest-qt keeps only weak ones, so otherwise the
    last reference to a parentless widget could be the callback of a read
    that a pool thread releases, and the widget would be destroyed there."""
    held: list[QWidget] = []
    yield held
    for widget in held:
        widget.close()
    held.clear()
    QApplication.processEvents()


@pytest.fixture
def runner(qtbot: Any, demo_cache: Cache, widgets: list[QWidget]) -> Iterator[Runner]:
    runner = InlineRunner(demo_cache)
    yield runner
    # Let late answers land while the widgets still exist.
    runner.shutdown()
    QApplication.processEvents()


def queue_reply(cache: Cache, conv_id: str, body: str) -> str:
    def task(tx: Tx) -> str:
        drafts.save_draft(tx, conv_id, body)
        return outbox.enqueue(tx, conv_id).id

    return cache.writer.call(task)


def set_state(cache: Cache, item_id: str, state: str, error: str | None = None) -> None:
    def task(tx: Tx) -> None:
        item = tx.session.get(OutboxItem, item_id)
        assert item is not None
        item.state = state
        item.error = error
        item.attempts = 1
        tx.changes.outbox = True

    cache.writer.call(task)


def state_of(cache: Cache, item_id: str) -> str | None:
    with cache.read() as s:
        item = s.get(OutboxItem, item_id)
        return item.state if item else None


def my_draft(cache: Cache, conv_id: str) -> tuple[str, str] | None:
    with cache.read() as s:
        draft = drafts.my_draft(s, conv_id)
        return (draft.body, draft.state) if draft else None


def contact_id(cache: Cache, handle: str) -> str:
    with cache.read() as s:
        return s.scalars(select(Contact.id).where(Contact.handle == handle)).one()


def dialog_for(qtbot: Any, runner: Runner, widgets: list[QWidget]) -> OutboxDialog:
    dialog = OutboxDialog(runner)
    qtbot.addWidget(dialog)
    widgets.append(dialog)
    dialog.show()
    return dialog


class Asked:
    """Stands in for QMessageBox.question: records the text, gives an answer."""

    def __init__(self, answer: QMessageBox.StandardButton) -> None:
        self.answer = answer
        self.texts: list[str] = []

    def __call__(self, _parent: Any, _title: str, text: str, *_args: Any) -> Any:
        self.texts.append(text)
        return self.answer


# -- the outbox window ------------------------------------------------------------


def test_the_dialog_lists_a_queued_item_as_it_arrives(
    qtbot, qtmodeltester, runner, widgets, demo_cache
) -> None:
    dialog = dialog_for(qtbot, runner, widgets)
    qtbot.waitUntil(lambda: not dialog._loading, timeout=5000)
    assert dialog.model.rowCount() == 0
    assert not dialog.empty_label.isHidden()

    conv_id = demo_conversation_id(demo_cache)
    item_id = queue_reply(demo_cache, conv_id, "Bonjour Noor,\nvotre vélo arrive jeudi.")
    qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)  # live, via runner.changed
    assert dialog.selected_id() == item_id
    assert dialog.cell(item_id, 0) == "Waiting to send"
    to = dialog.cell(item_id, 1)
    assert "Noor Haddad" in to and "velopain@social.example" in to
    assert dialog.cell(item_id, 2) == "Bonjour Noor,"  # the first line only
    assert dialog.cell(item_id, 3) == "0"
    assert dialog.empty_label.isHidden()
    qtmodeltester.check(dialog.model)
    # Queued: it can be edited or cancelled, not retried.
    assert not dialog.retry_button.isEnabled()
    assert dialog.edit_button.isEnabled() and dialog.cancel_button.isEnabled()


def test_a_failed_item_can_be_retried(qtbot, runner, widgets, demo_cache) -> None:
    conv_id = demo_conversation_id(demo_cache)
    item_id = queue_reply(demo_cache, conv_id, "Une réponse refusée")
    set_state(demo_cache, item_id, "failed", "The server refused the reply: too long.")
    dialog = dialog_for(qtbot, runner, widgets)
    qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)
    assert dialog.cell(item_id, 0) == "Failed"
    assert "too long" in dialog.detail.text()
    assert dialog.retry_button.isEnabled()

    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(demo_cache, item_id) == "queued", timeout=5000)
    qtbot.waitUntil(
        lambda: dialog.cell(item_id, 0) == "Waiting to send",
        timeout=5000,
    )


def test_edit_puts_the_reply_back_into_the_draft_and_opens_it(
    qtbot, runner, widgets, demo_cache
) -> None:
    conv_id = demo_conversation_id(demo_cache)
    body = "Bonjour Noor, votre vélo part aujourd'hui."
    item_id = queue_reply(demo_cache, conv_id, body)
    set_state(demo_cache, item_id, "failed", "Rejected.")
    dialog = dialog_for(qtbot, runner, widgets)
    qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)

    with qtbot.waitSignal(dialog.open_conversation, timeout=5000) as opened:
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    assert opened.args == [conv_id]
    assert my_draft(demo_cache, conv_id) == (body, "editing")
    assert state_of(demo_cache, item_id) is None  # cancelled: it will not be sent
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)


def test_edit_keeps_words_written_since_the_reply_was_queued(demo_cache) -> None:
    conv_id = demo_conversation_id(demo_cache)
    item_id = queue_reply(demo_cache, conv_id, "First reply.")
    demo_cache.writer.call(lambda tx: drafts.save_draft(tx, conv_id, "A follow-up."))
    returned = demo_cache.writer.call(lambda tx: outbox.edit(tx, item_id))
    assert returned == conv_id
    assert my_draft(demo_cache, conv_id) == ("First reply.\n\nA follow-up.", "editing")


def test_a_held_reply_is_shown_held_and_can_be_edited(qtbot, runner, widgets, demo_cache) -> None:
    conv_id = demo_conversation_id(demo_cache)
    item_id = queue_reply(demo_cache, conv_id, "Bonjour à tous les cinq.")
    set_state(demo_cache, item_id, "held", "This reply would reach 5 people.")
    dialog = dialog_for(qtbot, runner, widgets)
    qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)
    assert dialog.cell(item_id, 0) == "Held: to confirm"
    assert dialog.cancel_button.isEnabled() and dialog.edit_button.isEnabled()
    assert not dialog.retry_button.isEnabled()
    with qtbot.waitSignal(dialog.open_conversation, timeout=5000):
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    assert my_draft(demo_cache, conv_id) == ("Bonjour à tous les cinq.", "editing")
    assert state_of(demo_cache, item_id) is None


def test_cancel_asks_then_drops_the_item(qtbot, runner, widgets, demo_cache, monkeypatch) -> None:
    conv_id = demo_conversation_id(demo_cache)
    item_id = queue_reply(demo_cache, conv_id, "Pas encore parti")
    dialog = dialog_for(qtbot, runner, widgets)
    qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)

    no = Asked(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", no)
    dialog.cancel()
    assert len(no.texts) == 1 and "Pas encore parti" in no.texts[0]
    qtbot.wait(200)
    assert state_of(demo_cache, item_id) == "queued"

    yes = Asked(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", yes)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(demo_cache, item_id) is None, timeout=5000)
    assert yes.texts
    assert my_draft(demo_cache, conv_id) == ("Pas encore parti", "editing")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)


def test_an_unknown_email_asks_before_sending_again(
    qtbot, runner, widgets, demo_cache, monkeypatch
) -> None:
    conv_id = demo_conversation_id(demo_cache, MAIL_THREAD)
    item_id = queue_reply(demo_cache, conv_id, "Hi Ben,\nMarch and April works for us.")
    set_state(demo_cache, item_id, "unknown", "The connection dropped after sending.")
    dialog = dialog_for(qtbot, runner, widgets)
    qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)
    assert dialog.cell(item_id, 0) == "Not sure it went out"

    no = Asked(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", no)
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert len(no.texts) == 1
    assert "This e-mail may already have been sent. Send it again?" in no.texts[0]
    assert "March and April works for us." in no.texts[0]
    qtbot.wait(200)
    assert state_of(demo_cache, item_id) == "unknown"

    yes = Asked(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", yes)
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(demo_cache, item_id) == "queued", timeout=5000)


def test_an_unknown_mastodon_reply_retries_without_asking(
    qtbot, runner, widgets, demo_cache, monkeypatch
) -> None:
    # Its Idempotency-Key makes a resend safe; the sender looks it up first.
    conv_id = demo_conversation_id(demo_cache)
    item_id = queue_reply(demo_cache, conv_id, "Réponse incertaine")
    set_state(demo_cache, item_id, "unknown", "Timed out.")
    dialog = dialog_for(qtbot, runner, widgets)
    qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)
    asked = Asked(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", asked)
    dialog.retry()
    qtbot.waitUntil(lambda: state_of(demo_cache, item_id) == "queued", timeout=5000)
    assert asked.texts == []


def test_hide_sent_and_double_click(qtbot, runner, widgets, demo_cache) -> None:
    conv_id = demo_conversation_id(demo_cache)
    item_id = queue_reply(demo_cache, conv_id, "Déjà parti")
    set_state(demo_cache, item_id, "sent")
    dialog = dialog_for(qtbot, runner, widgets)
    qtbot.waitUntil(lambda: not dialog._loading, timeout=5000)
    assert dialog.model.rowCount() == 0  # "Hide sent" is on by default
    dialog.hide_sent.setChecked(False)
    qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)
    assert dialog.cell(item_id, 0) == "Sent"
    assert not (dialog.retry_button.isEnabled() or dialog.cancel_button.isEnabled())
    with qtbot.waitSignal(dialog.open_conversation, timeout=2000) as opened:
        dialog.view.doubleClicked.emit(dialog.model.index(dialog.model.row_of(item_id), 2))
    assert opened.args == [conv_id]


# -- the status-bar button --------------------------------------------------------------


# The offscreen platform cannot raise a window (a real desktop can).
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_outbox_status_follows_the_items(qtbot, runner, widgets, demo_cache) -> None:
    status = OutboxStatus(runner)
    qtbot.addWidget(status)
    widgets.append(status)
    qtbot.waitUntil(lambda: not status._loading, timeout=5000)
    assert status.text() == "Outbox empty"
    assert status.icon().isNull()

    conv_id = demo_conversation_id(demo_cache)
    item_id = queue_reply(demo_cache, conv_id, "Une réponse")
    qtbot.waitUntil(lambda: status.text() == "Outbox: 1 waiting", timeout=5000)
    assert status.icon().isNull()

    set_state(demo_cache, item_id, "failed", "Rejected.")
    qtbot.waitUntil(lambda: "failed" in status.text(), timeout=5000)
    assert status.text() == "Outbox: 1 failed"
    assert not status.icon().isNull()  # the warning icon

    qtbot.mouseClick(status, Qt.MouseButton.LeftButton)
    dialog = status.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert status.show_dialog() is dialog  # one instance
    with qtbot.waitSignal(status.open_conversation, timeout=5000) as opened:
        qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)
        dialog.edit()
    assert opened.args == [conv_id]
    qtbot.waitUntil(lambda: status.text() == "Outbox empty", timeout=5000)
    dialog.close()


# -- the contact card -------------------------------------------------------------------


def test_contact_card_shows_the_person_across_networks_and_unlinks(
    qtbot, runner, widgets, demo_cache
) -> None:
    masto = contact_id(demo_cache, "noor@piaille.example")
    mail = contact_id(demo_cache, "noor.haddad@mail.example")
    focus = demo_conversation_id(demo_cache)
    by_mail = demo_conversation_id(demo_cache, "<4821-suivi@mail.example>")

    card = ContactCard(runner)
    qtbot.addWidget(card)
    widgets.append(card)
    card.resize(280, 500)
    card.show()
    assert not card.empty_label.isHidden()
    card.show_contact(masto)
    qtbot.waitUntil(lambda: card.name_label.text() == "Noor Haddad", timeout=5000)
    assert card.handle_label.text() == "noor@piaille.example"
    assert set(card.conversation_ids()) == {focus, by_mail}
    assert card.linked.count() == 1
    assert "noor.haddad@mail.example" in card.linked.item(0).text()
    assert card.history_title.text() == "Conversations (2)"

    with qtbot.waitSignal(card.open_conversation, timeout=2000) as opened:
        row = card.conversation_ids().index(by_mail)
        card.history.itemDoubleClicked.emit(card.history.item(row))
    assert opened.args == [by_mail]

    assert card.selected_linked_id() == mail
    qtbot.mouseClick(card.unlink_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.conversation_ids() == [focus], timeout=5000)
    assert card.linked.isHidden()
    with demo_cache.read() as s:
        assert s.get(Contact, mail).person_id is None

    card.show_contact(None)
    assert card.conversation_ids() == [] and not card.empty_label.isHidden()


def test_link_contact_dialog_links_a_found_contact(qtbot, runner, widgets, demo_cache) -> None:
    jules = contact_id(demo_cache, "jules@mastodon.example")
    priya = contact_id(demo_cache, "priya.bsky.social")
    card = ContactCard(runner)
    qtbot.addWidget(card)
    widgets.append(card)
    card.show()
    card.show_contact(jules)
    qtbot.waitUntil(lambda: card.name_label.text() == "Jules Moreau", timeout=5000)
    assert len(card.conversation_ids()) == 1 and card.linked.isHidden()

    qtbot.mouseClick(card.link_button, Qt.MouseButton.LeftButton)
    dialog = card.link_dialog
    assert dialog is not None
    # By keyboard: type, Down/Up choose while the field keeps the keys, Enter links.
    qtbot.keyClicks(dialog.search, "noor")
    qtbot.waitUntil(lambda: dialog.results.count() == 2, timeout=5000)
    assert dialog.results.currentRow() == 0 and dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.results.currentRow() == 1
    qtbot.keyClick(dialog.search, Qt.Key.Key_Up)
    assert dialog.results.currentRow() == 0
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "PRIYA")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=5000)
    assert dialog.chosen_id() == priya and dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(card.conversation_ids()) == 2, timeout=5000)
    assert card.linked.count() == 1 and card.selected_linked_id() == priya


def test_search_contacts_matches_names_handles_and_emails_literally(demo_cache) -> None:
    with demo_cache.read() as s:
        names = {c.handle for c in people.search_contacts(s, "noor")}
        assert names == {"noor@piaille.example", "noor.haddad@mail.example"}
        assert [c.name for c in people.search_contacts(s, "@laposte")] == ["Inès Lefèvre"]
        assert people.search_contacts(s, "%") == []  # wildcards are plain text
        assert people.search_contacts(s, "_") == []
        assert people.search_contacts(s, "   ") == []
        assert len(people.search_contacts(s, "example", limit=3)) == 3


def test_the_outbox_reads_in_french(qtbot, qapp, runner, widgets, demo_cache, tmp_path) -> None:
    # The model's words belong to the dialog's translation context.
    import subprocess
    import sys

    from console.views import i18n

    qm = tmp_path / "parloir_fr.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    ts = i18n.TRANSLATIONS / "parloir_fr.ts"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
    translators = i18n.install(qapp, "fr", tmp_path)
    try:
        item_id = queue_reply(demo_cache, demo_conversation_id(demo_cache), "Bonjour")
        dialog = dialog_for(qtbot, runner, widgets)
        qtbot.waitUntil(lambda: dialog.select(item_id), timeout=5000)
        assert dialog.cell(item_id, 0) == "En attente d'envoi"
        assert dialog.model.headerData(0, Qt.Orientation.Horizontal) == "État"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
