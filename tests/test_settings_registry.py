"""The settings registry: one declaration per setting, typed values, and the
precedence rule (the narrowest scope that holds a valid value wins)."""

from __future__ import annotations

import functools

import pytest
from sqlalchemy import select

from console.models import settings_registry as registry
from console.models.db import Cache
from console.models.schema import Setting
from console.models.writer import Tx
from console.services import settings
from console.services.errors import InvalidArgument
from tests.helpers.factories import add_account, conv_by_key, msg, put


def test_the_workspace_history_window_decides_what_arrives_open(cache: Cache) -> None:
    """The bug: with the workspace window at 30 days, a 20-day-old unanswered
    mention was fetched (the engine passed 30 to the provider) but arrived
    closed (ingest fell back to 14)."""
    cache.writer.call(lambda tx: settings.put(tx, "history_days", 30))
    acc = add_account(cache)  # no window of its own: the workspace's applies
    put(cache, acc, msg("old", ago_min=20 * 24 * 60))
    assert conv_by_key(cache, acc, "old").status == "open"


def test_an_account_window_wins_over_the_workspace_window(cache: Cache) -> None:
    cache.writer.call(lambda tx: settings.put(tx, "history_days", 30))
    acc = add_account(cache, history_days=10)
    put(cache, acc, msg("old", ago_min=20 * 24 * 60))
    assert conv_by_key(cache, acc, "old").status == "closed"
    with cache.read() as s:
        assert settings.get(s, "history_days", account=acc) == 10
        assert settings.get(s, "history_days") == 30


def test_the_engine_gives_each_account_the_value_that_applies(cache: Cache) -> None:
    from console.sync.engine import SyncEngine

    own = add_account(cache, history_days=10)
    bare = add_account(cache, handle="other@social.example")
    cache.writer.call(lambda tx: settings.put(tx, "history_days", 30))
    cache.writer.call(lambda tx: settings.put_scoped(tx, "poll_interval", 300, account=own))
    accounts = {a.id: a for a in SyncEngine(cache)._accounts(None)}
    assert (accounts[own].history_days, accounts[own].poll_interval) == (10, 300)
    assert (accounts[bare].history_days, accounts[bare].poll_interval) == (30, 60)


#: A setting that may be set at every scope, to test the rule itself.
EVERYWHERE: registry.SettingSpec[int] = registry.SettingSpec(
    "everywhere",
    registry.Type.WHOLE,
    1,
    "Test",
    scopes=frozenset(registry.Scope),
    minimum=1,
    maximum=100,
)


@pytest.mark.parametrize(
    ("held", "wins"),
    [
        ({}, None),
        ({"workspace": 2}, "workspace"),
        ({"workspace": 2, "personal": 3}, "personal"),
        ({"workspace": 2, "personal": 3, "member": 4}, "member"),
        ({"workspace": 2, "member": 4, "account": 5}, "account"),
        ({"workspace": 2, "member": 4, "account": 5, "tag": 6}, "tag"),
        ({"workspace": 2, "tag": 0}, "workspace"),  # out of bounds: skipped
        ({"workspace": "2", "account": True}, None),  # not whole numbers
    ],
)
def test_precedence_the_narrowest_valid_value_wins(
    held: dict[str, object], wins: str | None
) -> None:
    candidates = {registry.Scope(k): v for k, v in held.items()}
    expected = EVERYWHERE.default if wins is None else held[wins]
    assert registry.resolve(EVERYWHERE, candidates) == expected


def test_a_scope_a_setting_lacks_is_not_consulted() -> None:
    only_workspace = {registry.Scope.WORKSPACE: 20, registry.Scope.TAG: 30}
    assert registry.resolve(registry.HISTORY_DAYS, only_workspace) == 20


def test_due_targets_keep_the_defaults_of_kinds_left_out(cache: Cache) -> None:
    cache.writer.call(lambda tx: settings.put(tx, "due_targets", {"direct": 600}))
    with cache.read() as s:
        assert settings.get(s, "due_targets") == {
            "direct": 600,
            "email": 3600,
            "public": 14_400,
            "comment": 14_400,
        }
        assert settings.base_value(s, "due_targets") == {"direct": 600}


def test_a_damaged_stored_value_is_skipped_not_fatal(cache: Cache) -> None:
    from sqlalchemy import text

    def damage(tx: Tx) -> None:
        tx.session.execute(
            text("INSERT INTO settings (key, value) VALUES ('history_days', '\"many\"')")
        )
        tx.session.execute(
            text(
                "INSERT INTO settings (key, value) "
                'VALUES (\'due_targets\', \'{"direct": -5, "email": 120, "x": 1}\')'
            )
        )

    cache.writer.call(damage)
    with cache.read() as s:
        assert settings.get(s, "history_days") == 14
        assert settings.get(s, "due_targets")["direct"] == 3600
        assert settings.get(s, "due_targets")["email"] == 120


@pytest.mark.parametrize(
    ("key", "value", "scope", "sentence"),
    [
        ("history_days", 0, {}, "history_days must be from 1 to 36500 days."),
        ("history_days", "30", {}, "history_days must be a whole number from 1 to 36500."),
        ("poll_interval", 5, {}, "poll_interval must be from 15 to 86400 s."),
        ("language", "de", {}, "language must be one of '', 'en', 'fr'."),
        ("due_targets", {"sms": 60}, {}, "due_targets has no kind 'sms'"),
        ("language", "fr", {"tag": "x"}, "language cannot be set per tag; it is set for yourself."),
        ("nope", 1, {}, "There is no setting 'nope'"),
    ],
)
def test_a_bad_value_is_one_sentence_and_stores_nothing(
    cache: Cache, key: str, value: object, scope: dict[str, str], sentence: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        cache.writer.call(lambda tx: settings.put_scoped(tx, key, value, **scope))
    assert str(caught.value).startswith(sentence)
    with cache.read() as s:
        assert s.execute(select(Setting)).first() is None


def test_every_setting_is_declared_with_a_valid_default() -> None:
    for one in registry.REGISTRY.values():
        assert one.check(one.default) == one.default
        assert one.label and one.scopes


def test_removing_an_account_forgets_the_values_set_for_it(cache: Cache) -> None:
    from sqlalchemy import text

    from console.services.accounts import remove_account

    gone, kept = add_account(cache), add_account(cache, handle="other@social.example")
    for acc in (gone, kept):
        cache.writer.call(
            functools.partial(settings.put_scoped, key="poll_interval", value=120, account=acc)
        )
    cache.writer.call(lambda tx: settings.put(tx, "poll_interval", 90))
    remove_account(cache.writer, gone)
    with cache.read() as s:
        keys = set(s.execute(text("SELECT key FROM settings")).scalars())
    assert keys == {"poll_interval", f"poll_interval@account:{kept}"}
