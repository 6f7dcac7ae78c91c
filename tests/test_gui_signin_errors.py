"""The sign-in dialogs say why a sign-in failed in the window's language,
and the error line shows the whole sentence (it wraps, and the dialog grows
to hold it) in English and in French."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from console.models.db import Cache
from console.sync.signin_errors import SENTENCES, Failure, SignInFailed
from console.views import i18n
from console.views.settings.signin import SignInDialog, failure_sentence
from console.views.settings.signin_kinds import adding
from tests.helpers.inline_runner import InlineRunner
from tests.helpers.wrong_servers import closed_port

TS = i18n.TRANSLATIONS / "parloir_fr.ts"
OK = QDialogButtonBox.StandardButton.Ok


def french(context: str, source: str) -> str:
    for ctx in ET.parse(TS).getroot().iter("context"):
        if ctx.findtext("name") == context:
            for message in ctx.iter("message"):
                if message.findtext("source") == source:
                    return message.findtext("translation") or ""
    raise AssertionError(f"{context}/{source} is not in {TS.name}")


@pytest.fixture(params=["en", "fr"])
def language(request: pytest.FixtureRequest, qapp: Any) -> Iterator[str]:
    """The window in English, then in French (the compiled catalogue)."""
    translators = i18n.install(qapp, request.param)
    if request.param != "en":
        assert translators, "the French catalogue did not load (pyside6-lrelease)"
    yield request.param
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.fixture
def runner(cache: Cache) -> Iterator[InlineRunner]:
    r = InlineRunner(cache)
    yield r
    r.shutdown()


@pytest.fixture
def parent(qtbot: Any) -> Iterator[QWidget]:
    """The dialogs' parent (the Settings dialog in the app), alive for the test."""
    widget = QWidget()
    qtbot.addWidget(widget)
    yield widget


def dialog(qtbot: Any, network: str, runner: InlineRunner, parent: QWidget) -> SignInDialog:
    shown = adding(network, parent, runner)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_an_unreachable_server_is_said_in_the_windows_language(
    qtbot: Any, runner: InlineRunner, parent: QWidget, language: str
) -> None:
    port = closed_port()
    sub: Any = dialog(qtbot, "email", runner, parent)
    sub.address.setText("alice@example.org")
    sub.security.setCurrentIndex(sub.security.findData("none"))
    sub.imap.setText(f"127.0.0.1:{port}")
    sub.smtp.setText(f"127.0.0.1:{port}")
    sub.password.setText("pw")
    sub.buttons.button(OK).click()  # the inline runner answers before click() returns
    template = SENTENCES[Failure.UNREACHABLE]
    if language == "fr":
        template = french("SignInFailure", template)
        assert template.startswith("Parloir n'a pas pu joindre {host}")
    assert sub.status.text() == template.format(host="127.0.0.1")
    assert "Errno" not in sub.status.text() and "Error" not in sub.status.text()
    assert sub.ok_button.isEnabled()  # the person can fix the address and try again


@pytest.mark.parametrize("network", ["mastodon", "bluesky", "email"])
def test_the_keyring_sentence_is_shown_whole(
    qtbot: Any, runner: InlineRunner, parent: QWidget, language: str, network: str
) -> None:
    sub = dialog(qtbot, network, runner, parent)
    said = failure_sentence(SignInFailed(Failure.NO_KEYRING, "social.example", "Mastodon"))
    if language == "fr":
        assert said == french("SignInFailure", SENTENCES[Failure.NO_KEYRING])
    # At its smallest height there is no slack left for more lines (a
    # person's bigger font, a dialog made smaller): the dialog must grow.
    sub.resize(sub.width(), sub.minimumSizeHint().height())
    sub.say(said)
    layout = sub.layout()
    assert layout is not None
    layout.activate()  # lay the children out now, at the dialog's size
    label = sub.status
    assert label.wordWrap() and label.text() == said
    assert label.fontMetrics().horizontalAdvance(said) > label.width()  # it wraps
    # Every wrapped line shows: the label is as tall as its text needs at
    # its width, and lies inside the dialog.
    assert label.height() >= label.heightForWidth(label.width())
    assert label.geometry().bottom() <= sub.height()
