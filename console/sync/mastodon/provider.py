"""Mastodon (and servers speaking its API: GoToSocial, Akkoma).

A small client on ``requests`` rather than Mastodon.py: we need the raw
status code of every answer (to tell "refused before sending" from "may
have been sent"), the Link headers as the server gives them, the
Idempotency-Key header on POST, and the rate-limit headers — all of which
Mastodon.py hides or reshapes (docs/mastodon.md).

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
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests

from console.models.timebounds import bound_and_keep, bound_remote_time
from console.sync.addressing import canonical_acct, mastodon_missing_mentions
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
    TransientError,
    never_left,
)
from console.sync.html import html_to_text, sanitize_html
from console.sync.numbers import server_int, wait_seconds
from console.sync.streams import Streams

log = logging.getLogger(__name__)

PAGE = 40
# Filtered notifications (the server's notification policy) are included:
# a mention from a stranger must not wait unseen in "notification requests".
MENTION_QUERY: dict[str, Any] = {"types[]": "mention", "limit": PAGE, "include_filtered": "true"}
FIRST_SYNC_MAX_PAGES = 1000  # 40,000 mentions inside the history window
DM_MAX_PAGES = 25
DM_REMEMBERED = 2000
DEFAULT_TIMEOUT = (5.0, 20.0)
#: The longest reply limit an instance may announce (forks go to 100,000).
MAX_CHARACTERS = 1_000_000


def _note_id(note: Any) -> str | None:
    return str(note["id"]) if isinstance(note, dict) and note.get("id") else None


def _note_time(note: Any) -> datetime | None:
    """A notification's time for the history window (bounded like every
    remote time), None when it has none."""
    if not isinstance(note, dict) or not note.get("created_at"):
        return None
    return bound_remote_time(note.get("created_at"))


def _retry_after(response: requests.Response) -> float:
    """Seconds until the server's rate-limit window resets (validated:
    console/sync/numbers.py)."""
    return wait_seconds(
        reset_at=response.headers.get("X-RateLimit-Reset"),
        retry_after=response.headers.get("Retry-After"),
    )


def _url(value: Any) -> str | None:
    """A link from a payload: text of sane length, else nothing (a server's
    number or object there must not reach the cache)."""
    return value if isinstance(value, str) and 0 < len(value) <= 2048 else None


def _word(value: Any) -> str | None:
    """A short keyword from a payload (visibility), else None."""
    return value if isinstance(value, str) and 0 < len(value) <= 32 else None


def _error_text(response: requests.Response) -> str:
    try:
        data = response.json()
        if isinstance(data, dict) and data.get("error"):
            return str(data["error"])
    except ValueError:
        pass
    return f"HTTP {response.status_code}"


class MastodonProvider(Provider):
    network = "mastodon"
    resend_after_lookup = True

    def __init__(
        self,
        account: AccountInfo,
        secret: str | None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(account, secret)
        self.base = account.server.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {secret or ''}"
        self.http.headers["User-Agent"] = "Parloir/0.1"
        me = account.settings.get("remote_id")
        self._me: str | None = str(me) if me else None
        self.domain = str(account.settings.get("domain") or self.base)
        self._limits: Limits | None = None
        # First sync: mentions found walking back, not yet turned into threads.
        self._backlog: list[Any] | None = None
        self._newest_seen: str | None = None
        # Statuses that came with a thread this pass: their own context is known.
        self._threaded: set[str] = set()
        # Seconds spent waiting on HTTP (the benchmark's "outside HTTP" share).
        self.http_seconds = 0.0

    # -- HTTP -------------------------------------------------------------------

    def _get(self, path: str, params: Any = None) -> requests.Response:
        url = path if path.startswith("http") else f"{self.base}{path}"
        started = time.perf_counter()
        try:
            response = self.http.get(url, params=params, timeout=self.timeout)
            response.content  # noqa: B018 - the body is part of the HTTP time
        except requests.RequestException as exc:
            raise TransientError(f"{self.base} did not answer ({exc.__class__.__name__}).") from exc
        finally:
            self.http_seconds += time.perf_counter() - started
        self._check(response)
        return response

    def _check(self, response: requests.Response) -> None:
        status = response.status_code
        if status in (401, 403):
            raise AuthError(f"{self.base} refused the access token: {_error_text(response)}.")
        if status == 429:
            raise RateLimited(f"{self.base} asks us to slow down.", _retry_after(response))
        if status >= 500:
            raise TransientError(f"{self.base} had a problem ({status}).")

    def _json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise TransientError(f"{self.base} sent a malformed answer.") from exc

    def me(self) -> str:
        if self._me is None:
            data = self._json(self._get("/api/v1/accounts/verify_credentials"))
            self._me = str(data["id"])
        return self._me

    # -- records ----------------------------------------------------------------

    def _contact(self, account: Mapping[str, Any]) -> ContactRecord:
        acct = canonical_acct(str(account["acct"]), self.domain)
        return ContactRecord(
            network="mastodon",
            remote_id=acct,
            handle=acct,
            name=str(account.get("display_name") or account.get("username") or acct),
            avatar_url=_url(account.get("avatar_static")) or _url(account.get("avatar")),
        )

    def _message(self, status: Mapping[str, Any], thread_key: str, kind: Kind) -> MessageRecord:
        try:
            account = status["account"]
            content = str(status.get("content") or "")
            direction = Direction.OUT if str(account["id"]) == self.me() else Direction.IN
            mentions = [
                canonical_acct(str(m["acct"]), self.domain) for m in status.get("mentions") or []
            ]
            raw: dict[str, Any] = {"mentions": mentions} if mentions else {}
            # Times are the sender's choice: bounded (console/models/timebounds.py).
            sent_at = bound_and_keep(status.get("created_at"), None, raw, "created_at")
            edited = status.get("edited_at")
            edited_at = bound_and_keep(edited, None, raw, "edited_at") if edited else None
            return MessageRecord(
                remote_id=str(status["id"]),
                thread_key=thread_key,
                kind=kind,
                direction=direction,
                author=self._contact(account),
                sent_at=sent_at,
                text=html_to_text(content),
                html=sanitize_html(content),
                url=_url(status.get("url")) or _url(status.get("uri")),
                in_reply_to=str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None,
                visibility=_word(status.get("visibility")),
                edited_at=edited_at,
                mentions=mentions,
                raw=raw or None,
            )
        except (KeyError, TypeError) as exc:
            raise BadRecord(f"malformed status: missing {exc}", str(status.get("id"))) from exc

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
            result.cursors["notifications_min_id"] = _note_id(chunk[-1])
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
                self._newest_seen = _note_id(page[0])
            older = False
            for note in page:
                when = _note_time(note)
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
        return page, new_min or _note_id(page[-1]) or min_id

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
        key = str(root.get("uri") or root.get("id"))
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
        """A DM thread is keyed by who takes part (us excepted), not by the
        server's conversation id, which some servers change on every message
        (mastodon-mock mirrors the latest status id)."""
        mine = canonical_acct(self.account.handle, self.domain)
        others = sorted(
            {canonical_acct(str(a["acct"]), self.domain) for a in accounts if isinstance(a, dict)}
            - {mine}
        )
        return "dm:" + ",".join(others) if others else ""

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

    def _body(self, reply: ReplyRequest) -> str:
        """The reply text with the @mentions it needs in front.

        Like Mastodon's own composer: the author of the status answered and
        everyone it mentioned, minus ourselves and anyone the text already
        names. On a direct message the mentions are its audience, so none
        may be dropped. Local accounts are written short (``@bob``).
        """
        missing = mastodon_missing_mentions(
            reply.body, reply.extra, self.account.handle, self.domain
        )
        if not missing:
            return reply.body
        local = f"@{canonical_acct('x', self.domain).split('@')[1]}"
        prefix = " ".join("@" + a.removesuffix(local) for a in missing)
        return f"{prefix} {reply.body}"

    def send(self, reply: ReplyRequest) -> SentReply:
        visibility = reply.visibility or reply.extra.get("reply_to_visibility")
        if reply.kind == Kind.DIRECT:
            visibility = "direct"
        payload: dict[str, Any] = {"status": self._body(reply)}
        if reply.in_reply_to:
            payload["in_reply_to_id"] = reply.in_reply_to
        if visibility:
            payload["visibility"] = visibility
        try:
            response = self.http.post(
                f"{self.base}/api/v1/statuses",
                json=payload,
                headers={"Idempotency-Key": reply.key},
                timeout=self.timeout,
            )
        except (requests.ConnectTimeout, requests.exceptions.InvalidURL) as exc:
            raise TransientError(f"{self.base} cannot be reached.") from exc
        except requests.ConnectionError as exc:
            if never_left(exc):
                raise TransientError(f"{self.base} cannot be reached.") from exc
            raise SendOutcomeUnknown(
                "The connection dropped after the reply was sent; checking whether it arrived."
            ) from exc
        except requests.RequestException as exc:  # read timeout and the like
            if never_left(exc):
                raise TransientError(f"{self.base} cannot be reached.") from exc
            raise SendOutcomeUnknown(
                "No answer after sending; checking whether the reply arrived."
            ) from exc
        if response.status_code >= 500:
            raise SendOutcomeUnknown(f"{self.base} failed ({response.status_code}) after sending.")
        if response.status_code in (401, 403, 429):
            self._check(response)
        if response.status_code >= 400:
            raise SendRejected(f"{self.base} refused the reply: {_error_text(response)}.")
        status = self._json(response)
        message = self._message(status, reply.thread_key, reply.kind)
        return SentReply(remote_id=message.remote_id, url=message.url, message=message)

    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        """Our recent statuses: one answering the same parent with our text."""
        wanted = _norm(reply.body)
        url = f"/api/v1/accounts/{self.me()}/statuses"
        params: Any = {"limit": PAGE}
        for _ in range(3):
            response = self._get(url, params)
            page = self._json(response)
            if not isinstance(page, list) or not page:
                return None
            for status in page:
                if not isinstance(status, dict):
                    continue
                same_parent = str(status.get("in_reply_to_id") or "") == str(
                    reply.in_reply_to or ""
                )
                if same_parent and wanted in _norm(html_to_text(str(status.get("content") or ""))):
                    message = self._message(status, reply.thread_key, reply.kind)
                    return SentReply(message.remote_id, message.url, message)
            if "next" not in response.links:
                return None
            url, params = response.links["next"]["url"], None
        return None

    def limits(self) -> Limits:
        if self._limits is None:
            max_chars, per_url = 500, 23
            for path in ("/api/v2/instance", "/api/v1/instance"):
                try:
                    data = self._json(self._get(path))
                    statuses = (data.get("configuration") or {}).get("statuses") or {}
                    # Validated: a string, a negative or 1e999 (infinity) here
                    # crashed every sync; out of range means the default.
                    found = server_int(statuses.get("max_characters"), 1, MAX_CHARACTERS)
                    max_chars = found or max_chars
                    reserved = server_int(statuses.get("characters_reserved_per_url"), 0, 1000)
                    per_url = reserved if reserved is not None else per_url
                    break
                except (TransientError, AttributeError, ValueError, TypeError):
                    continue
            self._limits = Limits(max_chars, LengthRule.CHARACTERS, url_length=per_url)
        return self._limits

    def close(self) -> None:
        self.http.close()


def _norm(text: str) -> str:
    text = re.sub(r"@[\w.@-]+", "", text)
    return " ".join(text.split()).lower()
