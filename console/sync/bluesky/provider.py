"""Bluesky over the AT Protocol: a small tolerant XRPC client on requests.

Why not the ``atproto`` SDK: its models are strict and have broken when
Bluesky added fields; an unknown field or union member must never break a
sync. Here every response is read as plain JSON with ``.get`` and unknown
``$type`` members are skipped (docs/bluesky.md).

XRPC and the session are in client.py, the JSON becomes records in
parse.py, replies go out in send.py; this module reads the inbox.

Inbox: listNotifications read from the top until a notification already
seen (cursor: the newest indexedAt), reasons mention, reply and quote; each
thread via getPostThread; thread key = the AT-URI of the root post.
updateSeen is never called (the user's own app shares that state).

Replies: app.bsky.feed.post records created with the outbox key as rkey (a
TID chosen before the first attempt): reply root/parent, facets for
mentions and links in UTF-8 byte offsets, langs. Before any retry,
getRecord on that rkey: if it exists, it was sent.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from console.models.timebounds import bound_remote_time
from console.sync.base import (
    AccountInfo,
    AuthError,
    BadRecord,
    ContactRecord,
    FetchResult,
    Kind,
    LengthRule,
    Limits,
    MessageRecord,
    ReplyRequest,
    SentReply,
    TransientError,
)
from console.sync.bluesky import parse
from console.sync.bluesky import send as sending
from console.sync.bluesky.client import DEFAULT_TIMEOUT, BlueskyClient, ClientError
from console.sync.bluesky.parse import DELETED_VIEW, LOG_CREATE, LOG_DELETE, MESSAGE_VIEW
from console.sync.richtext import MAX_BYTES, MAX_GRAPHEMES
from console.sync.streams import Streams

log = logging.getLogger(__name__)

REASONS = {"mention", "reply", "quote"}
PAGE = 50
MAX_PAGES = 200
PAGES_PER_CALL = 20  # 1,000 notifications, then their threads commit
NO_DM_ACCESS = (
    "This app password cannot read direct messages; create one with access to direct "
    "messages to answer DMs in Parloir (public mentions still sync)."
)


class BlueskyProvider(BlueskyClient):
    resend_after_lookup = True  # the rkey makes a resend safe after getRecord

    def __init__(
        self,
        account: AccountInfo,
        secret: str | None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(account, secret, timeout=timeout)
        self._members: dict[str, dict[str, Any]] = {}

    # -- records ------------------------------------------------------------------------

    def _contact(self, author: Mapping[str, Any]) -> ContactRecord:
        return parse.contact(author)

    def _message(self, post: Mapping[str, Any], key: str) -> MessageRecord:
        return parse.post_message(post, key, self.did)

    # -- fetch ------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        """Notifications (with their threads), then the direct messages:
        two streams (console/sync/streams.py), one failing does not stop
        the other or lose what it fetched."""
        result = FetchResult(cursors=dict(cursors))
        horizon = datetime.now(UTC) - timedelta(days=self.account.history_days)
        streams = Streams(result)
        streams.run(
            "notifications",
            "Mentions and replies",
            lambda: self._fetch_notifications(result, horizon),
        )
        if result.more:
            return result
        streams.run("direct", "Direct messages", lambda: self._fetch_chat(result, horizon))
        streams.finish()
        return result

    def _fetch_notifications(self, result: FetchResult, horizon: datetime) -> None:
        """Notifications since the "seen" cursor, each with its thread; the
        cursors move only once all of them were read."""
        seen_until = result.cursors.get("notifications_seen")
        # A walk down the notifications longer than one call resumes where
        # the last call stopped; "seen" moves only once the walk is complete.
        cursor: str | None = result.cursors.get("notifications_resume")
        newest: str | None = result.cursors.get("notifications_newest") if cursor else None
        wanted: list[Mapping[str, Any]] = []
        stop = False
        for _ in range(PAGES_PER_CALL):
            params: dict[str, Any] = {"limit": PAGE}
            if cursor:
                params["cursor"] = cursor
            page = self._call("GET", "app.bsky.notification.listNotifications", params=params)
            items = page.get("notifications") if isinstance(page, dict) else None
            if not isinstance(items, list) or not items:
                cursor = None
                break
            for note in items:
                if not isinstance(note, dict):
                    continue
                indexed = parse.stamp(note.get("indexedAt"))
                newest = newest or indexed
                if seen_until and indexed and indexed <= seen_until:
                    stop = True
                    break
                if indexed and bound_remote_time(indexed) < horizon:
                    stop = True
                    break
                reason = note.get("reason")
                if isinstance(reason, str) and reason in REASONS:
                    wanted.append(note)
            cursor = page.get("cursor") if isinstance(page, dict) else None
            if stop or not cursor:
                break
        done: set[str] = set()
        for note in reversed(wanted):  # oldest first
            uri = str(note.get("uri") or "")
            if not uri or uri in done:
                continue
            try:
                for message in self._thread(uri):
                    if message.remote_id not in done:
                        done.add(message.remote_id)
                        result.messages.append(message)
            except BadRecord as exc:
                log.warning("skipped notification %s: %s", uri, exc)
                result.skipped.append(uri)
            except (KeyError, TypeError, AttributeError, ValueError) as exc:
                # A thread of a shape no version foresaw: skip it, keep the rest.
                log.warning("skipped malformed thread %s: %r", uri, exc)
                result.skipped.append(uri)
        if cursor and not stop:
            # More pages wait: commit these, then the engine calls again.
            result.cursors["notifications_resume"] = cursor
            result.cursors["notifications_newest"] = newest
            result.more = True
            return
        result.cursors.pop("notifications_resume", None)
        result.cursors.pop("notifications_newest", None)
        if newest:
            result.cursors["notifications_seen"] = max(newest, seen_until or "")

    # -- direct messages (chat.bsky.convo, through the PDS) ----------------------------

    def _fetch_chat(self, result: FetchResult, horizon: datetime) -> None:
        """First pass: every conversation's messages inside the window, and
        the newest rev as the log cursor; then getLog from that cursor."""
        try:
            if result.cursors.get("chat_log") is None:
                self._chat_first(result, horizon)
            else:
                self._chat_log(result)
            result.cursors.pop("chat_error", None)
        except (ClientError, AuthError) as exc:
            # A token without chat scope: the session itself is fine. Said
            # once (in the log and the account's cursors), not on every poll.
            if result.cursors.get("chat_error") != NO_DM_ACCESS:
                log.warning("%s: direct messages not read: %s", self.account.handle, exc)
            result.cursors["chat_error"] = NO_DM_ACCESS

    def _chat_first(self, result: FetchResult, horizon: datetime) -> None:
        cursor: str | None = None
        newest_rev = ""
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = self._call("GET", "chat.bsky.convo.listConvos", params=params, chat=True)
            convos = page.get("convos") if isinstance(page, dict) else None
            if not isinstance(convos, list) or not convos:
                break
            for convo in convos:
                if not isinstance(convo, dict) or not convo.get("id"):
                    continue
                newest_rev = max(newest_rev, str(convo.get("rev") or ""))
                self._members[str(convo["id"])] = parse.members_of(convo)
                last = convo.get("lastMessage") or {}
                sent = str(last.get("sentAt") or "") if isinstance(last, dict) else ""
                if sent and bound_remote_time(sent) < horizon:
                    continue
                self._convo_messages(str(convo["id"]), horizon, result)
            cursor = page.get("cursor")
            if not cursor:
                break
        result.cursors["chat_log"] = newest_rev

    def _convo_messages(self, convo_id: str, horizon: datetime, result: FetchResult) -> None:
        cursor: str | None = None
        for _ in range(20):
            params: dict[str, Any] = {"convoId": convo_id, "limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = self._call("GET", "chat.bsky.convo.getMessages", params=params, chat=True)
            messages = page.get("messages") if isinstance(page, dict) else None
            if not isinstance(messages, list) or not messages:
                return
            older = False
            for item in messages:
                record = self._dm(convo_id, item, result)
                if record is not None and record.sent_at < horizon:
                    older = True
            cursor = page.get("cursor")
            if older or not cursor:
                return

    def _chat_log(self, result: FetchResult) -> None:
        cursor = str(result.cursors.get("chat_log") or "")
        for _ in range(MAX_PAGES):
            params = {"cursor": cursor} if cursor else {}
            page = self._call("GET", "chat.bsky.convo.getLog", params=params, chat=True)
            logs = page.get("logs") if isinstance(page, dict) else None
            if not isinstance(logs, list) or not logs:
                break
            for entry in logs:
                if not isinstance(entry, dict):
                    continue
                kind, convo_id = entry.get("$type"), str(entry.get("convoId") or "")
                if kind == LOG_CREATE and convo_id:
                    self._dm(convo_id, entry.get("message"), result)
                elif kind == LOG_DELETE and convo_id:
                    message = entry.get("message") or {}
                    if isinstance(message, dict) and message.get("id"):
                        result.tombstones.append(parse.chat_tombstone(convo_id, message["id"]))
                cursor = max(cursor, str(entry.get("rev") or ""))
            # Read on until a page comes back empty (the log has no "more" flag).
            cursor = max(cursor, str(page.get("cursor") or ""))
        result.cursors["chat_log"] = cursor

    def _dm(self, convo_id: str, item: Any, result: FetchResult) -> MessageRecord | None:
        """One chat message as a record (unknown union members are skipped)."""
        if not isinstance(item, dict):
            return None
        kind = item.get("$type")
        if kind == DELETED_VIEW and item.get("id"):
            result.tombstones.append(parse.chat_tombstone(convo_id, item["id"]))
            return None
        if kind not in (MESSAGE_VIEW, None):
            return None  # a message kind this version does not know
        try:
            record = parse.chat_message(
                convo_id,
                item,
                lambda: self._members.get(convo_id) or self._load_members(convo_id),
                self.did,
            )
        except (KeyError, TypeError, AttributeError, BadRecord) as exc:
            log.warning("skipped chat message %s: %r", item.get("id"), exc)
            result.skipped.append(f"chat:{convo_id}:{item.get('id')}")
            return None
        result.messages.append(record)
        return record

    def _load_members(self, convo_id: str) -> dict[str, Any]:
        try:
            data = self._call(
                "GET", "chat.bsky.convo.getConvo", params={"convoId": convo_id}, chat=True
            )
            convo = data.get("convo") if isinstance(data, dict) else None
            members = parse.members_of(convo) if isinstance(convo, dict) else {}
        except (ClientError, TransientError):
            members = {}
        self._members[convo_id] = members
        return members

    def _thread(self, uri: str) -> list[MessageRecord]:
        """The post with its ancestors and replies; key = the root's AT-URI."""
        try:
            data = self._call(
                "GET",
                "app.bsky.feed.getPostThread",
                params={"uri": uri, "depth": 6, "parentHeight": 80},
            )
        except ClientError as exc:
            if exc.error in ("NotFound", "BlockedActor", "BlockedByActor"):
                raise BadRecord(f"post not available ({exc.error})", uri) from exc
            raise TransientError(f"{self.pds}: {exc.message or exc.error}.") from exc
        thread = data.get("thread") if isinstance(data, dict) else None
        if not isinstance(thread, dict) or not isinstance(thread.get("post"), dict):
            raise BadRecord("no such post", uri)
        posts, key = parse.thread_posts(thread, uri)
        out = []
        for post in posts:
            try:
                out.append(self._message(post, key))
            except BadRecord as exc:
                log.warning("skipped post %s in a thread: %s", post.get("uri"), exc)
        return out

    # -- sending ------------------------------------------------------------------------

    def may_resend(self, reply: ReplyRequest) -> bool:
        return reply.kind != Kind.DIRECT  # sendMessage has no idempotency

    def send(self, reply: ReplyRequest) -> SentReply:
        return sending.send(self, reply)

    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        return sending.find_sent(self, reply)

    def limits(self) -> Limits:
        return Limits(MAX_GRAPHEMES, LengthRule.GRAPHEMES, max_bytes=MAX_BYTES)
