"""The ingest bench/gui runs under the window, in a thread or in a process.

``maker`` builds the new messages (one in a hundred into a conversation on
screen, the rest new threads of ten), the same for both placements, so the
stall figures of "engine thread" and "engine process" differ only in where
the work runs. Run as a script it is the engine process's stand-in:

    python bench/gui_ingest.py CACHE PLAN_JSON

PLAN_JSON: account_id, network, on_screen [[remote_key, kind], ...], run,
base, total, step. It ingests through its own cache (its own writer, as the
engine process does) and prints ``DONE <inserted>``.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from console.demo import _EN, _FR  # noqa: E402
from console.sync.base import ContactRecord, Direction, Kind, MessageRecord  # noqa: E402


def maker(plan: dict[str, Any]) -> Callable[[int, int], list[MessageRecord]]:
    """``make(lo, hi)``: the messages numbered lo..hi-1 of the plan."""
    network = plan["network"]
    on_screen = [(key, Kind(kind)) for key, kind in plan["on_screen"]]
    new_kind = {"mastodon": Kind.PUBLIC, "bluesky": Kind.DIRECT}.get(network, Kind.EMAIL)
    rng = random.Random(11)
    run, base = plan["run"], plan["base"]
    us = ContactRecord(network, "us", "us", "Us")

    def one(i: int) -> MessageRecord:
        words = _FR if i % 2 else _EN
        body = " ".join(rng.choice(words) for _ in range(rng.randint(12, 60)))
        if on_screen and i % 100 == 0:
            key, kind = on_screen[(i // 100) % len(on_screen)]
            direction = Direction.IN
        else:
            key, kind = f"gui{run}.{i // 10}", new_kind
            direction = Direction.IN if i % 3 else Direction.OUT
        who = f"gp{i % 5000}@{network}.example"
        author = ContactRecord(network, who, who, who.split("@")[0])
        return MessageRecord(
            remote_id=f"gui{run}.{i}",
            thread_key=key,
            kind=kind,
            direction=direction,
            author=author if direction == Direction.IN else us,
            sent_at=datetime.fromtimestamp(base + i, UTC),
            text=body,
            subject=body[:60] if kind == Kind.EMAIL else None,
        )

    return lambda lo, hi: [one(i) for i in range(lo, hi)]


def main() -> int:
    from console.models.db import open_cache
    from console.models.ingest import ingest
    from console.sync.base import FetchResult

    path, plan = Path(sys.argv[1]), json.loads(sys.argv[2])
    make = maker(plan)
    inserted = 0
    with open_cache(path) as cache:
        step, total = plan["step"], plan["total"]
        for start in range(0, total, step):
            part = FetchResult(messages=make(start, min(total, start + step)))
            inserted += ingest(cache.writer, plan["account_id"], part).inserted
    print(f"DONE {inserted}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
