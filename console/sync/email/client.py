"""The IMAP and SMTP connections of an e-mail account: TLS, STARTTLS or
plain (tests), timeouts, and failures as the provider contract's typed errors
(a refused login is AuthError; anything on the way, TransientError)."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from typing import Any

from console.sync.base import AccountInfo, AuthError, Provider, SendRejected, TransientError
from console.sync.reasons import connection_reason

log = logging.getLogger("console.sync.email.provider")

SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "INBOX.Sent", "Envoyés", "Éléments envoyés")
DEFAULT_TIMEOUT = (10.0, 30.0)


def split_host(value: str, default_port: int) -> tuple[str, int]:
    """ "host:port" (or "[v6]:port", or a bare host) -> (host, port)."""
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        return host, int(rest.lstrip(":") or default_port)
    if value.count(":") == 1:
        host, port = value.split(":")
        return host, int(port)
    return value, default_port


class EmailClient(Provider):
    """The connection half of the e-mail provider (provider.py reads the
    folders, send.py sends): the account's servers, login and addresses."""

    network = "email"

    def __init__(
        self,
        account: AccountInfo,
        secret: str | None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(account, secret)
        cfg = dict(account.settings)
        self.imap_host, self.imap_port = split_host(str(cfg.get("imap", "")), 993)
        self.smtp_host, self.smtp_port = split_host(str(cfg.get("smtp", "")), 465)
        self.security = str(cfg.get("security") or "tls")
        self.user = str(cfg.get("user") or account.handle)
        self.address = str(cfg.get("address") or account.handle).lower()
        self.display_name = str(cfg.get("display_name") or "")
        self.folders: list[str] = list(cfg.get("folders") or ["INBOX"])
        self.server_files_sent = bool(cfg.get("server_files_sent"))
        self.aliases = {a.lower() for a in cfg.get("aliases") or []} | {self.address}
        self.timeout = timeout
        self._imap: Any = None
        self._sent_folder: str | None = cfg.get("sent_folder")

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context()

    def imap(self) -> Any:
        if self._imap is not None:
            return self._imap
        import imapclient

        client: Any = None
        try:
            client = imapclient.IMAPClient(
                self.imap_host,
                port=self.imap_port,
                ssl=self.security == "tls",
                ssl_context=self._context() if self.security == "tls" else None,
                timeout=self.timeout[1],
            )
            if self.security == "starttls":
                client.starttls(self._context())
            client.login(self.user, self.secret or "")
        except Exception as exc:
            if client is not None:
                with contextlib.suppress(Exception):
                    client.shutdown()
            self._raise_connect(exc)
        try:
            if client.has_capability("CONDSTORE"):
                client.enable("CONDSTORE")
        except imapclient.exceptions.IMAPClientError:
            log.info("%s: CONDSTORE not enabled; flag changes are not followed", self.imap_host)
        self._imap = client
        return client

    def _raise_connect(self, exc: Exception) -> None:
        """The typed error for a failed IMAP connection or login."""
        import imapclient
        from imapclient.exceptions import LoginError

        if isinstance(exc, LoginError):
            raise AuthError(f"{self.imap_host} refused the login: {error_text(exc)}.") from exc
        if isinstance(exc, (OSError, ssl.SSLError)):
            reason = connection_reason(exc)
            raise TransientError(f"Cannot reach {self.imap_host}: {reason}.") from exc
        if isinstance(exc, imapclient.exceptions.IMAPClientError):
            raise TransientError(f"Cannot reach {self.imap_host}: {error_text(exc)}.") from exc
        raise exc

    def sent_folder(self) -> str | None:
        if self._sent_folder:
            return self._sent_folder
        client = self.imap()
        import imapclient

        try:
            found = client.find_special_folder(rb"\Sent")
        except imapclient.exceptions.IMAPClientError:
            found = None
        if not found:
            names = {str(f[2]) for f in client.list_folders()}
            found = next((n for n in SENT_NAMES if n in names), None)
        self._sent_folder = str(found) if found else None
        return self._sent_folder

    def close(self) -> None:
        if self._imap is not None:
            with contextlib.suppress(Exception):  # already gone: nothing to tidy
                self._imap.logout()
            self._imap = None

    def connect_smtp(self) -> smtplib.SMTP:
        connect, read = self.timeout
        smtp: smtplib.SMTP | None = None
        try:
            if self.security == "tls":
                smtp = smtplib.SMTP_SSL(
                    self.smtp_host, self.smtp_port, timeout=connect, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=connect)
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if smtp.sock is not None:
                smtp.sock.settimeout(read)
            if smtp.has_extn("auth"):
                smtp.login(self.user, self.secret or "")
        except (OSError, smtplib.SMTPException) as exc:
            if smtp is not None:
                smtp.close()
            if isinstance(exc, smtplib.SMTPAuthenticationError):
                raise AuthError(
                    f"{self.smtp_host} refused the login: {smtp_error_text(exc)}."
                ) from exc
            why = connection_reason(exc) if isinstance(exc, OSError) else error_text(exc)
            raise TransientError(f"Cannot reach {self.smtp_host}: {why}.") from exc
        return smtp

    def _typed(self, exc: Exception) -> Exception:
        """The typed error for an IMAP failure; after a connection-level one
        the connection is dropped, so the next folder or pass connects afresh."""
        import imapclient

        if isinstance(exc, (AuthError, TransientError)):
            return exc  # already typed (a folder that cannot be opened, a refused login)
        if isinstance(exc, (OSError, ssl.SSLError)):
            self.close()
            reason = connection_reason(exc)
            return TransientError(f"{self.imap_host} dropped the connection: {reason}.")
        if isinstance(exc, imapclient.exceptions.IMAPClientError):
            self.close()
            return TransientError(f"{self.imap_host}: {error_text(exc)}.")
        return exc


def error_text(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text.rstrip(".")


def smtp_error_text(exc: smtplib.SMTPResponseException) -> str:
    error = exc.smtp_error
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return f"{exc.smtp_code} {text}".strip().rstrip(".")


def refusal(code: int, answer: bytes | str, host: str) -> Exception:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    if 400 <= code < 500:
        return TransientError(f"{host} deferred the mail ({code} {text.strip()}).")
    return SendRejected(f"{host} refused the mail ({code} {text.strip()}).")
