"""Which Provider serves an account.

Each network's spec makes its provider (console/sync/networks.py); the
specs import their providers lazily, so that ``parloir queue`` never pays
for an HTTP or IMAP library it does not use.
"""

from __future__ import annotations

from typing import Any

from console.models.schema import Account
from console.models.settings_registry import HISTORY_DAYS
from console.sync.base import AccountInfo, Provider, ProviderError
from console.sync.http import net_timeout
from console.sync.networks import find


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


def is_demo(account: Account) -> bool:
    return bool((account.config or {}).get("demo"))


def make_provider(account: Account, secret: str | None) -> Provider:
    info = account_info(account)
    if is_demo(account):
        from console.sync.demo_provider import DemoProvider

        return DemoProvider(info, None)
    found = find(account.network)
    if found is None:
        raise ProviderError(
            f"This version of Parloir cannot sync {account.network} accounts yet; "
            "the account is kept and will sync once it can."
        )
    return found.provider(info, secret, net_timeout())
