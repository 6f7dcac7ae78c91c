"""The e-mail corpus (tests/corpus/email) itself: files, manifest, and that they agree.

The manifest is what the e-mail provider's own corpus test checks against, so here every
field is checked against the raw message with the standard library plus a small, lenient
reader (charset fallbacks, HTML to text) written only for this check.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from collections import Counter
from contextlib import suppress
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.email_servers import Mailbox  # the fixtures come from conftest

CORPUS = Path(__file__).parent / "corpus" / "email"
US = "contact@velopain.example"

REQUIRED_KINDS = {
    "plain-ascii",
    "utf8",
    "iso-8859-1",
    "windows-1252",
    "wrong-charset-latin1-as-utf8",
    "wrong-charset-utf8-as-ascii",
    "missing-charset",
    "quoted-printable",
    "base64-body",
    "alternative",
    "html-only",
    "attachment",
    "inline-image",
    "forward-attached",
    "forward-inline",
    "auto-reply",
    "bounce",
    "digest",
    "encoded-word-headers",
    "broken-encoded-word",
    "missing-date",
    "missing-message-id",
    "duplicate-message-id",
    "long-subject",
    "no-subject",
    "reply-to",
    "reply-chain",
    "reply-chain-missing-middle",
    "reply-in-reply-to-only",
    "reply-subject-only",
    "outbound",
    "hostile-html",
    "huge",
    "broken-boundary",
    "truncated-base64",
    "header-without-colon",
    "nul-bytes",
    "8bit-headers",
    "garbage",
    "calendar",
    "signed",
}
FIELDS = {
    "file",
    "kind",
    "message_id",
    "in_reply_to",
    "references",
    "thread",
    "from",
    "subject_contains",
    "text_contains",
    "hostile",
    "outbound",
}
MSGID = re.compile(r"<([^<>\s]+)>")


@cache
def manifest() -> tuple[dict[str, Any], ...]:
    data = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return tuple(data)


def entries() -> list[dict[str, Any]]:
    return list(manifest())


def raw_of(entry: dict[str, Any]) -> bytes:
    path: Path = CORPUS / entry["file"]
    return path.read_bytes()


def parse(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=email.policy.default)


# --- a lenient reader, for checking the manifest ---------------------------------------------

LATIN1 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


def decode_text(data: bytes, charset: str | None) -> str:
    """Declared charset, then UTF-8, then cp1252 (latin-1 labels read as cp1252, as browsers do)."""
    tries = [charset, "utf-8"] if charset else ["utf-8"]
    for name in tries:
        if name is None:
            continue
        if name.lower() in LATIN1 and name.lower() not in {"us-ascii", "ascii"}:
            name = "cp1252"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


class _HTMLText(HTMLParser):
    SKIP = {"script", "style", "head", "title"}
    BREAKS = {"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def readable_text(msg: Message) -> str:
    """All text/plain and text/html parts that are not attachments, as plain text."""
    chunks: list[str] = []
    for part in msg.walk():
        payload = part.get_payload(decode=True)
        ctype = part.get_content_type()
        if part.get_content_maintype() == "multipart":
            if isinstance(payload, bytes):  # boundary never found: the body stays raw text
                chunks.append(decode_text(payload, None))
            continue
        if (
            ctype not in {"text/plain", "text/html"}
            or part.get_content_disposition() == "attachment"
        ):
            continue
        if not isinstance(payload, bytes):
            continue
        text = decode_text(payload, part.get_content_charset())
        chunks.append(html_to_text(text) if ctype == "text/html" else text)
    return normalise("\n".join(chunks))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\x00", "")).strip()


def raw_headers(raw: bytes, name: str) -> list[str]:
    """Values of header ``name`` read from the bytes (unfolded, 8-bit: UTF-8 else cp1252)."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    head = re.sub(rb"\r?\n[ \t]+", b" ", head)
    values = []
    for line in re.split(rb"\r?\n", head):
        key, sep, value = line.partition(b":")
        if sep and key.strip().lower() == name.lower().encode():
            values.append(decode_text(value.strip(), None))
    return values


def decoded_subjects(msg: Message, raw: bytes) -> list[str]:
    found = []
    if msg["Subject"] is not None:
        found.append(str(msg["Subject"]))
    for value in raw_headers(raw, "Subject"):
        found.append(value)
        with suppress(LookupError, UnicodeDecodeError, ValueError):
            found.append(str(make_header(decode_header(value))))
    return found


# --- the tests ---------------------------------------------------------------------------------


def test_corpus_size_and_files_match_manifest() -> None:
    files = {p.name for p in CORPUS.glob("*.eml")}
    listed = [e["file"] for e in entries()]
    assert len(files) >= 60
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert set(listed) == files


def test_manifest_entries_are_well_formed() -> None:
    for entry in entries():
        where = entry["file"]
        assert set(entry) >= FIELDS, where
        assert set(entry) <= FIELDS | {"notes", "stdlib_raises"}, where
        assert isinstance(entry["kind"], str) and entry["kind"], where
        assert isinstance(entry["thread"], str) and entry["thread"], where
        assert isinstance(entry["references"], list), where
        for key in ("message_id", "in_reply_to", *entry["references"]):
            value = entry.get(key, key)
            assert value is None or (
                isinstance(value, str) and "<" not in value and ">" not in value
            ), where
        assert isinstance(entry["hostile"], bool) and isinstance(entry["outbound"], bool), where
        assert entry["outbound"] == (entry["from"] == US), where


def test_required_kinds_are_present() -> None:
    kinds = {e["kind"] for e in entries()}
    assert kinds >= REQUIRED_KINDS, sorted(REQUIRED_KINDS - kinds)
    assert sum(e["outbound"] for e in entries()) >= 8
    assert sum(e["hostile"] for e in entries()) >= 3


def test_thread_groups() -> None:
    sizes = Counter(e["thread"] for e in entries())
    groups = [name for name, size in sizes.items() if size >= 2]
    assert len(groups) >= 5, sizes
    assert sizes["revision-marie"] == 5
    by_id = {e["message_id"]: e for e in entries() if e["message_id"]}
    for entry in entries():
        for ref in [entry["in_reply_to"], *entry["references"]]:
            if ref in by_id:
                assert by_id[ref]["thread"] == entry["thread"], (entry["file"], ref)
    # Each special chain shape exists inside a group of its own.
    for kind in ("reply-chain-missing-middle", "reply-in-reply-to-only", "reply-subject-only"):
        threads = {e["thread"] for e in entries() if e["kind"] == kind}
        assert threads and all(sizes[t] >= 2 for t in threads), kind
    missing = [
        ref
        for e in entries()
        if e["kind"] == "reply-chain-missing-middle"
        for ref in e["references"]
        if ref not in by_id
    ]
    assert missing, "the chain with a hole has no reference to a missing message"


def test_every_file_parses_with_the_stdlib() -> None:
    raising = set()
    for entry in entries():
        try:
            parse(raw_of(entry))
        except Exception:
            raising.add(entry["file"])
    assert raising == {e["file"] for e in entries() if e.get("stdlib_raises")}


def test_sizes() -> None:
    for entry in entries():
        size = (CORPUS / entry["file"]).stat().st_size
        if entry["kind"] == "huge":
            assert 1_400_000 <= size <= 2_000_000
        else:
            assert size < 30_000, entry["file"]


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e["file"])
def test_manifest_agrees_with_the_message(entry: dict[str, Any]) -> None:
    raw = raw_of(entry)
    if entry.get("stdlib_raises"):
        pytest.skip("the stdlib cannot parse it")
    msg = parse(raw)
    if entry["kind"] == "garbage":
        assert entry["message_id"] is None and entry["from"] is None
        assert entry["text_contains"] is None
        return

    mids = msg.get_all("Message-ID") or []
    first = MSGID.findall(str(mids[0])) if mids else []
    assert (first[0] if first else None) == entry["message_id"]

    irt = MSGID.findall(str(msg.get("In-Reply-To", "")))
    assert (irt[0] if irt else None) == entry["in_reply_to"]
    assert MSGID.findall(str(msg.get("References", ""))) == entry["references"]

    sender = raw_headers(raw, "From")
    assert sender, "no From header"
    assert parseaddr(sender[0])[1].lower() == entry["from"]

    if entry["subject_contains"] is None:
        assert not any(s.strip() for s in decoded_subjects(msg, raw))
    else:
        assert any(entry["subject_contains"] in s for s in decoded_subjects(msg, raw)), (
            decoded_subjects(msg, raw)
        )

    if entry["text_contains"] is not None:
        text = readable_text(msg)
        assert normalise(entry["text_contains"]) in text, text[:500]


def test_hostile_messages_carry_active_content() -> None:
    markers = (b"<script", b"javascript:", b"onerror", b"<iframe", b"<base", b"http-equiv")
    markers_qp = tuple(m.replace(b"=", b"=3D") for m in markers)
    for entry in entries():
        raw = raw_of(entry).lower()
        hit = any(m in raw for m in markers + markers_qp) or b"https://track" in raw
        if entry["hostile"]:
            assert hit or b"evil.example" in raw, entry["file"]


def test_corpus_round_trips_through_dovecot(mailbox: Mailbox) -> None:
    """APPEND every file, FETCH it back: the same bytes, except two known rewrites.

    imaplib (under imapclient) turns every CR, LF or CRLF into CRLF in APPEND, and Dovecot
    stores each NUL byte as 0x80.
    """
    raws = [raw_of(entry) for entry in entries()]
    with mailbox.client() as client:
        for raw in raws:
            client.append("INBOX", raw)
    fetched = mailbox.messages("INBOX")
    assert len(fetched) == len(raws)
    for entry, raw, got in zip(entries(), raws, fetched, strict=True):
        expected = re.sub(rb"\r\n|\r|\n", b"\r\n", raw).replace(b"\x00", b"\x80")
        assert got == expected, entry["file"]
