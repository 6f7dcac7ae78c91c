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
from tests.helpers.factories import add_account, cache_at, msg, person, put


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


def test_a_locked_keyring_changes_nothing(tmp_path, vault: LockableKeyring) -> None:
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


def test_a_failed_delete_puts_the_secret_back(tmp_path, vault: LockableKeyring) -> None:
    with cache_at(tmp_path) as cache:
        account_id = add_account(cache)
        credentials.store_secret(credentials.account_key(account_id), "tok")
        real_call = cache.writer.call
        calls = {"n": 0}

        def failing_second_call(task, priority=1):
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


@pytest.mark.slow  # three processes in a D-Bus session of their own; the logic runs above
@pytest.mark.keyring
def test_the_cli_with_a_really_locked_gnome_keyring(tmp_path) -> None:
    """The same through `parloir account remove`, against a real Secret
    Service whose login collection stays locked (made with another
    password), in a D-Bus session of its own."""
    import json
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing (scripts/test installs it)", pytrace=False)
    root = Path(__file__).resolve().parents[1]
    home = tmp_path / "parloir"
    with cache_at(tmp_path / "seed") as cache:
        account_id = add_account(cache)
        put(cache, account_id, msg("t1", author=person("Noor")))
    (home / "data").mkdir(parents=True)
    (tmp_path / "seed" / "cache.sqlite").rename(home / "data" / "cache.sqlite")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.update(
        {"XDG_DATA_HOME": str(tmp_path / "xdg"), "PARLOIR_HOME": str(home), "PYTHONPATH": str(root)}
    )
    session = (
        'echo -n "$1" | gnome-keyring-daemon --unlock --components=secrets >/dev/null '
        '&& exec "$2" -m console "$3" "$4" "$5"'
    )

    def parloir(password: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", session, "sh", password, sys.executable, *args],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )

    made = parloir("first", "account", "list", "--json")  # creates the login keyring
    assert made.returncode == 0, made.stderr
    removed = parloir("another", "account", "remove", account_id)  # stays locked
    assert removed.returncode == 2, removed.stdout + removed.stderr
    ours = [line for line in removed.stderr.splitlines() if line.startswith("parloir:")]
    assert ours == [f"parloir: {credentials.LOCKED}"], removed.stderr  # the rest is D-Bus's
    listed = parloir("first", "account", "list", "--json")
    assert [a["id"] for a in json.loads(listed.stdout)] == [account_id]
