"""What Parloir knows about Bluesky, declared once (see console/sync/networks.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from console.sync.base import AccountInfo, LengthRule, Limits, Provider
from console.sync.bluesky.addressing import bluesky_recipients
from console.sync.lengths import LengthPolicy
from console.sync.netspec import (
    Known,
    NetworkSpec,
    NewAccount,
    Reauth,
    ReplyFacts,
    SignedIn,
    SignInField,
    SignInIO,
)
from console.sync.richtext import MAX_BYTES, MAX_GRAPHEMES, graphemes
from console.sync.tid import new_tid

POST_LIMIT = MAX_GRAPHEMES
POST_BYTES = MAX_BYTES
DM_LIMIT = 1000
DM_BYTES = 10_000


def recipients(facts: ReplyFacts) -> list[str]:
    """A post reaches the author and the handles named; a direct message
    its members."""
    members = list(facts.members()) if facts.direct else []
    return bluesky_recipients(facts.body, facts.extra, facts.handle, members=members)


def record_key(handle: str) -> str:
    """The post's record key (a TID): a resend with it cannot make a second post."""
    return new_tid()


def _line(stdin: TextIO) -> str:
    return stdin.readline().strip()


def _provider(info: AccountInfo, secret: str | None, timeout: tuple[float, float]) -> Provider:
    from console.sync.bluesky.provider import BlueskyProvider

    return BlueskyProvider(info, secret, timeout=timeout)


def _sign_in(values: Mapping[str, Any], io: SignInIO) -> NewAccount:
    from console.sync.bluesky.signin import sign_in

    return sign_in(values, io)


def _sign_in_again(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    from console.sync.bluesky.signin import sign_in_again

    return sign_in_again(account, values, io)


SPEC = NetworkSpec(
    name="bluesky",
    display_name="Bluesky",
    add_label="Add Bluesky account…",
    icon="bluesky",
    provider=_provider,
    length=LengthPolicy(
        name="Bluesky",
        limit=POST_LIMIT,
        direct_limit=DM_LIMIT,
        max_bytes=POST_BYTES,
        direct_max_bytes=DM_BYTES,
        counter=graphemes,
    ),
    default_limits=Limits(POST_LIMIT, LengthRule.GRAPHEMES, max_bytes=POST_BYTES),
    sign_in=_sign_in,
    sign_in_fields=(
        SignInField("handle", "--handle", required=True, help="the handle or DID"),
        SignInField("service", "--service", help="the account's server (PDS), if not looked up"),
        SignInField(
            "app_password",
            "--app-password-stdin",
            required=True,
            secret=True,
            help="read an app password from standard input",
            missing="No app password on standard input.",
            read=_line,
        ),
    ),
    reauth=Reauth.APP_PASSWORD,
    sign_in_again=_sign_in_again,
    new_key=record_key,
    recipients=recipients,
)
