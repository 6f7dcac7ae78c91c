"""Contacts: the people on the other side, upserted by (network, remote id).

A fetched contact refreshes the stored one field by field (a record that
leaves a field empty keeps what we knew); a new contact with an e-mail
address joins the person of another contact with that address, the one
automatic link (DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

from console.models.ingest.sql import chunks, marks
from console.models.records import ContactRecord
from console.models.types import new_id, now_ms


def upsert_contacts(
    conn: Connection, records: Iterable[ContactRecord]
) -> dict[tuple[str, str], str]:
    """Insert or refresh contacts; return their ids by (network, remote_id)."""
    wanted: dict[tuple[str, str], ContactRecord] = {}
    for rec in records:
        wanted[(rec.network, rec.remote_id)] = rec
    ids: dict[tuple[str, str], str] = {}
    by_network: dict[str, list[str]] = {}
    for network, remote_id in wanted:
        by_network.setdefault(network, []).append(remote_id)
    known: dict[tuple[str, str], tuple[str, str, str, str | None, str | None]] = {}
    for network, remote_ids in by_network.items():
        for part in chunks(remote_ids):
            rows = conn.exec_driver_sql(
                "SELECT id, remote_id, handle, name, avatar_url, email FROM contacts "
                f"WHERE network = ? AND remote_id IN ({marks(len(part))})",
                (network, *part),
            ).all()
            for row in rows:
                known[(network, row[1])] = (row[0], row[2], row[3], row[4], row[5])
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    new_with_email: list[tuple[str, str]] = []
    for key, rec in wanted.items():
        if key in known:
            cid, handle, name, avatar, email = known[key]
            ids[key] = cid
            fresh = (
                rec.handle or handle,
                rec.name or name,
                rec.avatar_url or avatar,
                rec.email.lower() if rec.email else email,
            )
            if fresh != (handle, name, avatar, email):
                updates.append((*fresh, cid))
        else:
            cid = new_id()
            ids[key] = cid
            inserts.append(
                (
                    cid,
                    rec.network,
                    rec.remote_id,
                    rec.handle,
                    rec.name,
                    rec.avatar_url,
                    rec.email.lower() if rec.email else None,  # stored lower: indexed lookups
                )
            )
            if rec.email:
                new_with_email.append((cid, rec.email.lower()))
    if inserts:
        conn.exec_driver_sql(
            "INSERT INTO contacts (id, network, remote_id, handle, name, avatar_url, email) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            inserts,
        )
    if updates:
        conn.exec_driver_sql(
            "UPDATE contacts SET handle = ?, name = ?, avatar_url = ?, email = ? WHERE id = ?",
            updates,
        )
    for cid, email in new_with_email:
        _autolink_by_email(conn, cid, email)
    return ids


def _autolink_by_email(conn: Connection, contact_id: str, email: str) -> None:
    """The one automatic link (DESIGN.md): the same e-mail address."""
    other = conn.exec_driver_sql(
        "SELECT id, person_id FROM contacts WHERE email = ? AND id != ? LIMIT 1",
        (email, contact_id),
    ).first()
    if other is None:
        return
    person_id = other[1]
    if person_id is None:
        person_id = new_id()
        conn.exec_driver_sql(
            "INSERT INTO persons (id, name, created_at) VALUES (?, '', ?)", (person_id, now_ms())
        )
        conn.exec_driver_sql(
            "UPDATE contacts SET person_id = ? WHERE id = ?", (person_id, other[0])
        )
    conn.exec_driver_sql("UPDATE contacts SET person_id = ? WHERE id = ?", (person_id, contact_id))
