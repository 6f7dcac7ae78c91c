"""Sending a Mastodon reply once, and finding one that may have gone.

The POST carries the outbox item's key as Idempotency-Key, so the server
answers a repeat with the first status instead of posting twice; a failure
after the request may have left is SendOutcomeUnknown, settled by
:func:`find_sent` (docs/mastodon.md, "Sending").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import requests

from console.sync.base import (
    Kind,
    ReplyRequest,
    SendOutcomeUnknown,
    SendRejected,
    SentReply,
    TransientError,
    never_left,
)
from console.sync.html import html_to_text
from console.sync.mastodon.addressing import with_mentions
from console.sync.mastodon.client import error_text
from console.sync.mastodon.parse import comparable

if TYPE_CHECKING:
    from console.sync.mastodon.provider import MastodonProvider

#: Statuses per page when looking for a reply that may have gone.
PAGE = 40


def body_with_mentions(reply: ReplyRequest, own: str, domain: str) -> str:
    """The reply text with the @mentions it needs in front.

    Like Mastodon's own composer: the author of the status answered and
    everyone it mentioned, minus ourselves and anyone the text already
    names. On a direct message the mentions are its audience, so none
    may be dropped. Local accounts are written short (``@bob``).
    """
    return with_mentions(reply.body, reply.extra, own, domain)


def _post(provider: MastodonProvider, payload: dict[str, Any], key: str) -> requests.Response:
    base = provider.base
    try:
        return provider.http.post(
            f"{base}/api/v1/statuses",
            json=payload,
            headers={"Idempotency-Key": key},
            timeout=provider.timeout,
        )
    except (requests.ConnectTimeout, requests.exceptions.InvalidURL) as exc:
        raise TransientError(f"{base} cannot be reached.") from exc
    except requests.ConnectionError as exc:
        if never_left(exc):
            raise TransientError(f"{base} cannot be reached.") from exc
        raise SendOutcomeUnknown(
            "The connection dropped after the reply was sent; checking whether it arrived."
        ) from exc
    except requests.RequestException as exc:  # read timeout and the like
        if never_left(exc):
            raise TransientError(f"{base} cannot be reached.") from exc
        raise SendOutcomeUnknown(
            "No answer after sending; checking whether the reply arrived."
        ) from exc


def send(provider: MastodonProvider, reply: ReplyRequest) -> SentReply:
    visibility = reply.visibility or reply.extra.get("reply_to_visibility")
    if reply.kind == Kind.DIRECT:
        visibility = "direct"
    payload: dict[str, Any] = {
        "status": body_with_mentions(reply, provider.account.handle, provider.domain)
    }
    if reply.in_reply_to:
        payload["in_reply_to_id"] = reply.in_reply_to
    if visibility:
        payload["visibility"] = visibility
    response = _post(provider, payload, reply.key)
    base = provider.base
    if response.status_code >= 500:
        raise SendOutcomeUnknown(f"{base} failed ({response.status_code}) after sending.")
    if response.status_code in (401, 403, 429):
        provider._check(response)
    if response.status_code >= 400:
        raise SendRejected(f"{base} refused the reply: {error_text(response)}.")
    status = provider._json(response)
    message = provider._message(status, reply.thread_key, reply.kind)
    return SentReply(remote_id=message.remote_id, url=message.url, message=message)


def find_sent(provider: MastodonProvider, reply: ReplyRequest) -> SentReply | None:
    """Our recent statuses: one answering the same parent with our text."""
    wanted = comparable(reply.body)
    url = f"/api/v1/accounts/{provider.me()}/statuses"
    params: Any = {"limit": PAGE}
    for _ in range(3):
        response = provider._get(url, params)
        page = provider._json(response)
        if not isinstance(page, list) or not page:
            return None
        for status in page:
            if not isinstance(status, dict):
                continue
            same_parent = str(status.get("in_reply_to_id") or "") == str(reply.in_reply_to or "")
            text = comparable(html_to_text(str(status.get("content") or "")))
            if same_parent and wanted in text:
                message = provider._message(status, reply.thread_key, reply.kind)
                return SentReply(message.remote_id, message.url, message)
        if "next" not in response.links:
            return None
        url, params = response.links["next"]["url"], None
    return None
