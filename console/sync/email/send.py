"""Sending an e-mail reply, filing it in Sent, and finding one that may
have gone.

The outbox key is the Message-ID, chosen before the first attempt. SMTP
cannot tell whether a connection dropped after DATA delivered the mail:
such an item goes *unknown* and is never resent on its own (the spec says
a resend is not safe): the person decides. After a send the message is
APPENDed to Sent, unless the account says the server files it.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import TYPE_CHECKING

from console.sync.base import (
    ReplyRequest,
    SendOutcomeUnknown,
    SendRejected,
    SentReply,
    TransientError,
)
from console.sync.email.addressing import email_reply_to
from console.sync.email.client import EmailClient, error_text, refusal
from console.sync.email.parse import parse, reply_subject

if TYPE_CHECKING:
    from console.sync.email.provider import EmailProvider

log = logging.getLogger("console.sync.email.provider")


def compose(provider: EmailClient, reply: ReplyRequest) -> EmailMessage:
    """The reply as it goes out (also what find_sent compares)."""
    extra = reply.extra
    msg = EmailMessage()
    msg["From"] = (
        formataddr((provider.display_name, provider.address))
        if provider.display_name
        else provider.address
    )
    to = email_reply_to(extra)
    if not to:
        raise SendRejected("The message answered has no address to reply to.")
    msg["To"] = ", ".join(to)
    msg["Subject"] = reply_subject(str(extra.get("reply_to_subject") or extra.get("subject") or ""))
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = reply.key if reply.key.startswith("<") else f"<{reply.key}>"
    if reply.in_reply_to:
        parent = f"<{reply.in_reply_to}>"
        refs = [f"<{r}>" for r in extra.get("reply_to_references") or []]
        if parent not in refs:
            refs.append(parent)
        msg["In-Reply-To"] = parent
        msg["References"] = " ".join(refs[-20:])
    msg["User-Agent"] = "Parloir"
    msg.set_content(reply.body)
    return msg


def send(provider: EmailProvider, reply: ReplyRequest) -> SentReply:
    try:
        msg = compose(provider, reply)
        recipients = [a.strip() for a in str(msg["To"]).split(",") if a.strip()]
        data = msg.as_bytes()
    except (ValueError, TypeError, LookupError) as exc:
        # Nothing left yet: a refusal, never "unknown" (a header that cannot
        # be written, say an address with a line break in it).
        log.warning("could not write the reply as an e-mail: %r", exc)
        raise SendRejected(
            "This reply could not be written as an e-mail (an address or the subject "
            "is malformed); it was not sent."
        ) from exc
    smtp = provider.connect_smtp()
    try:
        try:
            code, answer = smtp.mail(provider.address)
            if code >= 400:
                raise refusal(code, answer, provider.smtp_host)
            for rcpt in recipients:
                code, answer = smtp.rcpt(rcpt)
                if code >= 400:
                    raise refusal(code, answer, provider.smtp_host)
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise TransientError(
                f"{provider.smtp_host} dropped the connection: {error_text(exc)}."
            ) from exc
        try:
            code, answer = smtp.data(data)
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise SendOutcomeUnknown(
                "The connection dropped while the mail was being sent; it may have gone out."
            ) from exc
        except smtplib.SMTPDataError as exc:
            raise refusal(exc.smtp_code, exc.smtp_error, provider.smtp_host) from exc
        if code >= 400:
            raise refusal(code, answer, provider.smtp_host)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    message_id = str(msg["Message-ID"]).strip("<>")
    if not provider.server_files_sent:
        file_in_sent(provider, data)
    record = provider._record(parse(data), provider.sent_folder() or "Sent", 0, 0, ["\\Seen"], True)
    record.locations = []
    record.thread_key = reply.thread_key
    return SentReply(remote_id=message_id, message=record)


def file_in_sent(provider: EmailClient, data: bytes) -> None:
    """APPEND to Sent; a failure here is logged, the send stands."""
    try:
        folder = provider.sent_folder()
        if folder:
            provider.imap().append(folder, data, flags=("\\Seen",))
    except Exception as exc:  # the mail went out; filing it is best effort
        log.warning("sent, but could not file it in Sent: %r", exc)


def find_sent(provider: EmailClient, reply: ReplyRequest) -> SentReply | None:
    """Our Sent folder, searched for the reply's Message-ID."""
    folder = provider.sent_folder()
    if not folder:
        return None
    client = provider.imap()
    client.select_folder(folder, readonly=True)
    message_id = reply.key if reply.key.startswith("<") else f"<{reply.key}>"
    found = client.search(["HEADER", "Message-ID", message_id])
    if not found:
        return None
    return SentReply(remote_id=message_id.strip("<>"))
