"""The e-mail provider against a real Dovecot (IMAP) and a real SMTP server
(aiosmtpd), both on 127.0.0.1: sync, threading, UIDVALIDITY, flags, replies,
a dropped connection after DATA, hostile HTML, kill -9 during sync."""

from __future__ import annotations

import email
import email.policy
import json
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from console.models.db import Cache
from console.services import drafts, outbox, signin
from console.sync.engine import SyncEngine
from console.sync.outbox import OutboxSender
from tests.helpers.cli import cli_env, run_cli
from tests.helpers.email_servers import Mailbox, SmtpServer

pytestmark = pytest.mark.keyring
ROOT = Path(__file__).resolve().parent.parent


def eml(
    msgid: str | None,
    *,
    frm: str = "Alice Martin <alice@customer.example>",
    to: str = "contact@velopain.example",
    subject: str = "Ma commande",
    body: str = "Bonjour, où en est ma commande ?",
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    ago_h: float = 2,
    extra: str = "",
    html: str | None = None,
) -> bytes:
    when = format_datetime(datetime.now(UTC) - timedelta(hours=ago_h))
    head = [f"From: {frm}", f"To: {to}", f"Subject: {subject}", f"Date: {when}"]
    if msgid:
        head.append(f"Message-ID: <{msgid}>")
    if in_reply_to:
        head.append(f"In-Reply-To: <{in_reply_to}>")
    if references:
        head.append("References: " + " ".join(f"<{r}>" for r in references))
    head.append("MIME-Version: 1.0")
    if extra:
        head.append(extra)
    if html is not None:
        head.append('Content-Type: multipart/alternative; boundary="b1"')
        parts = (
            f'--b1\nContent-Type: text/plain; charset="utf-8"\n\n{body}\n'
            f'--b1\nContent-Type: text/html; charset="utf-8"\n\n{html}\n--b1--\n'
        )
        return ("\n".join(head) + "\n\n" + parts).replace("\n", "\r\n").encode("utf-8")
    head.append('Content-Type: text/plain; charset="utf-8"')
    head.append("Content-Transfer-Encoding: 8bit")
    return ("\n".join(head) + "\n\n" + body + "\n").replace("\n", "\r\n").encode("utf-8")


def add(cache: Cache, mailbox: Mailbox, smtp: SmtpServer) -> Any:
    return signin.add_account(
        cache,
        "email",
        {
            "imap": f"{mailbox.host}:{mailbox.port}",
            "smtp": f"{smtp.host}:{smtp.port}",
            "user": mailbox.address,
            "address": mailbox.address,
            "password": mailbox.password,
            "security": "none",
        },
    )


def sync(cache: Cache) -> Any:
    engine = SyncEngine(cache)
    try:
        report = engine.run_once()
        return report.accounts[0]
    finally:
        engine.close()


def groups(cache: Cache) -> list[set[str]]:
    out: dict[str, set[str]] = {}
    with cache.read() as s:
        for conv, rid in s.execute(text("SELECT conversation_id, remote_id FROM messages")):
            out.setdefault(conv, set()).add(rid)
    return sorted(out.values(), key=lambda g: sorted(g))


def rows(cache: Cache, sql: str, **params: Any) -> list[Any]:
    with cache.read() as s:
        return list(s.execute(text(sql), params))


# -- sync --------------------------------------------------------------------------------


def test_first_and_incremental_sync_thread_by_references(
    cache: Cache, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    mailbox.append("INBOX", eml("a1@customer.example", ago_h=5))
    mailbox.append("INBOX", eml("b1@other.example", frm="bob@other.example", subject="Devis"))
    add(cache, mailbox, smtp)
    outcome = sync(cache)
    assert (outcome.state, outcome.new_messages) == ("ok", 2), outcome.message
    reply = eml(
        "a2@customer.example",
        subject="Re: Ma commande",
        body="Je relance…",
        in_reply_to="a1@customer.example",
        references=["a1@customer.example"],
        ago_h=1,
    )
    mailbox.append("INBOX", reply)
    assert sync(cache).new_messages == 1
    assert sync(cache).new_messages == 0
    assert groups(cache) == [{"a1@customer.example", "a2@customer.example"}, {"b1@other.example"}]
    kinds = {r[0] for r in rows(cache, "SELECT kind FROM conversations")}
    assert kinds == {"email"}
    subject, status = rows(
        cache,
        "SELECT subject, status FROM conversations WHERE remote_key = 'a1@customer.example'",
    )[0]
    assert (subject, status) == ("Ma commande", "open")
    names = {r[0] for r in rows(cache, "SELECT name FROM contacts")}
    assert "Alice Martin" in names


def test_missing_middle_and_only_in_reply_to(
    cache: Cache, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    mailbox.append("INBOX", eml("m1@x.example", ago_h=6))
    # m2 never arrives; m3 names it in References, m4 answers m3 with In-Reply-To only.
    mailbox.append(
        "INBOX", eml("m3@x.example", in_reply_to="m2@x.example",
                     references=["m1@x.example", "m2@x.example"], ago_h=4)
    )  # fmt: skip
    mailbox.append("INBOX", eml("m4@x.example", in_reply_to="m3@x.example", ago_h=3))
    add(cache, mailbox, smtp)
    sync(cache)
    assert groups(cache) == [{"m1@x.example", "m3@x.example", "m4@x.example"}]


def test_uidvalidity_change_keeps_every_message_once(
    cache: Cache, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    for n in range(5):
        mailbox.append("INBOX", eml(f"u{n}@x.example", subject=f"Sujet {n}", ago_h=5 - n))
    add(cache, mailbox, smtp)
    assert sync(cache).new_messages == 5
    before = mailbox.uidvalidity("INBOX")
    after = mailbox.reset_uidvalidity("INBOX")
    assert after != before
    mailbox.append("INBOX", eml("u5@x.example", subject="Sujet 5", ago_h=0.5))
    outcome = sync(cache)
    assert (outcome.state, outcome.new_messages) == ("ok", 1)
    ids = [r[0] for r in rows(cache, "SELECT remote_id FROM messages")]
    assert sorted(ids) == sorted(f"u{n}@x.example" for n in range(6))
    validities = {r[0] for r in rows(cache, "SELECT DISTINCT uidvalidity FROM message_locations")}
    assert after in validities


def test_a_message_deleted_elsewhere_becomes_a_tombstone(
    cache: Cache, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    uid = mailbox.append("INBOX", eml("gone@x.example"))
    mailbox.append("INBOX", eml("kept@x.example", subject="Autre"))
    add(cache, mailbox, smtp)
    sync(cache)
    mailbox.set_flags("INBOX", uid, [b"\\Deleted"])
    sync(cache)
    deleted = dict(rows(cache, "SELECT remote_id, deleted FROM messages"))
    assert deleted == {"gone@x.example": 1, "kept@x.example": 0}


def test_hostile_html_is_stored_clean(cache: Cache, mailbox: Mailbox, smtp: SmtpServer) -> None:
    hostile = (
        "<html><head><meta http-equiv='refresh' content='0;url=https://evil.example'>"
        "<base href='https://evil.example/'></head><body onload='x()'>"
        "<p>Bonjour</p><script>steal()</script><img src='https://track.example/p.gif'>"
        "<form action='https://evil.example'><input name=pw></form>"
        "<iframe src='https://evil.example'></iframe><a href='javascript:alert(1)'>ici</a>"
        "<div style='background:url(https://track.example/bg.png)'>Merci</div></body></html>"
    )
    mailbox.append("INBOX", eml("evil@x.example", body="Bonjour Merci", html=hostile))
    add(cache, mailbox, smtp)
    sync(cache)
    [(html, body)] = rows(cache, "SELECT html, text FROM messages")
    for bad in ("<script", "<img", "<iframe", "<form", "javascript:", "<meta", "<base",
                "onload", "url(", "track.example"):  # fmt: skip
        assert bad not in html
    assert "Bonjour" in html and "Merci" in body


# -- replies -----------------------------------------------------------------------------


def _reply(cache: Cache, conv_key: str, body: str, *, anyway: bool = False) -> str:
    [(conv_id,)] = rows(cache, "SELECT id FROM conversations WHERE remote_key = :k", k=conv_key)

    def task(tx: Any) -> str:
        drafts.save_draft(tx, conv_id, body)
        return outbox.enqueue(tx, conv_id, anyway=anyway).id

    return str(cache.writer.call(task))


def test_reply_goes_out_with_the_right_headers_and_lands_in_sent(
    cache: Cache, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    mailbox.append(
        "INBOX",
        eml("q1@customer.example", subject="Re: Re: Livraison", references=["q0@customer.example"],
            in_reply_to="q0@customer.example",
            extra="Reply-To: Support Client <retours@customer.example>"),
    )  # fmt: skip
    add(cache, mailbox, smtp)
    sync(cache)
    with pytest.raises(outbox.Held, match=r"retours@customer\.example"):
        _reply(cache, "q0@customer.example", "Votre colis part demain.")
    item = _reply(cache, "q0@customer.example", "Votre colis part demain.", anyway=True)
    sender = OutboxSender(cache)
    try:
        assert sender.deliver(item) == "sent"
    finally:
        sender.close()
    [got] = smtp.messages
    msg = got.message
    assert got.rcpt_tos == ["retours@customer.example"]
    assert msg["Subject"] == "Re: Livraison"
    assert msg["In-Reply-To"] == "<q1@customer.example>"
    assert msg["References"].split() == ["<q0@customer.example>", "<q1@customer.example>"]
    assert msg["From"] == mailbox.address
    key = rows(cache, "SELECT key FROM outbox")[0][0]
    assert msg["Message-ID"] == key
    assert "Votre colis part demain." in msg.get_content()
    sent = [
        email.message_from_bytes(m, policy=email.policy.default) for m in mailbox.messages("Sent")
    ]
    assert [m["Message-ID"] for m in sent] == [key]
    # Reading Sent back joins the thread as the same outbound message, once.
    sync(cache)
    out = rows(cache, "SELECT remote_id, direction FROM messages WHERE direction = 'out'")
    assert out == [(key.strip("<>"), "out")]
    assert groups(cache) == [{"q1@customer.example", key.strip("<>")}]


def test_dropped_after_data_goes_unknown_and_is_never_resent(
    cache: Cache, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    mailbox.append("INBOX", eml("d1@customer.example"))
    add(cache, mailbox, smtp)
    sync(cache)
    item = _reply(cache, "d1@customer.example", "Réponse qui se perd.")
    smtp.drop_after_data = True
    sender = OutboxSender(cache)
    try:
        assert sender.deliver(item) == "unknown"
        smtp.drop_after_data = False
        sender.deliver_pending(force=True)
        sender.deliver_pending(force=True)
    finally:
        sender.close()
    assert len(smtp.messages) == 1  # the server got it once; Parloir did not send again
    state, error = rows(cache, "SELECT state, error FROM outbox")[0]
    assert state == "unknown" and error


def test_sent_from_another_client_counts_as_outbound(
    cache: Cache, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    mailbox.append("INBOX", eml("o1@customer.example", ago_h=3))
    mailbox.append(
        "Sent",
        eml("o2@velopain.example", frm=mailbox.address, to="alice@customer.example",
            subject="Re: Ma commande", in_reply_to="o1@customer.example",
            references=["o1@customer.example"], ago_h=1),
    )  # fmt: skip
    add(cache, mailbox, smtp)
    sync(cache)
    [(status, waiting)] = rows(cache, "SELECT status, waiting_since FROM conversations")
    assert waiting is None and status == "closed"  # answered before the first sync
    directions = dict(rows(cache, "SELECT remote_id, direction FROM messages"))
    assert directions == {"o1@customer.example": "in", "o2@velopain.example": "out"}


# -- the command line ------------------------------------------------------------------------


env_for = cli_env
parloir = run_cli


def test_cli_add_wrong_password_then_right(
    parloir_home: Path, dovecot: Any, smtp: SmtpServer
) -> None:
    password = "Pw-7c1e-d00d-unique"  # distinctive: searched for in every file below
    user = dovecot.add_user("cli-test@example.org", password)
    base = ["account", "add", "email", "--imap", f"{dovecot.host}:{dovecot.port}",
            "--smtp", f"{smtp.host}:{smtp.port}", "--user", user,
            "--password-stdin", "--security", "none"]  # fmt: skip
    bad = parloir(parloir_home, *base, stdin="wrong\n")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 2  # warning + error
    assert "refused" in bad.stderr
    good = parloir(parloir_home, *base, stdin=f"{password}\n")
    assert good.returncode == 0, good.stderr
    assert "unencrypted" in good.stderr
    listed = json.loads(parloir(parloir_home, "account", "list", "--json").stdout)
    assert [(a["network"], a["handle"]) for a in listed] == [("email", user)]
    for path in parloir_home.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


def test_sync_killed_twenty_times_keeps_each_message_once(
    parloir_home: Path, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    rng = random.Random(5)
    expected = set()
    for n in range(400):
        thread = n // 4
        refs = [f"t{thread}-0@x.example"] if n % 4 else []
        mid = f"t{thread}-{n % 4}@x.example"
        mailbox.append(
            "INBOX",
            eml(mid, subject=f"Fil {thread}", references=refs,
                in_reply_to=refs[0] if refs else None, ago_h=(400 - n) / 40,
                body=f"message {n} " + "lorem ipsum " * 200),
        )  # fmt: skip
        expected.add(mid)
    base = ["account", "add", "email", "--imap", f"{mailbox.host}:{mailbox.port}",
            "--smtp", f"{smtp.host}:{smtp.port}", "--user", mailbox.address,
            "--password-stdin", "--security", "none"]  # fmt: skip
    assert parloir(parloir_home, *base, stdin=f"{mailbox.password}\n").returncode == 0
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "sync", "--once"], env=env_for(parloir_home),
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.3, 2.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    final = parloir(parloir_home, "sync", "--once")
    assert final.returncode == 0, final.stdout + final.stderr
    import sqlite3

    from console import paths

    db = sqlite3.connect(paths.cache_path())
    ids = [r[0] for r in db.execute("SELECT remote_id FROM messages")]
    convs = db.execute("SELECT count(*) FROM conversations").fetchone()[0]
    db.close()
    assert sorted(ids) == sorted(expected)
    assert convs == 100


def test_an_attachment_is_listed_then_fetched_on_demand(
    cache: Cache, mailbox: Mailbox, smtp: SmtpServer, qtbot: Any
) -> None:
    from email.message import EmailMessage

    from PySide6.QtCore import QUrl

    from console.services import attachments, conversation
    from console.views.thread_view import SafeBrowser, thread_html

    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40
    msg = EmailMessage()
    msg["From"] = "alice@customer.example"
    msg["To"] = mailbox.address
    msg["Subject"] = "Facture"
    msg["Message-ID"] = "<att1@customer.example>"
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg.set_content("La facture est jointe.")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="facture 42.pdf")
    mailbox.append("INBOX", msg.as_bytes())
    add(cache, mailbox, smtp)
    sync(cache)
    [(message_id, conv_id)] = rows(cache, "SELECT id, conversation_id FROM messages")
    with cache.read() as s:
        detail = conversation.pane_view(s, conv_id)
    [listed] = detail.messages[0].attachments
    assert listed.name == "facture 42.pdf" and listed.mime_type == "application/pdf"
    page = thread_html(detail, lambda t: t)
    assert f"parloir-attachment:{message_id}/0" in page and "facture 42.pdf" in page
    fetched = attachments.fetch(cache, message_id, 0)
    assert (fetched.name, fetched.data) == ("facture 42.pdf", pdf)
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    with qtbot.waitSignal(browser.attachment) as got:
        browser._open(QUrl(f"parloir-attachment:{message_id}/0"))
    assert got.args == [message_id, 0]
