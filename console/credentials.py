"""The only module that reads or writes secrets: the OS keyring.

Secret Service on Linux, Keychain on macOS, Credential Locker on Windows,
all through ``keyring`` under the service name "parloir". There is no
plaintext fallback: without a usable keyring, Parloir says what to install
or unlock and saves nothing.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "parloir"

NO_KEYRING = (
    "No usable keyring: install and start a Secret Service such as gnome-keyring or KWallet "
    "(macOS and Windows have one built in), then try again."
)
LOCKED = "The keyring is locked: unlock it (log in to your desktop session) and try again."

_UNSAFE_BACKENDS = ("fail", "null", "plaintext", "chainer")


class KeyringUnavailable(Exception):
    """No safe place for secrets; ``str()`` is one sentence for a user."""


def account_key(account_id: str) -> str:
    return f"account:{account_id}"


def _backend() -> keyring.backend.KeyringBackend:
    backend = keyring.get_keyring()
    names = {cls.__module__.lower() + "." + cls.__name__.lower() for cls in type(backend).__mro__}
    if type(backend).__name__ == "ChainerBackend":
        if not getattr(backend, "backends", None):
            raise KeyringUnavailable(NO_KEYRING)
        return backend
    if any(bad in name for name in names for bad in ("fail.", "null.", "plaintext")):
        raise KeyringUnavailable(NO_KEYRING)
    return backend


def _wrap(exc: Exception) -> KeyringUnavailable:
    log.warning("keyring error: %s", exc.__class__.__name__)
    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeyringUnavailable(LOCKED)
    return KeyringUnavailable(NO_KEYRING)


def store_secret(name: str, secret: str) -> None:
    try:
        _backend().set_password(SERVICE, name, secret)
    except KeyringUnavailable:
        raise
    except Exception as exc:  # keyring backends raise many kinds (dbus, OS)
        raise _wrap(exc) from None


def load_secret(name: str) -> str | None:
    try:
        value: str | None = _backend().get_password(SERVICE, name)
        return value
    except KeyringUnavailable:
        raise
    except Exception as exc:
        raise _wrap(exc) from None


def delete_secret(name: str) -> None:
    try:
        _backend().delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        return
    except KeyringUnavailable:
        raise
    except Exception as exc:
        raise _wrap(exc) from None
