"""Attachments, fetched from the server only when someone opens one.

The cache keeps each attachment's name, type and size (the queue and the
pane list them); the bytes stay on the server until asked for, then go
straight to where the user saves them. Network work: call it off the GUI
thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from console import credentials
from console.models.db import Cache
from console.models.schema import Account, Message
from console.services.errors import InvalidArgument


@dataclass(frozen=True, slots=True)
class Fetched:
    name: str
    mime_type: str
    data: bytes


def fetch(cache: Cache, message_id: str, index: int) -> Fetched:
    """Attachment number ``index`` of message ``message_id``, from its server."""
    from console.sync.registry import make_provider

    with cache.read() as session:
        message = session.scalar(select(Message).where(Message.id == message_id))
        if message is None:
            raise InvalidArgument(f"No message {message_id!r}.")
        listed = list(message.attachments or [])
        if not 0 <= index < len(listed):
            raise InvalidArgument("That message has no such attachment.")
        item = dict(listed[index])
        account = session.get(Account, message.account_id)
        assert account is not None
        session.expunge(account)
    ref = item.get("ref")
    if not ref:
        raise InvalidArgument("This attachment cannot be fetched from its server.")
    secret = credentials.load_secret(credentials.account_key(account.id))
    provider = make_provider(account, secret)
    try:
        fetcher = getattr(provider, "fetch_attachment", None)
        if fetcher is None:
            raise InvalidArgument(f"{account.network} attachments cannot be fetched yet.")
        data = fetcher(str(ref))
    finally:
        provider.close()
    return Fetched(str(item.get("name") or "attachment"), str(item.get("mime_type") or ""), data)
