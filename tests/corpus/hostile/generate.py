"""The hostile-content corpus: what a stranger can send, generated on demand.

Nothing big is stored in the repository: each item is built here, at the
size asked for (``scale`` 1.0 is the size the review used: 10 MB bodies,
a 5 MB note; the test runs a smaller scale that is still far beyond every
cap, the benchmark the full one). Each item is one message of its own
conversation, and maybe a note, for ingest -> queue -> show -> window.

    python -m tests.corpus.hostile.generate      # list the items and sizes
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from console.sync.base import ContactRecord, Direction, Kind, MessageRecord
from console.sync.email.parse import parse

MB = 1024 * 1024
ESCAPES = (
    "\x1b]0;owned window title\x07\x1b[2J\x1b[31mred\x1b[0m "
    "\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07 \x1b]8;;https://evil.example\x07bank.example\x1b]8;;\x07 "
    "\x9b31m C1 CSI \x7f DEL \x00 NUL \x08 backspace"
)
BIDI = "\u202eGNP.exe\u202c invoice \u2066isolated\u2069 \u202dforced\u202c \u200f\u061c"


@dataclass(frozen=True, slots=True)
class HostileItem:
    """One hostile message (and maybe a note on its conversation)."""

    name: str
    network: str  # which account receives it: mastodon, bluesky or email
    record: MessageRecord
    note: str | None = None
    sizes: dict[str, int] = field(default_factory=dict)


def _author(network: str, name: str = "Mallory", handle: str | None = None) -> ContactRecord:
    handle = handle or ("mallory@evil.example" if network != "bluesky" else "mallory.evil.example")
    return ContactRecord(network=network, remote_id=f"{network}:{handle}", handle=handle, name=name)


def _record(
    name: str,
    *,
    network: str = "mastodon",
    text: str = "",
    html: str | None = None,
    kind: Kind = Kind.PUBLIC,
    subject: str | None = None,
    author: ContactRecord | None = None,
    sent_at: datetime | None = None,
) -> MessageRecord:
    return MessageRecord(
        remote_id=f"hostile-{name}",
        thread_key=f"hostile-{name}",
        kind=kind,
        direction=Direction.IN,
        author=author or _author(network),
        sent_at=sent_at or datetime.now(UTC) - timedelta(minutes=5),
        text=text,
        html=html,
        subject=subject,
    )


def _mail(name: str, raw: bytes) -> MessageRecord:
    """An e-mail through the real parser, as the e-mail provider maps it."""
    mail = parse(raw)
    addr = mail.from_addr or "unknown@invalid"
    return MessageRecord(
        remote_id=mail.message_id,
        thread_key=mail.message_id,
        kind=Kind.EMAIL,
        direction=Direction.IN,
        author=ContactRecord(
            network="email", remote_id=addr, handle=addr, name=mail.from_name or addr, email=addr
        ),
        sent_at=mail.date or datetime.now(UTC),
        text=mail.text,
        html=mail.html,
        subject=mail.subject or None,
        raw={"to": mail.to, "cc": mail.cc},
    )


def _invalid_utf8_mail(size: int) -> bytes:
    body = b"caf\xe9 \xff\xfe\xc3\x28 \xed\xa0\x80 surrogate \xf8\x88\x80\x80\x80 " * (size // 48)
    return (
        b"From: =?utf-8?q?M=C3=A0llory?= \xff <mallory@evil.example>\r\n"
        b"To: contact@velopain.example\r\n"
        b"Subject: =?utf-8?b?/////w==?= caf\xe9 \x1b]0;title\x07\r\n"
        b"Date: Fri, 31 Dec 9999 23:59:59 +0000\r\n"
        b"Message-ID: <hostile-utf8@evil.example>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body
    )


def _huge_html_mail(size: int) -> bytes:
    para = b"<div><p>mail <b>bold</b> &amp; <a href='https://x.example/'>x</a></p>"
    html = b"<html><body>" + para * (size // 70)
    return (
        b"From: Mallory <mallory@evil.example>\r\nTo: contact@velopain.example\r\n"
        b"Subject: huge html\r\nDate: Mon, 01 Jan 0001 00:00:00 +0000\r\n"
        b"Message-ID: <hostile-html@evil.example>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n" + html + b"</body></html>"
    )


def items(scale: float = 1.0) -> list[HostileItem]:
    """Every hostile item, bodies sized ``scale`` x the review's sizes."""
    big = max(1, int(10 * MB * scale))
    line = max(1, int(2 * MB * scale))
    note = max(1, int(5 * MB * scale))
    makers: list[tuple[str, str, Callable[[], MessageRecord], str | None]] = [
        ("nested-divs", "mastodon",
         lambda: _record("nested-divs", html="<div>" * 20_000 + "deep" + "</div>" * 20_000,
                         text="deep"), None),
        ("unclosed-nesting", "mastodon",
         lambda: _record("unclosed-nesting", html="<blockquote><b><i><ul><li>" * 8_000,
                         text="unclosed"), None),
        ("angle-bracket-flood", "mastodon",
         lambda: _record("angle-bracket-flood", html="<a" * (big // 20) + "<" * (big // 10),
                         text="brackets"), None),
        ("huge-html", "mastodon",
         lambda: _record("huge-html", html="<p>hello <b>world</b> &amp; <i>more</i></p>"
                         * (big // 44), text="hello world"), None),
        ("huge-plain", "bluesky",
         lambda: _record("huge-plain", network="bluesky",
                         text="plain words in a very long post\n" * (big // 32)), None),
        ("giant-single-line", "bluesky",
         lambda: _record("giant-single-line", network="bluesky", text="x" * line), None),
        ("escape-sequences", "mastodon",
         lambda: _record("escape-sequences", text=ESCAPES, html=f"<p>{ESCAPES}</p>",
                         author=_author("mastodon", name=ESCAPES[:60]),
                         kind=Kind.DIRECT), None),
        ("bidi-overrides", "mastodon",
         lambda: _record("bidi-overrides", text=BIDI, html=f"<p>{BIDI}</p>",
                         author=_author("mastodon", name="\u202eyrollaM\u202c")), None),
        ("zero-width-flood", "bluesky",
         lambda: _record("zero-width-flood", network="bluesky",
                         text="a" + "\u200b\u200c\u200d\u2060\ufeff" * (line // 5) + "b"), None),
        ("combining-flood", "bluesky",
         lambda: _record("combining-flood", network="bluesky",
                         text="Z" + "\u0301\u0336\u0489" * (line // 3)), None),
        ("year-9999", "mastodon",
         lambda: _record("year-9999", text="from the far future",
                         sent_at=datetime(9999, 12, 31, 23, 59, tzinfo=UTC)), None),
        ("year-1", "bluesky",
         lambda: _record("year-1", network="bluesky", text="from the distant past",
                         sent_at=datetime(1, 1, 1, tzinfo=UTC)), None),
        ("giant-name-and-subject", "email",
         lambda: _record("giant-name-and-subject", network="email", kind=Kind.EMAIL,
                         text="hello", subject="S" * (line // 4),
                         author=_author("email", name="N" * (line // 4),
                                        handle="mallory@evil.example")), None),
        ("invalid-utf8-mail", "email",
         lambda: _mail("invalid-utf8-mail", _invalid_utf8_mail(big)), None),
        ("huge-html-mail", "email", lambda: _mail("huge-html-mail", _huge_html_mail(big)), None),
        ("huge-note", "mastodon",
         lambda: _record("huge-note", text="a normal message with a huge note"), "n" * note),
    ]  # fmt: skip
    out = []
    for name, network, make, note_text in makers:
        record = make()
        sizes = {"text": len(record.text), "html": len(record.html or "")}
        if note_text is not None:
            sizes["note"] = len(note_text)
        out.append(HostileItem(name, network, record, note_text, sizes))
    return out


if __name__ == "__main__":
    for item in items():
        print(f"{item.name:24} {item.network:9} {item.sizes}")
