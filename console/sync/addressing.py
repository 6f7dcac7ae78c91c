"""Whom a reply reaches, decided in one place.

The providers address a reply from facts about the thread (the message
answered, its author, everyone it mentioned, an e-mail's Reply-To), which
the outbox gathers into ``ReplyRequest.extra`` (:func:`thread_extra`). The
same functions build the outgoing addressing (Mastodon's @mentions in front,
an e-mail's To) and the list of recipients the composer and ``show --json``
show and the send guard counts, so what is shown is what is sent.

Light on purpose (no HTTP library): ``parloir show`` imports it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

from sqlalchemy.orm import Session

#: A Mastodon @mention in text: @user or @user@domain.
MASTODON_MENTION = re.compile(r"(?<![\w@/])@(\w+(?:[.-]\w+)*(?:@[\w-]+(?:\.[\w-]+)+)?)")


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
    present = {canonical_acct(found, domain) for found in MASTODON_MENTION.findall(body)}
    missing: list[str] = []
    for handle in candidates:
        if not handle:
            continue
        acct = canonical_acct(str(handle), domain)
        if acct != mine and acct not in present and acct not in missing:
            missing.append(acct)
    return missing


def mastodon_recipients(body: str, extra: Mapping[str, Any], own: str, domain: str) -> list[str]:
    """Everyone a Mastodon reply reaches: the mentions put in front plus
    every account the text names (on a direct message each of them is
    added to the conversation)."""
    mine = canonical_acct(own, domain)
    people = mastodon_missing_mentions(body, extra, own, domain)
    for found in MASTODON_MENTION.findall(body):
        acct = canonical_acct(found, domain)
        if acct != mine and acct not in people:
            people.append(acct)
    return people


def email_reply_to(extra: Mapping[str, Any]) -> list[str]:
    """The To of an e-mail reply: the answered message's Reply-To when it
    has one, else its sender (no Cc: a reply answers one person)."""
    listed = [str(a) for a in extra.get("reply_to_reply_to") or []]
    to = listed or [str(extra.get("reply_to_handle") or "")]
    out: list[str] = []
    for address in to:
        address = address.strip()
        if address and "@" in address and address.lower() not in (a.lower() for a in out):
            out.append(address)
    return out


def bluesky_recipients(
    body: str, extra: Mapping[str, Any], own: str, *, members: Sequence[str] = ()
) -> list[str]:
    """A post reaches the author answered and every handle the text
    mentions; a direct message reaches the conversation's members."""
    from console.sync.richtext import MENTION

    mine = own.lower().lstrip("@")
    if members:
        candidates = list(members)
    else:
        candidates = [str(extra.get("reply_to_handle") or ""), *MENTION.findall(body)]
    people: list[str] = []
    for handle in candidates:
        h = handle.lower().lstrip("@")
        if h and h != mine and h not in people:
            people.append(h)
    return people


# -- facts about the thread ------------------------------------------------------------


def thread_extra(
    session: Session, account_id: str, subject: str | None, in_reply_to_remote_id: str | None
) -> dict[str, Any]:
    """Facts about the thread a provider may need: subject, the message
    answered and its author, everyone mentioned in it, its Reply-To."""
    extra: dict[str, Any] = {"subject": subject}
    if in_reply_to_remote_id:
        row = (
            session.connection()
            .exec_driver_sql(
                "SELECT author_handle, subject, raw, visibility FROM messages "
                "WHERE account_id = ? AND remote_id = ?",
                (account_id, in_reply_to_remote_id),
            )
            .first()
        )
        if row is not None:
            extra["reply_to_handle"] = row[0]
            extra["reply_to_subject"] = row[1]
            extra["reply_to_visibility"] = row[3]
            extra["reply_to_mentions"] = _raw_mentions(row[2])
            extra.update(_raw_mail_headers(row[2]))
    return extra


def _raw_dict(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def _raw_mail_headers(raw: Any) -> dict[str, Any]:
    """E-mail: the answered message's Reply-To and References, as the
    provider kept them in ``raw`` (for To and References of the reply)."""
    data = _raw_dict(raw)
    out: dict[str, Any] = {}
    if isinstance(data.get("reply_to"), list):
        out["reply_to_reply_to"] = [str(a) for a in data["reply_to"]]
    if isinstance(data.get("references"), list):
        out["reply_to_references"] = [str(r) for r in data["references"]]
    return out


def _raw_mentions(raw: Any) -> list[str]:
    """The handles a message mentioned, as its provider kept them in ``raw``."""
    mentions = _raw_dict(raw).get("mentions")
    return [str(m) for m in mentions] if isinstance(mentions, list) else []
