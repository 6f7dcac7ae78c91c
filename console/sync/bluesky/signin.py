"""Signing a Bluesky account in: find the account's server (PDS), create a
session with the app password once, and keep the session and the app
password as the account's secret."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import requests

from console.sync.base import AccountInfo, SignInRefused, TransientError
from console.sync.http import normalise_server
from console.sync.netspec import Known, NewAccount, SignedIn, SignInIO
from console.sync.signin_errors import host_of, signing_in

TIMEOUT = (5, 15)


def resolve_pds(identifier: str) -> str:
    """The PDS of a handle or DID, from its DID document: handle -> DID by
    https://HANDLE/.well-known/atproto-did, then did:plc through the PLC
    directory (PARLOIR_PLC_URL, default https://plc.directory) or did:web
    through /.well-known/did.json."""
    did = identifier
    try:
        if not identifier.startswith("did:"):
            response = requests.get(
                f"https://{identifier}/.well-known/atproto-did", timeout=TIMEOUT
            )
            did = response.text.strip()
            if not did.startswith("did:"):
                raise SignInRefused(
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
            raise SignInRefused(f"Unknown kind of DID: {did}.")
    except (requests.RequestException, ValueError) as exc:
        if isinstance(exc, SignInRefused):
            raise
        raise TransientError(f"Cannot find the server of {identifier}; give --service.") from exc
    for service in doc.get("service") or []:
        if isinstance(service, dict) and str(service.get("id", "")).endswith("#atproto_pds"):
            return str(service["serviceEndpoint"]).rstrip("/")
    raise SignInRefused(f"{identifier} has no Bluesky server in its DID document.")


def sign_in(values: Mapping[str, Any], io: SignInIO) -> NewAccount:
    """``handle`` (or a DID), ``app_password``, and ``service`` (the PDS)
    when it should not be looked up: createSession once, then the session
    (tokens and the app password) is the secret. A failure is a
    SignInFailed (sync/signin_errors.py)."""
    identifier = str(values.get("handle") or "").lstrip("@").strip()
    app_password = str(values.get("app_password") or "")
    service = values.get("service")
    if service:
        try:
            pds = normalise_server(str(service))
        except ValueError as exc:
            raise SignInRefused(str(exc)) from exc
    else:
        with signing_in(identifier, "Bluesky"):
            pds = resolve_pds(identifier)
    session = _new_session(pds, identifier, app_password)
    return NewAccount(
        network="bluesky",
        handle=str(session["handle"] or identifier),
        server=pds,
        secret=json.dumps(session),
        remote_id=str(session["did"] or ""),
        display_name=str(session["handle"] or identifier),
    )


def sign_in_again(account: Known, values: Mapping[str, Any], io: SignInIO) -> SignedIn:
    """``app_password``: one createSession as the account (its DID, else its
    handle) on its PDS; the new session replaces the old one."""
    app_password = str(values.get("app_password") or "")
    identifier = account.remote_id or account.handle
    session = _new_session(account.server, identifier, app_password)
    did = str(session["did"] or "") or None
    return SignedIn(did, str(session["handle"] or did), json.dumps(session), "app password")


def _new_session(pds: str, identifier: str, app_password: str) -> dict[str, Any]:
    """One createSession on ``pds``: the secret Parloir keeps (the tokens,
    and the app password to make new ones when the refresh token expires)."""
    from console.sync.bluesky.provider import BlueskyProvider

    info = AccountInfo(id="", network="bluesky", handle=identifier, server=pds)
    probe = BlueskyProvider(info, json.dumps({"pds": pds}))
    try:
        with signing_in(host_of(pds), "Bluesky"):
            data = probe.create_session(identifier, app_password)
    finally:
        probe.close()
    return {
        "did": data.get("did"),
        "handle": data.get("handle"),
        "pds": pds,
        "accessJwt": data.get("accessJwt"),
        "refreshJwt": data.get("refreshJwt"),
        "appPassword": app_password,
    }
