"""Threading by ancestry (e-mail): In-Reply-To / References decide the
conversation, whatever order the messages arrive in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from console.sync.base import Kind
from tests.helpers.factories import add_account, cache_at, msg, put


def mail(remote_id: str, parents: list[str], ago: float, key: str | None = None) -> Any:
    rec = msg(key or (parents[0] if parents else remote_id), remote_id=remote_id,
              kind=Kind.EMAIL, ago_min=ago)  # fmt: skip
    rec.parents = parents
    rec.in_reply_to = parents[-1] if parents else None
    return rec


def conversations(cache: Any) -> dict[str, set[str]]:
    """conversation id -> remote ids of its messages."""
    out: dict[str, set[str]] = {}
    with cache.read() as s:
        for conv, rid in s.execute(text("SELECT conversation_id, remote_id FROM messages")):
            out.setdefault(conv, set()).add(rid)
    return out


def test_reply_with_only_in_reply_to_joins_its_parents_thread(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    acc = add_account(cache, network="email")
    put(cache, acc, mail("a", [], 50), mail("b", ["a"], 40))
    put(cache, acc, mail("c", ["b"], 30))  # no References: key guess "b" is wrong
    assert list(conversations(cache).values()) == [{"a", "b", "c"}]
    cache.close()


def test_missing_middle_message_keeps_one_thread(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    acc = add_account(cache, network="email")
    put(cache, acc, mail("a", [], 50), mail("c", ["a", "b"], 30))
    assert list(conversations(cache).values()) == [{"a", "c"}]
    put(cache, acc, mail("b", ["a"], 40))  # the middle turns up later
    assert list(conversations(cache).values()) == [{"a", "b", "c"}]
    cache.close()


def test_late_parent_joins_or_merges_the_orphans(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    acc = add_account(cache, network="email")
    # Two replies arrive before anything they answer, without References.
    put(cache, acc, mail("r1", ["p"], 20, key="p"))
    put(cache, acc, mail("x", [], 25))
    put(cache, acc, mail("r2", ["x2"], 15, key="x2"))
    assert len(conversations(cache)) == 3
    # The parent of r1 arrives: it joins r1's thread (no new conversation).
    put(cache, acc, mail("p", [], 30))
    groups = sorted(conversations(cache).values(), key=len)
    assert {"p", "r1"} in groups and len(groups) == 3
    # x2 turns out to answer x: r2's thread merges into x's.
    put(cache, acc, mail("x2", ["x"], 18))
    groups = sorted(conversations(cache).values(), key=len)
    assert {"x", "x2", "r2"} in groups and len(groups) == 2
    with cache.read() as s:
        redirects = s.execute(text("SELECT count(*) FROM conversation_redirects")).scalar_one()
    assert redirects == 1
    cache.close()


def test_within_one_chunk_order_does_not_matter(tmp_path: Path) -> None:
    cache = cache_at(tmp_path)
    acc = add_account(cache, network="email")
    put(cache, acc, mail("c", ["b"], 30), mail("a", [], 50), mail("b", ["a"], 40))
    assert list(conversations(cache).values()) == [{"a", "b", "c"}]
    cache.close()
