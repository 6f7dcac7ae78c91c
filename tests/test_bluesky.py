"""The Bluesky provider against a real local network (PLC, PDS, AppView of
@atproto/dev-env on a throwaway PostgreSQL): sign-in, sync of mentions,
replies and quotes with their threads, replies posted once with root,
parent and facets, a dropped answer, session refresh."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import text

from console import credentials
from console.models.db import Cache
from console.services import drafts, outbox, signin
from console.sync.engine import SyncEngine
from console.sync.outbox import OutboxSender
from console.sync.richtext import facets, graphemes
from console.sync.signin_errors import SignInFailed
from console.sync.tid import is_tid, new_tid
from tests.helpers.bluesky_network import BlueskyNetwork
from tests.helpers.cli import cli_env
from tests.helpers.drop_proxy import DropProxy

pytestmark = pytest.mark.keyring


def add_us(cache: Cache, net: BlueskyNetwork, service: str | None = None) -> Any:
    us = net.us
    assert us.app_password
    return signin.add_account(
        cache,
        "bluesky",
        {"handle": us.handle, "app_password": us.app_password, "service": service or net.pds},
    )


def sync(cache: Cache) -> Any:
    engine = SyncEngine(cache)
    try:
        return engine.run_once().accounts[0]
    finally:
        engine.close()


def rows(cache: Cache, sql: str, **params: Any) -> list[Any]:
    with cache.read() as s:
        return list(s.execute(text(sql), params))


def get_record(net: BlueskyNetwork, uri: str) -> dict[str, Any]:
    did, collection, rkey = uri.removeprefix("at://").split("/")
    response = requests.get(
        f"{net.pds}/xrpc/com.atproto.repo.getRecord",
        params={"repo": did, "collection": collection, "rkey": rkey},
        timeout=30,
    )
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


# -- units ------------------------------------------------------------------------------


def test_graphemes_facets_and_tids() -> None:
    assert graphemes("👨‍👩‍👧‍👦") == 1  # a ZWJ family
    assert graphemes("🇫🇷🇧🇪") == 2  # two flags
    assert graphemes("e\u0301") == 1  # e + combining acute
    body = "Café ☕ merci @bob.test — https://velo.example/a?b=1."
    found = facets(body, lambda h: "did:plc:bob" if h == "bob.test" else None)
    data = body.encode("utf-8")
    spans = [data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in found]
    assert spans == ["@bob.test", "https://velo.example/a?b=1"]
    tids = [new_tid() for _ in range(200)]
    assert all(is_tid(t) and len(t) == 13 for t in tids)
    assert tids == sorted(tids) and len(set(tids)) == 200


# -- against the network ----------------------------------------------------------------


def test_sign_in_keeps_the_session_in_the_keyring(cache: Cache, bluesky: BlueskyNetwork) -> None:
    account = add_us(cache, bluesky)
    assert account.handle == bluesky.us.handle and account.remote_id == bluesky.us.did
    session = json.loads(credentials.load_secret(credentials.account_key(account.id)) or "{}")
    assert session["did"] == bluesky.us.did and session["refreshJwt"] and session["accessJwt"]
    with pytest.raises(SignInFailed, match="refused the user name, password or token"):
        signin.add_account(
            cache,
            "bluesky",
            {
                "handle": bluesky.us.handle,
                "app_password": "wrong-pass-word",
                "service": bluesky.pds,
            },
        )


def test_mentions_replies_and_quotes_arrive_with_their_threads(
    cache: Cache, bluesky: BlueskyNetwork
) -> None:
    add_us(cache, bluesky)
    outcome = sync(cache)
    assert outcome.state == "ok", outcome.message
    posts = bluesky.posts
    found = dict(rows(cache, "SELECT m.remote_id, c.remote_key FROM messages m "
                             "JOIN conversations c ON c.id = m.conversation_id"))  # fmt: skip
    for name in ("mention", "reply", "quote"):
        assert posts[name]["uri"] in found, name
    # The reply to our post lives in our post's thread (key = root AT-URI).
    assert found[posts["reply"]["uri"]] == posts["root"]["uri"]
    assert found[posts["root"]["uri"]] == posts["root"]["uri"]
    assert sync(cache).new_messages == 0

    new = bluesky.post(bluesky.accounts[1].handle, f"@{bluesky.us.handle} one more question")
    bluesky.process_all()
    again = sync(cache)
    assert again.new_messages == 1
    assert new["uri"] in dict(rows(cache, "SELECT remote_id, 1 FROM messages"))


def _queue_reply(cache: Cache, conv_key: str, body: str) -> str:
    [(conv_id,)] = rows(cache, "SELECT id FROM conversations WHERE remote_key = :k", k=conv_key)

    def task(tx: Any) -> str:
        drafts.save_draft(tx, conv_id, body)
        return outbox.enqueue(tx, conv_id).id

    return str(cache.writer.call(task))


def test_a_reply_goes_out_once_with_root_parent_and_facets(
    cache: Cache, bluesky: BlueskyNetwork
) -> None:
    add_us(cache, bluesky)
    sync(cache)
    other = bluesky.accounts[1]
    root = bluesky.posts["root"]["uri"]
    item = _queue_reply(cache, root, f"Merci @{other.handle} ! Détails ici https://velo.example/r")
    sender = OutboxSender(cache)
    try:
        assert sender.deliver(item) == "sent"
    finally:
        sender.close()
    [(key, remote)] = rows(cache, "SELECT key, remote_id FROM outbox")
    assert is_tid(key) and remote.endswith(f"/app.bsky.feed.post/{key}")
    record = get_record(bluesky, remote)["value"]
    assert record["reply"]["root"]["uri"] == root
    parent_uri = record["reply"]["parent"]["uri"]
    assert parent_uri in {bluesky.posts["reply"]["uri"], root}
    body = record["text"].encode("utf-8")
    mention = next(f for f in record["facets"] if "mention" in f["features"][0]["$type"])
    assert mention["features"][0]["did"] == other.did
    start, end = mention["index"]["byteStart"], mention["index"]["byteEnd"]
    assert body[start:end].decode() == f"@{other.handle}"


def test_a_dropped_answer_is_settled_by_getrecord_never_twice(
    cache: Cache, bluesky: BlueskyNetwork
) -> None:
    proxy = DropProxy(bluesky.pds)
    proxy.post_path = "/xrpc/com.atproto.repo.createRecord"
    try:
        add_us(cache, bluesky, service=proxy.url)
        sync(cache)
        item = _queue_reply(cache, bluesky.posts["root"]["uri"], "Réponse unique, promis.")
        proxy.mode = "drop_response"
        sender = OutboxSender(cache)
        try:
            assert sender.deliver(item) == "unknown"
            proxy.mode = "pass"
            assert sender.deliver(item, force=True) == "sent"
        finally:
            sender.close()
        assert proxy.posts_seen == 1  # settled by getRecord, not by posting again
        [(key, remote)] = rows(cache, "SELECT key, remote_id FROM outbox")
        assert get_record(bluesky, remote)["value"]["text"] == "Réponse unique, promis."
    finally:
        proxy.close()


def test_session_refresh_rotates_and_saves_the_token(cache: Cache, bluesky: BlueskyNetwork) -> None:
    account = add_us(cache, bluesky)
    name = credentials.account_key(account.id)
    before = json.loads(credentials.load_secret(name) or "{}")
    # An access token the server no longer accepts: the provider refreshes once.
    before["accessJwt"] = before["accessJwt"][:-4] + "AAAA"
    credentials.store_secret(name, json.dumps(before))
    assert sync(cache).state == "ok"
    after = json.loads(credentials.load_secret(name) or "{}")
    assert after["refreshJwt"] != before["refreshJwt"]
    # The reference PDS keeps a spent refresh token usable for a grace period
    # and answers it with the same successor: the one we saved.
    old = requests.post(
        f"{bluesky.pds}/xrpc/com.atproto.server.refreshSession",
        headers={"Authorization": f"Bearer {before['refreshJwt']}"},
        timeout=30,
    )
    assert old.status_code == 200
    assert _jti(old.json()["refreshJwt"]) == _jti(after["refreshJwt"])


def _jti(token: str) -> str:
    import base64

    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims["jti"])


# -- direct messages (a lexicon-shaped chat service behind the real PDS proxy) ------------


@pytest.fixture
def chat(bluesky: BlueskyNetwork) -> Iterator[Any]:
    from tests.helpers.fake_chat import FakeChat

    profiles = {
        a.did: {"did": a.did, "handle": a.handle, "displayName": a.handle.split(".")[0].title()}
        for a in bluesky.accounts
    }
    fake = FakeChat(profiles)
    before = bluesky.chat_handler
    bluesky.chat_handler = fake.handle
    yield fake
    bluesky.chat_handler = before


def add_us_for_dms(cache: Cache, net: BlueskyNetwork) -> Any:
    us = net.us
    assert us.privileged_app_password
    return signin.add_account(
        cache,
        "bluesky",
        {"handle": us.handle, "app_password": us.privileged_app_password, "service": net.pds},
    )


def test_dms_arrive_skip_the_unknown_and_follow_the_log(
    cache: Cache, bluesky: BlueskyNetwork, chat: Any
) -> None:
    us, bob = bluesky.us.did, bluesky.accounts[1].did
    chat.convo("c1", us, bob)
    chat.say("c1", bob, "Bonjour, ma commande ?")
    chat.add_raw("c1", {"$type": "chat.bsky.convo.defs#systemMessageView", "id": "x1",
                        "sentAt": "2026-11-30T00:00:00Z"})  # fmt: skip
    chat.add_raw("c1", {"$type": "chat.bsky.convo.defs#messageView", "id": "bad",
                        "text": "no sender", "sentAt": "2026-11-30T00:00:00Z"})  # fmt: skip
    chat.say("c1", us, "Elle part demain.")
    add_us_for_dms(cache, bluesky)
    first = sync(cache)
    assert first.state == "ok", first.message
    dms = rows(cache, "SELECT m.text, m.direction, c.kind FROM messages m JOIN conversations c "
                      "ON c.id = m.conversation_id WHERE c.remote_key = 'convo:c1' "
                      "ORDER BY m.sent_at, m.seq")  # fmt: skip
    assert sorted(dms) == [
        ("Bonjour, ma commande ?", "in", "direct"),
        ("Elle part demain.", "out", "direct"),
    ]
    assert first.skipped >= 1
    chat.say("c1", bob, "Merci !")
    chat.faults.append(("getLog", 500))
    # A 500 through the proxy: the DM stream fails (in words), the rest syncs.
    failed = sync(cache)
    assert failed.state == "error" and "Direct messages" in failed.message
    again = sync(cache)
    assert (again.state, again.new_messages) == ("ok", 1)


def test_dms_failing_do_not_stop_or_lose_the_mentions_of_the_same_pass(
    cache: Cache, bluesky: BlueskyNetwork, chat: Any
) -> None:
    us, bob = bluesky.us.did, bluesky.accounts[1].did
    chat.convo("c1", us, bob)
    add_us_for_dms(cache, bluesky)
    assert sync(cache).state == "ok"
    mention = bluesky.post(bluesky.accounts[1].handle, f"@{bluesky.us.handle} still there?")
    bluesky.process_all()
    chat.say("c1", bob, "and a DM")
    chat.faults.append(("getLog", 500))
    failed = sync(cache)
    assert failed.state == "error" and "Direct messages" in failed.message
    assert "\n" not in failed.message and failed.new_messages >= 1
    stored = {r[0] for r in rows(cache, "SELECT remote_id FROM messages")}
    assert mention["uri"] in stored  # committed in the same pass, with its cursor
    status = rows(cache, "SELECT status, status_message FROM accounts")[0]
    assert status[0] == "error" and "Direct messages" in status[1]
    again = sync(cache)
    assert (again.state, again.new_messages) == ("ok", 1)
    assert rows(cache, "SELECT status, status_message FROM accounts")[0] == ("ok", None)


def test_without_dm_access_public_mentions_still_sync(
    cache: Cache, bluesky: BlueskyNetwork, chat: Any
) -> None:
    account = add_us(cache, bluesky)  # the app password without DM access
    outcome = sync(cache)
    assert outcome.state == "ok"
    assert rows(cache, "SELECT count(*) FROM messages")[0][0] >= 3
    cursors = json.loads(rows(cache, "SELECT cursors FROM accounts WHERE id = :i",
                              i=account.id)[0][0])  # fmt: skip
    assert "direct messages" in cursors["chat_error"]


def test_a_dm_reply_whose_answer_was_lost_is_not_sent_twice(
    cache: Cache, bluesky: BlueskyNetwork, chat: Any
) -> None:
    us, bob = bluesky.us.did, bluesky.accounts[1].did
    chat.convo("c2", us, bob)
    chat.say("c2", bob, "Vous êtes ouverts dimanche ?")
    add_us_for_dms(cache, bluesky)
    sync(cache)
    item = _queue_reply(cache, "convo:c2", "Oui, de 8 h à 13 h.")
    chat.lost_answers.add("sendMessage")
    sender = OutboxSender(cache)
    try:
        assert sender.deliver(item) == "unknown"
        assert sender.deliver(item, force=True) == "sent"  # found by reading the convo
    finally:
        sender.close()
    assert [m["text"] for m in chat.sent] == ["Oui, de 8 h à 13 h."]


def test_a_dm_reply_that_never_left_stays_queued(
    cache: Cache, bluesky: BlueskyNetwork, chat: Any
) -> None:
    """Connection refused before sendMessage left: queued, not unknown
    (a DM has no idempotency, so unknown would leave it to the person)."""
    us, bob = bluesky.us.did, bluesky.accounts[1].did
    chat.convo("c3", us, bob)
    chat.say("c3", bob, "Encore là ?")
    proxy = DropProxy(bluesky.pds)
    try:
        assert bluesky.us.privileged_app_password
        signin.add_account(
            cache,
            "bluesky",
            {
                "handle": bluesky.us.handle,
                "app_password": bluesky.us.privileged_app_password,
                "service": proxy.url,
            },
        )
        sync(cache)
        item = _queue_reply(cache, "convo:c3", "Toujours là.")
        proxy.down()
        sender = OutboxSender(cache)
        try:
            assert sender.deliver(item) == "queued"
            proxy.up()
            assert sender.deliver(item, force=True) == "sent"
        finally:
            sender.close()
        assert [m["text"] for m in chat.sent] == ["Toujours là."]
    finally:
        proxy.close()


# -- the command line ---------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    return cli_env(home, PARLOIR_NET_TIMEOUT="10")


ROOT = Path(__file__).resolve().parent.parent


def test_cli_sync_killed_twenty_times_keeps_every_post_once(
    parloir_home: Path, bluesky: BlueskyNetwork
) -> None:
    import random
    import signal
    import subprocess
    import sys
    import time

    others = bluesky.accounts[1:]
    made = []
    for n in range(120):
        author = others[n % len(others)].handle
        made.append(
            bluesky.post(author, f"@{bluesky.us.handle} question {n} about the shop")["uri"]
        )
    bluesky.process_all()
    env = _env(parloir_home)
    added = subprocess.run(
        [sys.executable, "-m", "console", "account", "add", "bluesky", "--handle",
         bluesky.us.handle, "--service", bluesky.pds, "--app-password-stdin"],
        input=f"{bluesky.us.app_password}\n", capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    rng = random.Random(6)
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "sync", "--once"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.4, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    final = subprocess.run(
        [sys.executable, "-m", "console", "sync", "--once"], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert final.returncode == 0, final.stdout + final.stderr
    import sqlite3

    from console import paths

    db = sqlite3.connect(paths.cache_path())
    ids = [r[0] for r in db.execute("SELECT remote_id FROM messages")]
    keys = [r[0] for r in db.execute("SELECT remote_key FROM conversations")]
    db.close()
    assert set(made) <= set(ids)
    assert len(ids) == len(set(ids)) and len(keys) == len(set(keys))


def test_dm_paging_and_a_rate_limit(cache: Cache, bluesky: BlueskyNetwork, chat: Any) -> None:
    us, alice = bluesky.us.did, bluesky.accounts[1].did
    for n in range(3):
        chat.convo(f"p{n}", us, alice)
    chat.page_cap = 40  # pages smaller than asked for: the cursor must be followed
    for n in range(130):
        chat.say("p0", alice, f"message {n}")
    chat.say("p1", alice, "second conversation")
    add_us_for_dms(cache, bluesky)
    first = sync(cache)
    assert first.state == "ok", first.message
    sql = (
        "SELECT c.remote_key, count(*) FROM messages m JOIN conversations c "
        "ON c.id = m.conversation_id WHERE c.kind = 'direct' GROUP BY 1"
    )
    counts = dict(rows(cache, sql))
    assert counts == {"convo:p0": 130, "convo:p1": 1}
    chat.say("p2", us, "we write first")
    chat.faults.append(("getLog", 429))
    assert sync(cache).state == "rate_limited"
    assert sync(cache).new_messages == 1


def test_a_long_walk_down_the_notifications_resumes_and_loses_nothing(
    cache: Cache, bluesky: BlueskyNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More notifications than one call reads: each call commits its part
    and says "more"; "seen" moves only when the walk reaches the end."""
    from console.sync.bluesky import provider

    monkeypatch.setattr(provider, "PAGE", 2)
    monkeypatch.setattr(provider, "PAGES_PER_CALL", 1)
    author = bluesky.accounts[2].handle
    made = [bluesky.post(author, f"@{bluesky.us.handle} walk {n}")["uri"] for n in range(7)]
    bluesky.process_all()
    add_us(cache, bluesky)
    outcome = sync(cache)
    assert outcome.state == "ok", outcome.message
    stored = {r[0] for r in rows(cache, "SELECT remote_id FROM messages")}
    assert set(made) <= stored
    assert {bluesky.posts[k]["uri"] for k in ("mention", "reply", "quote")} <= stored
    cursors = json.loads(rows(cache, "SELECT cursors FROM accounts")[0][0])
    assert "notifications_resume" not in cursors and cursors["notifications_seen"]
