"""Why a connection failed, in words a person reads in the status bar and
the Accounts tab ("it did not answer in time"), never an exception's class
name ("ConnectionError") or an errno ("[Errno 111]"), which go to the log.

Shared by the networks' clients: a dropped Wi-Fi reads the same for a
Mastodon, a Bluesky and a mail account.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and its causes: ``__cause__``, else the context it arose in
    (unless raised ``from None``)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        if current.__cause__ is not None:
            current = current.__cause__
        elif not current.__suppress_context__:
            current = current.__context__
        else:
            current = None


def connection_reason(exc: BaseException) -> str:
    """The most telling cause of a failed connection, as a short phrase."""
    import requests

    causes = list(exception_chain(exc))
    # The deepest cause says most (requests wraps urllib3 wraps the socket's).
    for cause in reversed(causes):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return "its certificate could not be verified"
        if isinstance(cause, ssl.SSLError):
            return "the secure connection failed"
        if isinstance(cause, socket.gaierror):
            return "its name is not known (no network, or a typo in the address)"
        if isinstance(cause, TimeoutError | socket.timeout):
            return "it did not answer in time"
        if isinstance(cause, ConnectionRefusedError):
            return "it refused the connection (is the server running on that port?)"
        if isinstance(cause, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
            return "the connection was cut"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "the network is unreachable"
    for cause in causes:
        if isinstance(cause, requests.exceptions.SSLError):
            return "the secure connection failed"
        if isinstance(cause, requests.Timeout):
            return "it did not answer in time"
        if isinstance(cause, requests.ConnectionError):
            return "it cannot be reached (no network, or the server is down)"
    return "the connection failed"
