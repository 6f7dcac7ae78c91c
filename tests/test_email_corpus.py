"""The e-mail corpus (tests/corpus/email, 80 real-world messages): each one
parses, threads and renders — through the parser alone, and through a real
Dovecot sync into the queue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from console.models.db import Cache
from console.services import signin
from console.sync.email.parse import parse, split_quoted
from console.sync.engine import SyncEngine
from console.views.thread_view import display_html
from tests.helpers.email_servers import Mailbox, SmtpServer
from tests.helpers.factories import cache_at

CORPUS = Path(__file__).parent / "corpus" / "email"
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
ACTIVE = ("<script", "<iframe", "<form", "javascript:", "<img", "<meta", "<base", "onerror")


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_each_message_parses_and_renders(entry: dict[str, Any]) -> None:
    raw = (CORPUS / entry["file"]).read_bytes()
    mail = parse(raw)
    if entry["message_id"]:
        assert mail.message_id == entry["message_id"]
    else:
        assert mail.synthetic_id and parse(raw).message_id == mail.message_id  # stable
    if entry["subject_contains"]:
        assert entry["subject_contains"] in mail.subject
    if entry["text_contains"]:
        assert entry["text_contains"] in mail.text, mail.text[:500]
    if entry.get("in_reply_to"):
        assert mail.in_reply_to == entry["in_reply_to"]
    for ref in entry.get("references") or []:
        assert ref in mail.references
    if mail.html is not None:
        shown = display_html(mail.html)
        for bad in ACTIVE:
            assert bad not in shown.lower(), (entry["file"], bad)
    new, quoted = split_quoted(mail.text)
    assert new or quoted or not mail.text


@pytest.mark.keyring
def test_the_corpus_syncs_into_one_conversation_per_thread(
    tmp_path: Path, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    for entry in MANIFEST:
        folder = "Sent" if entry["outbound"] else "INBOX"
        mailbox.append(folder, (CORPUS / entry["file"]).read_bytes())
    cache: Cache = cache_at(tmp_path)
    try:
        account = signin.add_account(
            cache,
            "email",
            {
                "imap": f"{mailbox.host}:{mailbox.port}",
                "smtp": f"{smtp.host}:{smtp.port}",
                "user": mailbox.address,
                "address": "contact@velopain.example",
                "password": mailbox.password,
                "security": "none",
            },
        )

        def whole_history(tx: Any) -> None:  # the corpus is dated 2024
            tx.session.connection().exec_driver_sql(
                "UPDATE accounts SET history_days = 5000 WHERE id = ?", (account.id,)
            )

        cache.writer.call(whole_history)
        engine = SyncEngine(cache)
        try:
            outcome = engine.run_once().accounts[0]
        finally:
            engine.close()
        assert outcome.state == "ok", outcome.message
        with cache.read() as s:
            rows = s.execute(
                text("SELECT remote_id, conversation_id, direction FROM messages")
            ).all()
        conv_of = {r[0]: r[1] for r in rows}
        direction = {r[0]: r[2] for r in rows}
        known = [e for e in MANIFEST if e["message_id"]]
        # Every message with an id arrived, once (some files share an id on purpose).
        assert {e["message_id"] for e in known} <= set(conv_of)
        assert len(rows) >= len({e["message_id"] for e in known})
        by_thread: dict[str, set[str]] = {}
        for entry in known:
            by_thread.setdefault(entry["thread"], set()).add(conv_of[entry["message_id"]])
        for thread, convs in by_thread.items():
            assert len(convs) == 1, f"thread {thread} split over {len(convs)} conversations"
        owners: dict[str, str] = {}
        for thread, convs in by_thread.items():
            (conv,) = convs
            assert conv not in owners, f"threads {owners.get(conv)} and {thread} were merged"
            owners[conv] = thread
        for entry in known:
            if entry["outbound"]:
                assert direction[entry["message_id"]] == "out", entry["file"]
    finally:
        cache.close()
