"""A failed connection is said in words in the account's status, the
same for every network: never "ConnectionError" or "[Errno 111]"."""

from __future__ import annotations

import re
import socket
import ssl

import pytest
import requests

from console.sync.base import TransientError
from console.sync.mastodon.signin import verify_token
from console.sync.reasons import connection_reason

RAW = re.compile(r"Errno|\b\w+(Error|Exception)\b|Traceback")


def _caused(outer: BaseException, inner: BaseException) -> BaseException:
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "refused the connection"),
        (socket.gaierror(-2, "Name or service not known"), "name is not known"),
        (TimeoutError("timed out"), "did not answer in time"),
        (ConnectionResetError(104, "reset"), "connection was cut"),
        (OSError(101, "Network is unreachable"), "network is unreachable"),
        (ssl.SSLCertVerificationError("certificate verify failed"), "certificate"),
        (requests.ConnectionError("Max retries exceeded"), "cannot be reached"),
        (requests.Timeout("read timed out"), "did not answer in time"),
        # requests wraps the socket's error: the deepest cause wins.
        (_caused(requests.ConnectionError("x"), ConnectionRefusedError(111, "r")), "refused"),
        (ValueError("odd"), "the connection failed"),
    ],
)
def test_each_cause_has_its_words(exc: BaseException, words: str) -> None:
    reason = connection_reason(exc)
    assert words in reason and not RAW.search(reason)


def test_a_closed_port_reads_as_refused_not_as_an_exception_name() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientError) as raised:
        verify_token(f"http://127.0.0.1:{port}", "token")
    message = str(raised.value)
    assert "refused the connection" in message and not RAW.search(message), message
