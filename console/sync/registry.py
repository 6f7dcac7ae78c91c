"""Which Provider serves an account.

Imports are lazy so that ``parloir queue`` never pays for Mastodon.py or
an IMAP library it does not use.
"""

from __future__ import annotations

import os
from typing import Any

from console.models.schema import Account
from console.models.settings_registry import HISTORY_DAYS
from console.sync.base import AccountInfo, Provider, ProviderError


def account_info(account: Account) -> AccountInfo:
    config: dict[str, Any] = dict(account.config or {})
    config.setdefault("remote_id", account.remote_id)
    return AccountInfo(
        id=account.id,
        network=account.network,
        handle=account.handle,
        server=account.server,
        settings=config,
        history_days=account.history_days or HISTORY_DAYS.default,
    )


def net_timeout() -> tuple[float, float]:
    """Connect and read timeouts in seconds: 5 and 20, or both PARLOIR_NET_TIMEOUT
    (for slow links, and for the tests, which use 1-2 s)."""
    value = os.environ.get("PARLOIR_NET_TIMEOUT", "")
    try:
        seconds = float(value)
    except ValueError:
        return (5.0, 20.0)
    return (seconds, seconds) if 0 < seconds <= 3600 else (5.0, 20.0)


def is_demo(account: Account) -> bool:
    return bool((account.config or {}).get("demo"))


def make_provider(account: Account, secret: str | None) -> Provider:
    info = account_info(account)
    if is_demo(account):
        from console.sync.demo_provider import DemoProvider

        return DemoProvider(info, None)
    if account.network == "bluesky":
        from console.sync.bluesky import BlueskyProvider

        return BlueskyProvider(info, secret, timeout=net_timeout())
    if account.network == "email":
        from console.sync.email import EmailProvider

        connect, read = net_timeout()
        return EmailProvider(info, secret, timeout=(max(connect, 10.0), max(read, 30.0)))
    if account.network == "mastodon":
        from console.sync.mastodon import MastodonProvider

        return MastodonProvider(info, secret, timeout=net_timeout())
    raise ProviderError(
        f"This version of Parloir cannot sync {account.network} accounts yet; "
        "the account is kept and will sync once it can."
    )
