"""Records the JSON fixtures of the parser tests from the real servers the
suite runs (mastodon-mock, the Bluesky PDS + AppView of tests/bluesky/).

Not part of the suite (the name does not start with ``test_``); run it by
hand when a server's shapes change, then commit tests/fixtures/:

    /work/wt/pytest-here tests/record_fixtures.py -p no:cacheprovider

Each fixture is a server's answer as it came, pretty-printed; the parser
tests (tests/test_<net>_parse.py) read them without any server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from tests.helpers.bluesky_network import BlueskyNetwork
from tests.helpers.mastodon_server import Mastodon

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _save(name: str, data: Any) -> None:
    path = FIXTURES / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_record_mastodon(mastodon: Mastodon) -> None:
    mention = mastodon.post("bob", "@alice Bonjour ! Ma commande n'est pas arrivée.")
    mastodon.post("alice", "@bob Je regarde tout de suite.", in_reply_to_id=mention["id"])
    mastodon.post("bob", "@alice Merci, c'est la commande 4411.", in_reply_to_id=mention["id"])
    mastodon.post("carol", "@alice Un message privé : le vélo est prêt ?", visibility="direct")
    mentions = mastodon.get("alice", "/api/v1/notifications", **{"types[]": "mention"})
    _save("mastodon/notifications.json", mentions)
    _save(
        "mastodon/context.json", mastodon.get("alice", f"/api/v1/statuses/{mention['id']}/context")
    )
    _save("mastodon/conversations.json", mastodon.get("alice", "/api/v1/conversations"))
    _save("mastodon/instance_v2.json", mastodon.get("alice", "/api/v2/instance"))
    me = mastodon.get("alice", "/api/v1/accounts/verify_credentials")
    _save("mastodon/verify_credentials.json", me)


def test_record_bluesky(bluesky: BlueskyNetwork) -> None:
    us = bluesky.us
    session = requests.post(
        f"{bluesky.pds}/xrpc/com.atproto.server.createSession",
        json={"identifier": us.handle, "password": us.app_password},
        timeout=30,
    ).json()
    auth = {"Authorization": f"Bearer {session['accessJwt']}"}

    def get(nsid: str, **params: Any) -> Any:
        response = requests.get(
            f"{bluesky.pds}/xrpc/{nsid}", params=params, headers=auth, timeout=30
        )
        response.raise_for_status()
        return response.json()

    _save("bluesky/session.json", {k: v for k, v in session.items() if "Jwt" not in k})
    _save("bluesky/notifications.json", get("app.bsky.notification.listNotifications", limit=50))
    posts = bluesky.posts
    for name in ("mention", "reply", "quote"):
        thread = get(
            "app.bsky.feed.getPostThread", uri=posts[name]["uri"], depth=6, parentHeight=80
        )
        _save(f"bluesky/thread_{name}.json", thread)
    _save("bluesky/posts.json", posts)
