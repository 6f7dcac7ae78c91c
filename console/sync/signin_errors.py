"""Why a sign-in failed, in one sentence a person understands.

Each network fails in its own words: requests says ``ConnectionError``,
imaplib ``[Errno 111] Connection refused``, a Bluesky PDS
``AuthenticationRequired``. A person adding an account needs to know what
to fix, and the answer is the same whatever the network: the address cannot
be reached, the secure connection failed, the server refused the login,
the address is not that kind of server, or there is no keyring for the
secret. :func:`classify` finds that kind in the exception (and the chain of
causes under it); a network's sign-in wraps its talking to a server in
:func:`signing_in`, which turns a failure into :class:`SignInFailed` (the
kind, the host, the kind of server) and logs the raw exception, which never
reaches the person.

The sentences are here once, in English (:data:`SENTENCES`): the CLI
prints them, the window translates them by kind (the marker below makes
them translatable without Qt; the catalogue's context is :data:`CONTEXT`).
"""

from __future__ import annotations

import enum
import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from console.credentials import KeyringUnavailable
from console.sync.base import AuthError, NotAServer, ProviderError, SignInRefused
from console.sync.reasons import exception_chain

__all__ = [
    "CONTEXT",
    "SENTENCES",
    "Failure",
    "SignInFailed",
    "classify",
    "host_of",
    "keeping_secret",
    "signing_in",
]

log = logging.getLogger(__name__)

#: The translation context of the sentences (resources/translations/*.ts).
CONTEXT = "SignInFailure"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate knows
    """Marks ``text`` for the catalogue without Qt (see views/i18n.py)."""
    del context
    return text


class Failure(enum.StrEnum):
    """What went wrong, whatever the network."""

    UNREACHABLE = "unreachable"  # no such name, refused, timed out, no network
    TLS = "tls"  # certificate not verified, or no TLS on that port
    REFUSED_CREDENTIALS = "refused_credentials"  # 401/403, LOGIN NO, 535, bad app password
    NOT_A_SERVER = "not_a_server"  # it answered, but not as that kind of server
    NO_KEYRING = "no_keyring"  # no Secret Service, or it is locked
    OTHER = "other"  # a server error (5xx) or anything else the network reported


#: One sentence per kind; ``{host}`` is the server's address, ``{server}``
#: the kind of server ("Mastodon", "Bluesky", "mail (IMAP)", "mail (SMTP)").
SENTENCES: dict[Failure, str] = {
    Failure.UNREACHABLE: QT_TRANSLATE_NOOP(
        "SignInFailure", "Parloir could not reach {host}: check the address and your connection."
    ),
    Failure.TLS: QT_TRANSLATE_NOOP(
        "SignInFailure",
        "The secure connection to {host} failed: its certificate could not be verified, "
        "or that port does not use TLS. Check the address, the port and the security setting.",
    ),
    Failure.REFUSED_CREDENTIALS: QT_TRANSLATE_NOOP(
        "SignInFailure",
        "{host} refused the user name, password or token: check them and try again.",
    ),
    Failure.NOT_A_SERVER: QT_TRANSLATE_NOOP(
        "SignInFailure",
        "{host} answered, but it is not a {server} server: check the address.",
    ),
    Failure.NO_KEYRING: QT_TRANSLATE_NOOP(
        "SignInFailure",
        "No keyring is available to keep the password: start or unlock one "
        "(such as gnome-keyring or KWallet), then try again. Nothing was saved.",
    ),
    Failure.OTHER: QT_TRANSLATE_NOOP(
        "SignInFailure",
        "{host} could not sign you in right now: try again later (the details are in the log).",
    ),
}


class SignInFailed(Exception):
    """A sign-in failed for a reason of kind ``kind``; ``str()`` is the
    English sentence (the window translates :data:`SENTENCES` itself)."""

    def __init__(self, kind: Failure, host: str, server: str) -> None:
        self.kind, self.host, self.server = kind, host, server
        super().__init__(self.sentence(SENTENCES[kind]))

    def sentence(self, template: str) -> str:
        """``template`` (this kind's sentence, maybe translated) filled in."""
        return template.format(host=self.host, server=self.server)


def host_of(url: str) -> str:
    """``https://social.example:8443/x`` -> ``social.example:8443``: the
    address as the person typed it, without the scheme."""
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0] or url


def _kind_of(exc: BaseException) -> Failure | None:
    """The kind one exception says by itself, or None."""
    import imaplib

    import requests

    if isinstance(exc, KeyringUnavailable):
        return Failure.NO_KEYRING
    if isinstance(exc, AuthError | smtplib.SMTPAuthenticationError):
        return Failure.REFUSED_CREDENTIALS
    if isinstance(exc, NotAServer):
        return Failure.NOT_A_SERVER
    if isinstance(exc, ssl.SSLError | ssl.CertificateError | requests.exceptions.SSLError):
        return Failure.TLS
    if isinstance(exc, imaplib.IMAP4.error | smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        # The connection opened but the greeting was not IMAP's or SMTP's.
        return Failure.NOT_A_SERVER
    if isinstance(exc, requests.RequestException | smtplib.SMTPServerDisconnected):
        return Failure.UNREACHABLE
    if isinstance(exc, OSError):  # no such name, refused, reset, timed out, no network
        return Failure.UNREACHABLE
    return None


#: The most telling kind first: a refused login wrapped around a socket
#: error is a refused login; a TLS error under a ConnectionError is TLS.
_PRIORITY = (
    Failure.NO_KEYRING,
    Failure.REFUSED_CREDENTIALS,
    Failure.NOT_A_SERVER,
    Failure.TLS,
    Failure.UNREACHABLE,
)


def classify(exc: BaseException) -> Failure | None:
    """The kind of a sign-in failure, or None when ``exc`` is not one (a
    bug, which must stay a bug rather than become a sentence)."""
    found = {kind for kind in map(_kind_of, exception_chain(exc)) if kind is not None}
    for kind in _PRIORITY:
        if kind in found:
            return kind
    if isinstance(exc, ProviderError):
        return Failure.OTHER  # a 5xx, a rate limit: the network's own typed error
    return None


@contextmanager
def keeping_secret(host: str, server: str) -> Iterator[None]:
    """Inside the block only the keyring may fail as a sign-in does (the
    cache's own failures stay what they are): no keyring is a
    :class:`SignInFailed` of kind NO_KEYRING."""
    try:
        yield
    except KeyringUnavailable as exc:
        log.info("sign-in to %s: no keyring: %s", host, exc)
        raise SignInFailed(Failure.NO_KEYRING, host, server) from exc


@contextmanager
def signing_in(host: str, server: str) -> Iterator[None]:
    """Turn a failure inside the block into :class:`SignInFailed` for
    ``host`` (a ``server`` server); the raw exception goes to the log.
    A :class:`SignInRefused` (already one sentence) and bugs pass through."""
    try:
        yield
    except (SignInRefused, SignInFailed):
        raise
    except Exception as exc:
        kind = classify(exc)
        if kind is None:
            raise
        log.info("sign-in to %s failed (%s): %r", host, kind, exc, exc_info=exc)
        raise SignInFailed(kind, host, server) from exc
