"""The main window's own reads: who I am, and what the sidebar shows.

Each read returns a frozen value built in the read session (on the pool),
so the widgets that show it never touch rows or sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from console.services import accounts, queue, saved_replies, team
from console.views.tasks import Runner


@dataclass(frozen=True, slots=True)
class Me:
    """The member this desktop acts as (None before a team exists) and how
    many accounts the cache has (none: the welcome page)."""

    member_id: str | None
    name: str
    role: str
    account_count: int


@dataclass(frozen=True, slots=True)
class AccountState:
    """One account as the sidebar and the status bar's dots show it."""

    id: str
    network: str
    handle: str
    status: str
    message: str


@dataclass(frozen=True, slots=True)
class MemberLoad:
    id: str
    name: str
    role: str
    open_count: int


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the sidebar shows: view counts, accounts, tags, team."""

    counts: dict[str, int]
    unread: dict[str, int]  # unread conversations per view
    accounts: tuple[AccountState, ...]
    tags: tuple[tuple[str, int], ...]  # (name, open conversations)
    members: tuple[MemberLoad, ...]
    saved_replies: tuple[tuple[str, str], ...] = ()  # (id, name), preloaded for the menus


def load_me(session: Session) -> Me:
    member = team.me(session)
    count = len(accounts.list_accounts(session))
    if member is None:
        return Me(None, "", "", count)
    return Me(member.id, member.name, member.role, count)


def load_overview(session: Session, me_id: str | None) -> Overview:
    return Overview(
        counts=queue.counts(session, me_id=me_id),
        unread=queue.unread_counts(session, me_id=me_id),
        accounts=tuple(
            AccountState(a.id, a.network, a.handle, a.status, a.status_message or "")
            for a in accounts.list_accounts(session)
        ),
        tags=tuple(queue.open_by_tag(session)),
        members=tuple(MemberLoad(*m) for m in queue.open_by_member(session)),
        saved_replies=tuple((r.id, r.name) for r in saved_replies.list_replies(session)),
    )


def fetch_me(runner: Runner, done: Callable[[Me], None]) -> None:
    runner.read(load_me, done)


def fetch_overview(runner: Runner, me_id: str | None, done: Callable[[Overview], None]) -> None:
    runner.read(lambda session: load_overview(session, me_id), done)
