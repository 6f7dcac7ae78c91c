"""The demo workspace and the benchmark workspace generator.

The demo is what a new user, a screenshot and the acceptance checks see: a
small bakery-and-bike-shop cooperative ("Atelier Vélo & Pain") with a
Mastodon, a Bluesky and an e-mail account, French and English threads,
a team of four, some overdue work, snoozes, drafts and notes. It is built
once under the data dir with seeded ids (the same ids on every machine),
through the real ingest rules, and never touches the keyring or the network:
its accounts are marked ``demo`` and send through the local demo provider.

The story is data (cast.py: accounts, people, team; threads.py: the
conversations), build.py turns it into a cache, benchmark.py makes the
large synthetic workspaces.
"""

from __future__ import annotations

from console.demo.benchmark import _EN, _FR, _sentence, generate
from console.demo.build import build_demo, demo_conversation_id, ensure_demo

__all__ = [
    "_EN",
    "_FR",
    "_sentence",
    "build_demo",
    "demo_conversation_id",
    "ensure_demo",
    "generate",
]
