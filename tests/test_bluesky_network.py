"""The local Bluesky network itself (tests/helpers/bluesky_network.py): plain XRPC through the PDS,
as the Bluesky provider will talk to it."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
import requests

from tests.helpers.bluesky_network import BlueskyNetwork, ChatRequest

CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"


def xrpc(
    net: BlueskyNetwork,
    nsid: str,
    token: str | None = None,
    *,
    body: dict[str, Any] | None = None,
    post: bool = False,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> requests.Response:
    """GET, or POST when there is a body or ``post``, ``/xrpc/NSID`` on the PDS."""
    all_headers = dict(headers or {})
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    url = f"{net.pds}/xrpc/{nsid}"
    if body is None and not post:
        return requests.get(url, params=params, headers=all_headers, timeout=30)
    return requests.post(url, json=body, headers=all_headers, timeout=30)


def session(net: BlueskyNetwork, password: str) -> dict[str, Any]:
    response = xrpc(
        net,
        "com.atproto.server.createSession",
        body={"identifier": net.us.handle, "password": password},
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def notifications(net: BlueskyNetwork, token: str) -> list[dict[str, Any]]:
    """Every notification, all pages (other tests share the network and add many)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": 100}
        if cursor:
            params["cursor"] = cursor
        response = xrpc(net, "app.bsky.notification.listNotifications", token, **params)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["notifications"])
        cursor = page.get("cursor")
        if not cursor or not page["notifications"]:
            break
    return items


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def test_startup_time_is_reported(bluesky: BlueskyNetwork) -> None:
    print(f"Bluesky network up in {bluesky.startup_seconds:.1f} s")
    assert 0 < bluesky.startup_seconds < 90


def test_create_session_with_the_app_password(bluesky: BlueskyNetwork) -> None:
    us = bluesky.us
    assert us.app_password and us.app_password != us.password
    data = session(bluesky, us.app_password)
    assert data["did"] == us.did
    assert data["handle"] == us.handle
    assert data["accessJwt"] and data["refreshJwt"]
    # An app password gives a restricted scope, which the PDS accepts for app.bsky reads.
    profile = xrpc(bluesky, "app.bsky.actor.getProfile", data["accessJwt"], actor=us.did)
    assert profile.status_code == 200, profile.text
    assert profile.json()["handle"] == us.handle


def test_wrong_password_is_rejected(bluesky: BlueskyNetwork) -> None:
    response = xrpc(
        bluesky,
        "com.atproto.server.createSession",
        body={"identifier": bluesky.us.handle, "password": "not-it"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "AuthenticationRequired"


def test_seeded_notifications_have_their_reasons(bluesky: BlueskyNetwork) -> None:
    token = session(bluesky, bluesky.us.app_password or "")["accessJwt"]
    by_uri = {n["uri"]: n for n in notifications(bluesky, token)}
    posts, alice, bob = bluesky.posts, bluesky.accounts[1], bluesky.accounts[2]
    root = posts["root"]["uri"]

    mention = by_uri[posts["mention"]["uri"]]
    assert mention["reason"] == "mention"
    assert mention["author"]["did"] == alice.did
    assert f"@{bluesky.us.handle}" in mention["record"]["text"]

    reply = by_uri[posts["reply"]["uri"]]
    assert reply["reason"] == "reply"
    assert reply["author"]["did"] == bob.did
    assert reply["reasonSubject"] == root
    assert reply["record"]["reply"]["parent"]["uri"] == root

    quote = by_uri[posts["quote"]["uri"]]
    assert quote["reason"] == "quote"
    assert quote["author"]["did"] == alice.did
    assert quote["reasonSubject"] == root
    assert quote["record"]["embed"]["record"]["uri"] == root


def test_thread_of_the_reply_reaches_our_post(bluesky: BlueskyNetwork) -> None:
    token = session(bluesky, bluesky.us.app_password or "")["accessJwt"]
    response = xrpc(
        bluesky, "app.bsky.feed.getPostThread", token, uri=bluesky.posts["reply"]["uri"]
    )
    assert response.status_code == 200, response.text
    thread = response.json()["thread"]
    assert thread["post"]["uri"] == bluesky.posts["reply"]["uri"]
    parent = thread["parent"]["post"]
    assert parent["uri"] == bluesky.posts["root"]["uri"]
    assert parent["cid"] == bluesky.posts["root"]["cid"]
    assert parent["author"]["did"] == bluesky.us.did


def test_a_new_post_becomes_a_notification(bluesky: BlueskyNetwork) -> None:
    token = session(bluesky, bluesky.us.app_password or "")["accessJwt"]
    root = bluesky.posts["root"]
    text = f"Another reply {time.time_ns()}"
    ref = bluesky.post("alice.test", text, reply={"root": root, "parent": root})
    assert ref["uri"].startswith(f"at://{bluesky.account('alice.test').did}/app.bsky.feed.post/")
    bluesky.process_all()

    new = [n for n in notifications(bluesky, token) if n["uri"] == ref["uri"]]
    assert len(new) == 1
    assert new[0]["reason"] == "reply"
    assert new[0]["cid"] == ref["cid"]
    assert new[0]["record"]["text"] == text
    assert new[0]["isRead"] is False

    mention = bluesky.post("bob.test", f"Ping @{bluesky.us.handle}")
    bluesky.process_all()
    reasons = {n["uri"]: n["reason"] for n in notifications(bluesky, token)}
    assert reasons[mention["uri"]] == "mention"


def refresh(net: BlueskyNetwork, refresh_jwt: str) -> requests.Response:
    return xrpc(net, "com.atproto.server.refreshSession", refresh_jwt, post=True)


def test_refresh_rotates_the_refresh_token(bluesky: BlueskyNetwork) -> None:
    # A fresh app password of our own, so that revoking it below touches no other test.
    full = session(bluesky, bluesky.us.password)["accessJwt"]
    created = xrpc(
        bluesky,
        "com.atproto.server.createAppPassword",
        full,
        body={"name": f"rotation-{time.time_ns()}"},
    )
    assert created.status_code == 200, created.text
    app_password = created.json()

    first = session(bluesky, app_password["password"])
    refreshed = refresh(bluesky, first["refreshJwt"])
    assert refreshed.status_code == 200, refreshed.text
    second = refreshed.json()
    assert second["did"] == bluesky.us.did
    assert second["refreshJwt"] != first["refreshJwt"]
    assert jwt_claims(second["refreshJwt"])["jti"] != jwt_claims(first["refreshJwt"])["jti"]
    # (the access token can be byte-identical: same claims within the same second)
    profile = xrpc(bluesky, "app.bsky.actor.getProfile", second["accessJwt"], actor=bluesky.us.did)
    assert profile.status_code == 200, profile.text

    # The real PDS keeps a rotated refresh token usable for a 2-hour grace period, and
    # reusing it yields the same successor (same jti): a lost refresh reply is harmless.
    reused = refresh(bluesky, first["refreshJwt"])
    assert reused.status_code == 200, reused.text
    assert jwt_claims(reused.json()["refreshJwt"])["jti"] == jwt_claims(second["refreshJwt"])["jti"]

    # Revoking the app password ends every session made with it: old and new tokens fail.
    revoked = xrpc(
        bluesky,
        "com.atproto.server.revokeAppPassword",
        full,
        body={"name": app_password["name"]},
    )
    assert revoked.status_code == 200, revoked.text
    for token in (first["refreshJwt"], second["refreshJwt"]):
        again = refresh(bluesky, token)
        assert again.status_code in (400, 401), again.text
        assert again.json()["error"] in ("ExpiredToken", "InvalidToken"), again.text
    login = xrpc(
        bluesky,
        "com.atproto.server.createSession",
        body={"identifier": bluesky.us.handle, "password": app_password["password"]},
    )
    assert login.status_code == 401, login.text


def test_chat_requests_are_proxied_to_chat_handler(
    bluesky: BlueskyNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[ChatRequest] = []

    def list_convos(request: ChatRequest) -> tuple[int, Any]:
        seen.append(request)
        return 200, {"convos": []}

    monkeypatch.setattr(bluesky, "chat_handler", list_convos)
    token = session(bluesky, bluesky.us.privileged_app_password or "")["accessJwt"]
    response = xrpc(
        bluesky,
        "chat.bsky.convo.listConvos",
        token,
        headers={"atproto-proxy": CHAT_PROXY},
        limit=10,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"convos": []}

    assert len(seen) == 1
    request = seen[0]
    assert request.method == "GET"
    assert request.nsid == "chat.bsky.convo.listConvos"
    assert request.query == {"limit": ["10"]}
    scheme, _, jwt = request.headers["authorization"].partition(" ")
    assert scheme == "Bearer"
    claims = jwt_claims(jwt)
    assert claims["aud"] == "did:web:api.bsky.chat"
    assert claims["iss"].split("#")[0] == bluesky.us.did
    assert claims["lxm"] == "chat.bsky.convo.listConvos"


def test_chat_needs_a_privileged_app_password(bluesky: BlueskyNetwork) -> None:
    before = len(bluesky.chat_requests)
    token = session(bluesky, bluesky.us.app_password or "")["accessJwt"]
    response = xrpc(
        bluesky, "chat.bsky.convo.listConvos", token, headers={"atproto-proxy": CHAT_PROXY}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "InvalidToken"
    assert len(bluesky.chat_requests) == before


def test_default_chat_handler_answers_501(bluesky: BlueskyNetwork) -> None:
    token = session(bluesky, bluesky.us.password)["accessJwt"]
    response = xrpc(
        bluesky, "chat.bsky.convo.listConvos", token, headers={"atproto-proxy": CHAT_PROXY}
    )
    # The PDS turns the upstream 501 into an XRPC error of its own.
    assert response.status_code >= 400
    assert bluesky.chat_requests[-1].nsid == "chat.bsky.convo.listConvos"
