"""Adding accounts: verify the credentials with the network, then store the
secret in the keyring and the account in the cache (services.accounts).

Shared by ``parloir account add`` and the GUI's settings. A wrong token or
password is refused here, before anything is saved.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO
from urllib.parse import urlparse

import requests

from console.models.db import Cache
from console.models.schema import Account
from console.sync.base import AuthError, TransientError

TIMEOUT = (5, 15)


def normalise_server(url: str) -> str:
    """``social.example`` -> ``https://social.example``; no trailing slash."""
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parsed = urlparse(url)
    if not parsed.netloc:
        raise ValueError(f"{url!r} is not a server address.")
    return f"{parsed.scheme}://{parsed.netloc}{parsed.path.rstrip('/')}"


def verify_mastodon_token(server: str, token: str) -> dict[str, Any]:
    """GET verify_credentials; return the account JSON."""
    try:
        response = requests.get(
            f"{server}/api/v1/accounts/verify_credentials",
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise TransientError(f"Cannot reach {server}: {exc.__class__.__name__}.") from exc
    if response.status_code in (401, 403):
        raise AuthError(f"{server} refused the token; create a new one and try again.")
    if response.status_code >= 400:
        raise TransientError(f"{server} answered {response.status_code} to verify_credentials.")
    try:
        data: dict[str, Any] = response.json()
        str(data["id"])
        str(data["acct"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TransientError(f"{server} does not look like a Mastodon server.") from exc
    return data


def mastodon_domain(server: str) -> str:
    """The instance's own domain (``domain`` of /api/v2/instance, ``uri`` of v1).

    It can differ from the API host (a split-domain setup, or a test server),
    and handles are user@that-domain. Falls back to the API host.
    """
    for path, field in (("/api/v2/instance", "domain"), ("/api/v1/instance", "uri")):
        try:
            response = requests.get(f"{server}{path}", timeout=TIMEOUT)
            if response.ok:
                value = response.json().get(field)
                if isinstance(value, str) and value:
                    return urlparse(value).hostname or value if "://" in value else value
        except (requests.RequestException, ValueError, AttributeError):
            continue
    return urlparse(server).hostname or server


def mastodon_handle(acct: str, domain: str) -> str:
    """Canonical user@domain (local accounts get the instance domain)."""
    acct = acct.lstrip("@")
    if "@" in acct:
        return acct.lower()
    return f"{acct}@{domain}".lower()


def add_mastodon(
    cache: Cache, server: str, token: str | None, *, stdin: TextIO | None = None
) -> Account:
    """Add a Mastodon account from a token, or (``token`` None) by browser sign-in.

    ``stdin`` is where the out-of-band fallback reads the pasted code; it
    defaults to the process's standard input, which is what the CLI passes.
    """
    from console.services.accounts import add_account

    server = normalise_server(server)
    if token is None:
        # The browser sign-in only obtains a token; from here on it is treated
        # exactly like a pasted one (verified, then stored).
        from console.services.oauth import browser_sign_in

        token = browser_sign_in(
            server, stdin=sys.stdin if stdin is None else stdin, stderr=sys.stderr
        )
    data = verify_mastodon_token(server, token)
    domain = mastodon_domain(server)
    return add_account(
        cache.writer,
        network="mastodon",
        handle=mastodon_handle(str(data["acct"]), domain),
        server=server,
        secret=token,
        remote_id=str(data["id"]),
        display_name=str(data.get("display_name") or data.get("username") or ""),
        config={"domain": domain},
    )


def add_account(cache: Cache, args: argparse.Namespace, stdin: TextIO) -> Account:
    """Dispatch ``parloir account add NETWORK``."""
    from console.services.errors import InvalidArgument

    if args.network == "mastodon":
        token = None
        if args.token_stdin:
            token = stdin.read().strip()
            if not token:
                raise InvalidArgument("No token on standard input.")
        try:
            return add_mastodon(cache, args.server, token, stdin=stdin)
        except ValueError as exc:
            raise InvalidArgument(str(exc)) from exc
    if args.network == "bluesky":
        app_password = stdin.readline().strip()
        if not app_password:
            raise InvalidArgument("No app password on standard input.")
        return add_bluesky(cache, args.handle, app_password, service=args.service)
    if args.network == "email":
        password = stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidArgument("No password on standard input.")
        if args.security == "none":
            sys.stderr.write("parloir: warning: --security none sends the password unencrypted.\n")
        return add_email(
            cache,
            imap=args.imap,
            smtp=args.smtp,
            user=args.user,
            address=args.address,
            password=password,
            security=args.security,
        )
    raise InvalidArgument(f"Adding {args.network} accounts arrives with the {args.network} issue.")


def email_config(
    imap: str, smtp: str, user: str, address: str | None, security: str
) -> dict[str, Any]:
    """The account's non-secret settings; From = address, else the user
    name when it is an address."""
    from console.services.errors import InvalidArgument
    from console.sync.email import split_host

    if security not in ("tls", "starttls", "none"):
        raise InvalidArgument("--security must be tls, starttls or none.")
    sender = (address or (user if "@" in user else "")).strip().lower()
    if "@" not in sender:
        raise InvalidArgument(
            "Give the address to send from with --address (the user name is not one)."
        )
    try:
        imap_host, imap_port = split_host(imap, 993)
        smtp_host, smtp_port = split_host(smtp, 465)
    except ValueError as exc:
        raise InvalidArgument(f"A server is written HOST:PORT ({exc}).") from exc
    return {
        "imap": f"{imap_host}:{imap_port}",
        "smtp": f"{smtp_host}:{smtp_port}",
        "user": user,
        "address": sender,
        "security": security,
        "folders": ["INBOX"],
    }


def add_email(
    cache: Cache,
    *,
    imap: str,
    smtp: str,
    user: str,
    address: str | None,
    password: str,
    security: str = "tls",
) -> Account:
    """Check the login on IMAP and SMTP (when SMTP offers AUTH), then store
    the password in the keyring and the account in the cache."""
    from console.services.accounts import add_account as store
    from console.sync.base import AccountInfo
    from console.sync.email import EmailProvider

    config = email_config(imap, smtp, user, address, security)
    info = AccountInfo(id="", network="email", handle=config["address"], server="", settings=config)
    probe = EmailProvider(info, password)
    try:
        config["sent_folder"] = probe.sent_folder()  # logs in: AuthError / TransientError
        probe.connect_smtp().quit()
    finally:
        probe.close()
    return store(
        cache.writer,
        network="email",
        handle=config["address"],
        server=config["imap"],
        secret=password,
        remote_id=config["address"],
        display_name=config["address"],
        config=config,
    )


def resolve_pds(identifier: str) -> str:
    """The PDS of a handle or DID, from its DID document: handle -> DID by
    https://HANDLE/.well-known/atproto-did, then did:plc through the PLC
    directory (PARLOIR_PLC_URL, default https://plc.directory) or did:web
    through /.well-known/did.json."""
    import os

    from console.services.errors import InvalidArgument

    did = identifier
    try:
        if not identifier.startswith("did:"):
            response = requests.get(
                f"https://{identifier}/.well-known/atproto-did", timeout=TIMEOUT
            )
            did = response.text.strip()
            if not did.startswith("did:"):
                raise InvalidArgument(
                    f"{identifier} does not name a Bluesky account; give --service."
                )
        if did.startswith("did:plc:"):
            plc = os.environ.get("PARLOIR_PLC_URL", "https://plc.directory").rstrip("/")
            doc = requests.get(f"{plc}/{did}", timeout=TIMEOUT).json()
        elif did.startswith("did:web:"):
            doc = requests.get(
                f"https://{did.removeprefix('did:web:')}/.well-known/did.json", timeout=TIMEOUT
            ).json()
        else:
            raise InvalidArgument(f"Unknown kind of DID: {did}.")
    except (requests.RequestException, ValueError) as exc:
        raise TransientError(f"Cannot find the server of {identifier}; give --service.") from exc
    for service in doc.get("service") or []:
        if isinstance(service, dict) and str(service.get("id", "")).endswith("#atproto_pds"):
            return str(service["serviceEndpoint"]).rstrip("/")
    raise InvalidArgument(f"{identifier} has no Bluesky server in its DID document.")


def add_bluesky(
    cache: Cache, identifier: str, app_password: str, *, service: str | None = None
) -> Account:
    """createSession with the app password (once), then store the session
    (tokens and the app password) in the keyring and the account."""
    import json

    from console.services.accounts import add_account as store
    from console.sync.base import AccountInfo
    from console.sync.bluesky import BlueskyProvider

    identifier = identifier.lstrip("@").strip()
    pds = normalise_server(service) if service else resolve_pds(identifier)
    info = AccountInfo(id="", network="bluesky", handle=identifier, server=pds)
    probe = BlueskyProvider(info, json.dumps({"pds": pds}))
    try:
        data = probe.create_session(identifier, app_password)
    finally:
        probe.close()
    session = {
        "did": data.get("did"),
        "handle": data.get("handle"),
        "pds": pds,
        "accessJwt": data.get("accessJwt"),
        "refreshJwt": data.get("refreshJwt"),
        "appPassword": app_password,
    }
    return store(
        cache.writer,
        network="bluesky",
        handle=str(data.get("handle") or identifier),
        server=pds,
        secret=json.dumps(session),
        remote_id=str(data.get("did") or ""),
        display_name=str(data.get("handle") or identifier),
    )
