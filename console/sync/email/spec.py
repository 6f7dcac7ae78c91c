"""What Parloir knows about e-mail, declared once (see console/sync/networks.py)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, TextIO

from console.sync.base import AccountInfo, LengthRule, Limits, Provider
from console.sync.email.addressing import email_reply_to
from console.sync.email.signin import SECURITY
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

#: An e-mail reply, and an e-mail draft, is at most this many UTF-8 bytes.
MAX_BYTES = 1_000_000


def message_id(handle: str) -> str:
    """The reply's Message-ID, on the domain of the address it is sent from."""
    domain = handle.rpartition("@")[2] or "parloir.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def recipients(facts: ReplyFacts) -> list[str]:
    return email_reply_to(facts.extra)


def _password_line(stdin: TextIO) -> str:
    return stdin.readline().rstrip("\r\n")  # a password may begin or end with spaces


def _provider(info: AccountInfo, secret: str | None, timeout: tuple[float, float]) -> Provider:
    from console.sync.email.provider import EmailProvider

    connect, read = timeout  # IMAP servers greet and search slowly
    return EmailProvider(info, secret, timeout=(max(connect, 10.0), max(read, 30.0)))


def _sign_in(values: Mapping[str, Any], io: SignInIO) -> NewAccount:
    from console.sync.email.signin import sign_in

    return sign_in(values, io)


def _sign_in_again(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    from console.sync.email.signin import sign_in_again

    return sign_in_again(account, values, io)


SPEC = NetworkSpec(
    name="email",
    display_name="E-mail",
    add_label="Add e-mail account…",
    icon="email",
    provider=_provider,
    length=LengthPolicy(
        name="E-mail", ceiling_bytes=MAX_BYTES, ceiling_words="an e-mail reply may be at most 1 MB"
    ),
    default_limits=Limits(None, LengthRule.NONE),
    sign_in=_sign_in,
    sign_in_fields=(
        SignInField("imap", "--imap", required=True, help="the IMAP server, HOST[:PORT]"),
        SignInField("smtp", "--smtp", required=True, help="the SMTP server, HOST[:PORT]"),
        SignInField("user", "--user", required=True, help="the login name"),
        SignInField("address", "--address", help="the address replies come from"),
        SignInField(
            "password",
            "--password-stdin",
            required=True,
            secret=True,
            help="read the password from standard input",
            missing="No password on standard input.",
            read=_password_line,
        ),
        SignInField("security", "--security", choices=SECURITY, default="tls"),
    ),
    reauth=Reauth.PASSWORD,
    sign_in_again=_sign_in_again,
    new_key=message_id,
    resend_safe=False,
    recipients=recipients,
    other_recipients_hold=True,
)
