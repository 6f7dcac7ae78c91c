"""The sign-in dialogs' pure parts: which failures are the person's to fix
(a Refusal shown in the dialog), the sentence for the others, and which
accounts the Settings dialog can sign in again."""

from __future__ import annotations

import pytest

from console.credentials import KeyringUnavailable
from console.services.errors import InvalidArgument
from console.sync.base import AuthError, TransientError
from console.sync.networks import NETWORKS
from console.views.settings.common import AccountRow
from console.views.settings.signin import Refusal, attempt, sentence
from console.views.settings.signin_kinds import SIGN_IN, can_sign_in_again, dialog_of


def _raise(exc: Exception) -> str:
    raise exc


@pytest.mark.parametrize(
    "exc",
    [
        AuthError("https://social.example refused the token; create a new one and try again."),
        TransientError("Cannot reach imap.example.org: ConnectionRefusedError."),
        InvalidArgument("That token belongs to bob@mock.local, not to alice@mock.local."),
        KeyringUnavailable("Unlock the keyring."),
        ValueError("'https://' is not a server address."),
    ],
)
def test_a_refusal_comes_back_as_a_value_in_its_own_words(exc: Exception) -> None:
    assert attempt(lambda: _raise(exc)) == Refusal(str(exc))
    assert sentence(exc) == str(exc)


def test_a_result_passes_through_and_a_bug_still_raises() -> None:
    assert attempt(lambda: "alice@mock.local") == "alice@mock.local"
    with pytest.raises(RuntimeError):
        attempt(lambda: _raise(RuntimeError("boom")))
    assert sentence(RuntimeError("boom")) == "Something went wrong: boom"


def _row(network: str, status: str) -> AccountRow:
    return AccountRow("id", network, "us@example.org", "https://example.org", status, None)


def test_only_a_refused_account_of_a_known_network_signs_in_again() -> None:
    assert can_sign_in_again(_row("mastodon", "needs_reauth"))
    assert can_sign_in_again(_row("mastodon", "error"))
    assert can_sign_in_again(_row("bluesky", "needs_reauth"))  # a revoked app password
    assert can_sign_in_again(_row("email", "needs_reauth"))  # a changed password
    assert not can_sign_in_again(_row("mastodon", "ok"))
    assert not can_sign_in_again(_row("pigeon", "needs_reauth"))  # no dialog for it
    # Each known network's kind of sign-in has its dialogs (NetworkSpec.reauth).
    assert {s.name for s in NETWORKS if dialog_of(s.name) is not None} == {
        "mastodon",
        "bluesky",
        "email",
    }
    assert set(SIGN_IN) == {s.reauth for s in NETWORKS}
