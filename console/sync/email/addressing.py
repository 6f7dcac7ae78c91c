"""Whom an e-mail reply reaches: the To, from the answered message's
Reply-To or sender. The spec's ``recipients`` (what the composer shows and
the send guard counts) and the send use the same function.

Light on purpose (no IMAP or SMTP library): ``parloir show`` imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


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
