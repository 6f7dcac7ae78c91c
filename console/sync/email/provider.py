"""E-mail: IMAP in (imapclient), SMTP out (smtplib), threads by ancestry.

Sync, per watched folder (INBOX by default) and the Sent folder (found by
the \\Sent special-use flag, else by name): the cursor is (UIDVALIDITY, last
UID, HIGHESTMODSEQ). New mail is the UID range after the last one — the
result is filtered to ``uid > last`` because ``n:*`` always returns the
newest message. With CONDSTORE, flag changes since the stored mod-sequence
arrive too (a message flagged \\Deleted elsewhere becomes a tombstone). A
UIDVALIDITY change re-reads the folder inside the history window: messages
are keyed by Message-ID, so nothing doubles and nothing is lost; the new
folder/UID is added as a location. Each call handles at most one batch of
one folder and returns the cursor after it, so a kill resumes there.

Identity = Message-ID (a stable synthetic id when missing); the thread key
is the oldest reference, and ingest re-threads by ancestry (In-Reply-To /
References), merging when a late parent joins two threads.

Connections are in client.py, sending in send.py (the outbox key is the
Message-ID; a reply that may have gone is never resent on its own), the
parsing of a message in parse.py.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from console.models.timebounds import bound_and_keep
from console.sync.base import (
    AccountInfo,
    Attachment,
    ContactRecord,
    Direction,
    FetchResult,
    Kind,
    LengthRule,
    Limits,
    Location,
    MessageRecord,
    ReplyRequest,
    SentReply,
    Tombstone,
    TransientError,
)
from console.sync.email import send as sending
from console.sync.email.client import DEFAULT_TIMEOUT, EmailClient, error_text
from console.sync.email.parse import ParsedMail, parse
from console.sync.numbers import server_int
from console.sync.streams import Streams

log = logging.getLogger(__name__)

BATCH = 250  # per fetch call: bigger FETCHes cost the server less
FETCH_CAP = 2_000_000  # bytes per message fetched; the rest stays on the server
UID_MAX = 2**32 - 1  # UIDs and UIDVALIDITY are 32-bit (RFC 3501)
MODSEQ_MAX = 2**63 - 1  # RFC 7162
SIZE_MAX = 2**53  # a message size a server may announce


class EmailProvider(EmailClient):
    resend_after_lookup = False

    def __init__(
        self,
        account: AccountInfo,
        secret: str | None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(account, secret, timeout=timeout)
        # Per folder: (UIDVALIDITY, last UID, UIDs still to fetch) of this pass.
        self._pending: dict[str, tuple[int, int, list[int]]] = {}

    # -- fetch ------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        """One batch of the first watched folder with mail waiting. Each
        folder is its own stream (console/sync/streams.py): one that fails
        (cannot be opened, a FETCH the server refuses) keeps its cursor and
        retries with backoff, the others still sync."""
        result = FetchResult(cursors=dict(cursors))
        folders: dict[str, Any] = dict(result.cursors.get("folders") or {})
        streams = Streams(result)
        try:
            watched = list(self.folders)
            sent = self.sent_folder()
            if sent and sent not in watched:
                watched.append(sent)
            result.cursors["sent_folder"] = sent
        except Exception as exc:
            raise self._typed(exc) from exc
        for folder in watched:
            more = False

            def one(folder: str = folder) -> None:
                nonlocal more
                try:
                    state, more = self._sync_folder(folder, dict(folders.get(folder) or {}), result)
                except Exception as exc:
                    raise self._typed(exc) from exc
                folders[folder] = state
                result.cursors["folders"] = folders

            streams.run(f"folder:{folder}", f"The folder {folder}", one)
            if more:
                result.more = True
                return result
        streams.finish()
        return result

    def _sync_folder(
        self, folder: str, state: dict[str, Any], result: FetchResult
    ) -> tuple[dict[str, Any], bool]:
        """One batch of one folder; (new state, more waiting in it)."""
        client = self.imap()
        import imapclient

        try:
            info = client.select_folder(folder, readonly=True)
        except imapclient.exceptions.IMAPClientError as exc:
            # Said in words on the account (a stream failure), retried later.
            raise TransientError(f"{self.imap_host} cannot open it: {error_text(exc)}") from exc
        # Numbers from the server, validated (console/sync/numbers.py):
        # UIDs and UIDVALIDITY are 32-bit, mod-sequences 63-bit (RFC 7162).
        validity = server_int(info.get(b"UIDVALIDITY"), 0, UID_MAX) or 0
        uidnext = server_int(info.get(b"UIDNEXT"), 0, UID_MAX) or 0
        modseq = server_int(info.get(b"HIGHESTMODSEQ"), 1, MODSEQ_MAX)
        if state.get("v") != validity:
            if state:
                log.info(
                    "%s/%s: UIDVALIDITY changed; re-reading the window", self.imap_host, folder
                )
            since = (datetime.now(UTC) - timedelta(days=self.account.history_days)).date()
            in_window = _uids(client.search(["SINCE", since]))
            start = (min(in_window) - 1) if in_window else max(0, uidnext - 1)
            state = {"v": validity, "uid": start, "modseq": None}
        last = server_int(state.get("uid"), 0, UID_MAX) or 0
        known_modseq = server_int(state.get("modseq"), 1, MODSEQ_MAX)
        if known_modseq and modseq and modseq > known_modseq and last:
            self._flag_changes(client, folder, last, known_modseq, result)
        pending = self._pending.get(folder)
        if pending is not None and pending[0] == validity and pending[1] == last:
            uids = pending[2]  # the rest of this pass's search, batch after batch
        else:
            uids = sorted(u for u in _uids(client.search(["UID", f"{last + 1}:*"])) if u > last)
        batch = uids[:BATCH]
        if batch:
            self._take(client, folder, validity, batch, result)
            state["uid"] = batch[-1]
        more = len(uids) > len(batch)
        self._pending[folder] = (validity, int(state["uid"]), uids[len(batch) :])
        if not more and modseq:
            state["modseq"] = modseq
        return state, more

    def _take(
        self, client: Any, folder: str, validity: int, uids: list[int], result: FetchResult
    ) -> None:
        part = "BODY[]<0>"
        data = client.fetch(uids, ["FLAGS", "RFC822.SIZE", f"BODY.PEEK[]<0.{FETCH_CAP}>"])
        is_sent = folder == self._sent_folder
        for uid in uids:
            item = data.get(uid)
            if not item:
                continue
            try:
                raw = item.get(part.encode()) or item.get(b"BODY[]") or b""
                if not isinstance(raw, bytes):
                    raw = str(raw).encode("utf-8", "surrogateescape")
                size = server_int(item.get(b"RFC822.SIZE"), 0, SIZE_MAX)
                flags = [
                    f.decode("utf-8", "replace") if isinstance(f, bytes) else str(f)
                    for f in item.get(b"FLAGS", ())
                ]
                mail = parse(raw, truncated=size is not None and size > len(raw))
                result.messages.append(self._record(mail, folder, validity, uid, flags, is_sent))
            except Exception as exc:  # one broken message never stops a sync
                log.warning("%s/%s uid %s skipped: %r", self.imap_host, folder, uid, exc)
                result.skipped.append(f"{folder}:{uid}")

    def _flag_changes(
        self, client: Any, folder: str, last: int, since: int, result: FetchResult
    ) -> None:
        """Messages flagged \\Deleted elsewhere since our last pass."""
        uids = client.search(["MODSEQ", str(since + 1), "UID", f"1:{last}"])
        if not uids:
            return
        changed = client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        for item in changed.values():
            flags = {f.decode() if isinstance(f, bytes) else str(f) for f in item.get(b"FLAGS", ())}
            if "\\Deleted" not in flags:
                continue
            header = next((v for k, v in item.items() if k.startswith(b"BODY[HEADER")), b"")
            found = parse(header) if header else None
            if found is not None and not found.synthetic_id:
                result.tombstones.append(Tombstone(found.message_id))

    def _record(
        self,
        mail: ParsedMail,
        folder: str,
        validity: int,
        uid: int,
        flags: list[str],
        in_sent: bool,
    ) -> MessageRecord:
        outbound = in_sent or mail.from_addr in self.aliases
        if outbound:
            author = self._me()
        else:
            addr = mail.from_addr or "unknown@invalid"
            author = ContactRecord(
                network="email",
                remote_id=addr,
                handle=addr,
                name=mail.from_name or addr,
                email=addr if mail.from_addr else None,
            )
        parents = mail.parents
        key = parents[0] if parents else mail.message_id
        raw: dict[str, Any] = {
            "references": mail.references,
            "to": mail.to,
            "cc": mail.cc,
            "flags": flags,
        }
        if mail.reply_to:
            raw["reply_to"] = mail.reply_to
        if mail.auto_reply:
            raw["auto_reply"] = True
        if mail.unparsed:
            raw["unparsed"] = True
        if mail.truncated:
            raw["truncated"] = True
        # The sender chooses Date: bounded (console/models/timebounds.py);
        # the header as written stays in the raw payload when replaced.
        sent_at = bound_and_keep(mail.date or mail.date_header, None, raw, "Date")
        return MessageRecord(
            remote_id=mail.message_id,
            thread_key=key,
            kind=Kind.EMAIL,
            direction=Direction.OUT if outbound else Direction.IN,
            author=author,
            sent_at=sent_at,
            text=mail.text,
            html=mail.html,
            in_reply_to=mail.in_reply_to,
            subject=mail.subject or None,
            attachments=[
                Attachment(a.name, a.mime_type, a.size, ref=f"{folder}:{validity}:{uid}:{a.part}")
                for a in mail.attachments
            ],
            raw=raw,
            locations=[Location(folder, validity, uid)],
            parents=parents,
        )

    def _me(self) -> ContactRecord:
        return ContactRecord(
            network="email",
            remote_id=self.address,
            handle=self.address,
            name=self.display_name or self.address,
            email=self.address,
        )

    # -- sending ------------------------------------------------------------------------

    def compose(self, reply: ReplyRequest) -> EmailMessage:
        """The reply as it goes out (also what find_sent compares)."""
        return sending.compose(self, reply)

    def send(self, reply: ReplyRequest) -> SentReply:
        return sending.send(self, reply)

    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        return sending.find_sent(self, reply)

    def limits(self) -> Limits:
        return Limits(None, LengthRule.NONE)

    def fetch_attachment(self, ref: str) -> bytes:
        """The decoded bytes of one attachment, fetched when asked for.

        ``ref`` is "folder:uidvalidity:uid:part" as stored at sync; the
        whole message is fetched again and the part found by the same
        numbering the parser used.
        """
        folder, validity, uid, part = _split_ref(ref)
        client = self.imap()
        info = client.select_folder(folder, readonly=True)
        if (server_int(info.get(b"UIDVALIDITY"), 0, UID_MAX) or 0) != validity:
            raise TransientError("The mailbox changed since the last sync; sync, then try again.")
        data = client.fetch([uid], ["BODY.PEEK[]"]).get(uid) or {}
        raw = data.get(b"BODY[]")
        if not raw:
            raise TransientError("The message is no longer on the server.")
        found = find_part(raw, part)
        if found is None:
            raise TransientError("The attachment was not found in the message.")
        return found


def _uids(found: Any) -> list[int]:
    """The UIDs of a SEARCH answer, each validated (a 32-bit number)."""
    out = []
    for value in found or ():
        uid = server_int(value, 1, UID_MAX)
        if uid is not None:
            out.append(uid)
    return out


def _split_ref(ref: str) -> tuple[str, int, int, str]:
    folder, validity, uid, part = ref.rsplit(":", 3)
    return folder, int(validity), int(uid), part


def find_part(raw: bytes, position: str) -> bytes | None:
    """The decoded payload at ``position`` ("1", "1.2", "1.2.1": the
    numbering of console.sync.email.parse) of the message ``raw``."""
    import email as email_lib
    import email.policy as policies

    part: Any = email_lib.message_from_bytes(raw, policy=policies.compat32)
    for step in position.split(".")[1:]:
        children = part.get_payload()
        if not isinstance(children, list) or not 0 < int(step) <= len(children):
            return None
        part = children[int(step) - 1]
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner:
            return bytes(inner[0].as_bytes())
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else None
