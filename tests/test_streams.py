"""One stream of an account failing does not stop the others or lose what
they fetched in the same pass (console/sync/streams.py)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from console.models.schema import Account
from console.sync.base import (
    AccountInfo,
    AuthError,
    ContactRecord,
    Direction,
    FetchResult,
    Kind,
    MessageRecord,
    RateLimited,
    TransientError,
)
from console.sync.engine import SyncEngine
from console.sync.registry import account_info
from console.sync.streams import STREAM_ERRORS, Streams, stream_problem
from tests.helpers.factories import add_account, cache_at
from tests.helpers.fake_provider import FakeProvider, FakeServer


def _record(remote_id: str) -> MessageRecord:
    from console.models.types import utcnow

    who = ContactRecord("mastodon", "u@x.example", "u@x.example", "U")
    return MessageRecord(
        remote_id, f"t-{remote_id}", Kind.PUBLIC, Direction.IN, who, utcnow(), "hi"
    )


class TwoStreams(FakeProvider):
    """Mentions and DMs, each with its own cursor; a test breaks either."""

    broken: set[str] = set()

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        result = FetchResult(cursors=dict(cursors))
        streams = Streams(result)
        for name in ("mentions", "direct"):
            streams.run(name, name.capitalize(), functools.partial(self._one, name, result))
        streams.finish()
        return result

    def _one(self, name: str, result: FetchResult) -> None:
        seen = int(result.cursors.get(name, 0))
        result.messages.append(_record(f"{name}-{seen + 1}"))  # fetched before failing
        if name in self.broken:
            raise {"mentions": TransientError, "direct": KeyError}[name]("HTTP 500.")
        result.cursors[name] = seen + 1


@pytest.fixture
def env(tmp_path: Path):
    cache = cache_at(tmp_path)
    server = FakeServer(tmp_path / "server.json")
    acc = add_account(cache, config={"demo": True})
    TwoStreams.broken = set()
    engine = SyncEngine(cache, provider_factory=lambda a, s: TwoStreams(account_info(a), s, server))
    yield cache, engine, acc
    engine.close()
    cache.close()


def _cursors(cache: Any, acc: str) -> dict[str, Any]:
    with cache.read() as s:
        return dict(s.scalar(select(Account.cursors).where(Account.id == acc)) or {})


def test_a_failing_stream_keeps_its_cursor_while_the_other_commits(env) -> None:
    cache, engine, acc = env
    TwoStreams.broken = {"direct"}
    outcome = engine.run_once().accounts[0]
    assert outcome.state == "error"
    assert outcome.message.startswith("Direct could not be read (an unexpected KeyError")
    cursors = _cursors(cache, acc)
    assert cursors["mentions"] == 1 and "direct" not in cursors
    assert cursors[STREAM_ERRORS]["direct"]["failures"] == 1
    with cache.read() as s:
        stored = {r[0] for r in s.execute(text("SELECT remote_id FROM messages"))}
        status = s.execute(select(Account.status, Account.status_message)).one()
    assert "mentions-1" in stored
    assert status == ("error", outcome.message)
    # The fault goes: the failed stream catches up, the account is ok.
    TwoStreams.broken = set()
    outcome = engine.run_once().accounts[0]
    assert outcome.state == "ok", outcome.message
    cursors = _cursors(cache, acc)
    assert (cursors["mentions"], cursors["direct"]) == (2, 1)
    assert STREAM_ERRORS not in cursors
    with cache.read() as s:
        assert s.execute(select(Account.status, Account.status_message)).one() == ("ok", None)


def test_every_stream_failing_is_the_account_failing(env) -> None:
    cache, engine, acc = env
    TwoStreams.broken = {"mentions", "direct"}
    outcome = engine.run_once().accounts[0]
    assert outcome.state == "offline"  # the first failure, for the whole account
    assert engine._not_before_in(acc) > 0
    assert _cursors(cache, acc) == {}


def test_repeated_failures_back_off_and_a_person_asking_retries_at_once() -> None:
    result = FetchResult(cursors={})
    calls: list[str] = []

    def broken() -> None:
        calls.append("x")
        raise TransientError("HTTP 500.")

    for _ in range(3):
        Streams(result).run("direct", "Direct messages", broken)
    # First failure: retried on the next pass; the second starts a backoff.
    assert len(calls) == 2
    entry = result.cursors[STREAM_ERRORS]["direct"]
    assert entry["failures"] == 2 and entry["retry_at"] > 0
    from console.sync.streams import retry_streams_now

    result.cursors = retry_streams_now(result.cursors)
    Streams(result).run("direct", "Direct messages", broken)
    assert len(calls) == 3
    assert result.cursors[STREAM_ERRORS]["direct"]["failures"] == 3
    problem = stream_problem(result.cursors)
    assert problem == (
        "Direct messages could not be read (HTTP 500); the rest synced and Parloir will try again."
    )


@pytest.mark.parametrize("error", [AuthError("refused."), RateLimited("slow down.", 30)])
def test_account_wide_answers_are_not_a_stream_failure(error: Exception) -> None:
    result = FetchResult(cursors={})

    def fail() -> None:
        raise error

    with pytest.raises(type(error)):
        Streams(result).run("direct", "Direct messages", fail)
    assert STREAM_ERRORS not in result.cursors


# -- e-mail: a folder failing while INBOX works -------------------------------------


class _Imap:
    """INBOX holds two messages; "Archive" cannot be opened."""

    def __init__(self) -> None:
        self.selected = ""

    def select_folder(self, folder: str, readonly: bool = True) -> dict[bytes, Any]:
        import imapclient

        if folder == "Archive":
            raise imapclient.exceptions.IMAPClientError("SELECT failed: no such mailbox")
        self.selected = folder
        return {b"UIDVALIDITY": 9, b"UIDNEXT": 3}

    def search(self, criteria: Any) -> list[int]:
        return [1, 2] if self.selected == "INBOX" else []

    def fetch(self, uids: list[int], items: Any) -> dict[int, dict[bytes, Any]]:
        return {
            u: {
                b"BODY[]<0>": b"From: a@example.org\r\nMessage-ID: <%d@x>\r\n\r\nhello" % u,
                b"RFC822.SIZE": 60,
                b"FLAGS": (),
            }
            for u in uids
        }

    def logout(self) -> None:
        return None


def test_an_imap_folder_failing_does_not_stop_inbox() -> None:
    from console.sync.email.provider import EmailProvider

    info = AccountInfo(
        id="a",
        network="email",
        handle="shop@example.com",
        server="imap.example.com",
        settings={
            "imap": "imap.example.com",
            "smtp": "smtp.example.com",
            "folders": ["Archive", "INBOX"],
            "sent_folder": "INBOX",
        },
    )
    provider = EmailProvider(info, "pw")
    provider._imap = _Imap()
    result = provider.fetch({})
    assert sorted(m.remote_id for m in result.messages) == ["1@x", "2@x"]
    assert result.cursors["folders"]["INBOX"]["uid"] == 2
    assert "Archive" not in result.cursors["folders"]
    problem = stream_problem(result.cursors)
    assert problem is not None and problem.startswith("The folder Archive could not be read")
    assert "no such mailbox" in problem
