"""Every setting Parloir has, declared once: key, type, default, bounds,
unit, label and the scopes it may be set at.

This is the only place a default lives. The engine, ingest, the services,
the CLI (``parloir settings``) and the Settings dialog read and write
through :func:`get` and :func:`put`, so a value is checked by one rule and a
missing one falls back by one rule (docs/decisions.md, "One settings
registry"):

    tag > account > member > personal > workspace > the default

the narrowest scope that holds a valid value wins. A stored value that no
longer passes the rule (an older version's, a hand edit) is skipped as if
it were absent, so a bad row never stops a sync.

Values live in the cache's ``settings`` table (the headless ``parloir
sync`` reads them too): the workspace and personal values under the bare
key, a scoped value under ``key@scope:id``; an account's history window
stays in ``accounts.history_days``, where the providers read it. It is in
the bottom layer because ingest, below the services, needs it.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from console.models.records import Kind

T = TypeVar("T")


class Scope(enum.StrEnum):
    """Where a value is set: for everyone (workspace), for this desktop's
    user (personal), or for one account, member or tag."""

    WORKSPACE = "workspace"
    PERSONAL = "personal"
    ACCOUNT = "account"
    MEMBER = "member"
    TAG = "tag"


#: The precedence rule, written once: the first scope holding a valid value wins.
PRECEDENCE = (Scope.TAG, Scope.ACCOUNT, Scope.MEMBER, Scope.PERSONAL, Scope.WORKSPACE)
#: Scopes that name something (``--account``, ``--member``, ``--tag``).
TARGETED = frozenset({Scope.ACCOUNT, Scope.MEMBER, Scope.TAG})


class SettingError(ValueError):
    """A value a setting cannot take, or a scope it cannot be set at; the
    message is one sentence saying what to do."""


class Type(enum.StrEnum):
    WHOLE = "whole number"
    CHOICE = "choice"
    SECONDS_BY_KIND = "seconds by conversation kind"


_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


@dataclass(frozen=True, slots=True)
class SettingSpec(Generic[T]):
    """One setting. ``minimum``/``maximum`` bound a whole number (for
    :attr:`Type.SECONDS_BY_KIND`, each kind's seconds); ``choices`` are the
    values a choice may take; ``parts`` the keys of a per-kind mapping."""

    key: str
    type: Type
    default: T
    label: str
    unit: str = ""
    scopes: frozenset[Scope] = frozenset({Scope.WORKSPACE})
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    #: An ``accounts`` column holding the account-scoped value.
    account_column: str | None = None
    #: Where the Settings dialog shows it ("answer", "sync", "language",
    #: "appearance") and the step of its spin box.
    group: str = ""
    step: int = 1

    @property
    def base(self) -> Scope:
        """The scope of the untargeted value (``settings set KEY VALUE``)."""
        return Scope.PERSONAL if Scope.PERSONAL in self.scopes else Scope.WORKSPACE

    def bounds(self) -> str:
        if self.choices:
            return ", ".join(repr(c) for c in self.choices)
        if self.minimum is None or self.maximum is None:
            return ""
        return f"{self.minimum} to {self.maximum}"

    # -- the rule --------------------------------------------------------------

    def check(self, value: object) -> T:
        """``value`` as this setting's type, or SettingError in one sentence.
        A per-kind mapping may leave kinds out: they keep the default."""
        if self.type is Type.CHOICE:
            if not isinstance(value, str) or value not in self.choices:
                raise SettingError(f"{self.key} must be one of {self.bounds()}.")
            return cast(T, value)
        if self.type is Type.WHOLE:
            return cast(T, self._whole(value, self.key))
        if not isinstance(value, Mapping):
            raise SettingError(
                f'{self.key} must be a JSON object of seconds by kind, such as {{"direct": 3600}}.'
            )
        out: dict[str, int] = {}
        for part, seconds in value.items():
            if part not in self.parts:
                raise SettingError(
                    f"{self.key} has no kind {str(part)[:40]!r}; use {', '.join(self.parts)}."
                )
            out[part] = self._whole(seconds, f"{self.key}.{part}")
        return cast(T, out)

    def _whole(self, value: object, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingError(f"{name} must be a whole number from {self.bounds()}.")
        low = self.minimum if self.minimum is not None else value
        high = self.maximum if self.maximum is not None else value
        if not low <= value <= high:
            raise SettingError(f"{name} must be from {self.bounds()} {self.unit}.".rstrip())
        return value

    def parse(self, text: str) -> T:
        """A value typed as text (the CLI), checked."""
        raw = text.strip()
        if self.type is Type.CHOICE:
            return self.check(raw)
        if self.type is Type.WHOLE:
            if not _NUMBER.fullmatch(raw):
                raise SettingError(
                    f"{self.key} must be a whole number from {self.bounds()}, not {text[:40]!r}."
                )
            return self.check(int(raw))
        try:
            decoded = json.loads(raw)
        except ValueError:
            decoded = None
        return self.check(decoded)

    def merged(self, value: T) -> T:
        """A per-kind mapping completed with the default's kinds."""
        if self.type is Type.SECONDS_BY_KIND:
            return cast(T, {**cast(dict[str, int], self.default), **cast(dict[str, int], value)})
        return value

    def valid(self, value: object) -> T | None:
        """The stored ``value`` when it passes the rule, else None; a per-kind
        mapping keeps its valid kinds."""
        if value is None:
            return None
        if self.type is Type.SECONDS_BY_KIND and isinstance(value, Mapping):
            kept: dict[str, int] = {}
            for part, seconds in value.items():
                try:
                    kept.update(cast(dict[str, int], self.check({part: seconds})))
                except SettingError:
                    continue
            return cast(T, kept)
        try:
            return self.check(value)
        except SettingError:
            return None


# --------------------------------------------------------------------------
# the settings

DUE_TARGETS: SettingSpec[dict[str, int]] = SettingSpec(
    "due_targets",
    Type.SECONDS_BY_KIND,
    {
        Kind.DIRECT.value: 3600,
        Kind.EMAIL.value: 3600,
        Kind.PUBLIC.value: 14_400,
        Kind.COMMENT.value: 14_400,
    },
    "Time to answer, per kind of conversation",
    unit="s",
    minimum=60,
    maximum=30 * 86_400,
    parts=(Kind.DIRECT.value, Kind.EMAIL.value, Kind.PUBLIC.value, Kind.COMMENT.value),
    group="answer",
)
HISTORY_DAYS: SettingSpec[int] = SettingSpec(
    "history_days",
    Type.WHOLE,
    14,
    "How far back a first sync looks",
    unit="days",
    scopes=frozenset({Scope.WORKSPACE, Scope.ACCOUNT}),
    minimum=1,
    maximum=36_500,
    account_column="history_days",
    group="sync",
)
POLL_INTERVAL: SettingSpec[int] = SettingSpec(
    "poll_interval",
    Type.WHOLE,
    60,
    "Time between polls of an account",
    unit="s",
    scopes=frozenset({Scope.WORKSPACE, Scope.ACCOUNT}),
    minimum=15,
    maximum=86_400,
    group="sync",
    step=15,
)
LANGUAGE: SettingSpec[str] = SettingSpec(
    "language",
    Type.CHOICE,
    "",
    "Language of the window; empty follows the system",
    scopes=frozenset({Scope.PERSONAL}),
    choices=("", "en", "fr"),
    group="language",
)

APPEARANCE: SettingSpec[str] = SettingSpec(
    "appearance",
    Type.CHOICE,
    "system",
    "Light or dark window; system follows the desktop",
    scopes=frozenset({Scope.PERSONAL}),
    choices=("system", "light", "dark"),
    group="appearance",
)


#: Desktop notifications (console/services/notifications.py), each kind
#: on or off for oneself; "on"/"off" choices, as the CLI types them.
ON_OFF = ("on", "off")


def _notify(key: str, label: str) -> SettingSpec[str]:
    return SettingSpec(
        key,
        Type.CHOICE,
        "on",
        label,
        scopes=frozenset({Scope.PERSONAL}),
        choices=ON_OFF,
        group="notifications",
    )


NOTIFY_ASSIGNED = _notify("notify_assigned", "Notify when someone assigns me a conversation")
NOTIFY_INBOUND = _notify("notify_inbound", "Notify of new messages on my conversations")
NOTIFY_MENTIONS = _notify("notify_mentions", "Notify when a note mentions me")
NOTIFY_DUE = _notify("notify_due", "Notify when an answer-within target is about to pass")
NOTIFY_ONLY_MINE = SettingSpec(
    "notify_only_mine",
    Type.CHOICE,
    "off",
    "Notify only about conversations assigned to me",
    scopes=frozenset({Scope.PERSONAL}),
    choices=ON_OFF,
    group="notifications",
)
QUIET_START = SettingSpec(
    "quiet_start",
    Type.WHOLE,
    0,
    "Do not disturb from this hour (equal to the end: never)",
    unit="h",
    scopes=frozenset({Scope.PERSONAL}),
    minimum=0,
    maximum=23,
    group="notifications",
)
QUIET_END = SettingSpec(
    "quiet_end",
    Type.WHOLE,
    0,
    "Do not disturb until this hour",
    unit="h",
    scopes=frozenset({Scope.PERSONAL}),
    minimum=0,
    maximum=23,
    group="notifications",
)
NOTIFICATION_SETTINGS = (
    NOTIFY_ASSIGNED,
    NOTIFY_INBOUND,
    NOTIFY_MENTIONS,
    NOTIFY_DUE,
    NOTIFY_ONLY_MINE,
    QUIET_START,
    QUIET_END,
)


def due_seconds(targets: Mapping[str, int], kind: str) -> int:
    """The seconds to answer a conversation of ``kind``; a kind without a
    target (a damaged row) gets the tightest one."""
    return targets.get(kind) or min({**DUE_TARGETS.default, **targets}.values())


REGISTRY: dict[str, SettingSpec[Any]] = {
    s.key: s
    for s in (
        DUE_TARGETS,
        HISTORY_DAYS,
        POLL_INTERVAL,
        LANGUAGE,
        APPEARANCE,
        *NOTIFICATION_SETTINGS,
    )
}


def spec(key: str) -> SettingSpec[Any]:
    found = REGISTRY.get(key)
    if found is None:
        raise SettingError(f"There is no setting {key[:40]!r}; `parloir settings list` shows them.")
    return found


# --------------------------------------------------------------------------
# storage


def row_key(spec: SettingSpec[Any], scope: Scope, target: str | None) -> str:
    """The ``settings`` row holding the value of ``spec`` at ``scope``."""
    if scope in TARGETED:
        if not target:
            raise SettingError(f"Say which {scope} the value of {spec.key} is for.")
        return f"{spec.key}@{scope}:{target}"
    return spec.key


_WHERE = {
    Scope.WORKSPACE: "for the workspace",
    Scope.PERSONAL: "for yourself",
    Scope.ACCOUNT: "per account",
    Scope.MEMBER: "per member",
    Scope.TAG: "per tag",
}


def check_scope(spec: SettingSpec[Any], scope: Scope) -> None:
    if scope not in spec.scopes:
        where = " or ".join(_WHERE[s] for s in reversed(PRECEDENCE) if s in spec.scopes)
        raise SettingError(f"{spec.key} cannot be set per {scope}; it is set {where}.")


def forget(conn: Connection, scope: Scope, target: str) -> None:
    """Delete every value set for one account, member or tag (it is gone)."""
    suffix = f"@{scope}:{target}"
    conn.exec_driver_sql("DELETE FROM settings WHERE substr(key, -length(?)) = ?", (suffix, suffix))


def stored(conn: Connection, spec: SettingSpec[T], scope: Scope, target: str | None = None) -> Any:
    """The raw value stored at one scope (None when there is none)."""
    if scope is Scope.ACCOUNT and spec.account_column:
        row = conn.exec_driver_sql(
            f"SELECT {spec.account_column} FROM accounts WHERE id = ?", (target,)
        ).first()
        return None if row is None else row[0]
    got = conn.exec_driver_sql(
        "SELECT value FROM settings WHERE key = ?", (row_key(spec, scope, target),)
    ).first()
    if got is None or got[0] is None:
        return None
    try:
        return json.loads(got[0]) if isinstance(got[0], str) else got[0]
    except ValueError:
        return None


def resolve(spec: SettingSpec[T], candidates: Mapping[Scope, object]) -> T:
    """The precedence rule over values already read: the narrowest of
    ``spec``'s scopes holding a valid value, else the default."""
    for scope in PRECEDENCE:
        if scope in spec.scopes:
            value = spec.valid(candidates.get(scope))
            if value is not None:
                return spec.merged(value)
    return spec.merged(spec.default)


def get(
    conn: Connection,
    spec: SettingSpec[T],
    *,
    account: str | None = None,
    member: str | None = None,
    tag: str | None = None,
) -> T:
    """The value that applies (for this account, member or tag, when given)."""
    targets = {Scope.ACCOUNT: account, Scope.MEMBER: member, Scope.TAG: tag}
    candidates: dict[Scope, object] = {}
    for scope in spec.scopes:
        if scope in TARGETED:
            target = targets[scope]
            if target is not None:
                candidates[scope] = stored(conn, spec, scope, target)
        else:
            candidates[scope] = stored(conn, spec, scope)
    return resolve(spec, candidates)


def put(
    session: Session,
    spec: SettingSpec[T],
    value: object,
    scope: Scope | None = None,
    target: str | None = None,
) -> T:
    """Check ``value`` and store it at ``scope`` (the setting's base scope
    by default); return it as stored."""
    from console.models.schema import Account, Setting  # schema takes its defaults from here

    scope = scope or spec.base
    check_scope(spec, scope)
    checked = spec.check(value)
    if scope is Scope.ACCOUNT and spec.account_column:
        account = session.get(Account, target)
        if account is None:
            raise SettingError(f"There is no account {str(target)[:40]!r}.")
        setattr(account, spec.account_column, checked)
        return checked
    key = row_key(spec, scope, target)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=checked))
    else:
        row.value = checked
    return checked
