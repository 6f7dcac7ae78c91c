"""Internal notes on a conversation, with @mentions of team members.

Notes never leave the team (they are not replies). A mention is written
``@Name`` (or ``@"Full Name"``); mentioned member ids are stored with the
note so a member's "mentions" list needs no text parsing.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.activity import record_activity
from console.models.schema import Note, TeamMember
from console.models.types import utcnow
from console.models.writer import Tx
from console.services.errors import InvalidArgument
from console.services.team import ensure_me
from console.services.workflow import resolve

#: A note is a message to colleagues, not a document: 10,000 characters
#: (about four pages) is far beyond any real note, and far below what makes
#: the pane and the activity log slow (a 5 MB note took 71 s to show).
MAX_NOTE = 10_000

_MENTION = re.compile(r'@"([^"]+)"|@([\w.\-]+)', re.UNICODE)


def mentioned_members(session: Session, text: str) -> list[TeamMember]:
    """Members named in ``text``: full names first, then first names."""
    members = list(session.scalars(select(TeamMember)))
    found: dict[str, TeamMember] = {}
    lowered = text.casefold()
    for member in members:
        if f"@{member.name.casefold()}" in lowered or f'@"{member.name.casefold()}"' in lowered:
            found[member.id] = member
    for quoted, word in _MENTION.findall(text):
        token = (quoted or word).casefold()
        matches = [
            m
            for m in members
            if m.name.casefold() == token or m.name.split()[0].casefold() == token
        ]
        if len(matches) == 1:
            found[matches[0].id] = matches[0]
    return list(found.values())


def add_note(tx: Tx, conv_id: str, text: str) -> Note:
    text = text.strip()
    if not text:
        raise InvalidArgument("A note needs some text.")
    if len(text) > MAX_NOTE:
        raise InvalidArgument(
            f"A note can be at most {MAX_NOTE:,} characters, not {len(text):,}; "
            "shorten it (nothing was saved)."
        )
    author = ensure_me(tx)
    conv = resolve(tx.session, conv_id)
    mentions = [m.id for m in mentioned_members(tx.session, text)]
    note = Note(
        conversation_id=conv.id,
        author_id=author.id,
        text=text,
        mentions=mentions,
        created_at=utcnow(),
    )
    tx.session.add(note)
    tx.session.flush()
    record_activity(
        tx.session.connection(),
        author.id,
        conv.id,
        "note",
        {"note": note.id, "text": text, "mentions": mentions},
    )
    tx.changes.conversations.add(conv.id)
    return note


def notes_for(session: Session, conversation_id: str) -> list[Note]:
    return list(
        session.scalars(
            select(Note).where(Note.conversation_id == conversation_id).order_by(Note.created_at)
        )
    )
