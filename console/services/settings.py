"""Settings that change data or sync, declared once with their defaults.

They live in the cache (table ``settings``), not in QSettings, because the
headless ``parloir sync`` reads them too. Window geometry and the like stay
in QSettings (GUI only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.ingest import DEFAULT_DUE_TARGETS, DEFAULT_HISTORY_DAYS
from console.models.schema import Setting
from console.models.writer import Tx
from console.services.errors import InvalidArgument


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    default: Any
    doc: str


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("due_targets", dict(DEFAULT_DUE_TARGETS), "Seconds to answer, per kind."),
        Option("history_days", DEFAULT_HISTORY_DAYS, "How far back a first sync looks."),
        Option("poll_interval", 60, "Seconds between polls of an account."),
        Option("language", "", "GUI language; empty follows the system."),
    )
}


def get(session: Session, key: str) -> Any:
    option = OPTIONS.get(key)
    if option is None:
        raise InvalidArgument(f"Unknown setting {key!r}.")
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return option.default if value is None else value


def put(tx: Tx, key: str, value: Any) -> None:
    if key not in OPTIONS:
        raise InvalidArgument(f"Unknown setting {key!r}.")
    row = tx.session.get(Setting, key)
    if row is None:
        tx.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    tx.changes.settings = True
