"""Settings as the services, the CLI and the Settings dialog use them: the
registry (console/models/settings_registry.py) by key, with accounts,
members and tags named the way a person names them, and a bad value as
one sentence (InvalidArgument).

They live in the cache (table ``settings``), not in QSettings, because the
headless ``parloir sync`` reads them too. Window geometry and the like stay
in QSettings (GUI only).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from console.models import settings_registry as registry
from console.models.settings_registry import Scope, SettingError, SettingSpec
from console.models.writer import Tx
from console.services.errors import InvalidArgument


def spec(key: str) -> SettingSpec[Any]:
    try:
        return registry.spec(key)
    except SettingError as exc:
        raise InvalidArgument(str(exc)) from None


def describe(one: SettingSpec[Any]) -> dict[str, Any]:
    """A setting as ``parloir settings list --json`` shows it."""
    return {
        "key": one.key,
        "type": str(one.type),
        "default": one.merged(one.default),
        "minimum": one.minimum,
        "maximum": one.maximum,
        "choices": list(one.choices) or None,
        "kinds": list(one.parts) or None,
        "unit": one.unit,
        "label": one.label,
        "scopes": [str(s) for s in registry.PRECEDENCE if s in one.scopes],
    }


def catalogue() -> list[dict[str, Any]]:
    return [describe(one) for one in registry.REGISTRY.values()]


def _target(session: Session, scope: Scope, name: str | None) -> str | None:
    """The id an account, member or tag named by a person has."""
    if name is None:
        return None
    if scope is Scope.ACCOUNT:
        from console.services.accounts import find_account

        return find_account(session, name).id
    if scope is Scope.MEMBER:
        from console.services.team import find_member

        return find_member(session, name).id
    from console.services.workflow import find_tag

    tag = find_tag(session, name)
    if tag is None:
        raise InvalidArgument(f"There is no tag {name[:40]!r}.")
    return tag.id


def get(
    session: Session,
    key: str,
    *,
    account: str | None = None,
    member: str | None = None,
    tag: str | None = None,
) -> Any:
    """The value that applies (for that account, member or tag, by name)."""
    one = spec(key)
    return registry.get(
        session.connection(),
        one,
        account=_target(session, Scope.ACCOUNT, account),
        member=_target(session, Scope.MEMBER, member),
        tag=_target(session, Scope.TAG, tag),
    )


def base_value(session: Session, key: str) -> Any:
    """The value stored for everyone (or for this desktop, for a personal
    setting) as stored, else the default: what the Settings dialog edits.
    A per-kind mapping is not completed, so a kind left out stays out."""
    one = spec(key)
    value = one.valid(registry.stored(session.connection(), one, one.base))
    return one.default if value is None else value


def put(tx: Tx, key: str, value: Any) -> None:
    """Store the untargeted value (the workspace's, or this desktop's)."""
    put_scoped(tx, key, value)


def put_scoped(
    tx: Tx,
    key: str,
    value: Any,
    *,
    account: str | None = None,
    member: str | None = None,
    tag: str | None = None,
) -> Any:
    """Check and store ``value`` for at most one of account, member or tag
    (by name, as a person names them)."""
    one = spec(key)
    given = ((Scope.ACCOUNT, account), (Scope.MEMBER, member), (Scope.TAG, tag))
    named = [(scope, name) for scope, name in given if name]
    if len(named) > 1:
        raise InvalidArgument("Give at most one of --account, --member and --tag.")
    scope, name = named[0] if named else (one.base, None)
    try:
        registry.check_scope(one, scope)
        target = _target(tx.session, scope, name)
        checked = registry.put(tx.session, one, value, scope, target)
    except SettingError as exc:
        raise InvalidArgument(str(exc)) from None
    tx.changes.settings = True
    if scope is Scope.ACCOUNT and target is not None:
        tx.changes.accounts.add(target)
    return checked
