"""Queue views, filters, sorts, and keyset paging."""

from __future__ import annotations

import random
import threading
from typing import Any

from sqlalchemy import text

from console.services import queue, team, workflow
from console.services.queue import QueueFilter
from tests.helpers.factories import add_account, conv_by_key, msg, person, put


def test_every_row_exactly_once_under_concurrent_inserts(cache) -> None:
    acc = add_account(cache)
    put(cache, acc, *[msg(f"t{i}", ago_min=random.uniform(1, 600)) for i in range(300)])
    stop = threading.Event()
    inserted: list[str] = []

    def churn() -> None:
        n = 0
        while not stop.is_set() and n < 200:
            key = f"new{n}"
            put(cache, acc, msg(key, ago_min=random.uniform(1, 600)))
            inserted.append(key)
            n += 1

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        for sort in ("waiting", "urgent", "activity", "priority"):
            seen: list[str] = []
            after = None
            flt = QueueFilter(view="open", sort=sort)
            while True:
                with cache.read() as s:
                    page = queue.page(s, flt, limit=17, after=after)
                seen.extend(r.id for r in page.rows)
                if page.next_after is None:
                    break
                after = page.next_after
            assert len(seen) == len(set(seen)), f"duplicates with sort={sort}"
            with cache.read() as s:
                original = {conv_by_key(cache, acc, f"t{i}").id for i in range(300)}
            assert original <= set(seen), f"rows skipped with sort={sort}"
    finally:
        stop.set()
        worker.join()
    assert inserted


def test_views_and_filters(cache) -> None:
    masto = add_account(cache)
    mail = add_account(cache, network="email", handle="support@shop.example")
    put(cache, masto, msg("a", text="refund please"), msg("b"), msg("c"))
    put(cache, mail, msg("<d@x>", author=person("Dee", network="email"), subject="Invoice 42"))
    cache.writer.call(lambda tx: team.add_member(tx, "Ana", "agent"))
    cache.writer.call(lambda tx: team.add_member(tx, "Me", "lead"))
    cache.writer.call(lambda tx: team.set_me(tx, "Me"))
    a, b, c = (conv_by_key(cache, masto, k).id for k in "abc")
    cache.writer.call(lambda tx: workflow.take(tx, a))
    cache.writer.call(lambda tx: workflow.assign(tx, b, "Ana"))
    cache.writer.call(lambda tx: workflow.set_status(tx, c, "pending"))
    cache.writer.call(lambda tx: workflow.tag(tx, a, "billing"))
    with cache.read() as s:
        me = team.me(s)
        assert me is not None
        ana = team.find_member(s, "Ana").id

        def ids(**kw: object) -> set[str]:
            return {r.id for r in queue.iterate(s, QueueFilter(**kw), me_id=me.id)}  # type: ignore[arg-type]

        d = conv_by_key(cache, mail, "<d@x>").id
        assert ids(view="mine") == {a}
        assert ids(view="unassigned") == {d}
        assert ids(view="open") == {a, b, d}
        assert ids(view="pending") == {c}
        assert ids(view="all") == {a, b, c, d}
        assert ids(view="all", network="email") == {d}
        assert ids(view="all", account_id=masto) == {a, b, c}
        assert ids(view="all", tag="billing") == {a}
        assert ids(view="all", assignee_id=ana) == {b}
        assert ids(view="all", search="refund") == {a}
        assert ids(view="all", search="invoice") == {d}  # subjects are indexed
        assert ids(view="all", search="dee") == {d}  # and contact names
        assert ids(view="all", search='"AND NEAR(*') == set()  # syntax is harmless
        counts = queue.counts(s, me_id=me.id)
        assert counts["open"] == 3 and counts["mine"] == 1 and counts["pending"] == 1


def test_json_shape_matches_the_cli_contract(cache) -> None:
    acc = add_account(cache)
    put(cache, acc, msg("t", author=person("Noor"), text="Hello\nsecond line"))
    with cache.read() as s:
        (row,) = queue.page(s, QueueFilter()).rows
    data = row.to_json()
    assert set(data) == {
        "id",
        "network",
        "account",
        "kind",
        "status",
        "snoozed_until",
        "assignee",
        "contact",
        "subject",
        "preview",
        "waiting_since",
        "due_at",
        "last_activity",
        "unread",
        "tags",
        "priority",
    }
    assert data["account"] == {"id": acc, "handle": "us@social.example"}
    assert data["contact"] == {"name": "Noor", "handle": "noor@example.org"}
    assert data["preview"] == "Hello"
    assert data["waiting_since"].endswith("Z") and data["due_at"].endswith("Z")
    assert data["assignee"] is None and data["unread"] is True and data["tags"] == []


def test_default_views_walk_an_index(cache) -> None:
    """No temp B-tree sort of the whole table for the open view's page."""
    add_account(cache)
    with cache.read() as s:
        for status in ("open", "closed"):
            plan = s.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM conversations c WHERE c.status = :st "
                    "ORDER BY c.sort_wait, c.id LIMIT 50"
                ),
                {"st": status},
            ).all()
            detail = " ".join(str(r[-1]) for r in plan)
            assert "ix_conv_status_wait" in detail and "TEMP B-TREE" not in detail
        plan = s.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT id FROM conversations c WHERE c.status = 'open' "
                "ORDER BY c.priority DESC, c.sort_wait, c.id LIMIT 50"
            )
        ).all()
        assert "TEMP B-TREE" not in " ".join(str(r[-1]) for r in plan)


def test_most_urgent_order_and_paging(cache) -> None:
    """Priority first, then overdue before not overdue, then longest waiting;
    every page boundary (limit 1 and 2) gives the unpaged order."""
    from console.models.types import now_ms

    acc = add_account(cache)
    # key: (priority, due in minutes from now or None, waited minutes)
    spec = {
        "u_late": ("urgent", -60, 5),
        "u_a": ("urgent", 30, 50),
        "u_b": ("urgent", None, 10),
        "h_late": ("high", -5, 1),
        "h": ("high", 120, 90),
        "n": ("normal", -600, 300),
        "n2": ("normal", None, 400),
    }
    put(cache, acc, *[msg(k, ago_min=w) for k, (_, _, w) in spec.items()])
    ids = {k: conv_by_key(cache, acc, k).id for k in spec}
    now = now_ms()
    for key, (prio, due, _) in spec.items():
        cache.writer.call(lambda tx, c=ids[key], p=prio: workflow.set_priority(tx, c, p))

        def due_task(tx: Any, c: str = ids[key], d: int | None = due) -> None:
            at = None if d is None else now + d * 60_000
            tx.session.connection().exec_driver_sql(
                "UPDATE conversations SET due_at = ? WHERE id = ?", (at, c)
            )

        cache.writer.call(due_task)
    expected = [ids[k] for k in ("u_late", "u_a", "u_b", "h_late", "h", "n", "n2")]
    flt = QueueFilter(view="open", sort="urgent")
    with cache.read() as s:
        assert [r.id for r in queue.page(s, flt, limit=50).rows] == expected
        for size in (1, 2, 3):
            assert [r.id for r in queue.iterate(s, flt, page_size=size)] == expected
