"""Signing an e-mail account in: the login is checked on IMAP and SMTP
before the password is kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console.sync.base import AccountInfo, SignInRefused
from console.sync.netspec import NewAccount, SignInIO

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


def sign_in(values: Mapping[str, Any], io: SignInIO) -> NewAccount:
    """``imap``, ``smtp`` (HOST:PORT), ``user``, ``address``, ``password``,
    ``security``: the login is tried on IMAP and on SMTP (when SMTP offers
    AUTH) before anything is kept. ``security`` "none" is warned about on
    ``io.stderr`` (the command line)."""
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
        config["sent_folder"] = probe.sent_folder()  # logs in: AuthError / TransientError
        probe.connect_smtp().quit()
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
