"""The mail-server fixtures themselves, checked with plain imapclient and smtplib."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage

import imapclient
import pytest
from imapclient import IMAPClient
from imapclient.imapclient import SENT

from tests.helpers.email_servers import Dovecot, Mailbox, SmtpServer  # fixtures come from conftest

RAW = (
    b"From: Marie Dupont <marie.dupont@example.fr>\r\n"
    b"To: contact@velopain.example\r\n"
    b"Subject: =?UTF-8?Q?Pain_aux_c=C3=A9r=C3=A9ales?=\r\n"
    b"Date: Tue, 05 Mar 2024 09:12:00 +0100\r\n"
    b"Message-ID: <fixture-1@example.fr>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Bonjour, il reste du pain aux c\xc3\xa9r\xc3\xa9ales ?\r\n"
)


def outgoing(subject: str = "Essai") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "contact@velopain.example"
    msg["To"] = "marie.dupont@example.fr"
    msg["Subject"] = subject
    msg.set_content("Votre vélo est prêt. 🚲")
    return msg


# --- IMAP ------------------------------------------------------------------------------------


def test_login_and_wrong_password(mailbox: Mailbox) -> None:
    assert mailbox.address.startswith("u") and mailbox.address.endswith("@example.org")
    with IMAPClient(mailbox.host, port=mailbox.port, ssl=False, timeout=10) as client:
        client.login(mailbox.address, mailbox.password)
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    client = IMAPClient(mailbox.host, port=mailbox.port, ssl=False, timeout=10)
    try:
        with pytest.raises(imapclient.exceptions.LoginError):
            client.login(mailbox.address, "wrong")
    finally:
        client.shutdown()


def test_users_are_separate(dovecot: Dovecot, mailbox: Mailbox) -> None:
    other = Mailbox(dovecot, dovecot.add_user("other-" + mailbox.address, "pw2"), "pw2")
    mailbox.append("INBOX", RAW)
    assert other.messages("INBOX") == []
    assert len(mailbox.messages("INBOX")) == 1


def test_append_then_fetch_same_bytes(mailbox: Mailbox) -> None:
    when = datetime(2024, 3, 5, 9, 12, tzinfo=UTC)
    uid = mailbox.append("Archives.2024", RAW, flags=[b"\\Seen"], when=when)
    assert uid == 1
    assert "Archives.2024" in mailbox.folders()
    with mailbox.client() as client:
        client.select_folder("Archives.2024", readonly=True)
        data = client.fetch([uid], ["BODY.PEEK[]", "FLAGS", "INTERNALDATE"])
    assert data[uid][b"BODY[]"] == RAW
    assert b"\\Seen" in data[uid][b"FLAGS"]
    assert data[uid][b"INTERNALDATE"].astimezone(UTC) == when
    assert mailbox.messages("Archives.2024") == [RAW]


def test_set_flags_and_delete(mailbox: Mailbox) -> None:
    first = mailbox.append("INBOX", RAW)
    second = mailbox.append("INBOX", RAW.replace(b"fixture-1", b"fixture-2"))
    assert second == first + 1
    mailbox.set_flags("INBOX", first, [b"\\Flagged", b"\\Answered"])
    assert set(mailbox.flags("INBOX")[first]) == {b"\\Flagged", b"\\Answered"}
    mailbox.delete("INBOX", first)
    assert list(mailbox.flags("INBOX")) == [second]
    assert len(mailbox.messages("INBOX")) == 1


def test_condstore_and_highestmodseq(mailbox: Mailbox) -> None:
    with mailbox.client() as client:
        caps = client.capabilities()
    assert b"CONDSTORE" in caps and b"QRESYNC" in caps
    uid = mailbox.append("INBOX", RAW)
    before = mailbox.highestmodseq("INBOX")
    mailbox.set_flags("INBOX", uid, [b"\\Seen"])
    after = mailbox.highestmodseq("INBOX")
    assert after > before
    with mailbox.client() as client:
        client.enable("QRESYNC")
        client.select_folder("INBOX")
        changed = client.fetch([uid], ["FLAGS"], modifiers=[f"CHANGEDSINCE {before}"])
    assert changed[uid][b"MODSEQ"] == (after,)


def test_reset_uidvalidity_keeps_messages(mailbox: Mailbox) -> None:
    mailbox.append("INBOX", RAW)
    mailbox.append("INBOX", RAW.replace(b"fixture-1", b"fixture-2"))
    old = mailbox.uidvalidity("INBOX")
    new = mailbox.reset_uidvalidity("INBOX")
    assert new != old
    assert mailbox.uidvalidity("INBOX") == new
    messages = mailbox.messages("INBOX")
    assert len(messages) == 2 and messages[0] == RAW


def test_sent_folder_has_special_use(mailbox: Mailbox) -> None:
    with mailbox.client() as client:
        assert client.find_special_folder(SENT) == "Sent"
        flags = {name: flags for flags, _delim, name in client.list_folders()}
    assert b"\\Sent" in flags["Sent"]
    assert "INBOX" in flags


# --- SMTP ------------------------------------------------------------------------------------


def test_smtp_without_auth_receives(smtp: SmtpServer) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        client.ehlo()
        assert not client.has_extn("auth")
        client.send_message(outgoing("Sans AUTH"), to_addrs=["marie.dupont@example.fr"])
    [got] = smtp.messages
    assert got.mail_from == "contact@velopain.example"
    assert got.rcpt_tos == ["marie.dupont@example.fr"]
    assert got.message["Subject"] == "Sans AUTH"
    assert "prêt. 🚲" in got.message.get_content()
    assert got.login is None


def test_smtp_auth_refuses_bad_password(smtp_auth: SmtpServer) -> None:
    with smtplib.SMTP(smtp_auth.host, smtp_auth.port, timeout=10) as client:
        client.ehlo()
        assert client.has_extn("auth")
        assert {"PLAIN", "LOGIN"} <= set(client.esmtp_features["auth"].split())
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
            client.login("user@example.org", "wrong")
        assert refused.value.smtp_code == 535
        with pytest.raises(smtplib.SMTPSenderRefused) as no_auth:
            client.send_message(outgoing())
        assert no_auth.value.smtp_code == 530
    assert smtp_auth.messages == []


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_smtp_auth_accepts_good_password(smtp_auth: SmtpServer, mechanism: str) -> None:
    with smtplib.SMTP(smtp_auth.host, smtp_auth.port, timeout=10) as client:
        client.ehlo()
        client.user, client.password = "user@example.org", "secret"
        code, _ = client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"))
        assert code == 235
        client.send_message(outgoing("Avec AUTH"))
    [got] = smtp_auth.messages
    assert got.login == "user@example.org"
    assert got.message["Subject"] == "Avec AUTH"


def test_drop_after_data(smtp: SmtpServer) -> None:
    smtp.drop_after_data = True
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=10)
    try:
        with pytest.raises((smtplib.SMTPServerDisconnected, ConnectionResetError)):
            client.send_message(outgoing("Perdu ?"))
    finally:
        client.close()
    [got] = smtp.messages
    assert got.message["Subject"] == "Perdu ?"
    # The server still works for the next connection (and can answer normally again).
    smtp.drop_after_data = False
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as again:
        again.send_message(outgoing("Renvoi"))
    assert [m.message["Subject"] for m in smtp.messages] == ["Perdu ?", "Renvoi"]
