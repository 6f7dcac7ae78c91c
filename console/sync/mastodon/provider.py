"""Mastodon (and servers speaking its API: GoToSocial, Akkoma).

The inbox is read here; the HTTP is in client.py, the JSON becomes records
in parse.py, replies go out in send.py.

Inbox:
- mentions from /api/v1/notifications?types[]=mention, paged forward from
  the stored cursor by following the server's ``Link: rel="prev"`` (min_id);
  the first sync reads the newest page back to the history window;
- direct messages from /api/v1/conversations (one thread per conversation,
  key ``dm:<id>``); a direct status never joins a mention thread;
- the thread around each mention from /api/v1/statuses/:id/context; the
  thread key is the root status URI.
Ids are opaque strings: stored and sent back, never compared or ordered.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests

from console.models.timebounds import bound_remote_time
from console.sync.base import (
    AccountInfo,
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
from console.sync.mastodon import parse
from console.sync.mastodon import send as sending
from console.sync.mastodon.client import DEFAULT_TIMEOUT, MastodonClient
from console.sync.streams import Streams

log = logging.getLogger(__name__)

PAGE = 40
# Filtered notifications (the server's notification policy) are included:
# a mention from a stranger must not wait unseen in "notification requests".
MENTION_QUERY: dict[str, Any] = {"types[]": "mention", "limit": PAGE, "include_filtered": "true"}
FIRST_SYNC_MAX_PAGES = 1000  # 40,000 mentions inside the history window
DM_MAX_PAGES = 25
DM_REMEMBERED = 2000


class MastodonProvider(MastodonClient):
    resend_after_lookup = True

    def __init__(
        self,
        account: AccountInfo,
        secret: str | None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(account, secret, timeout=timeout)
        self._limits: Limits | None = None
        # First sync: mentions found walking back, not yet turned into threads.
        self._backlog: list[Any] | None = None
        self._newest_seen: str | None = None
        # Statuses that came with a thread this pass: their own context is known.
        self._threaded: set[str] = set()

    # -- records ----------------------------------------------------------------

    def _contact(self, account: Mapping[str, Any]) -> ContactRecord:
        return parse.contact(account, self.domain)

    def _message(self, status: Mapping[str, Any], thread_key: str, kind: Kind) -> MessageRecord:
        return parse.status_message(status, thread_key, kind, me=self.me(), domain=self.domain)

    # -- fetch ------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        """One page of mentions (oldest first), then the direct messages.

        Each call returns at most one page of notifications with the cursor
        after it, so the engine commits page by page and a kill resumes at
        the last committed page. When the mentions are exhausted the same
        call reads the direct conversations and says ``more=False``.
        Mentions and direct messages are separate streams
        (console/sync/streams.py): one failing does not stop the other.
        """
        result = FetchResult(cursors=dict(cursors))
        streams = Streams(result)
        streams.run("mentions", "Mentions", lambda: self._fetch_mentions(result))
        if result.more:
            return result
        streams.run("direct", "Direct messages", lambda: self._fetch_conversations(result))
        streams.finish()
        return result

    def _fetch_mentions(self, result: FetchResult) -> None:
        """The next page of mentions into ``result`` (``more`` when one was
        taken); the cursor moves only when the page was read whole."""
        if result.cursors.get("notifications_min_id") is None and self._backlog is None:
            self._backlog = self._walk_back()
            if not self._backlog:
                # Nothing in the window: start after the newest thing seen.
                if self._newest_seen is not None:
                    result.cursors["notifications_min_id"] = self._newest_seen
                return
        if self._backlog:
            chunk = self._backlog[:PAGE]
            self._take_page(chunk, result)
            self._backlog = self._backlog[PAGE:]
            result.cursors["notifications_min_id"] = parse.note_id(chunk[-1])
            result.more = True
            return
        page, new_min = self._page_forward(result.cursors.get("notifications_min_id"))
        if page:
            self._take_page(page, result)
            result.cursors["notifications_min_id"] = new_min
            result.more = True

    def _notifications(self, url: str, params: Any) -> tuple[requests.Response, list[Any]]:
        response = self._get(url, params)
        page = self._json(response)
        if not isinstance(page, list):
            raise TransientError(f"{self.base} sent notifications in an unknown shape.")
        return response, page

    def _walk_back(self) -> list[Any]:
        """First sync: the mentions inside the history window, oldest first.

        Only notification JSON is read here (40 per request, following the
        server's ``Link: rel="next"``); threads are fetched page by page
        afterwards, so the cursor can advance as they commit.
        """
        horizon = datetime.now(UTC) - timedelta(days=self.account.history_days)
        url: str = "/api/v1/notifications"
        params: dict[str, Any] | None = dict(MENTION_QUERY)
        kept: list[Any] = []
        for _ in range(FIRST_SYNC_MAX_PAGES):
            response, page = self._notifications(url, params)
            if not page:
                break
            if self._newest_seen is None:
                self._newest_seen = parse.note_id(page[0])
            older = False
            for note in page:
                when = parse.note_time(note)
                if when is not None and when < horizon:
                    older = True
                    break
                kept.append(note)
            nxt = response.links.get("next", {}).get("url")
            if older or not nxt:
                break
            url, params = nxt, None
        kept.reverse()
        return kept

    def _page_forward(self, min_id: str | None) -> tuple[list[Any], str | None]:
        """The page just after ``min_id`` (oldest first) and the cursor after it."""
        params = dict(MENTION_QUERY)
        if min_id is not None:
            params["min_id"] = min_id
        response, page = self._notifications("/api/v1/notifications", params)
        if not page:
            return [], min_id
        prev = response.links.get("prev", {}).get("url")
        new_min = parse_qs(urlparse(prev).query).get("min_id", [None])[0] if prev else None
        page.reverse()  # servers answer newest first
        return page, new_min or parse.note_id(page[-1]) or min_id

    def _take_page(self, page: list[Any], result: FetchResult) -> None:
        seen = {m.remote_id for m in result.messages}
        for note in page:
            try:
                self._take_mention(note, result, seen)
            except BadRecord as exc:
                log.warning("skipped notification %s: %s", exc.remote_id, exc)
                result.skipped.append(exc.remote_id or "?")
            except (KeyError, TypeError, AttributeError, ValueError) as exc:
                ident = str(note.get("id")) if isinstance(note, dict) else "?"
                log.warning("skipped malformed notification %s: %r", ident, exc)
                result.skipped.append(ident)

    def _take_mention(self, note: Any, result: FetchResult, seen: set[str]) -> None:
        if not isinstance(note, dict):
            raise BadRecord("a notification that is not an object")
        if note.get("type") != "mention":
            return  # follows, favourites, admin.*, types we have never seen
        status = note.get("status")
        if not isinstance(status, dict) or not status.get("id"):
            raise BadRecord("a mention without its status", str(note.get("id")))
        if status.get("visibility") == "direct":
            # A direct message that mentions us: it joins its DM thread here,
            # because /conversations shows one status per conversation and
            # some servers group every DM between the same people into one.
            message = self._message(status, "", Kind.DIRECT)
            message.thread_key = self._dm_key([status["account"], *(status.get("mentions") or [])])
            if message.remote_id not in seen:
                seen.add(message.remote_id)
                result.messages.append(message)
            return
        if str(status["id"]) in self._threaded:
            return  # already came with a thread read in this pass
        for message in self._thread(status):
            if message.remote_id not in seen:
                seen.add(message.remote_id)
                result.messages.append(message)

    def _thread(self, status: Mapping[str, Any]) -> list[MessageRecord]:
        """A mention with the public thread around it (direct ones excluded)."""
        mention = self._message(status, "", Kind.PUBLIC)  # validates before any request
        context = self._json(self._get(f"/api/v1/statuses/{status['id']}/context"))
        if not isinstance(context, dict):
            raise TransientError(f"{self.base} sent a thread in an unknown shape.")
        ancestors = [s for s in context.get("ancestors") or [] if isinstance(s, dict)]
        descendants = [s for s in context.get("descendants") or [] if isinstance(s, dict)]
        root = ancestors[0] if ancestors else status
        key = parse.thread_key(root)
        mention.thread_key = key
        out = []
        for item in (*ancestors, status, *descendants):
            if item.get("visibility") == "direct":
                continue
            self._threaded.add(str(item.get("id")))
            if item is status:
                out.append(mention)
                continue
            try:
                out.append(self._message(item, key, Kind.PUBLIC))
            except BadRecord as exc:
                log.warning("skipped status %s in a thread: %s", item.get("id"), exc)
        return out

    def _dm_key(self, accounts: list[Any]) -> str:
        return parse.dm_key(accounts, self.account.handle, self.domain)

    def _fetch_conversations(self, result: FetchResult) -> None:
        """Direct conversations whose last status changed since the last pass.

        Conversations come newest first; the next page is read only while
        every conversation on the page changed (on the first sync: until the
        history window ends).
        """
        first = "dm_last" not in result.cursors
        known: dict[str, str] = dict(result.cursors.get("dm_last") or {})
        horizon = datetime.now(UTC) - timedelta(days=self.account.history_days)
        url: str = "/api/v1/conversations"
        params: dict[str, Any] | None = {"limit": PAGE}
        for _ in range(DM_MAX_PAGES):
            response = self._get(url, params)
            page = self._json(response)
            if not isinstance(page, list):
                raise TransientError(f"{self.base} sent conversations in an unknown shape.")
            all_changed = bool(page)
            for conv in page:
                try:
                    changed, old = self._take_conversation(conv, known, result, horizon, first)
                except (BadRecord, KeyError, TypeError, AttributeError, ValueError) as exc:
                    ident = str(conv.get("id")) if isinstance(conv, dict) else "?"
                    log.warning("skipped conversation %s: %r", ident, exc)
                    result.skipped.append(ident)
                    continue
                all_changed = all_changed and changed and not old
            nxt = response.links.get("next", {}).get("url")
            if not all_changed or not nxt:
                break
            url, params = nxt, None
        result.cursors["dm_last"] = dict(list(known.items())[-DM_REMEMBERED:])

    def _take_conversation(
        self,
        conv: Any,
        known: dict[str, str],
        result: FetchResult,
        horizon: datetime,
        first: bool,
    ) -> tuple[bool, bool]:
        """(changed, older than the window on a first sync)."""
        last = conv.get("last_status")
        if not isinstance(last, dict):
            return False, False
        conv_id, last_id = str(conv["id"]), str(last["id"])
        if known.get(conv_id) == last_id:
            return False, False
        if first and bound_remote_time(last.get("created_at")) < horizon:
            return True, True
        key = self._dm_key(conv.get("accounts") or []) or f"dm:{conv_id}"
        context = self._json(self._get(f"/api/v1/statuses/{last_id}/context"))
        chain = [*(context.get("ancestors") or []), last] if isinstance(context, dict) else [last]
        for item in chain:
            if isinstance(item, dict) and item.get("visibility") == "direct":
                result.messages.append(self._message(item, key, Kind.DIRECT))
        known.pop(conv_id, None)
        known[conv_id] = last_id
        return True, False

    # -- sending ----------------------------------------------------------------

    def send(self, reply: ReplyRequest) -> SentReply:
        return sending.send(self, reply)

    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        return sending.find_sent(self, reply)

    def limits(self) -> Limits:
        if self._limits is None:
            for path in ("/api/v2/instance", "/api/v1/instance"):
                try:
                    self._limits = parse.instance_limits(self._json(self._get(path)))
                    break
                except (TransientError, AttributeError, ValueError, TypeError):
                    continue
            else:
                self._limits = Limits(500, LengthRule.CHARACTERS, url_length=23)
        return self._limits
