"""Whom a Mastodon reply reaches, and the @mentions it goes out with.

Mastodon addresses a reply by the accounts its text mentions: the composer
puts the author answered and everyone it mentioned in front, and every
account named is reached (on a direct message each is added to the
conversation). The spec's ``recipients``/``outgoing`` and the send use the
same functions, so what the composer shows is what is sent. Handles are
compared as canonical user@domain.

Light on purpose (no HTTP library): ``parloir show`` imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from console.sync.mastodon.mentions import NAMED


def canonical_acct(acct: str, domain: str) -> str:
    """user@domain always (local accounts get the instance's domain).

    ``domain`` is the instance's own domain, or the API address (whose host
    is used) when the instance did not say.
    """
    acct = acct.lstrip("@").lower()
    if "@" in acct:
        return acct
    host = urlparse(domain).hostname if "://" in domain else domain
    return f"{acct}@{(host or '').lower()}"


def mastodon_missing_mentions(
    body: str, extra: Mapping[str, Any], own: str, domain: str
) -> list[str]:
    """The accounts Mastodon's composer would put in front of the reply:
    the author answered and everyone it mentioned, minus ourselves and
    anyone the text already names (canonical user@domain)."""
    mine = canonical_acct(own, domain)
    candidates = [extra.get("reply_to_handle"), *(extra.get("reply_to_mentions") or [])]
    present = {canonical_acct(found, domain) for found in NAMED.findall(body)}
    missing: list[str] = []
    for handle in candidates:
        if not handle:
            continue
        acct = canonical_acct(str(handle), domain)
        if acct != mine and acct not in present and acct not in missing:
            missing.append(acct)
    return missing


def with_mentions(body: str, extra: Mapping[str, Any], own: str, domain: str) -> str:
    """The reply text with the missing @mentions in front, local accounts
    written short (``@bob``)."""
    missing = mastodon_missing_mentions(body, extra, own, domain)
    if not missing:
        return body
    local = "@" + canonical_acct("x", domain).split("@")[1]
    prefix = " ".join("@" + a.removesuffix(local) for a in missing)
    return f"{prefix} {body}"


def mastodon_recipients(body: str, extra: Mapping[str, Any], own: str, domain: str) -> list[str]:
    """Everyone a Mastodon reply reaches: the mentions put in front plus
    every account the text names (on a direct message each of them is
    added to the conversation)."""
    mine = canonical_acct(own, domain)
    people = mastodon_missing_mentions(body, extra, own, domain)
    for found in NAMED.findall(body):
        acct = canonical_acct(found, domain)
        if acct != mine and acct not in people:
            people.append(acct)
    return people
