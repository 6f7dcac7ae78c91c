"""What Parloir knows about Mastodon, declared once (see console/sync/networks.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from console.sync.base import AccountInfo, LengthRule, Limits, Provider
from console.sync.lengths import DRAFT_MAX_CHARS, LengthPolicy
from console.sync.mastodon.addressing import mastodon_recipients, with_mentions
from console.sync.mastodon.mentions import COUNTED
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

URL = re.compile(r"https?://\S+")
#: An instance's limit when it did not say (Mastodon's default).
DEFAULT_LIMIT = 500


def mastodon_length(text: str, url_length: int = 23) -> int:
    """Code points, as Mastodon counts them: every URL as ``url_length``,
    a mention @user@domain as just "@user"."""
    text = URL.sub("x" * url_length, text)
    text = COUNTED.sub(r"\1", text)
    return len(text)


def outgoing(facts: ReplyFacts) -> str:
    """The reply as it goes out: the @mentions Mastodon's composer would put
    in front (the author answered and everyone it mentioned), local
    accounts without their domain."""
    body = facts.body
    if len(body) > DRAFT_MAX_CHARS:
        return body
    return with_mentions(body, facts.extra, facts.handle, facts.domain)


def recipients(facts: ReplyFacts) -> list[str]:
    return mastodon_recipients(facts.body, facts.extra, facts.handle, facts.domain)


def _provider(info: AccountInfo, secret: str | None, timeout: tuple[float, float]) -> Provider:
    from console.sync.mastodon.provider import MastodonProvider

    return MastodonProvider(info, secret, timeout=timeout)


def _sign_in(values: Mapping[str, Any], io: SignInIO) -> NewAccount:
    from console.sync.mastodon.signin import sign_in

    return sign_in(values, io)


def _sign_in_again(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    from console.sync.mastodon.signin import sign_in_again

    return sign_in_again(account, values, io)


SPEC = NetworkSpec(
    name="mastodon",
    display_name="Mastodon",
    add_label="Add Mastodon account…",
    icon="mastodon",
    provider=_provider,
    length=LengthPolicy(
        name="Mastodon", limit=DEFAULT_LIMIT, counter=mastodon_length, honours_configured=True
    ),
    default_limits=Limits(DEFAULT_LIMIT, LengthRule.CHARACTERS, url_length=23),
    sign_in=_sign_in,
    sign_in_fields=(
        SignInField("server", "--server", required=True, help="the instance, e.g. social.example"),
        SignInField(
            "token",
            "--token-stdin",
            secret=True,
            help="read an access token from standard input (else: sign in in the browser)",
            missing="No token on standard input.",
        ),
    ),
    reauth=Reauth.OAUTH,
    sign_in_again=_sign_in_again,
    recipients=recipients,
    outgoing=outgoing,
)
