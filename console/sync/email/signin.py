"""Signing an e-mail account in: the login is checked on IMAP and SMTP
before the password is kept."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from console.sync.base import AccountInfo, SignInRefused
from console.sync.netspec import Known, NewAccount, SignedIn, SignInIO
from console.sync.signin_errors import signing_in

if TYPE_CHECKING:  # the IMAP and SMTP libraries load with the provider only
    from console.sync.email.client import EmailClient

SECURITY = ("tls", "starttls", "none")


def email_config(
    imap: str, smtp: str, user: str, address: str | None, security: str
) -> dict[str, Any]:
    """The account's non-secret settings; From = address, else the user
    name when it is an address."""
    from console.sync.email.client import split_host

    if security not in SECURITY:
        raise SignInRefused("--security must be tls, starttls or none.")
    sender = (address or (user if "@" in user else "")).strip().lower()
    if "@" not in sender:
        raise SignInRefused(
            "Give the address to send from with --address (the user name is not one)."
        )
    try:
        imap_host, imap_port = split_host(imap, 993)
        smtp_host, smtp_port = split_host(smtp, 465)
    except ValueError as exc:
        raise SignInRefused(f"A server is written HOST:PORT ({exc}).") from exc
    return {
        "imap": f"{imap_host}:{imap_port}",
        "smtp": f"{smtp_host}:{smtp_port}",
        "user": user,
        "address": sender,
        "security": security,
        "folders": ["INBOX"],
    }


def check_login(probe: EmailClient, imap: Callable[[], object]) -> None:
    """Log in on IMAP (``imap`` does it) and on SMTP (when it offers
    AUTH); a failure is a SignInFailed naming the server that failed."""
    with signing_in(probe.imap_host, "mail (IMAP)"):
        imap()
    with signing_in(probe.smtp_host, "mail (SMTP)"):
        probe.connect_smtp().quit()


def sign_in(values: Mapping[str, Any], io: SignInIO) -> NewAccount:
    """``imap``, ``smtp`` (HOST:PORT), ``user``, ``address``, ``password``,
    ``security``: the login is tried on IMAP and on SMTP (when SMTP offers
    AUTH) before anything is kept (a failure is a SignInFailed).
    ``security`` "none" is warned about on ``io.stderr`` (the command line)."""
    from console.sync.email.provider import EmailProvider

    security = str(values.get("security") or "tls")
    if security == "none" and io.stderr is not None:
        io.stderr.write("parloir: warning: --security none sends the password unencrypted.\n")
    address = values.get("address")
    config = email_config(
        str(values.get("imap") or ""),
        str(values.get("smtp") or ""),
        str(values.get("user") or ""),
        str(address) if address else None,
        security,
    )
    password = str(values.get("password") or "")
    info = AccountInfo(id="", network="email", handle=config["address"], server="", settings=config)
    probe = EmailProvider(info, password)
    try:
        check_login(probe, lambda: probe.sent_folder())
        config["sent_folder"] = probe.sent_folder()  # known now: no second round trip
    finally:
        probe.close()
    return NewAccount(
        network="email",
        handle=config["address"],
        server=config["imap"],
        secret=password,
        remote_id=config["address"],
        display_name=config["address"],
        config=config,
    )


def sign_in_again(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    """``password`` for the stored login: IMAP and (when it offers AUTH)
    SMTP accept it before it is kept."""
    from console.sync.email.provider import EmailProvider

    password = str(values.get("password") or "")
    info = AccountInfo(
        id="", network="email", handle=account.handle, server="", settings=account.config
    )
    probe = EmailProvider(info, password)
    try:
        check_login(probe, probe.imap)
    finally:
        probe.close()
    return SignedIn(None, account.handle, password)
