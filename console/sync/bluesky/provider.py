"""Bluesky over the AT Protocol: a small tolerant XRPC client on requests.

Why not the ``atproto`` SDK: its models are strict and have broken when
Bluesky added fields; an unknown field or union member must never break a
sync. Here every response is read as plain JSON with ``.get`` and unknown
``$type`` members are skipped (docs/bluesky.md).

Every call goes to the account's PDS (app.bsky is proxied by the PDS to the
AppView; chat would carry ``atproto-proxy: did:web:api.bsky.chat#bsky_chat``).

Session: the keyring holds JSON {did, handle, pds, accessJwt, refreshJwt,
appPassword}. The access token is refreshed when it expires (or the server
says ExpiredToken); the NEW refresh token is saved at once because the old
one is revoked on use. Refreshing happens under a per-account file lock,
re-reading the keyring first: two processes never both spend one refresh
token. createSession (tightly rate limited) only when the refresh token
itself is refused, with the stored app password.

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

import base64
import json
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from console import credentials, paths
from console.models.timebounds import bound_and_keep, bound_remote_time, parse_remote_time
from console.sync.base import (
    AccountInfo,
    AuthError,
    BadRecord,
    ContactRecord,
    Direction,
    FetchResult,
    Kind,
    LengthRule,
    Limits,
    MessageRecord,
    Provider,
    RateLimited,
    ReplyRequest,
    SendOutcomeUnknown,
    SendRejected,
    SentReply,
    Tombstone,
    TransientError,
)
from console.sync.base import never_left as _never_left
from console.sync.lock import exclusive
from console.sync.numbers import server_float, wait_seconds
from console.sync.richtext import MAX_BYTES, MAX_GRAPHEMES, facets, graphemes
from console.sync.streams import Streams

log = logging.getLogger(__name__)

REASONS = {"mention", "reply", "quote"}
PAGE = 50
MAX_PAGES = 200
PAGES_PER_CALL = 20  # 1,000 notifications, then their threads commit
POST = "app.bsky.feed.post"
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
MESSAGE_VIEW = "chat.bsky.convo.defs#messageView"
DELETED_VIEW = "chat.bsky.convo.defs#deletedMessageView"
LOG_CREATE = "chat.bsky.convo.defs#logCreateMessage"
LOG_DELETE = "chat.bsky.convo.defs#logDeleteMessage"
NO_DM_ACCESS = (
    "This app password cannot read direct messages; create one with access to direct "
    "messages to answer DMs in Parloir (public mentions still sync)."
)
DEFAULT_TIMEOUT = (5.0, 20.0)


def _jwt_expiry(token: str) -> float:
    """The token's ``exp`` (epoch seconds), 0 when unreadable."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if not isinstance(data, dict):
            return 0.0
        return server_float(data.get("exp", 0)) or 0.0
    except (IndexError, ValueError, TypeError):
        return 0.0


def rkey_of(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


class BlueskyProvider(Provider):
    network = "bluesky"
    resend_after_lookup = True  # the rkey makes a resend safe after getRecord

    def __init__(
        self,
        account: AccountInfo,
        secret: str | None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(account, secret)
        try:
            self.session: dict[str, Any] = json.loads(secret or "{}")
        except ValueError:
            self.session = {}
        self.pds = str(self.session.get("pds") or account.server).rstrip("/")
        self.did = str(self.session.get("did") or account.settings.get("remote_id") or "")
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "Parloir/0.1"
        self.http_seconds = 0.0
        self._handles: dict[str, str | None] = {}
        self._members: dict[str, dict[str, Any]] = {}

    # -- XRPC ----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        nsid: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        auth: str | None = None,
        retried: bool = False,
        chat: bool = False,
        sending: bool = False,
    ) -> Any:
        """One XRPC call. ``sending``: it creates the reply, so a failure once
        the request may have left (no answer, a 5xx) is SendOutcomeUnknown;
        a failure before it left (token refresh, connection refused) stays a
        TransientError: the reply is still queued, not unknown."""
        token = self._access() if auth is None else auth
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if chat:
            headers["atproto-proxy"] = CHAT_PROXY
        started = time.perf_counter()
        try:
            response = self.http.request(
                method,
                f"{self.pds}/xrpc/{nsid}",
                params=params,
                json=body,
                headers=headers,
                timeout=self.timeout,
            )
            response.content  # noqa: B018 - reading the body is part of the HTTP time
        except requests.RequestException as exc:
            if sending and not _never_left(exc):
                raise SendOutcomeUnknown(
                    "No answer after sending; checking whether it arrived."
                ) from exc
            raise TransientError(f"{self.pds} did not answer ({exc.__class__.__name__}).") from exc
        finally:
            self.http_seconds += time.perf_counter() - started
        error, message = _xrpc_error(response)
        if response.status_code == 429:
            raise RateLimited(f"{self.pds} asks us to slow down.", _reset(response))
        if chat and error == "InvalidToken":
            # The PDS refuses to proxy chat for an app password without DM access.
            raise _ClientError(response.status_code, error, message)
        if response.status_code in (400, 401) and error in ("ExpiredToken", "InvalidToken"):
            if auth is None and not retried:
                self._refresh(force=True)
                return self._call(
                    method, nsid, params=params, body=body, retried=True, chat=chat, sending=sending
                )
            raise AuthError(f"{self.pds} refused the session: {message or error}.")
        if response.status_code == 401 or error == "AuthMissing":
            raise AuthError(f"{self.pds} refused the session: {message or error}.")
        if response.status_code >= 500:
            if sending:
                raise SendOutcomeUnknown(
                    f"{self.pds} failed ({response.status_code}) after sending."
                )
            raise TransientError(f"{self.pds} had a problem ({response.status_code}).")
        if response.status_code >= 400:
            raise _ClientError(response.status_code, error, message)
        try:
            return response.json()
        except ValueError as exc:
            if sending:
                raise SendOutcomeUnknown(
                    f"{self.pds} sent a malformed answer after sending."
                ) from exc
            raise TransientError(f"{self.pds} sent a malformed answer to {nsid}.") from exc

    def _access(self) -> str:
        token = str(self.session.get("accessJwt") or "")
        if not token or _jwt_expiry(token) - time.time() < 60:
            self._refresh(force=False)
            token = str(self.session.get("accessJwt") or "")
        return token

    def _refresh(self, *, force: bool) -> None:
        """New tokens, spending the refresh token at most once across
        processes: under a file lock, the keyring is read again first, and
        tokens another process just got are used instead."""
        lock_path = paths.data_dir() / f"bluesky-{self.account.id or 'new'}.lock"
        with exclusive(lock_path):
            stored = self._stored_session()
            if stored and stored.get("refreshJwt") != self.session.get("refreshJwt"):
                self.session = stored  # refreshed by another process meanwhile
                fresh = _jwt_expiry(str(stored.get("accessJwt") or "")) - time.time() > 60
                if force or fresh:
                    return
            refresh = str(self.session.get("refreshJwt") or "")
            try:
                data = self._call("POST", "com.atproto.server.refreshSession", auth=refresh)
            except AuthError:
                data = self._login()
            self._keep(data)

    def _login(self) -> Any:
        password = self.session.get("appPassword")
        if not password:
            raise AuthError("The Bluesky session ended; add the account again.")
        return self.create_session(str(self.session.get("did") or self.account.handle), password)

    def create_session(self, identifier: str, password: str) -> Any:
        try:
            return self._call(
                "POST",
                "com.atproto.server.createSession",
                body={"identifier": identifier, "password": password},
                auth="",
            )
        except _ClientError as exc:
            raise AuthError(f"{self.pds} refused the sign-in: {exc.message or exc.error}.") from exc
        except AuthError as exc:
            words = str(exc).split(": ", 1)[-1]
            raise AuthError(f"{self.pds} refused the sign-in: {words}") from exc

    def _keep(self, data: Mapping[str, Any]) -> None:
        """Store the new tokens at once (the old refresh token is revoked)."""
        self.session.update(
            {
                "accessJwt": data.get("accessJwt"),
                "refreshJwt": data.get("refreshJwt"),
                "did": data.get("did") or self.session.get("did"),
                "handle": data.get("handle") or self.session.get("handle"),
                "pds": self.pds,
            }
        )
        self.did = str(self.session.get("did") or self.did)
        if self.account.id:
            credentials.store_secret(
                credentials.account_key(self.account.id), json.dumps(self.session)
            )

    def _stored_session(self) -> dict[str, Any] | None:
        if not self.account.id:
            return None
        raw = credentials.load_secret(credentials.account_key(self.account.id))
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def secret_update(self) -> str | None:
        return None  # stored at once by _keep, under the lock

    # -- records ------------------------------------------------------------------------

    def _contact(self, author: Mapping[str, Any]) -> ContactRecord:
        did = str(author["did"])
        handle = str(author.get("handle") or did)
        return ContactRecord(
            network="bluesky",
            remote_id=did,
            handle=handle,
            name=str(author.get("displayName") or handle),
            avatar_url=author.get("avatar") if isinstance(author.get("avatar"), str) else None,
        )

    def _message(self, post: Mapping[str, Any], key: str) -> MessageRecord:
        try:
            author = post["author"]
            record = post.get("record") or {}
            text = str(record.get("text") or "")
            reply = record.get("reply") or {}
            parent = (reply.get("parent") or {}).get("uri")
            raw: dict[str, Any] = {
                "cid": post.get("cid"),
                "root": (reply.get("root") or {}).get("uri"),
            }
            # The sender chooses createdAt: bounded (console/models/timebounds.py).
            sent_at = bound_and_keep(
                record.get("createdAt") or post.get("indexedAt"), None, raw, "createdAt"
            )
            return MessageRecord(
                remote_id=str(post["uri"]),
                thread_key=key,
                kind=Kind.PUBLIC,
                direction=Direction.OUT if author.get("did") == self.did else Direction.IN,
                author=self._contact(author),
                sent_at=sent_at,
                text=text,
                url=_web_url(str(post["uri"]), str(author.get("handle") or author.get("did"))),
                in_reply_to=str(parent) if parent else None,
                raw=raw,
                mentions=[],
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise BadRecord(f"malformed post: {exc!r}", str(post.get("uri"))) from exc

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
                indexed = _stamp(note.get("indexedAt"))
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
        except (_ClientError, AuthError) as exc:
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
                self._members[str(convo["id"])] = _members(convo)
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
                        result.tombstones.append(Tombstone(f"chat:{convo_id}:{message['id']}"))
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
            result.tombstones.append(Tombstone(f"chat:{convo_id}:{item['id']}"))
            return None
        if kind not in (MESSAGE_VIEW, None):
            return None  # a message kind this version does not know
        try:
            sender = str(item["sender"]["did"])
            members = self._members.get(convo_id) or self._load_members(convo_id)
            profile = members.get(sender) or {"did": sender, "handle": sender}
            raw: dict[str, Any] = {"convo": convo_id, "rev": item.get("rev")}
            sent_at = bound_and_keep(item.get("sentAt"), None, raw, "sentAt")
            record = MessageRecord(
                remote_id=f"chat:{convo_id}:{item['id']}",
                thread_key=f"convo:{convo_id}",
                kind=Kind.DIRECT,
                direction=Direction.OUT if sender == self.did else Direction.IN,
                author=self._contact(profile),
                sent_at=sent_at,
                text=str(item.get("text") or ""),
                raw=raw,
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
            members = _members(convo) if isinstance(convo, dict) else {}
        except (_ClientError, TransientError):
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
        except _ClientError as exc:
            if exc.error in ("NotFound", "BlockedActor", "BlockedByActor"):
                raise BadRecord(f"post not available ({exc.error})", uri) from exc
            raise TransientError(f"{self.pds}: {exc.message or exc.error}.") from exc
        thread = data.get("thread") if isinstance(data, dict) else None
        if not isinstance(thread, dict) or not isinstance(thread.get("post"), dict):
            raise BadRecord("no such post", uri)
        chain: list[Mapping[str, Any]] = []
        node: Any = thread.get("parent")
        while isinstance(node, dict) and isinstance(node.get("post"), dict):
            chain.append(node["post"])
            node = node.get("parent")
        chain.reverse()
        posts = [*chain, thread["post"]]
        replies: list[Any] = _list(thread.get("replies"))
        while replies:
            reply = replies.pop(0)
            if isinstance(reply, dict) and isinstance(reply.get("post"), dict):
                posts.append(reply["post"])
                replies.extend(_list(reply.get("replies")))
        root_ref = _dig(thread["post"], "record", "reply", "root")
        first = chain[0] if chain else thread["post"]
        key = str(root_ref.get("uri") or first.get("uri") or uri)
        out = []
        for post in posts:
            try:
                out.append(self._message(post, key))
            except BadRecord as exc:
                log.warning("skipped post %s in a thread: %s", post.get("uri"), exc)
        return out

    # -- sending ------------------------------------------------------------------------

    def _resolve(self, handle: str) -> str | None:
        if handle not in self._handles:
            try:
                data = self._call(
                    "GET", "com.atproto.identity.resolveHandle", params={"handle": handle}
                )
                self._handles[handle] = str(data.get("did")) if data.get("did") else None
            except (_ClientError, TransientError):
                self._handles[handle] = None
        return self._handles[handle]

    def _parent_refs(self, reply: ReplyRequest) -> dict[str, Any] | None:
        if not reply.in_reply_to:
            return None
        data = self._call("GET", "app.bsky.feed.getPosts", params={"uris": reply.in_reply_to})
        posts = data.get("posts") if isinstance(data, dict) else None
        if not isinstance(posts, list) or not posts:
            raise SendRejected("The post answered no longer exists.")
        parent = posts[0]
        parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
        root = ((parent.get("record") or {}).get("reply") or {}).get("root") or parent_ref
        return {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent_ref}

    def may_resend(self, reply: ReplyRequest) -> bool:
        return reply.kind != Kind.DIRECT  # sendMessage has no idempotency

    def _send_dm(self, reply: ReplyRequest) -> SentReply:
        convo_id = reply.thread_key.removeprefix("convo:")
        message: dict[str, Any] = {"text": reply.body}
        found = facets(reply.body, self._resolve)
        if found:
            message["facets"] = found
        try:
            data = self._call(
                "POST",
                "chat.bsky.convo.sendMessage",
                body={"convoId": convo_id, "message": message},
                chat=True,
                sending=True,
            )
        except _ClientError as exc:
            raise SendRejected(f"Bluesky refused the message: {exc.message or exc.error}.") from exc
        return SentReply(remote_id=f"chat:{convo_id}:{data.get('id')}")

    def send(self, reply: ReplyRequest) -> SentReply:
        if reply.kind == Kind.DIRECT:
            return self._send_dm(reply)
        text = reply.body
        if graphemes(text) > MAX_GRAPHEMES or len(text.encode("utf-8")) > MAX_BYTES:
            raise SendRejected("The reply is longer than Bluesky allows (300 characters).")
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
        refs = self._parent_refs(reply)
        if refs:
            record["reply"] = refs
        found = facets(text, self._resolve)
        if found:
            record["facets"] = found
        lang = reply.extra.get("lang")
        if lang:
            record["langs"] = [str(lang)]
        body = {"repo": self.did, "collection": POST, "rkey": reply.key, "record": record}
        try:
            data = self._call("POST", "com.atproto.repo.createRecord", body=body, sending=True)
        except _ClientError as exc:
            raise SendRejected(f"{self.pds} refused the post: {exc.message or exc.error}.") from exc
        uri = str(data.get("uri"))
        return SentReply(remote_id=uri, url=_web_url(uri, str(self.session.get("handle") or "")))

    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        """A post: the record under our rkey. A DM: our latest messages in
        the conversation, one with this very text."""
        if reply.kind == Kind.DIRECT:
            convo_id = reply.thread_key.removeprefix("convo:")
            page = self._call(
                "GET",
                "chat.bsky.convo.getMessages",
                params={"convoId": convo_id, "limit": 50},
                chat=True,
            )
            for item in page.get("messages") or [] if isinstance(page, dict) else []:
                if (
                    isinstance(item, dict)
                    and (item.get("sender") or {}).get("did") == self.did
                    and item.get("text") == reply.body
                ):
                    return SentReply(remote_id=f"chat:{convo_id}:{item.get('id')}")
            return None
        try:
            data = self._call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": self.did, "collection": POST, "rkey": reply.key},
            )
        except _ClientError as exc:
            if exc.error in ("RecordNotFound", "NotFound") or exc.status == 404:
                return None
            raise TransientError(f"{self.pds}: {exc.message or exc.error}.") from exc
        uri = str(data.get("uri"))
        return SentReply(remote_id=uri, url=_web_url(uri, str(self.session.get("handle") or "")))

    def limits(self) -> Limits:
        return Limits(MAX_GRAPHEMES, LengthRule.GRAPHEMES, max_bytes=MAX_BYTES)

    def close(self) -> None:
        self.http.close()


class _ClientError(Exception):
    """A 4xx the caller may interpret (RecordNotFound, NotFound …)."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status, self.error, self.message = status, error, message


def _xrpc_error(response: requests.Response) -> tuple[str, str]:
    if response.status_code < 400:
        return "", ""
    try:
        data = response.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("error") or ""), str(data.get("message") or "")


def _members(convo: Mapping[str, Any]) -> dict[str, Any]:
    return {
        str(m["did"]): m
        for m in _list(convo.get("members"))
        if isinstance(m, dict) and m.get("did")
    }


def _list(value: Any) -> list[Any]:
    """A payload's list, or an empty one when the server sent anything else."""
    return list(value) if isinstance(value, list) else []


def _dig(value: Any, *keys: str) -> dict[str, Any]:
    """``value[k1][k2]...`` when every step is an object, else ``{}``."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def _stamp(value: Any) -> str:
    """A notification's indexedAt as the cursor compares it (text order),
    or "" when it is not a sane in-bounds time: a year-9999 stamp kept as
    the "seen" cursor would hide every later notification for ever."""
    if not isinstance(value, str) or not value:
        return ""
    parsed = parse_remote_time(value)
    return value if parsed is not None and bound_remote_time(parsed) == parsed else ""


def _reset(response: requests.Response) -> float:
    """Seconds until the rate-limit window resets (validated:
    console/sync/numbers.py)."""
    return wait_seconds(
        reset_epoch=response.headers.get("ratelimit-reset"),
        retry_after=response.headers.get("Retry-After"),
    )


def _web_url(uri: str, handle: str) -> str | None:
    """at://did/app.bsky.feed.post/rkey -> the post's page on bsky.app."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) == 3 and parts[1] == POST:
        return f"https://bsky.app/profile/{handle or parts[0]}/post/{parts[2]}"
    return None
