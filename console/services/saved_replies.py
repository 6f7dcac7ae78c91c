"""Saved replies with fields: ``{{contact.name}}``, ``{{contact.handle}}``,
``{{contact.first_name}}``, ``{{me.name}}``, ``{{me.first_name}}``.

An unknown field is left as written, so a typo is visible in the draft
instead of silently vanishing.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.schema import Contact, Conversation, SavedReply
from console.models.types import utcnow
from console.models.writer import Tx
from console.services import names
from console.services.errors import InvalidArgument
from console.services.team import me

_FIELD = re.compile(r"\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}")


def list_replies(session: Session) -> list[SavedReply]:
    return list(session.scalars(select(SavedReply).order_by(SavedReply.name)))


def _twin(session: Session, name: str) -> SavedReply | None:
    """The saved reply already named ``name`` or a twin of it (case, spacing)."""
    wanted = names.key(name)
    return next((r for r in list_replies(session) if names.key(r.name) == wanted), None)


def _name(name: str, body: str) -> str:
    if not name.strip() or not body.strip():
        raise InvalidArgument("A saved reply needs a name and a text.")
    return names.clean(name, "A saved reply's name")  # the rule for names (services/names.py)


def save_reply(tx: Tx, name: str, body: str) -> SavedReply:
    name = _name(name, body)
    reply = _twin(tx.session, name)
    if reply is None:
        reply = SavedReply(name=name, body=body, created_at=utcnow())
        tx.session.add(reply)
    reply.body = body
    tx.session.flush()
    tx.changes.settings = True
    return reply


def delete_reply(tx: Tx, reply_id: str) -> None:
    reply = tx.session.get(SavedReply, reply_id)
    if reply is not None:
        tx.session.delete(reply)
        tx.changes.settings = True


def render(template: str, fields: dict[str, dict[str, str]]) -> str:
    def value(match: re.Match[str]) -> str:
        group = fields.get(match.group(1), {})
        return group.get(match.group(2), match.group(0))

    return _FIELD.sub(value, template)


def fields_for(session: Session, conversation_id: str) -> dict[str, dict[str, str]]:
    """The field values for a conversation's contact and for me."""
    conv = session.get(Conversation, conversation_id)
    contact = session.get(Contact, conv.contact_id) if conv and conv.contact_id else None
    member = me(session)
    contact_name = (contact.name or contact.handle) if contact else ""
    my_name = member.name if member else ""
    return {
        "contact": {
            "name": contact_name,
            "first_name": contact_name.split()[0] if contact_name else "",
            "handle": contact.handle if contact else "",
        },
        "me": {"name": my_name, "first_name": my_name.split()[0] if my_name else ""},
    }


def render_for(session: Session, reply_id: str, conversation_id: str) -> str:
    reply = session.get(SavedReply, reply_id)
    if reply is None:
        raise InvalidArgument("That saved reply no longer exists.")
    return render(reply.body, fields_for(session, conversation_id))


def _check(tx: Tx, name: str, body: str, reply_id: str | None) -> str:
    """The cleaned name, once it is known to be usable and not taken by another reply."""
    name = _name(name, body)
    other = _twin(tx.session, name)
    if other is not None and other.id != reply_id:
        raise InvalidArgument(f"A saved reply named {name!r} already exists; pick another name.")
    return name


def add_reply(tx: Tx, name: str, body: str) -> SavedReply:
    """A new saved reply; unlike :func:`save_reply` it never overwrites one
    with the same name (someone typing "New" means new)."""
    reply = SavedReply(name=_check(tx, name, body, None), body=body, created_at=utcnow())
    tx.session.add(reply)
    tx.session.flush()
    tx.changes.settings = True
    return reply


def update_reply(tx: Tx, reply_id: str, name: str, body: str) -> SavedReply:
    """Rename and/or rewrite a saved reply, keeping its id."""
    reply = tx.session.get(SavedReply, reply_id)
    if reply is None:
        raise InvalidArgument("That saved reply no longer exists.")
    reply.name = _check(tx, name, body, reply_id)
    reply.body = body
    tx.session.flush()
    tx.changes.settings = True
    return reply
