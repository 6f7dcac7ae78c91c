"""The local cache: SQLAlchemy 2.0 typed ORM.

Every replayable row has a UUID string id (team mode replays operations
across desktops). Messages additionally carry an integer ``seq`` that is the
SQLite rowid, because the FTS5 index is keyed by rowid and a rowid that is
not an INTEGER PRIMARY KEY alias could change on VACUUM.

Schema changes go through Alembic (console/models/migrations); this module
must stay in step with the newest revision — a test compares them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    desc,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from console.models.settings_registry import POLL_INTERVAL
from console.models.types import JsonText, UtcMillis, new_id


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcMillis(),
        dict[str, Any]: JsonText(),
        list[Any]: JsonText(),
    }


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


class Setting(Base):
    """Data-affecting settings (who "me" is, due targets, poll interval,
    history window): in the database because headless ``parloir sync``
    reads them too."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JsonText())


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = _id()
    network: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(320))
    server: Mapped[str] = mapped_column(String(500), default="")
    display_name: Mapped[str] = mapped_column(String(200), default="")
    remote_id: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="ok")
    status_message: Mapped[str | None] = mapped_column(Text)
    cursors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Not read: the registry resolves the interval (settings_registry.POLL_INTERVAL).
    poll_interval: Mapped[int] = mapped_column(Integer, default=POLL_INTERVAL.default)
    history_days: Mapped[int | None] = mapped_column(Integer)
    initial_sync_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    last_sync_at: Mapped[datetime | None]
    __table_args__ = (UniqueConstraint("network", "server", "handle", name="uq_account_handle"),)


class Person(Base):
    """Contacts linked into one human, across networks."""

    __tablename__ = "persons"
    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[str] = _id()
    network: Mapped[str] = mapped_column(String(20))
    remote_id: Mapped[str] = mapped_column(String(500))
    handle: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    avatar_url: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    person_id: Mapped[str | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    __table_args__ = (UniqueConstraint("network", "remote_id", name="uq_contact_remote"),)


class TeamMember(Base):
    __tablename__ = "team_members"
    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(10), default="agent")
    is_me: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(100), unique=True)
    color: Mapped[str | None] = mapped_column(String(20))


class ConversationTag(Base):
    __tablename__ = "conversation_tags"
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[str] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Conversation(Base):
    """One thread that may wait for a human answer.

    ``sort_wait`` is the default queue order as one integer: the waiting time
    for conversations where someone waits (oldest first), and after them the
    others by most recent activity. Ingest and workflow code keep it in step
    (see workflow_rules.sort_wait_key) so keyset paging is a plain index walk.
    """

    __tablename__ = "conversations"
    id: Mapped[str] = _id()
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    remote_key: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")
    snoozed_until: Mapped[datetime | None]
    assignee_id: Mapped[str | None] = mapped_column(
        ForeignKey("team_members.id", ondelete="SET NULL")
    )
    priority: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str | None] = mapped_column(Text)
    contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    preview: Mapped[str] = mapped_column(Text, default="")
    first_inbound_at: Mapped[datetime | None]
    last_inbound_at: Mapped[datetime | None]
    last_outbound_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime | None]
    waiting_since: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    sort_wait: Mapped[int] = mapped_column(Integer, default=0)
    unread: Mapped[bool] = mapped_column(Boolean, default=True)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    tags: Mapped[list[Tag]] = relationship(secondary="conversation_tags", lazy="selectin")

    __table_args__ = (
        UniqueConstraint("account_id", "remote_key", name="uq_conversation_key"),
        Index("ix_conv_status_wait", "status", "sort_wait", "id"),
        Index("ix_conv_assignee", "assignee_id"),
        Index("ix_conv_status_activity", "status", "last_activity_at", "id"),
        Index("ix_conv_status_priority", "status", desc("priority"), "sort_wait", "id"),
        Index("ix_conv_snooze", "status", "snoozed_until"),
    )


class ConversationAlias(Base):
    """Remote keys of conversations merged away, pointing at the survivor,
    so later records keyed on an old root land in the right thread."""

    __tablename__ = "conversation_aliases"
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    remote_key: Mapped[str] = mapped_column(String(1000), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )


class ConversationRedirect(Base):
    """Ids of conversations merged away: ``show OLD`` finds the survivor."""

    __tablename__ = "conversation_redirects"
    old_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    new_id: Mapped[str] = mapped_column(String(36), index=True)


class Message(Base):
    __tablename__ = "messages"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    remote_id: Mapped[str] = mapped_column(String(1000))
    direction: Mapped[str] = mapped_column(String(3))
    author_contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_handle: Mapped[str] = mapped_column(String(320), default="")
    sent_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    in_reply_to: Mapped[str | None] = mapped_column(String(1000))
    subject: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str | None] = mapped_column(String(20))
    attachments: Mapped[list[Any] | None] = mapped_column(JsonText())
    raw: Mapped[dict[str, Any] | None] = mapped_column(JsonText())
    edited_at: Mapped[datetime | None]
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    __table_args__ = (
        UniqueConstraint("account_id", "remote_id", name="uq_message_remote"),
        Index("ix_message_conv_time", "conversation_id", "sent_at"),
        Index("ix_message_reply", "account_id", "in_reply_to"),
    )


class MessageLocation(Base):
    """Where copies of an e-mail sit (INBOX and Sent copies are one message)."""

    __tablename__ = "message_locations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    folder: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int] = mapped_column(Integer)
    uid: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint("account_id", "folder", "uidvalidity", "uid", name="uq_location"),
    )


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[str] = _id()
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[str | None] = mapped_column(
        ForeignKey("team_members.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[Any]] = mapped_column(JsonText(), default=list)
    created_at: Mapped[datetime]


class Draft(Base):
    """One per (conversation, author); autosaved, survives crashes."""

    __tablename__ = "drafts"
    id: Mapped[str] = _id()
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(ForeignKey("team_members.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, default="")
    in_reply_to_message_id: Mapped[str | None] = mapped_column(String(36))
    visibility: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="editing")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("conversation_id", "author_id", name="uq_draft_author"),)


class OutboxItem(Base):
    """A reply to deliver. ``key`` is chosen before the first attempt and
    never changes: it is what makes a retry safe."""

    __tablename__ = "outbox"
    id: Mapped[str] = _id()
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    author_id: Mapped[str | None] = mapped_column(
        ForeignKey("team_members.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    in_reply_to_remote_id: Mapped[str | None] = mapped_column(String(1000))
    visibility: Mapped[str | None] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    remote_id: Mapped[str | None] = mapped_column(String(1000))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    extra: Mapped[dict[str, Any]] = mapped_column(JsonText(), default=dict)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    first_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (Index("ix_outbox_state", "state", "created_at"),)


class SavedReply(Base):
    __tablename__ = "saved_replies"
    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Activity(Base):
    """A replayable operation: who did what, when, with an idempotent
    payload ("assignee := X", never "toggle"). Team mode pushes these."""

    __tablename__ = "activities"
    id: Mapped[str] = _id()
    actor_id: Mapped[str | None] = mapped_column(String(36))
    conversation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonText(), default=dict)
    at: Mapped[datetime]
    pushed: Mapped[bool] = mapped_column(Boolean, default=False)


class ChangeLog(Base):
    """What each committed write changed (a ChangeSet as JSON) and which
    writer made it: how a window sees another process's writes. Only the
    newest rows are kept (writer.CHANGE_LOG_KEEP)."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(String(36))
    changes: Mapped[str] = mapped_column(Text)
    __table_args__ = ({"sqlite_autoincrement": True},)
