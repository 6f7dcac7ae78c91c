"""The Settings dialog on real widgets, a real cache, the real writer and
(for sign-in) the real local servers: the Mastodon API server, the Bluesky
network's PDS, Dovecot and an SMTP server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
import shiboken6
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QTreeWidget, QTreeWidgetItem

from console import credentials
from console.demo import demo_conversation_id
from console.models.db import Cache
from console.models.schema import Setting
from console.services import accounts, saved_replies, settings, signin, team
from console.services.errors import InvalidArgument
from console.sync.mastodon import oauth
from console.views.settings_dialog import SettingsDialog
from console.views.tasks import Runner
from tests.helpers import fake_browser
from tests.helpers.mastodon_server import Mastodon

OK = QDialogButtonBox.StandardButton.Ok
APPLY = QDialogButtonBox.StandardButton.Apply


@pytest.fixture
def open_dialog(qtbot: Any) -> Iterator[Any]:
    """``open_dialog(cache)`` -> a shown SettingsDialog whose tabs have loaded."""
    runners: list[Runner] = []
    dialogs: list[SettingsDialog] = []

    def make(cache: Cache) -> SettingsDialog:
        runner = Runner(cache)
        runners.append(runner)
        dialog = SettingsDialog(runner)  # deletes itself on close, so not qtbot.addWidget
        dialogs.append(dialog)
        with qtbot.waitSignal(dialog.loaded, timeout=10_000):
            dialog.show()
        return dialog

    yield make
    for dialog in dialogs:
        if shiboken6.isValid(dialog):
            dialog.close()
    for runner in runners:
        runner.shutdown()


def _items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [item for item in items if item is not None]


def _texts(tree: QTreeWidget, column: int = 0) -> list[str]:
    return [item.text(column) for item in _items(tree)]


def _select(tree: QTreeWidget, text: str) -> None:
    tree.setCurrentItem(next(item for item in _items(tree) if item.text(0) == text))


def _settings_rows(cache: Cache) -> dict[str, Any]:
    with cache.read() as s:
        return {row.key: row.value for row in s.query(Setting)}


def refused(address: str) -> str:
    """The sentence for refused credentials, whatever the network."""
    host = urlparse(address).netloc if "://" in address else address
    return f"{host} refused the user name, password or token: check them and try again."


def _yes(monkeypatch: pytest.MonkeyPatch, asked: list[str]) -> None:
    def question(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)


# --- workflow and language ---------------------------------------------------


def test_workflow_and_language_round_trip_through_the_settings_table(
    qtbot: Any, cache: Cache, open_dialog: Any
) -> None:
    dialog = open_dialog(cache)
    wf = dialog.workflow
    assert wf.due["direct"].value() == 1.0 and wf.due["email"].value() == 1.0
    assert wf.due["public"].value() == 4.0
    assert (wf.history_days.value(), wf.poll_interval.value()) == (14, 60)
    assert dialog.language.value() == ""

    wf.due["direct"].setValue(2.5)
    wf.due["public"].setValue(3)
    wf.history_days.setValue(30)
    wf.poll_interval.setValue(120)
    dialog.language.combo.setCurrentIndex(dialog.language.combo.findData("fr"))
    dialog.buttons.button(APPLY).click()
    qtbot.waitUntil(lambda: "language" in _settings_rows(cache), timeout=5000)
    rows = _settings_rows(cache)
    assert rows["due_targets"] == {"direct": 9000, "email": 3600, "public": 10800, "comment": 14400}
    assert (rows["history_days"], rows["poll_interval"], rows["language"]) == (30, 120, "fr")

    again = open_dialog(cache)
    assert again.workflow.due["direct"].value() == 2.5
    assert again.workflow.due["email"].value() == 1.0  # still the default
    assert again.workflow.history_days.value() == 30
    assert again.language.combo.currentText() == "Français"


def test_notifications_tab_round_trips_kinds_only_mine_and_quiet_hours(
    qtbot: Any, cache: Cache, open_dialog: Any
) -> None:
    dialog = open_dialog(cache)
    tab = dialog.notifications
    assert dialog.tabs.tabText(dialog.tabs.indexOf(tab)) == "Notifications"
    assert {k: b.isChecked() for k, b in tab.checks.items()} == {
        "notify_assigned": True,
        "notify_inbound": True,
        "notify_mentions": True,
        "notify_due": True,
        "notify_only_mine": False,
    }
    assert (tab.hours["quiet_start"].value(), tab.hours["quiet_end"].value()) == (0, 0)
    tab.checks["notify_inbound"].setChecked(False)
    tab.checks["notify_only_mine"].setChecked(True)
    tab.hours["quiet_start"].setValue(22)
    tab.hours["quiet_end"].setValue(7)
    dialog.buttons.button(APPLY).click()
    qtbot.waitUntil(lambda: "quiet_end" in _settings_rows(cache), timeout=5000)
    assert _settings_rows(cache) == {
        "notify_inbound": "off",
        "notify_only_mine": "on",
        "quiet_start": 22,
        "quiet_end": 7,
    }  # what stayed untouched stays a default
    again = open_dialog(cache).notifications
    assert not again.checks["notify_inbound"].isChecked()
    assert again.checks["notify_assigned"].isChecked()
    assert again.hours["quiet_start"].value() == 22


def test_ok_without_changes_keeps_defaults_unpinned(
    qtbot: Any, cache: Cache, open_dialog: Any
) -> None:
    dialog = open_dialog(cache)
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.buttons.button(OK).click()
    assert _settings_rows(cache) == {}


def test_an_odd_stored_target_survives_untouched(
    qtbot: Any, cache: Cache, open_dialog: Any
) -> None:
    cache.writer.call(lambda tx: settings.put(tx, "due_targets", {"direct": 1000, "email": 60}))
    dialog = open_dialog(cache)
    dialog.workflow.poll_interval.setValue(300)
    dialog.buttons.button(APPLY).click()
    qtbot.waitUntil(lambda: _settings_rows(cache).get("poll_interval") == 300, timeout=5000)
    assert _settings_rows(cache)["due_targets"] == {"direct": 1000, "email": 60}


# --- team ---------------------------------------------------------------------


def _members(cache: Cache) -> dict[str, tuple[str, bool]]:
    with cache.read() as s:
        return {m.name: (m.role, m.is_me) for m in team.list_members(s)}


def test_add_a_member_change_the_role_and_say_who_i_am(
    qtbot: Any, cache: Cache, open_dialog: Any
) -> None:
    dialog = open_dialog(cache)
    tab = dialog.team
    tab.new_name.setText("Ana Lima")
    tab.new_role.setCurrentIndex(tab.new_role.findData("lead"))
    tab.add_button.click()
    qtbot.waitUntil(lambda: "Ana Lima" in _texts(tab.tree), timeout=5000)
    assert _members(cache) == {"Ana Lima": ("lead", False)}
    assert tab.new_name.text() == ""

    _select(tab.tree, "Ana Lima")
    index = tab.role.findData("admin")
    tab.role.setCurrentIndex(index)
    tab.role.activated.emit(index)
    qtbot.waitUntil(lambda: _members(cache)["Ana Lima"] == ("admin", False), timeout=5000)

    tab.me_button.click()
    qtbot.waitUntil(lambda: _members(cache)["Ana Lima"] == ("admin", True), timeout=5000)
    qtbot.waitUntil(lambda: _texts(tab.tree, 2) == ["you"], timeout=5000)
    assert not tab.me_button.isEnabled()

    # The only admin cannot step down: the sentence shows, the combo goes back.
    index = tab.role.findData("agent")
    tab.role.setCurrentIndex(index)
    tab.role.activated.emit(index)
    qtbot.waitUntil(lambda: "only admin" in dialog.message.text(), timeout=5000)
    assert tab.role.currentData() == "admin"
    assert _members(cache)["Ana Lima"] == ("admin", True)


def test_set_role_service_keeps_one_admin(cache: Cache) -> None:
    cache.writer.call(lambda tx: team.add_member(tx, "Solo", "admin"))
    with pytest.raises(InvalidArgument, match="only admin"):
        cache.writer.call(lambda tx: team.set_role(tx, "Solo", "agent"))
    cache.writer.call(lambda tx: team.add_member(tx, "Bea", "admin"))
    cache.writer.call(lambda tx: team.set_role(tx, "Solo", "agent"))
    assert _members(cache) == {"Bea": ("admin", False), "Solo": ("agent", False)}
    with pytest.raises(InvalidArgument, match="Role must be"):
        cache.writer.call(lambda tx: team.set_role(tx, "Bea", "boss"))


# --- saved replies ------------------------------------------------------------


def _replies(cache: Cache) -> dict[str, tuple[str, str]]:
    with cache.read() as s:
        return {r.id: (r.name, r.body) for r in saved_replies.list_replies(s)}


def test_saved_replies_add_edit_delete(
    qtbot: Any, cache: Cache, open_dialog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_dialog(cache)
    tab = dialog.replies
    tab.new_button.click()
    tab.name.setText("Thanks")
    tab.body.setPlainText("Thank you {{contact.first_name}}!")
    tab.save_button.click()
    qtbot.waitUntil(lambda: len(_replies(cache)) == 1, timeout=5000)
    ((reply_id, stored),) = _replies(cache).items()
    assert stored == ("Thanks", "Thank you {{contact.first_name}}!")
    qtbot.waitUntil(lambda: tab.list.count() == 1, timeout=5000)

    # Edit: same row, new name and text.
    tab.list.setCurrentRow(0)
    assert tab.name.text() == "Thanks"
    tab.name.setText("Thank you")
    tab.body.setPlainText("Thanks a lot, {{contact.name}}.")
    tab.save_button.click()
    edited = {reply_id: ("Thank you", "Thanks a lot, {{contact.name}}.")}
    qtbot.waitUntil(lambda: _replies(cache) == edited, timeout=5000)

    # A second reply may not take the first one's name.
    tab.new_button.click()
    tab.name.setText("Thank you")
    tab.body.setPlainText("Other text")
    tab.save_button.click()
    qtbot.waitUntil(lambda: "already exists" in dialog.message.text(), timeout=5000)
    assert len(_replies(cache)) == 1

    # Delete, after a confirmation.
    asked: list[str] = []
    _yes(monkeypatch, asked)
    tab.list.setCurrentRow(0)
    tab.delete_button.click()
    qtbot.waitUntil(lambda: _replies(cache) == {}, timeout=5000)
    assert asked == ["Delete Thank you?"]
    qtbot.waitUntil(lambda: tab.list.count() == 0, timeout=5000)
    assert tab.name.text() == "" and tab.current_id is None


def test_reply_hint_lists_every_field_the_renderer_knows(
    demo_cache: Cache, open_dialog: Any
) -> None:
    dialog = open_dialog(demo_cache)
    with demo_cache.read() as s:
        fields = saved_replies.fields_for(s, demo_conversation_id(demo_cache))
    hint = dialog.replies.hint.text()
    for group, values in fields.items():
        for key in values:
            assert "{{" + f"{group}.{key}" + "}}" in hint


def test_reply_services_refuse_duplicates_and_keep_ids(cache: Cache) -> None:
    first = cache.writer.call(lambda tx: saved_replies.add_reply(tx, "Hi", "Hello").id)
    with pytest.raises(InvalidArgument, match="already exists"):
        cache.writer.call(lambda tx: saved_replies.add_reply(tx, " Hi ", "Again"))
    cache.writer.call(lambda tx: saved_replies.update_reply(tx, first, "Hello", "Hello there"))
    assert _replies(cache) == {first: ("Hello", "Hello there")}
    with pytest.raises(InvalidArgument, match="needs a name"):
        cache.writer.call(lambda tx: saved_replies.update_reply(tx, first, "Hello", "  "))


# --- accounts -----------------------------------------------------------------


def _accounts(cache: Cache) -> dict[str, tuple[str, str]]:
    with cache.read() as s:
        return {a.handle: (a.id, a.status) for a in accounts.list_accounts(s)}


@pytest.mark.keyring
def test_add_bluesky_with_an_app_password(
    qtbot: Any, cache: Cache, open_dialog: Any, bluesky: Any
) -> None:
    tab = open_dialog(cache).accounts
    assert not tab.remove_button.isEnabled() and not tab.reauth_button.isEnabled()
    tab.add_buttons["bluesky"].click()
    sub = tab.signin_dialog
    assert sub is not None and sub.isVisible()
    sub.handle.setText("@" + bluesky.us.handle)
    sub.service.setText(bluesky.pds)
    sub.password.setText("wrong-pass-word")
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: sub.status.text() == refused(bluesky.pds), timeout=20_000)
    assert _accounts(cache) == {}
    sub.password.setText(bluesky.us.app_password)
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: bluesky.us.handle in _texts(tab.tree), timeout=20_000)
    assert _accounts(cache)[bluesky.us.handle][1] == "ok"


@pytest.mark.keyring
def test_add_email_checks_the_login_first(
    qtbot: Any, cache: Cache, open_dialog: Any, mailbox: Any, smtp: Any
) -> None:
    dialog = open_dialog(cache)
    tab = dialog.accounts
    tab.add_buttons["email"].click()
    sub = tab.signin_dialog
    assert sub is not None and sub.isVisible()
    sub.address.setText(mailbox.address)
    assert sub.imap.text() == "imap.example.org:993"  # guessed from the address
    sub.security.setCurrentIndex(sub.security.findData("none"))
    sub.imap.setText(f"{mailbox.host}:{mailbox.port}")
    sub.smtp.setText(f"{smtp.host}:{smtp.port}")
    sub.password.setText("wrong")
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: sub.status.text() == refused(mailbox.host), timeout=10_000)
    assert _accounts(cache) == {}
    sub.password.setText(mailbox.password)
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: mailbox.address in _texts(tab.tree), timeout=10_000)
    account_id, status = _accounts(cache)[mailbox.address]
    assert status == "ok"
    assert credentials.load_secret(credentials.account_key(account_id)) == mailbox.password


@pytest.mark.keyring
def test_remove_an_account_asks_first(
    qtbot: Any, demo_cache: Cache, open_dialog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_dialog(demo_cache)
    tab = dialog.accounts
    handle = _texts(tab.tree)[0]
    assert handle in _accounts(demo_cache)

    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    _select(tab.tree, handle)
    tab.remove_button.click()
    assert handle in _accounts(demo_cache)

    asked: list[str] = []
    _yes(monkeypatch, asked)
    tab.remove_button.click()
    qtbot.waitUntil(lambda: handle not in _accounts(demo_cache), timeout=10_000)
    qtbot.waitUntil(lambda: handle not in _texts(tab.tree), timeout=5000)
    assert handle in asked[0]
    qtbot.waitUntil(lambda: dialog.message.text() == f"Removed {handle}.", timeout=5000)


@pytest.mark.keyring
def test_add_mastodon_with_a_token(
    qtbot: Any, cache: Cache, open_dialog: Any, mastodon: Mastodon
) -> None:
    dialog = open_dialog(cache)
    tab = dialog.accounts
    tab.add_buttons["mastodon"].click()
    sub = tab.signin_dialog
    assert sub is not None and sub.isVisible() and not sub.token.isEnabled()
    sub.server.setText(mastodon.url)
    sub.use_token.setChecked(True)
    assert sub.token.echoMode() == sub.token.EchoMode.Password

    sub.token.setText("not-a-token")
    sub.buttons.button(OK).click()
    assert sub.status.text() == "Signing in…"
    qtbot.waitUntil(lambda: sub.status.text() == refused(mastodon.url), timeout=10_000)
    assert _accounts(cache) == {}
    assert sub.buttons.button(OK).isEnabled()

    sub.token.setText("alice_token")
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: "alice@mock.local" in _texts(tab.tree), timeout=10_000)
    account_id, status = _accounts(cache)["alice@mock.local"]
    assert status == "ok"
    assert credentials.load_secret(credentials.account_key(account_id)) == "alice_token"
    assert dialog.message.text() == "Added alice@mock.local."


@pytest.mark.keyring
def test_without_a_browser_the_dialog_shows_the_address_to_copy(
    qtbot: Any,
    cache: Cache,
    open_dialog: Any,
    mastodon: Mastodon,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []

    def no_browser(url: str) -> bool:
        opened.append(url)
        return False  # what webbrowser.open says when no browser can be started

    monkeypatch.setattr(oauth, "_open_browser", no_browser)
    tab = open_dialog(cache).accounts
    tab.add_buttons["mastodon"].click()
    sub = tab.signin_dialog
    assert sub is not None and not sub.address_row.isVisible()
    sub.server.setText(mastodon.url)
    sub.buttons.button(OK).click()
    qtbot.waitUntil(sub.address_row.isVisible, timeout=10_000)
    url = sub.address.text()
    assert opened == [url] and url.startswith(f"{mastodon.url}/oauth/authorize?")
    assert sub.address.isReadOnly() and "browser window" not in sub.status.text()
    assert sub.status.text().startswith("No browser could be opened.")
    sub.copy_address.click()
    assert QGuiApplication.clipboard().text() == url
    assert sub.copy_address.text() == "Copied"

    # The person opens the address in a browser of their own on this computer.
    callback = fake_browser.approve(url, "alice")
    requests.get(callback, timeout=10).raise_for_status()
    qtbot.waitUntil(lambda: "alice@mock.local" in _texts(tab.tree), timeout=10_000)
    assert _accounts(cache)["alice@mock.local"][1] == "ok"


@pytest.mark.keyring
def test_reauthenticate_needs_the_same_account(
    qtbot: Any, cache: Cache, open_dialog: Any, mastodon: Mastodon
) -> None:
    account = signin.add_account(
        cache, "mastodon", {"server": mastodon.url, "token": "alice_token"}
    )
    cache.writer.call(
        lambda tx: accounts.set_status(tx, account.id, "needs_reauth", "Token revoked.")
    )
    dialog = open_dialog(cache)
    tab = dialog.accounts
    assert _texts(tab.tree, 2) == ["Needs signing in again"]
    _select(tab.tree, "alice@mock.local")
    assert tab.reauth_button.isEnabled()
    tab.reauth_button.click()
    sub = tab.signin_dialog
    assert sub is not None and sub.server.text() == account.server and sub.server.isReadOnly()
    sub.use_token.setChecked(True)

    sub.token.setText("bob_token")
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: "belongs to bob" in sub.status.text(), timeout=10_000)
    sentence = sub.status.text()
    assert sentence.endswith(".") and not re.search(r"[.;:]\s+[A-Z]", sentence)
    assert _accounts(cache)["alice@mock.local"] == (account.id, "needs_reauth")

    sub.token.setText("alice_token")
    sub.buttons.button(OK).click()
    qtbot.waitUntil(
        lambda: _accounts(cache)["alice@mock.local"] == (account.id, "ok"), timeout=10_000
    )
    qtbot.waitUntil(lambda: _texts(tab.tree, 2) == ["Signed in"], timeout=5000)
    assert not tab.reauth_button.isEnabled()
    assert dialog.message.text() == "alice@mock.local is signed in again."


@pytest.mark.keyring
def test_sign_in_again_to_bluesky_with_a_new_app_password(
    qtbot: Any, cache: Cache, open_dialog: Any, bluesky: Any
) -> None:
    us = bluesky.us
    assert us.app_password and us.privileged_app_password
    values = {"handle": us.handle, "app_password": us.app_password, "service": bluesky.pds}
    account = signin.add_account(cache, "bluesky", values)
    key = credentials.account_key(account.id)
    cache.writer.call(
        lambda tx: accounts.set_status(tx, account.id, "needs_reauth", "App password revoked.")
    )
    dialog = open_dialog(cache)
    tab = dialog.accounts
    _select(tab.tree, us.handle)
    assert tab.reauth_button.isEnabled() and tab.reauth_button.text() == "Sign in again…"
    tab.reauth_button.click()
    sub = tab.signin_dialog
    assert sub is not None and sub.isVisible() and sub.windowTitle() == "Sign in again"
    assert (sub.handle.text(), sub.service.text()) == (us.handle, bluesky.pds)
    assert sub.handle.isReadOnly() and sub.service.isReadOnly()

    sub.password.setText("wrong-pass-word")
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: sub.status.text() == refused(bluesky.pds), timeout=20_000)
    assert _accounts(cache) == {us.handle: (account.id, "needs_reauth")}
    assert sub.buttons.button(OK).isEnabled() and sub.password.isEnabled()

    sub.password.setText(us.privileged_app_password)
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: _accounts(cache)[us.handle] == (account.id, "ok"), timeout=20_000)
    assert len(_accounts(cache)) == 1  # the same account, not a second one
    session = json.loads(credentials.load_secret(key) or "{}")
    assert (session["did"], session["appPassword"]) == (us.did, us.privileged_app_password)
    assert session["accessJwt"] and session["refreshJwt"]
    qtbot.waitUntil(lambda: dialog.message.text() == f"{us.handle} is signed in again.")
    qtbot.waitUntil(lambda: _texts(tab.tree, 2) == ["Signed in"], timeout=5000)
    assert not tab.reauth_button.isEnabled()


@pytest.mark.keyring
def test_sign_in_again_to_email_after_the_password_changed(
    qtbot: Any, cache: Cache, open_dialog: Any, mailbox: Any, smtp: Any
) -> None:
    imap, outgoing = f"{mailbox.host}:{mailbox.port}", f"{smtp.host}:{smtp.port}"
    values = {
        "imap": imap,
        "smtp": outgoing,
        "user": mailbox.address,
        "address": mailbox.address,
        "password": mailbox.password,
        "security": "none",
    }
    account = signin.add_account(cache, "email", values)
    key = credentials.account_key(account.id)
    credentials.store_secret(key, "the-old-password")  # what the server no longer takes
    cache.writer.call(
        lambda tx: accounts.set_status(tx, account.id, "needs_reauth", "Login refused.")
    )
    dialog = open_dialog(cache)
    tab = dialog.accounts
    _select(tab.tree, mailbox.address)
    assert tab.reauth_button.isEnabled()
    tab.reauth_button.click()
    sub = tab.signin_dialog
    assert sub is not None and sub.isVisible() and sub.windowTitle() == "Sign in again"
    shown = (sub.address.text(), sub.user.text(), sub.imap.text(), sub.smtp.text())
    assert shown == (mailbox.address, mailbox.address, imap, outgoing)
    assert sub.imap.isReadOnly() and sub.smtp.isReadOnly() and sub.address.isReadOnly()
    assert sub.security.currentData() == "none" and not sub.security.isEnabled()
    assert sub.password.text() == ""

    sub.password.setText("wrong")
    sub.buttons.button(OK).click()
    qtbot.waitUntil(lambda: sub.status.text() == refused(mailbox.host), timeout=10_000)
    assert credentials.load_secret(key) == "the-old-password"
    assert not sub.security.isEnabled()  # still the stored setting after the busy state

    sub.password.setText(mailbox.password)
    sub.buttons.button(OK).click()
    qtbot.waitUntil(
        lambda: _accounts(cache) == {mailbox.address: (account.id, "ok")}, timeout=10_000
    )
    assert credentials.load_secret(key) == mailbox.password
    qtbot.waitUntil(lambda: dialog.message.text() == f"{mailbox.address} is signed in again.")


def test_the_workflow_tab_is_generated_from_the_registry(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.models import settings_registry as registry
    from console.views.settings.forms import WorkflowTab

    silence = registry.SettingSpec(
        "silence_days",
        registry.Type.WHOLE,
        7,
        "Days of silence",
        unit="days",
        minimum=1,
        maximum=90,
        group="sync",
    )
    monkeypatch.setitem(registry.REGISTRY, silence.key, silence)
    tab = WorkflowTab()
    qtbot.addWidget(tab)
    box = tab.whole["silence_days"]
    assert (box.minimum(), box.maximum(), box.suffix()) == (1, 90, " days")
    assert (tab.poll_interval.minimum(), tab.poll_interval.singleStep()) == (15, 15)
    assert tab.history_days.maximum() == registry.HISTORY_DAYS.maximum
    assert list(tab.due) == list(registry.DUE_TARGETS.parts)
    tab.show_values({"due_targets": {}, "history_days": 14, "poll_interval": 60, "silence_days": 7})
    box.setValue(30)
    assert tab.values() == {
        "due_targets": {},
        "history_days": 14,
        "poll_interval": 60,
        "silence_days": 30,
    }
