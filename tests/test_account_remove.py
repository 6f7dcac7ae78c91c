"""`parloir account remove` with a locked keyring changes nothing: the
account, its threads and its secret all stay, and the person is told to
unlock the keyring (it used to delete the account and orphan the token)."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest
from sqlalchemy import func, select

from console import credentials
from console.models.schema import Account, Conversation
from console.services.accounts import remove_account
from tests.factories import add_account, cache_at, msg, person, put


class LockableKeyring(keyring.backend.KeyringBackend):
    """An in-memory Secret Service whose collection can be locked."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.locked = False

    def _check(self) -> None:
        if self.locked:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


@pytest.fixture
def vault(monkeypatch: pytest.MonkeyPatch) -> LockableKeyring:
    backend = LockableKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    return backend


def test_a_locked_keyring_changes_nothing(tmp_path, vault: LockableKeyring) -> None:  # type: ignore[no-untyped-def]
    with cache_at(tmp_path) as cache:
        account_id = add_account(cache)
        put(cache, account_id, msg("t1", author=person("Noor"), text="Where is my parcel?"))
        credentials.store_secret(credentials.account_key(account_id), "tok")
        vault.locked = True
        with pytest.raises(credentials.KeyringUnavailable) as info:
            remove_account(cache.writer, account_id)
        assert str(info.value) == credentials.LOCKED
        with cache.read() as s:
            assert s.get(Account, account_id) is not None
            assert s.scalar(select(func.count()).select_from(Conversation)) == 1
        vault.locked = False
        assert credentials.load_secret(credentials.account_key(account_id)) == "tok"

        assert remove_account(cache.writer, account_id) == account_id
        assert credentials.load_secret(credentials.account_key(account_id)) is None
        with cache.read() as s:
            assert s.get(Account, account_id) is None


def test_a_failed_delete_puts_the_secret_back(tmp_path, vault: LockableKeyring) -> None:  # type: ignore[no-untyped-def]
    with cache_at(tmp_path) as cache:
        account_id = add_account(cache)
        credentials.store_secret(credentials.account_key(account_id), "tok")
        real_call = cache.writer.call
        calls = {"n": 0}

        def failing_second_call(task, priority=1):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError("disk full")
            return real_call(task, priority)

        cache.writer.call = failing_second_call  # type: ignore[method-assign]
        with pytest.raises(OSError):
            remove_account(cache.writer, account_id)
        cache.writer.call = real_call  # type: ignore[method-assign]
        assert credentials.load_secret(credentials.account_key(account_id)) == "tok"
        with cache.read() as s:
            assert s.get(Account, account_id) is not None
