"""Real-world e-mail, parsed without ever giving up.

Mail arrives with wrong or missing charsets, broken MIME, encoded-word
headers that do not decode, no Date, no Message-ID, 8-bit headers, HTML
full of scripts and tracking pixels. :func:`parse` turns any bytes into a
:class:`ParsedMail`: the identity and threading headers, the readable text
(for search, previews and the view), sanitised HTML, the attachments'
names, types and sizes. A part that cannot be decoded falls back to a
lenient decoding; a message that cannot be parsed at all is kept raw with
``unparsed=True`` — a sync never stops on one message.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.errors
import email.policy
import hashlib
import logging
import quopri
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from email.utils import getaddresses
from typing import Any

from console.models.timebounds import bound_remote_time, parse_remote_time
from console.sync.html import html_to_text, sanitize_html

log = logging.getLogger(__name__)

#: Stored text per message; the rest stays on the server (fetched on demand).
TEXT_CAP = 200_000
HTML_CAP = 500_000

_ID = re.compile(r"<([^<>\s]+)>")
_REPLY_PREFIX = re.compile(
    r"^\s*((re|aw|sv|vs|antw|réf|ref|tr|fwd?|wg)\s*(\[\d+\])?\s*:\s*)+", re.I
)


@dataclass(slots=True)
class Attachment:
    name: str
    mime_type: str
    size: int
    part: str  # the MIME part's position ("2", "2.1"), to fetch it later


@dataclass(slots=True)
class ParsedMail:
    message_id: str
    synthetic_id: bool
    in_reply_to: str | None
    references: list[str]
    from_name: str
    from_addr: str
    to: list[str]
    cc: list[str]
    reply_to: list[str]
    subject: str
    date: datetime | None
    text: str
    html: str | None
    attachments: list[Attachment] = field(default_factory=list)
    auto_reply: bool = False
    unparsed: bool = False
    truncated: bool = False
    #: The Date header as written (kept in the raw payload when ``date``
    #: had to be dropped: unreadable, before 1970 or far in the future).
    date_header: str | None = None

    @property
    def parents(self) -> list[str]:
        """What this message answers, oldest first (References, then
        In-Reply-To), without itself."""
        out: list[str] = []
        for ref in [*self.references, *([self.in_reply_to] if self.in_reply_to else [])]:
            if ref and ref != self.message_id and ref not in out:
                out.append(ref)
        return out


def decode_bytes(payload: bytes, charset: str | None) -> str:
    """Text from bytes whatever the label says: the declared charset when
    it decodes cleanly, else UTF-8, else Windows-1252, else Latin-1 (which
    never fails)."""
    tried: list[str] = []
    for candidate in (charset, "utf-8", "cp1252", "latin-1"):
        if not candidate:
            continue
        name = candidate.strip().strip('"').lower()
        if name in ("us-ascii", "ascii", "unknown-8bit", "x-unknown"):
            name = "utf-8"  # 8-bit bytes under an ASCII label are usually UTF-8
        if name in tried:
            continue
        tried.append(name)
        try:
            return payload.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")  # unreachable: latin-1 is in the list


_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)[ \t\r\n]+(=\?)")


def _decode_word(match: re.Match[str]) -> str:
    """One RFC 2047 encoded word, or the word as written when it is broken."""
    charset, kind, data = match.group(1), match.group(2).upper(), match.group(3)
    charset = charset.split("*")[0]  # RFC 2231 language suffix
    try:
        if kind == "B":
            raw = base64.b64decode(data + "=" * (-len(data) % 4), validate=True)
        else:
            raw = quopri.decodestring(data.replace("_", " ").encode("ascii"), header=True)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        return match.group(0)
    return decode_bytes(raw, charset)


def decode_header_value(value: object) -> str:
    """A header as readable text: raw 8-bit bytes decoded leniently, then
    each encoded word on its own (a broken one stays as written and does not
    spoil its neighbours)."""
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= c <= "\udcff" for c in text):
        text = decode_bytes(text.encode("utf-8", "surrogateescape"), None)
    if "=?" in text:
        text = _WORD.sub(_decode_word, _BETWEEN_WORDS.sub(r"\1\2", text))
    return " ".join(text.split())


def _ids(value: object) -> list[str]:
    return _ID.findall(str(value or ""))


def _raw(msg: Message, name: str) -> str | None:
    """A header as received: ``msg.get`` would replace undeclared 8-bit
    bytes with U+FFFD; the raw value keeps them (as surrogates) so that
    decode_header_value can decode them properly."""
    wanted = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            return str(value)
    return None


def _header(msg: Message, name: str) -> str:
    try:
        return decode_header_value(_raw(msg, name))
    except Exception:  # a header the stdlib cannot even hold
        raw = msg.get_all(name) if hasattr(msg, "get_all") else None
        return " ".join(str(v) for v in raw or [])


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    values = []
    try:
        wanted = name.lower()
        values = [str(v) for k, v in msg.raw_items() if k.lower() == wanted]
    except Exception:  # whatever the stdlib trips on
        return []
    pairs = getaddresses([decode_header_value(v) for v in values])
    return [(n.strip(), a.strip().lower()) for n, a in pairs if a and "@" in a]


def subject_root(subject: str) -> str:
    """The subject without reply/forward prefixes, for "Re: …" and for the
    last-resort threading by subject."""
    return _REPLY_PREFIX.sub("", subject or "").strip()


def reply_subject(subject: str) -> str:
    """ "Re: <subject>" — never "Re: Re:"."""
    root = subject_root(subject)
    return f"Re: {root}" if root else "Re:"


def synthetic_id(raw: bytes) -> str:
    """A stable id for a message without Message-ID: the same bytes (or the
    same headers and body start) always give the same id."""
    digest = hashlib.sha256(raw[:65536]).hexdigest()[:32]
    return f"{digest}@parloir.synthetic"


def parse(raw: bytes, *, truncated: bool = False) -> ParsedMail:
    """Parse ``raw`` (see module docstring); never raises."""
    try:
        return _parse(raw, truncated)
    except Exception as exc:  # the promise: a sync never stops here
        log.warning("kept a message raw, it could not be parsed: %r", exc)
        text = raw[:4000].decode("latin-1", "replace")
        return ParsedMail(
            message_id=synthetic_id(raw),
            synthetic_id=True,
            in_reply_to=None,
            references=[],
            from_name="",
            from_addr="",
            to=[],
            cc=[],
            reply_to=[],
            subject="",
            date=None,
            text=f"(This message could not be read; its raw form is kept.)\n\n{text}",
            html=None,
            unparsed=True,
            truncated=truncated,
        )


def _parse(raw: bytes, truncated: bool) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    ids = _ids(msg.get("Message-ID"))
    message_id = ids[0] if ids else synthetic_id(raw)
    in_reply = _ids(msg.get("In-Reply-To"))
    references = _ids(" ".join(str(v) for v in msg.get_all("References") or []))
    senders = _addresses(msg, "From") or _addresses(msg, "Sender")
    from_name, from_addr = senders[0] if senders else ("", "")
    date_header, date = _date(msg)
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower() not in ("", "no") or bool(
        msg.get("X-Autoreply") or msg.get("X-Autorespond")
    )
    plain: list[str] = []
    html_parts: list[str] = []
    attachments: list[Attachment] = []
    _walk(msg, "1", plain, html_parts, attachments)
    html = "\n".join(html_parts)[:HTML_CAP] if html_parts else None
    clean_html = sanitize_html(html) if html else None
    text = "\n\n".join(p.strip() for p in plain if p.strip())
    if not text and html:
        text = html_to_text(html)
    if len(text) > TEXT_CAP:
        text, truncated = text[:TEXT_CAP], True
    if msg.defects:
        log.debug("message %s has MIME defects: %s", message_id, msg.defects)
    return ParsedMail(
        message_id=message_id,
        synthetic_id=not ids,
        in_reply_to=in_reply[-1] if in_reply else None,
        references=references,
        from_name=from_name,
        from_addr=from_addr,
        to=[a for _n, a in _addresses(msg, "To")],
        cc=[a for _n, a in _addresses(msg, "Cc")],
        reply_to=[a for _n, a in _addresses(msg, "Reply-To")],
        subject=_header(msg, "Subject"),
        date=date,
        text=text,
        html=clean_html,
        attachments=attachments,
        auto_reply=auto,
        truncated=truncated,
        date_header=date_header,
    )


def _date(msg: Message) -> tuple[str | None, datetime | None]:
    """(the Date header as written, its time or None). The sender chooses
    it: a time that does not parse or lies outside the bounds
    (console/models/timebounds.py) is None, and the caller uses the time
    the message was received."""
    try:
        raw_date = msg.get("Date")
    except Exception:  # a header the stdlib cannot even hold
        return None, None
    if not raw_date:
        return None, None
    header = str(raw_date)[:200]
    when = parse_remote_time(header)
    if when is None or bound_remote_time(when) != when:
        return header, None
    return header, when


def _walk(
    part: Message,
    position: str,
    plain: list[str],
    html: list[str],
    attachments: list[Attachment],
) -> None:
    """Collect readable text and HTML in order; list everything else."""
    ctype = (part.get_content_type() or "text/plain").lower()
    disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
    filename = part.get_filename()
    if ctype.startswith("multipart/") and not part.is_multipart():
        _salvage(part, plain, html)  # the boundary never appears: read what is there
        return
    if part.is_multipart():
        children = part.get_payload()
        if not isinstance(children, list):
            return
        if ctype == "multipart/alternative":
            _alternative(children, position, plain, html, attachments)
            return
        for n, child in enumerate(children, 1):
            if isinstance(child, Message):
                _walk(child, f"{position}.{n}", plain, html, attachments)
        return
    is_attachment = (
        ctype == "message/rfc822"
        or disposition == "attachment"
        or (filename is not None and not ctype.startswith("text/"))
    )
    if is_attachment:
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else len(str(part.get_payload()))
        name = decode_header_value(filename) if filename else _default_name(ctype)
        attachments.append(Attachment(name, ctype, size, position))
        if ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                forwarded: list[str] = []
                _walk(inner[0], position + ".1", forwarded, [], [])
                if forwarded:
                    plain.append("---------- Forwarded message ----------\n" + "\n".join(forwarded))
        return
    if ctype in ("text/plain", "text/html") or ctype.startswith("text/"):
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            payload = str(part.get_payload()).encode("utf-8", "surrogateescape")
        text = decode_bytes(payload, part.get_content_charset())
        if ctype == "text/html":
            html.append(text)
        elif ctype == "text/plain":
            plain.append(text)
        elif ctype == "text/calendar":
            attachments.append(Attachment("invite.ics", ctype, len(payload), position))
            summary = re.search(r"^SUMMARY[^:]*:(.*)$", text, re.M)
            if summary:
                plain.append(f"(Invitation: {summary.group(1).strip()})")
        else:
            attachments.append(Attachment(_default_name(ctype), ctype, len(payload), position))
        return
    payload = part.get_payload(decode=True)
    size = len(payload) if isinstance(payload, bytes) else 0
    attachments.append(Attachment(_default_name(ctype), ctype, size, position))


_PART_HEAD = re.compile(r"^[A-Za-z-]+:.*$")


def _salvage(part: Message, plain: list[str], html: list[str]) -> None:
    """A multipart whose declared boundary never appears: split the body on
    any "--boundary" line and keep the text parts, decoded by their own
    headers (base64 / quoted-printable, charset)."""
    payload = part.get_payload(decode=True)  # the original bytes (decode=False would
    raw = payload if isinstance(payload, bytes) else b""  # replace 8-bit bytes with U+FFFD)
    chunks = re.split(rb"(?m)^--[^\r\n]+\r?$", raw)
    for chunk in chunks:
        head, _, rest = chunk.lstrip(b"\r\n").partition(b"\n\n")
        if not rest and b"\r\n\r\n" in chunk:
            head, _, rest = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        inner = email.message_from_bytes(head + b"\n\n" + rest, policy=email.policy.compat32)
        ctype = inner.get_content_type() if inner.get("Content-Type") else "text/plain"
        if not inner.keys():  # no headers at all: a preamble or plain text
            text = decode_bytes(chunk, part.get_content_charset()).strip()
            if text:
                plain.append(text)
            continue
        if ctype not in ("text/plain", "text/html"):
            continue
        data = inner.get_payload(decode=True)
        text = decode_bytes(data if isinstance(data, bytes) else b"", inner.get_content_charset())
        (html if ctype == "text/html" else plain).append(text)


def _alternative(
    children: list[Message] | list[Any],
    position: str,
    plain: list[str],
    html: list[str],
    attachments: list[Attachment],
) -> None:
    """multipart/alternative: text/plain for the text, HTML for display."""
    text_here: list[str] = []
    html_here: list[str] = []
    for n, child in enumerate(children, 1):
        if isinstance(child, Message):
            _walk(child, f"{position}.{n}", text_here, html_here, attachments)
    plain.extend(text_here)
    html.extend(html_here)


def _default_name(ctype: str) -> str:
    sub = ctype.split("/")[-1]
    return {"rfc822": "message.eml", "calendar": "invite.ics", "pdf": "document.pdf"}.get(
        sub, f"attachment.{sub}"
    )


# [ \t]*, not \s*, around the header: \s* at every line start spans the
# following blank lines, and a body of many blank lines became quadratic.
QUOTE_HEADER = re.compile(
    r"^[ \t]*(On .{5,200} wrote:|Le .{5,200} a écrit\s?:|-{3,}\s*Original Message\s*-{3,}|"
    r"-{3,}\s*Message d'origine\s*-{3,}|From: .+\nSent: .+)[ \t]*$",
    re.M,
)


def split_quoted(text: str) -> tuple[str, str]:
    """(what is new, the quoted history) — the view folds the second part.
    History starts at an "On … wrote:" / "Le … a écrit :" line, or at the
    first run of ">" lines that continues to the end."""
    match = QUOTE_HEADER.search(text)
    if match and match.start() > 0:
        return text[: match.start()].rstrip(), text[match.start() :].strip("\n")
    lines = text.split("\n")
    # The trailing run of quoted or blank lines, found from the end (one
    # pass: the history is the first quoted line of that run, never line 0).
    start = len(lines)
    while start > 0 and (lines[start - 1].startswith(">") or not lines[start - 1].strip()):
        start -= 1
    for n in range(max(start, 1), len(lines)):
        if lines[n].startswith(">"):
            return "\n".join(lines[:n]).rstrip(), "\n".join(lines[n:])
    return text, ""
