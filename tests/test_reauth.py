"""Signing an account in again (services.reauth) without a server: the
same-account rule and a network that cannot sign in again. The real
sign-ins are in test_gui_settings.py, against the real servers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from console.models.db import Cache
from console.services import reauth
from console.services.errors import InvalidArgument
from tests.helpers.factories import add_account


def _known(remote_id: str | None) -> reauth.Known:
    return reauth.Known("bluesky", "us.example", "https://pds.example", remote_id, {})


def test_a_secret_of_another_remote_account_is_refused() -> None:
    ours = reauth.SignedIn("did:plc:us", "us.example", "{}", "app password")
    theirs = reauth.SignedIn("did:plc:them", "them.example", "{}", "app password")
    reauth.check_same(_known("did:plc:us"), ours)
    reauth.check_same(_known(None), theirs)  # nothing known yet: the first sign-in decides
    reauth.check_same(_known("did:plc:us"), reauth.SignedIn(None, "us.example", "pw"))
    with pytest.raises(InvalidArgument) as refused:
        reauth.check_same(_known("did:plc:us"), theirs)
    assert str(refused.value) == (
        "That app password belongs to them.example, not to us.example; sign in as us.example."
    )


def test_a_network_without_a_check_is_refused_before_any_change(cache: Cache) -> None:
    account_id = add_account(cache, "pigeon", "us@loft.example")
    with pytest.raises(InvalidArgument, match="pigeon accounts arrives in a later version"):
        reauth.sign_in_again(cache.writer, account_id, {"password": "coo"})
    assert reauth.known(cache.writer, account_id).network == "pigeon"


def test_a_new_network_brings_its_own_check(cache: Cache) -> None:
    """The check is the spec's: a network registered only here signs in again."""
    from dataclasses import replace

    from console import credentials
    from console.sync.netspec import Known, SignedIn, SignInIO
    from console.sync.networks import EMAIL, registered

    seen: list[tuple[Known, str]] = []

    def check(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
        seen.append((account, str(values["password"])))
        return SignedIn(account.remote_id, account.handle, "new-" + str(values["password"]))

    account_id = add_account(cache, "pigeon", "us@loft.example")
    assert not reauth.offered("pigeon")
    with registered(replace(EMAIL, name="pigeon", sign_in_again=check)):
        assert reauth.offered("pigeon")
        done = reauth.sign_in_again(cache.writer, account_id, {"password": "coo"})
    assert done.status == "ok"
    [(account, password)] = seen
    assert (account.network, account.handle, password) == ("pigeon", "us@loft.example", "coo")
    assert credentials.load_secret(credentials.account_key(account_id)) == "new-coo"


def test_the_built_in_networks_offer_signing_in_again() -> None:
    assert all(reauth.offered(name) for name in ("mastodon", "bluesky", "email"))
