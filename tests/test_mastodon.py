"""The Mastodon provider and the engine against a real local Mastodon API
server (mastodon-mock on 127.0.0.1): sync, paging, faults, re-auth.

Parloir is signed in as alice; bob and carol write to her over HTTP.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from console.models.db import Cache
from console.models.schema import Account
from console.services import signin
from console.sync.base import AccountInfo
from console.sync.engine import SyncEngine
from console.sync.mastodon.provider import MastodonProvider
from console.sync.registry import make_provider
from tests.helpers.factories import cache_at
from tests.helpers.mastodon_server import Mastodon

pytestmark = pytest.mark.keyring


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cache]:
    monkeypatch.setenv("PARLOIR_NET_TIMEOUT", "2")
    c = cache_at(tmp_path)
    yield c
    c.close()


def add_alice(cache: Cache, mastodon: Mastodon) -> Account:
    return signin.add_account(cache, "mastodon", {"server": mastodon.url, "token": "alice_token"})


def sync(cache: Cache, **kw: Any) -> Any:
    engine = SyncEngine(cache, **kw)
    try:
        report = engine.run_once()
        return report.accounts[0]
    finally:
        engine.close()


def rows(cache: Cache, sql: str, **params: Any) -> list[Any]:
    with cache.read() as s:
        return list(s.execute(text(sql), params))


def threads(cache: Cache) -> dict[str, list[str]]:
    """thread key -> message texts, oldest first."""
    out: dict[str, list[str]] = {}
    for key, body in rows(
        cache,
        "SELECT c.remote_key, m.text FROM messages m JOIN conversations c "
        "ON c.id = m.conversation_id ORDER BY m.sent_at, m.seq",
    ):
        out.setdefault(key, []).append(body)
    return out


# -- sign-in and first sync ---------------------------------------------------------


def test_token_sign_in_names_the_account_by_the_instance_domain(
    cache: Cache, mastodon: Mastodon
) -> None:
    account = add_alice(cache, mastodon)
    assert account.handle == "alice@mock.local"
    assert account.config["domain"] == "mock.local"


def test_first_sync_brings_mentions_with_their_threads_and_dms_apart(
    cache: Cache, mastodon: Mastodon
) -> None:
    root = mastodon.post("carol", "Who bakes the best croissant in town?")
    mention = mastodon.post("bob", "@alice do you deliver on Sundays?", in_reply_to_id=root["id"])
    mastodon.post("carol", "@bob good question", in_reply_to_id=mention["id"])
    mastodon.post("bob", "@alice my order number is 42, it never came", visibility="direct")
    mastodon.post("bob", "@alice a separate question about bread", visibility="public")
    add_alice(cache, mastodon)

    outcome = sync(cache)

    assert outcome.state == "ok", outcome.message
    found = threads(cache)
    assert found[root["uri"]] == [
        "Who bakes the best croissant in town?",
        "@alice do you deliver on Sundays?",
        "@bob good question",
    ]
    assert found["dm:bob@mock.local"] == ["@alice my order number is 42, it never came"]
    assert len(found) == 3
    kinds = dict(rows(cache, "SELECT remote_key, kind FROM conversations"))
    assert kinds["dm:bob@mock.local"] == "direct"
    assert kinds[root["uri"]] == "public"
    statuses = {r[0] for r in rows(cache, "SELECT status FROM conversations")}
    assert statuses == {"open"}
    # Nobody is counted twice: contacts are per person, handles canonical.
    handles = sorted(r[0] for r in rows(cache, "SELECT handle FROM contacts"))
    assert handles == ["bob@mock.local", "carol@mock.local"]


def test_an_answered_thread_arrives_closed(cache: Cache, mastodon: Mastodon) -> None:
    question = mastodon.post("bob", "@alice open on Monday?")
    mastodon.post("alice", "@bob yes, from 7", in_reply_to_id=question["id"])
    add_alice(cache, mastodon)
    sync(cache)
    [(status, direction)] = rows(
        cache,
        "SELECT c.status, m.direction FROM conversations c JOIN messages m "
        "ON m.conversation_id = c.id ORDER BY m.sent_at DESC LIMIT 1",
    )
    assert (status, direction) == ("closed", "out")


def test_incremental_sync_adds_exactly_the_new_mention(cache: Cache, mastodon: Mastodon) -> None:
    first = mastodon.post("bob", "@alice hello")
    add_alice(cache, mastodon)
    assert sync(cache).new_messages == 1
    assert sync(cache).new_messages == 0
    mastodon.post("bob", "@alice one more thing", in_reply_to_id=first["id"])
    outcome = sync(cache)
    assert outcome.new_messages == 1
    assert threads(cache)[first["uri"]] == ["@alice hello", "@alice one more thing"]


def test_paging_across_pages_first_and_incremental(cache: Cache, mastodon: Mastodon) -> None:
    for i in range(95):
        mastodon.post("bob", f"@alice question number {i}")
    add_alice(cache, mastodon)
    assert sync(cache).new_messages == 95
    for i in range(95, 180):
        mastodon.post("carol", f"@alice question number {i}")
    assert sync(cache).new_messages == 85
    texts = sorted(r[0] for r in rows(cache, "SELECT text FROM messages"))
    assert texts == sorted(f"@alice question number {i}" for i in range(180))
    assert rows(cache, "SELECT count(*) FROM conversations")[0][0] == 180


def test_other_notification_types_are_ignored(cache: Cache, mastodon: Mastodon) -> None:
    mastodon.post("bob", "@alice real mention")
    requests_follow(mastodon)
    add_alice(cache, mastodon)
    outcome = sync(cache)
    assert (outcome.state, outcome.new_messages, outcome.skipped) == ("ok", 1, 0)


def requests_follow(mastodon: Mastodon) -> None:
    import requests

    me = mastodon.get("alice", "/api/v1/accounts/verify_credentials")
    requests.post(
        f"{mastodon.url}/api/v1/accounts/{me['id']}/follow",
        headers={"Authorization": "Bearer bob_token"},
        timeout=10,
    ).raise_for_status()


# -- bad records ---------------------------------------------------------------------


def test_unknown_type_and_malformed_notification_among_good_ones(
    cache: Cache, mastodon: Mastodon
) -> None:
    """A page shaped like the API documentation, with one notification of a
    type no version knows and one mention whose status lacks its account."""
    good = [mastodon.post("bob", f"@alice good {i}") for i in range(3)]
    notes = mastodon.get("alice", "/api/v1/notifications", **{"types[]": "mention"})
    assert len(notes) == 3
    strange = dict(notes[0], id="9000000000000000001", type="quantum.entangled")
    broken = dict(notes[1], id="9000000000000000002")
    broken["status"] = {k: v for k, v in notes[1]["status"].items() if k != "account"}
    broken["status"]["id"] = "9000000000000000003"
    page = [strange, notes[0], broken, notes[1], notes[2]]
    mastodon.fault(
        {"type": "status", "status": 200, "body": page},
        path="/api/v1/notifications",
        methods=["GET"],
        count=1,
    )
    add_alice(cache, mastodon)
    outcome = sync(cache)
    assert outcome.state == "ok"
    assert outcome.skipped == 1
    assert sorted(r[0] for r in rows(cache, "SELECT text FROM messages")) == sorted(
        s["content"].replace("<p>", "").replace("</p>", "") for s in good
    )


def test_malformed_json_is_a_transient_error_and_nothing_is_lost(
    cache: Cache, mastodon: Mastodon
) -> None:
    mastodon.post("bob", "@alice hello")
    add_alice(cache, mastodon)
    mastodon.fault({"type": "malformed"}, path="/api/v1/notifications", count=1)
    outcome = sync(cache)
    assert outcome.state == "error"  # the mentions stream; the DMs synced
    assert "malformed" in outcome.message
    assert sync(cache).new_messages == 1


# -- faults --------------------------------------------------------------------------


def test_rate_limit_waits_until_the_reset(cache: Cache, mastodon: Mastodon) -> None:
    mastodon.post("bob", "@alice hello")
    add_alice(cache, mastodon)
    reset = int(time.time()) + 7
    mastodon.fault(
        {"type": "ratelimit", "headers": {"X-RateLimit-Reset": str(reset)}},
        path="/api/v1/notifications",
        count=1,
    )
    engine = SyncEngine(cache)
    try:
        outcome = engine.run_once().accounts[0]
        assert outcome.state == "rate_limited"
        wait = engine._not_before_in(outcome.account_id)
        assert reset - time.time() - 1.5 <= wait <= reset - time.time() + 0.5
        # "Sync now" does not override a server's rate limit.
        engine.sync_now()
        assert engine._not_before_in(outcome.account_id) > 0
    finally:
        engine.close()
    assert sync(cache).new_messages == 1


def test_server_errors_and_timeouts_back_off_then_succeed(cache: Cache, mastodon: Mastodon) -> None:
    mastodon.post("bob", "@alice hello")
    add_alice(cache, mastodon)
    # The whole server failing: the account is offline and backs off.
    for path in ("/api/v1/notifications", "/api/v1/conversations"):
        mastodon.fault({"type": "status", "status": 502}, path=path, count=1)
    first = sync(cache)
    assert first.state == "offline" and "502" in first.message
    # Only the mentions failing: an error in words, the direct messages synced.
    mastodon.fault({"type": "timeout", "delay_ms": 4000}, path="/api/v1/notifications", count=1)
    started = time.monotonic()
    second = sync(cache)
    assert second.state == "error" and "Mentions" in second.message
    assert time.monotonic() - started < 4, "the client timeout (2 s) did not apply"
    mastodon.fault({"type": "status", "status": 500}, path="/api/v1/statuses/*/context", count=1)
    assert sync(cache).state == "error"
    outcome = sync(cache)
    assert (outcome.state, outcome.new_messages) == ("ok", 1)
    status = rows(cache, "SELECT status, status_message FROM accounts")[0]
    assert status == ("ok", None)


def test_dms_failing_do_not_stop_or_lose_the_mentions_of_the_same_pass(
    cache: Cache, mastodon: Mastodon
) -> None:
    first = mastodon.post("bob", "@alice hello")
    add_alice(cache, mastodon)
    assert sync(cache).state == "ok"
    mastodon.post("bob", "@alice a second question", in_reply_to_id=first["id"])
    mastodon.post("carol", "@alice private matter", visibility="direct")
    mastodon.fault({"type": "status", "status": 500}, path="/api/v1/conversations", count=1)
    failed = sync(cache)
    assert failed.state == "error" and "Direct messages" in failed.message
    assert "\n" not in failed.message
    assert threads(cache)[first["uri"]] == ["@alice hello", "@alice a second question"]
    status = rows(cache, "SELECT status, status_message FROM accounts")[0]
    assert status[0] == "error" and "Direct messages" in status[1]
    again = sync(cache)
    assert again.state == "ok", again.message
    assert threads(cache)["dm:carol@mock.local"] == ["@alice private matter"]
    assert rows(cache, "SELECT status, status_message FROM accounts")[0] == ("ok", None)


def test_revoked_token_means_reauth_and_no_more_requests(cache: Cache, mastodon: Mastodon) -> None:
    add_alice(cache, mastodon)
    mastodon.revoke("alice_token")
    made: list[str] = []

    def factory(account: Account, secret: str | None) -> Any:
        made.append(account.id)
        return make_provider(account, secret)

    outcome = sync(cache, provider_factory=factory)
    assert outcome.state == "needs_reauth"
    assert "mock.local" in outcome.message or mastodon.url in outcome.message
    assert made
    made.clear()
    again = sync(cache, provider_factory=factory)
    assert again.state == "needs_reauth"
    assert made == [], "an account that needs re-auth must not be polled"
    listed = rows(cache, "SELECT status, status_message FROM accounts")[0]
    assert listed[0] == "needs_reauth" and listed[1]


# -- length rule and HTML --------------------------------------------------------------


def test_length_rule_comes_from_the_instance(cache: Cache, mastodon: Mastodon) -> None:
    account = add_alice(cache, mastodon)
    provider = make_provider(account, "alice_token")
    assert isinstance(provider, MastodonProvider)
    limits = provider.limits()
    assert (limits.max_length, limits.url_length) == (500, 23)


def test_hostile_html_is_sanitised_and_text_kept(cache: Cache, mastodon: Mastodon) -> None:
    info = AccountInfo(
        id="a",
        network="mastodon",
        handle="alice@mock.local",
        server=mastodon.url,
        settings={"remote_id": "1", "domain": "mock.local"},
    )
    provider = MastodonProvider(info, "alice_token")
    status = {
        "id": "7",
        "uri": "https://x.example/s/7",
        "created_at": "2026-11-01T10:00:00.000Z",
        "visibility": "public",
        "account": {"id": "2", "acct": "eve@x.example", "display_name": "Eve"},
        "content": '<p>Hi <script>alert(1)</script><img src="https://t.example/px.gif">'
        '<a href="javascript:alert(1)">click</a> '
        '<a href="https://example.org/a/very/long/path">example.org/a/very…</a></p>'
        '<iframe src="https://evil.example"></iframe><p>bye</p>',
    }
    message = provider._message(status, "k", provider_kind())
    assert message.html is not None
    for bad in ("script", "img", "javascript", "iframe", "alert"):
        assert bad not in message.html
    assert "https://example.org/a/very/long/path" in message.text
    assert message.text.startswith("Hi click")
    assert message.text.endswith("bye")
    assert message.author.handle == "eve@x.example"


def provider_kind() -> Any:
    from console.sync.base import Kind

    return Kind.PUBLIC


def test_the_instance_length_limit_reaches_the_composer(cache: Cache, mastodon: Mastodon) -> None:
    from console.services import conversation

    mastodon.post("bob", "@alice long answers welcome")
    add_alice(cache, mastodon)
    mastodon.fault(
        {
            "type": "status",
            "status": 200,
            "body": {"configuration": {"statuses": {"max_characters": 1000,
                                                     "characters_reserved_per_url": 23}}},
        },
        path="/api/v2/instance",
        count=1,
    )  # fmt: skip
    sync(cache)
    [(conv_id,)] = rows(cache, "SELECT id FROM conversations")
    with cache.read() as s:
        assert conversation.pane_view(s, conv_id).max_length == 1000
