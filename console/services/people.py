"""People: contacts linked across networks, their history, and erasure.

Contacts are linked by hand (link / unlink in the contact card), and
automatically only on an exact e-mail match (models/ingest/contacts.py). "Forget"
is the GDPR erasure: the person's messages, contact records and search
index entries go; one Activity line without personal data remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from console.models.activity import record_activity
from console.models.db import Cache
from console.models.ingest import recompute_conversation
from console.models.schema import Account, Contact, Conversation, ConversationRedirect, Person
from console.models.types import utcnow
from console.models.writer import Tx
from console.services.errors import InvalidArgument, NotFound
from console.services.team import ensure_me


def find_contact(session: Session, ref: str) -> Contact:
    """By id, by exact handle (with or without a leading @), or remote id."""
    contact = session.get(Contact, ref)
    if contact is not None:
        return contact
    bare = ref.strip().lstrip("@").lower()
    found = list(
        session.scalars(
            select(Contact)
            .where(or_(Contact.handle == bare, Contact.remote_id == bare, Contact.email == bare))
            .limit(2)
        )
    )
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise InvalidArgument(f"{ref!r} matches several contacts; use the contact id.")
    raise NotFound(f"No contact {ref!r}.")


def linked_contacts(session: Session, contact: Contact) -> list[Contact]:
    if contact.person_id is None:
        return [contact]
    return list(session.scalars(select(Contact).where(Contact.person_id == contact.person_id)))


def history(session: Session, contact_id: str) -> list[Conversation]:
    """Every conversation with this person, on every channel and account."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return []
    ids = [c.id for c in linked_contacts(session, contact)]
    marks = ",".join(f":c{n}" for n in range(len(ids)))
    params = {f"c{n}": v for n, v in enumerate(ids)}
    conv_ids = session.execute(
        text(
            f"SELECT id FROM conversations WHERE contact_id IN ({marks}) UNION "
            f"SELECT DISTINCT conversation_id FROM messages WHERE author_contact_id IN ({marks})"
        ),
        params,
    ).scalars()
    convs = [session.get(Conversation, cid) for cid in conv_ids]
    found = [c for c in convs if c is not None]
    return sorted(found, key=lambda c: c.last_activity_at or c.created_at, reverse=True)


def link(tx: Tx, contact_id: str, other_id: str) -> Person:
    actor = ensure_me(tx)
    a = find_contact(tx.session, contact_id)
    b = find_contact(tx.session, other_id)
    if a.id == b.id:
        raise InvalidArgument("A contact cannot be linked to itself.")
    person_id = a.person_id or b.person_id
    person = tx.session.get(Person, person_id) if person_id else None
    if person is None:
        person = Person(name=a.name or b.name, created_at=utcnow())
        tx.session.add(person)
        tx.session.flush()
    for contact in (*linked_contacts(tx.session, a), *linked_contacts(tx.session, b)):
        contact.person_id = person.id
    record_activity(
        tx.session.connection(), actor.id, None, "person.link", {"contacts": [a.id, b.id]}
    )
    tx.changes.team = True
    return person


def unlink(tx: Tx, contact_id: str) -> None:
    actor = ensure_me(tx)
    contact = find_contact(tx.session, contact_id)
    contact.person_id = None
    record_activity(
        tx.session.connection(), actor.id, None, "person.unlink", {"contact": contact.id}
    )
    tx.changes.team = True


def forget(tx: Tx, contact_ref: str) -> dict[str, int]:
    """Erase a person: their messages (and index entries), the conversations
    that were only with them, their contact records, their person record."""
    actor = ensure_me(tx)
    conn = tx.session.connection()
    contact = find_contact(tx.session, contact_ref)
    contacts = linked_contacts(tx.session, contact)
    ids = [c.id for c in contacts]
    person_id = contact.person_id
    marks = ",".join("?" * len(ids))
    solo = [
        r[0]
        for r in conn.exec_driver_sql(
            f"SELECT c.id FROM conversations c WHERE c.contact_id IN ({marks}) AND NOT EXISTS "
            "(SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in' "
            f"AND (m.author_contact_id IS NULL OR m.author_contact_id NOT IN ({marks})))",
            (*ids, *ids),
        )
    ]
    doomed = [
        (r[0], r[1])
        for r in conn.exec_driver_sql(
            f"SELECT seq, conversation_id FROM messages WHERE author_contact_id IN ({marks})",
            tuple(ids),
        )
    ]
    for cid in solo:
        doomed += [
            (r[0], r[1])
            for r in conn.exec_driver_sql(
                "SELECT seq, conversation_id FROM messages WHERE conversation_id = ?", (cid,)
            )
        ]
    seqs = sorted({r[0] for r in doomed})
    conn.exec_driver_sql("DELETE FROM message_fts WHERE rowid = ?", [(s,) for s in seqs])
    conn.exec_driver_sql("DELETE FROM messages WHERE seq = ?", [(s,) for s in seqs])
    touched = {r[1] for r in doomed} - set(solo)
    for cid in solo:
        conn.exec_driver_sql("DELETE FROM conversations WHERE id = ?", (cid,))
    for cid in touched:
        recompute_conversation(conn, cid)
    conn.exec_driver_sql(f"DELETE FROM contacts WHERE id IN ({marks})", tuple(ids))
    if person_id:
        conn.exec_driver_sql("DELETE FROM persons WHERE id = ?", (person_id,))
    # Merge the FTS segments so deleted tokens do not linger in the index file.
    conn.exec_driver_sql("INSERT INTO message_fts (message_fts) VALUES ('optimize')")
    conn.exec_driver_sql("INSERT INTO note_fts (note_fts) VALUES ('optimize')")  # cascaded notes
    summary = {"contacts": len(ids), "messages": len(seqs), "conversations": len(solo)}
    record_activity(conn, actor.id, None, "person.forget", summary)
    tx.changes.removed |= set(solo)
    tx.changes.conversations |= touched
    return summary


#: How long erasure waits for another process's read snapshot to end
#: before it says what remains (SQLite's busy handler retries meanwhile).
ERASURE_WAIT_S = 3.0


@dataclass(frozen=True, slots=True)
class Erasure:
    """What ``forget`` removed, and whether it is gone from the files too.

    ``complete`` is False when another process held a read snapshot: the
    rows are gone from the cache, but old copies of their pages stay in the
    write-ahead log and the main file until that reader ends (the last
    Parloir process to close the cache finishes the job).
    """

    counts: dict[str, int]
    complete: bool

    def __getitem__(self, key: str) -> int:
        return self.counts[key]


def forget_person(cache: Cache, contact_ref: str) -> Erasure:
    """Erase, then checkpoint the WAL and check its result, so erasure is
    reported done only once the words are gone from the files (the writer
    connection runs with secure_delete: freed pages are zeroed)."""
    summary = cache.writer.call(lambda tx: forget(tx, contact_ref))
    return Erasure(summary, cache.checkpoint(wait=ERASURE_WAIT_S))


def search_contacts(session: Session, text: str, limit: int = 20) -> list[Contact]:
    """Contacts whose name, handle or e-mail address contains ``text``
    (case-insensitive for ASCII letters), by name: the "link contact" picker."""
    needle = text.strip().lstrip("@")
    if not needle:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    query = (
        select(Contact)
        .where(
            or_(
                Contact.name.ilike(pattern, escape="\\"),
                Contact.handle.ilike(pattern, escape="\\"),
                Contact.email.ilike(pattern, escape="\\"),
            )
        )
        .order_by(Contact.name, Contact.handle)
        .limit(limit)
    )
    return list(session.scalars(query))


def contact_for_conversation(session: Session, conv_id: str) -> str | None:
    """The id of the contact a conversation is with (None when unknown)."""
    conv = session.get(Conversation, conv_id)
    if conv is None:
        target = session.scalar(
            select(ConversationRedirect.new_id).where(ConversationRedirect.old_id == conv_id)
        )
        conv = session.get(Conversation, target) if target else None
    return conv.contact_id if conv is not None else None


@dataclass(frozen=True, slots=True)
class ContactSummary:
    id: str
    network: str
    handle: str
    name: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One conversation in a person's history, with the account it is on."""

    conversation_id: str
    network: str
    account_handle: str
    status: str
    subject: str | None
    preview: str
    last_activity_at: datetime | None
    contact_id: str | None


@dataclass(frozen=True, slots=True)
class PersonCard:
    """What the contact card shows: the contact, the other contacts of the
    same person, and the person's conversations on every channel, newest
    first (plain values, safe to hand to another thread)."""

    contact: ContactSummary
    person_id: str | None
    linked: list[ContactSummary]
    conversations: list[HistoryRow]


def _summary(contact: Contact) -> ContactSummary:
    return ContactSummary(contact.id, contact.network, contact.handle, contact.name)


def person_card(session: Session, contact_id: str) -> PersonCard | None:
    contact = session.get(Contact, contact_id)
    if contact is None:
        return None
    others = [c for c in linked_contacts(session, contact) if c.id != contact.id]
    accounts = {a.id: a for a in session.scalars(select(Account))}
    rows = []
    for conv in history(session, contact.id):
        account = accounts.get(conv.account_id)
        rows.append(
            HistoryRow(
                conversation_id=conv.id,
                network=account.network if account else "",
                account_handle=account.handle if account else "",
                status=conv.status,
                subject=conv.subject,
                preview=conv.preview,
                last_activity_at=conv.last_activity_at or conv.created_at,
                contact_id=conv.contact_id,
            )
        )
    return PersonCard(
        contact=_summary(contact),
        person_id=contact.person_id,
        linked=[_summary(c) for c in sorted(others, key=lambda c: (c.name, c.handle))],
        conversations=rows,
    )
