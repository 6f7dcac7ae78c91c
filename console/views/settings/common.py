"""What the Settings tabs share: the guard for late callbacks, the item
role holding a row's id, and an account as the tabs and dialogs see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt

ID_ROLE = Qt.ItemDataRole.UserRole


def alive(widget: QObject, fn: Callable[[Any], None]) -> Callable[[Any], None]:
    """``fn`` guarded against a widget deleted while its task ran (the
    Runner guards bound methods itself; closures need this)."""

    def call(value: Any) -> None:
        if shiboken6.isValid(widget):
            fn(value)

    return call


@dataclass(frozen=True, slots=True)
class AccountRow:
    """An account in the Accounts tab; ``config`` holds its non-secret
    settings (an e-mail account's servers, for signing in again)."""

    id: str
    network: str
    handle: str
    server: str
    status: str
    message: str | None
    config: dict[str, Any] = field(default_factory=dict)
