"""The only module that reads or writes secrets: the OS keyring.

Secret Service on Linux, Keychain on macOS, Credential Locker on Windows, all
through ``keyring`` under the service name "parloir". Account secrets live under
``account:<uuid>`` (see :func:`account_key`); other secrets use plain names such
as ``"team-db"``.

There is deliberately no plaintext fallback: an access token on disk is worth
the same as the account, and the cache file gets copied around (backups, bug
reports). Without a safe keyring, every call raises :class:`KeyringUnavailable`,
whose text tells the user what to install or unlock, and nothing is saved.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "parloir"

NO_KEYRING = (
    "No usable keyring: install and start a Secret Service such as gnome-keyring or KWallet "
    "(macOS and Windows have one built in), then try again."
)
LOCKED = "The keyring is locked: unlock it (log in to your desktop session) and try again."

# Backends that would "work" while protecting nothing: they fail every call,
# forget everything, or write the secret to a file as it is.
_UNSAFE_MODULES = frozenset({"keyring.backends.fail", "keyring.backends.null"})

T = TypeVar("T")


class KeyringUnavailable(Exception):
    """No safe place for secrets right now.

    ``str()`` is one sentence a user understands (what to install or unlock), so
    the CLI prints it as is and the GUI shows it in a dialog; the technical
    cause goes to the log.
    """


def account_key(account_id: str) -> str:
    """The keyring entry name of an account's secret (token, app password)."""
    return f"account:{account_id}"


def _is_unsafe(backend: keyring.backend.KeyringBackend) -> bool:
    cls = type(backend)
    return cls.__module__ in _UNSAFE_MODULES or "plaintext" in cls.__name__.lower()


def _backend() -> keyring.backend.KeyringBackend:
    """The keyring backend to use, never an unsafe one.

    keyring's chainer tries its backends in turn until one accepts, so a chainer
    that holds a plaintext backend would silently fall back to it when the
    Secret Service fails. We therefore use the chainer's best safe member
    directly instead of the chainer.
    """
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a bad PYTHON_KEYRING_BACKEND, a broken keyringrc
        raise _wrap(exc, "select a backend") from None
    members = getattr(backend, "backends", None)
    if members is not None:  # keyring.backends.chainer.ChainerBackend
        safe: list[keyring.backend.KeyringBackend] = [b for b in members if not _is_unsafe(b)]
        if not safe:
            log.warning("keyring: the chainer holds no safe backend (%s)", _names(members))
            raise KeyringUnavailable(NO_KEYRING)
        return safe[0]
    if _is_unsafe(backend):
        log.warning("keyring: refusing the unsafe backend %s", _names([backend]))
        raise KeyringUnavailable(NO_KEYRING)
    return backend


def _names(backends: object) -> str:
    if not isinstance(backends, list | tuple):
        return "?"
    return ", ".join(f"{type(b).__module__}.{type(b).__name__}" for b in backends) or "none"


def _is_locked(exc: BaseException) -> bool:
    """KeyringLocked, or a Secret Service/D-Bus error that says "locked"."""
    if isinstance(exc, keyring.errors.KeyringLocked):
        return True
    return "locked" in type(exc).__name__.lower()


def _wrap(exc: BaseException, action: str, secret: str | None = None) -> KeyringUnavailable:
    """Turn any backend failure into the sentence for the user; log the cause.

    The log gets the exception type, message and traceback with the secret
    masked, in case a backend ever echoes what it was given.
    """
    details = "".join(traceback.format_exception(exc))
    if secret:
        details = details.replace(secret, "***")
    log.warning("keyring: could not %s: %s", action, details.strip().splitlines()[-1])
    log.debug("keyring failure:\n%s", details)
    return KeyringUnavailable(LOCKED if _is_locked(exc) else NO_KEYRING)


def _call(action: str, op: Callable[[keyring.backend.KeyringBackend], T], secret: str | None) -> T:
    backend = _backend()
    try:
        return op(backend)
    except keyring.errors.PasswordDeleteError:
        raise
    # Backends raise KeyringError, InitError, secretstorage/jeepney D-Bus errors,
    # OSError, GLib errors, Windows errors...: all mean "no keyring for you now".
    except Exception as exc:
        raise _wrap(exc, action, secret) from None


def store_secret(name: str, secret: str) -> None:
    """Save (or replace) a secret under ``name``; raise KeyringUnavailable if there is no
    safe keyring, so the caller never needs a plan B that would write it elsewhere."""
    _call(f"store {name!r}", lambda b: b.set_password(SERVICE, name, secret), secret)


def load_secret(name: str) -> str | None:
    """The secret saved under ``name``, or None when there is none (e.g. the user
    deleted it in their keyring manager: the account then needs signing in again)."""
    value: str | None = _call(f"load {name!r}", lambda b: b.get_password(SERVICE, name), None)
    return value


def delete_secret(name: str) -> None:
    """Forget the secret under ``name``; no error when it is already gone, so removing
    an account twice, or after a manual clean-up, just works."""
    try:
        _call(f"delete {name!r}", lambda b: b.delete_password(SERVICE, name), None)
    except keyring.errors.PasswordDeleteError:
        log.debug("keyring: no secret %r to delete", name)
