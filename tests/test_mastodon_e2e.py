"""Parloir's command line against a real local Mastodon API server.

Replies go out exactly once: online, offline-then-online, after a dropped
connection (the server created the status, the answer never came), after a
request lost on the way, after a 500, and after ``parloir send`` is killed
with the request in flight. ``parloir sync`` killed 20 times at random
moments still ends with exactly the server's messages, once each.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import cli_env, run_cli
from tests.helpers.drop_proxy import DropProxy
from tests.helpers.mastodon_server import Mastodon

pytestmark = pytest.mark.keyring
ROOT = Path(__file__).resolve().parent.parent


def env_for(home: Path) -> dict[str, str]:
    return cli_env(home, PARLOIR_NET_TIMEOUT="2")


def parloir(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args, stdin=stdin, env=env_for(home))


def ok(home: Path, *args: str, stdin: str | None = None) -> str:
    result = parloir(home, *args, stdin=stdin)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture
def proxy(mastodon: Mastodon) -> Iterator[DropProxy]:
    p = DropProxy(mastodon.url)
    yield p
    p.close()


@pytest.fixture
def home(parloir_home: Path, proxy: DropProxy) -> Path:
    """Alice's account, signed in through the proxy, with one mention synced."""
    ok(parloir_home, "account", "add", "mastodon", "--server", proxy.url, "--token-stdin",
       stdin="alice_token\n")  # fmt: skip
    return parloir_home


def conversation(home: Path, mastodon: Mastodon, text: str, **fields: Any) -> str:
    """bob writes ``text`` to alice; Parloir syncs; the conversation's id."""
    status = mastodon.post("bob", text, **fields)
    ok(home, "sync", "--once")
    queue = json.loads(ok(home, "queue", "--view", "all", "--json"))
    for conv in queue:
        shown = json.loads(ok(home, "show", conv["id"], "--json"))
        if any(m["remote_id"] == status["id"] for m in shown["messages"]):
            return str(conv["id"])
    raise AssertionError(f"{text!r} did not arrive")


def draft(home: Path, conv: str, body: str) -> None:
    ok(home, "draft", conv, "--text-stdin", stdin=body)


def outbox(home: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(ok(home, "outbox", "--json"))
    return items


def alice_posts(mastodon: Mastodon, words: str) -> list[dict[str, Any]]:
    return [s for s in mastodon.statuses_of("alice") if words in s["content"]]


# -- exactly once -----------------------------------------------------------------------


def test_reply_online_goes_out_once_as_a_reply_with_the_mention(
    home: Path, mastodon: Mastodon
) -> None:
    conv = conversation(home, mastodon, "@alice is the shop open today?")
    draft(home, conv, "Yes, until 19:00.")
    result = parloir(home, "send", conv)
    assert result.returncode == 0, result.stderr
    assert " sent" in result.stdout
    [status] = alice_posts(mastodon, "until 19:00")
    assert status["in_reply_to_id"] is not None
    assert [m["acct"] for m in status["mentions"]] == ["bob"]
    assert status["visibility"] == "public"
    shown = json.loads(ok(home, "show", conv, "--json"))
    assert shown["messages"][-1]["direction"] == "out"
    assert shown["messages"][-1]["remote_id"] == status["id"]
    assert shown["status"] != "open", "an answered conversation leaves the open queue"


def test_a_dm_is_answered_as_a_dm(home: Path, mastodon: Mastodon) -> None:
    conv = conversation(home, mastodon, "@alice my order 42 never came", visibility="direct")
    draft(home, conv, "Sorry! Sending it again today.")
    ok(home, "send", conv)
    [status] = alice_posts(mastodon, "Sending it again")
    assert status["visibility"] == "direct"
    assert [m["acct"] for m in status["mentions"]] == ["bob"]
    # It joined the DM thread, not a new one.
    shown = json.loads(ok(home, "show", conv, "--json"))
    assert [m["direction"] for m in shown["messages"]] == ["in", "out"]
    ok(home, "sync", "--once")
    shown = json.loads(ok(home, "show", conv, "--json"))
    assert len(shown["messages"]) == 2


def test_offline_then_online(home: Path, mastodon: Mastodon, proxy: DropProxy) -> None:
    conv = conversation(home, mastodon, "@alice are you there?")
    draft(home, conv, "We are, sorry for the wait.")
    proxy.down()
    result = parloir(home, "send", conv)
    assert result.returncode == 0, result.stderr
    assert " queued" in result.stdout
    assert alice_posts(mastodon, "sorry for the wait") == []
    proxy.up()
    ok(home, "sync", "--once")
    assert [i["state"] for i in outbox(home)] == ["sent"]
    assert len(alice_posts(mastodon, "sorry for the wait")) == 1


def test_dropped_answer_goes_unknown_then_resolves_to_the_one_status(
    home: Path, mastodon: Mastodon, proxy: DropProxy
) -> None:
    conv = conversation(home, mastodon, "@alice what about gluten-free?")
    draft(home, conv, "Every Friday, ask for the sarrasin loaf.")
    proxy.mode = "drop_response"
    result = parloir(home, "send", conv)
    assert result.returncode == 1
    assert " unknown" in result.stdout
    assert len(alice_posts(mastodon, "sarrasin")) == 1, "the server did create it"
    proxy.mode = "pass"
    ok(home, "sync", "--once")
    [item] = outbox(home)
    assert item["state"] == "sent"
    [status] = alice_posts(mastodon, "sarrasin")
    assert item["remote_id"] == status["id"]
    assert proxy.posts_seen == 1, "settled by looking it up, not by posting again"


def test_request_lost_on_the_way_is_resent_once(
    home: Path, mastodon: Mastodon, proxy: DropProxy
) -> None:
    conv = conversation(home, mastodon, "@alice do you sell flour?")
    draft(home, conv, "Yes, T65 and T80.")
    proxy.mode = "drop_request"
    assert " unknown" in parloir(home, "send", conv).stdout
    assert alice_posts(mastodon, "T65") == []
    proxy.mode = "pass"
    ok(home, "sync", "--once")
    assert [i["state"] for i in outbox(home)] == ["sent"]
    assert len(alice_posts(mastodon, "T65")) == 1


def test_server_error_on_post_then_success_posts_once(home: Path, mastodon: Mastodon) -> None:
    conv = conversation(home, mastodon, "@alice price of a baguette?")
    draft(home, conv, "1.20 euros.")
    mastodon.fault({"type": "status", "status": 500}, path="/api/v1/statuses", methods=["POST"],
                   count=2)  # fmt: skip
    assert " unknown" in parloir(home, "send", conv).stdout
    parloir(home, "sync", "--once")  # the second 500: still unknown
    ok(home, "sync", "--once")
    assert [i["state"] for i in outbox(home)] == ["sent"]
    assert len(alice_posts(mastodon, "1.20 euros")) == 1


def _outbox_rows(conv: str) -> int:
    """Outbox items of ``conv`` in the cache file (a read-only look, no lock)."""
    import sqlite3

    from console import paths

    db = sqlite3.connect(f"file:{paths.cache_path()}?mode=ro", uri=True)
    query = "SELECT count(*) FROM outbox WHERE conversation_id = ?"
    try:
        return int(db.execute(query, (conv,)).fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or busy: not there yet
        return 0
    finally:
        db.close()


def _wait_for(what: Any, proc: subprocess.Popen[bytes], description: str) -> None:
    """Until ``what()`` holds, while the child still runs: synchronised on
    what the child did, never on how long it takes."""
    while not what():
        assert proc.poll() is None, f"the child ended before {description}"
        time.sleep(0.01)


def test_kill_during_send_never_posts_twice(
    home: Path, mastodon: Mastodon, proxy: DropProxy
) -> None:
    """kill -9 once the reply is in the outbox (before or while it is
    claimed), or once its POST reached the server (the request in flight);
    then ``send`` again or ``sync``: one post each, never two."""
    statuses = [mastodon.post("bob", f"@alice question {i}") for i in range(4)]
    ok(home, "sync", "--once")  # one sync for the four (cheaper than conversation() each)
    conv_of: dict[str, str] = {}
    for row in json.loads(ok(home, "queue", "--view", "all", "--json")):
        for m in json.loads(ok(home, "show", row["id"], "--json"))["messages"]:
            conv_of[m["remote_id"]] = row["id"]
    convs = [conv_of[s["id"]] for s in statuses]
    proxy.mode = "slow"
    proxy.delay = 30  # the answer never comes before the kill
    for i, conv in enumerate(convs):
        draft(home, conv, f"answer number {i}")
        proxy.post_arrived.clear()
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "send", conv],
            env=env_for(home), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if i % 2 == 0:
            _wait_for(lambda conv=conv: _outbox_rows(conv) == 1, proc, "it queued the reply")
        else:
            _wait_for(proxy.post_arrived.is_set, proc, "its POST reached the server")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    proxy.mode = "pass"
    for conv in convs[:2]:  # sent again by hand: the same reply, settled, not re-posted
        again = parloir(home, "send", conv)
        assert again.returncode in (0, 1), again.stderr
    ok(home, "sync", "--once")
    states = sorted(i["state"] for i in outbox(home))
    assert states == ["sent"] * 4
    for i in range(4):
        assert len(alice_posts(mastodon, f"answer number {i}")) == 1


def test_ctrl_c_during_send_then_send_again_posts_once(
    home: Path, mastodon: Mastodon, proxy: DropProxy
) -> None:
    conv = conversation(home, mastodon, "@alice can I change my address?")
    draft(home, conv, "Yes, reply with the new one.")
    proxy.mode = "slow"
    proxy.delay = 30  # the answer never comes before the interrupt
    proxy.post_arrived.clear()
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", "send", conv],
        env=env_for(home), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_for(proxy.post_arrived.is_set, proc, "its POST reached the server")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    [item] = outbox(home)
    assert item["state"] == "unknown", "it may have gone out: settled by lookup"
    proxy.mode = "pass"
    again = ok(home, "send", conv)
    assert again.split()[:2] == [item["id"], "sent"]
    assert len(alice_posts(mastodon, "reply with the new one")) == 1
    assert proxy.posts_seen == 1, "found by looking it up, not posted again"


def test_send_without_a_keyring_stays_queued_then_goes_once(home: Path, mastodon: Mastodon) -> None:
    conv = conversation(home, mastodon, "@alice are you open on Monday?")
    draft(home, conv, "From 9 to 18.")
    env = {**env_for(home), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    locked = subprocess.run([sys.executable, "-m", "console", "send", conv], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert locked.returncode == 2
    assert locked.stdout.split()[1] == "queued", "it never left: not unknown"
    assert len(locked.stderr.strip().splitlines()) == 1 and "keyring" in locked.stderr.lower()
    [item] = outbox(home)
    assert item["state"] == "queued" and "keyring" in item["error"].lower()
    assert alice_posts(mastodon, "From 9 to 18") == []
    assert ok(home, "send", conv).split()[:2] == [item["id"], "sent"]
    assert len(alice_posts(mastodon, "From 9 to 18")) == 1


def test_two_sends_at_once_post_once(home: Path, mastodon: Mastodon, proxy: DropProxy) -> None:
    conv = conversation(home, mastodon, "@alice is the order on its way?")
    draft(home, conv, "It left this morning.")
    proxy.mode = "slow"
    proxy.delay = 1.0  # the first is still in flight when the second looks
    args = [sys.executable, "-m", "console", "send", conv]
    procs = [
        subprocess.Popen(args, env=env_for(home), cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    ids = {line.split()[0] for line in outputs if line.strip()}
    assert len(ids) == 1, outputs  # both name the one item
    proxy.mode = "pass"
    ok(home, "sync", "--once")
    [item] = outbox(home)
    assert item["state"] == "sent"
    assert len(alice_posts(mastodon, "It left this morning")) == 1
    assert proxy.posts_seen == 1


def test_send_again_after_queued_or_rate_limited_creates_nothing(
    home: Path, mastodon: Mastodon, proxy: DropProxy
) -> None:
    conv = conversation(home, mastodon, "@alice do you deliver on Sundays?")
    draft(home, conv, "Not on Sundays, sorry.")
    reset = int(time.time()) + 3600
    mastodon.fault({"type": "ratelimit", "headers": {"X-RateLimit-Reset": str(reset)}},
                   path="/api/v1/statuses", methods=["POST"], count=1)  # fmt: skip
    first = ok(home, "send", conv)
    assert first.split()[1] == "queued"
    proxy.down()
    second = ok(home, "send", conv)  # the same reply, tried again: still offline
    assert second.split()[:2] == first.split()[:2]
    proxy.up()
    third = ok(home, "send", conv)  # the same reply, tried again: it goes
    assert third.split()[:2] == [first.split()[0], "sent"]
    ok(home, "sync", "--once")
    assert [i["state"] for i in outbox(home)] == ["sent"]
    assert len(alice_posts(mastodon, "Not on Sundays")) == 1
    shown = json.loads(ok(home, "show", conv, "--json"))
    assert shown["draft"]["state"] == "sent"
    # A new draft is a new reply.
    draft(home, conv, "But Saturdays, yes.")
    assert ok(home, "send", conv).split()[1] == "sent"
    assert len(outbox(home)) == 2


def test_a_dm_naming_four_people_is_held_until_anyway(home: Path, mastodon: Mastodon) -> None:
    conv = conversation(home, mastodon, "@alice a private question", visibility="direct")
    shown = json.loads(ok(home, "show", conv, "--json"))
    assert [r.split("@")[0] for r in shown["recipients"]] == ["bob"]
    draft(home, conv, "@carol @dave@remote.example @erin@remote.example can you help bob?")
    held = parloir(home, "send", conv)
    assert held.returncode == 2
    assert held.stdout.startswith("held: ") and "4 people" in held.stdout
    assert "--anyway" in held.stderr and len(held.stderr.strip().splitlines()) == 1
    assert [i["state"] for i in outbox(home)] == ["held"]
    assert alice_posts(mastodon, "can you help bob") == []
    assert parloir(home, "send", conv).returncode == 2, "still held, still one item"
    assert len(outbox(home)) == 1
    sent = ok(home, "send", conv, "--anyway")
    assert sent.split()[1] == "sent"
    [status] = alice_posts(mastodon, "can you help bob")
    assert status["visibility"] == "direct"
    assert [i["state"] for i in outbox(home)] == ["sent"]


def test_an_over_long_draft_is_refused_by_send(home: Path, mastodon: Mastodon) -> None:
    conv = conversation(home, mastodon, "@alice tell me everything")
    draft(home, conv, "word " * 200)  # 1,000 characters: saved, over the 500 allowed
    result = parloir(home, "send", conv)
    assert result.returncode == 2
    assert "500" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert outbox(home) == []
    huge = parloir(home, "draft", conv, "--text-stdin", stdin="x" * 50_000_000)
    assert huge.returncode == 2 and len(huge.stderr.strip().splitlines()) == 1
    assert json.loads(ok(home, "show", conv, "--json"))["draft"]["text"] == "word " * 200


# -- kill -9 during sync ---------------------------------------------------------------


def test_sync_killed_twenty_times_ends_with_each_message_once(
    parloir_home: Path, mastodon: Mastodon
) -> None:
    rng = random.Random(20261130)
    expected: set[str] = set()
    threads: set[str] = set()
    for t in range(70):
        root = mastodon.post("carol", f"@alice thread {t} starts")
        expected.add(root["id"])
        threads.add(root["uri"])
        parent = root
        for r in range(rng.randint(0, 3)):
            who = rng.choice(["bob", "carol"])
            parent = mastodon.post(who, f"@alice reply {r} in thread {t}",
                                   in_reply_to_id=parent["id"])  # fmt: skip
            expected.add(parent["id"])
    for d in range(8):
        dm = mastodon.post("bob", f"@alice private note {d}", visibility="direct")
        expected.add(dm["id"])
    ok(parloir_home, "account", "add", "mastodon", "--server", mastodon.url, "--token-stdin",
       stdin="alice_token\n")  # fmt: skip

    args = [sys.executable, "-m", "console", "sync", "--once"]
    env = env_for(parloir_home)
    for _ in range(20):
        proc = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    ok(parloir_home, "sync", "--once")

    import sqlite3

    from console import paths

    db = sqlite3.connect(paths.cache_path())
    remote = [r[0] for r in db.execute("SELECT remote_id FROM messages")]
    keys = [r[0] for r in db.execute("SELECT remote_key FROM conversations")]
    db.close()
    assert sorted(remote) == sorted(expected)
    assert len(remote) == len(set(remote))
    assert len(keys) == len(set(keys)) == len(threads) + 1  # the DMs are one thread with bob
