"""Team members, roles, and who "me" is on this desktop.

Solo use needs no set-up: the first time an operation needs "me" and the
team is empty, a member named after the OS user is created as admin and
marked as me. Once a team exists, "me" must be chosen explicitly
(``parloir team me NAME``): guessing would put work under someone else's name.
"""

from __future__ import annotations

import getpass

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from console.models.activity import record_activity
from console.models.schema import TeamMember
from console.models.types import utcnow
from console.models.vocabulary import Role
from console.models.writer import Tx
from console.services import names
from console.services.errors import InvalidArgument, NotFound

ROLES = tuple(Role)


def list_members(session: Session) -> list[TeamMember]:
    return list(session.scalars(select(TeamMember).order_by(TeamMember.name)))


def find_member(session: Session, name_or_id: str) -> TeamMember:
    """By id, else by name (twins by case and spacing are the same name; in an
    old cache holding twins, the oldest), else by a unique name prefix."""
    member = session.get(TeamMember, name_or_id)
    if member is not None:
        return member
    members = list_members(session)
    wanted = names.key(name_or_id)
    if not wanted:
        raise NotFound("Give a team member's name; see `parloir team list`.")
    exact = _twins(session, wanted)
    if exact:
        return exact[0]
    prefix = [m for m in members if names.key(m.name).startswith(wanted)]
    if len(prefix) == 1:
        return prefix[0]
    if len(prefix) > 1:
        several = ", ".join(m.name for m in prefix)
        raise InvalidArgument(f"{name_or_id!r} matches several team members: {several}.")
    raise NotFound(f"No team member named {name_or_id!r}; see `parloir team list`.")


def _twins(session: Session, wanted_key: str) -> list[TeamMember]:
    """Members whose name has this key, oldest first (more than one only in
    a cache from before the name rule)."""
    in_creation_order = select(TeamMember).order_by(literal_column("team_members.rowid"))
    return [m for m in session.scalars(in_creation_order) if names.key(m.name) == wanted_key]


def me(session: Session) -> TeamMember | None:
    return session.scalar(select(TeamMember).where(TeamMember.is_me.is_(True)))


def ensure_me(tx: Tx) -> TeamMember:
    """The member this desktop acts as (created for solo use, see above)."""
    member = me(tx.session)
    if member is not None:
        return member
    if list_members(tx.session):
        raise InvalidArgument("Say who you are first: parloir team me NAME.")
    name = _os_user_name()
    member = TeamMember(name=name, role="admin", is_me=True, created_at=utcnow())
    tx.session.add(member)
    tx.session.flush()
    tx.changes.team = True
    return member


def _os_user_name() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = ""
    try:
        return member_name(name.capitalize())
    except InvalidArgument:  # empty, too long, or holding what a name may not
        return "Me"


def member_name(name: str) -> str:
    """A member's name as typed, made valid (services/names.py), or
    InvalidArgument in one sentence."""
    return names.clean(name, "A team member's name")


def add_member(tx: Tx, name: str, role: str) -> TeamMember:
    """Add a member; a twin of an existing name (case, spacing) is that member,
    whose role is then set, as for the same name typed again."""
    name = member_name(name)
    if role not in ROLES:
        raise InvalidArgument(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
    twins = _twins(tx.session, names.key(name))
    existing = twins[0] if twins else None
    if existing is not None:
        if existing.role != role:
            existing.role = role
            tx.changes.team = True
        return existing
    member = TeamMember(name=name, role=role, is_me=False, created_at=utcnow())
    tx.session.add(member)
    tx.session.flush()
    record_activity(
        tx.session.connection(), None, None, "team.add", {"member": member.id, "role": role}
    )
    tx.changes.team = True
    return member


def set_me(tx: Tx, name_or_id: str) -> TeamMember:
    member = find_member(tx.session, name_or_id)
    for other in list_members(tx.session):
        other.is_me = other.id == member.id
    tx.changes.team = True
    return member


def set_role(tx: Tx, name_or_id: str, role: str) -> TeamMember:
    """Change a member's role; the team always keeps at least one admin, so
    nobody is locked out of the settings only an admin may change."""
    if role not in ROLES:
        raise InvalidArgument(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
    member = find_member(tx.session, name_or_id)
    if member.role == role:
        return member
    if member.role == Role.ADMIN:
        admins = [m for m in list_members(tx.session) if m.role == Role.ADMIN]
        if len(admins) == 1:
            raise InvalidArgument(
                f"{member.name} is the only admin; make someone else admin first."
            )
    member.role = role
    record_activity(
        tx.session.connection(), None, None, "team.role", {"member": member.id, "role": role}
    )
    tx.changes.team = True
    return member
