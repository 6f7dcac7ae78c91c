"""The hostile-content corpus (tests/corpus/hostile) through ingest ->
queue -> show -> window render: nothing breaks, and what reaches Qt stays
within the render caps. Sizes here are a tenth of the review's (still far
beyond every cap); bench/hostile runs the full sizes and times each stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from console.models.db import Cache
from console.models.ingest import ingest
from console.models.schema import Note
from console.models.types import utcnow
from console.models.writer import Tx
from console.services import conversation, queue
from console.sync.base import FetchResult
from console.views import caps
from console.views.conversation import ConversationPane
from console.views.queue_model import QueueModel
from console.views.tasks import Runner
from console.views.thread_view import THREAD_MARKUP
from tests.corpus.hostile.generate import HostileItem, items
from tests.helpers.factories import add_account, cache_at

SCALE = 0.1
CONTROLS = ("\x1b", "\x9b", "\x07", "\x00", "\u202e", "\u202d", "\u2066")


def load_corpus(cache: Cache, corpus: list[HostileItem]) -> dict[str, str]:
    """Ingest every item (each its own conversation); returns name -> conversation id."""
    accounts = {
        "mastodon": add_account(cache, "mastodon", "velopain@social.example"),
        "bluesky": add_account(cache, "bluesky", "velopain.bsky.social"),
        "email": add_account(cache, "email", "contact@velopain.example"),
    }
    for item in corpus:
        ingest(cache.writer, accounts[item.network], FetchResult(messages=[item.record]))
    ids: dict[str, str] = {}
    with cache.read() as s:
        for item in corpus:
            row = s.execute(
                text(
                    "SELECT conversation_id FROM messages WHERE account_id = :a AND remote_id = :r"
                ),
                {"a": accounts[item.network], "r": item.record.remote_id},
            ).one()
            ids[item.name] = row[0]
    for item in corpus:
        if item.note is not None:
            # Stored as another client (or an older Parloir) may have: the
            # window must cope whatever the note field allows now.
            def add(tx: Tx, conv_id: str = ids[item.name], text: str = item.note) -> None:
                tx.session.add(Note(conversation_id=conv_id, text=text, created_at=utcnow()))
                tx.changes.conversations.add(conv_id)

            cache.writer.call(add)
    return ids


@pytest.fixture(scope="module")
def corpus() -> list[HostileItem]:
    return items(SCALE)


def test_every_item_is_stored_listed_and_shown(tmp_path: Path, corpus) -> None:
    with cache_at(tmp_path) as cache:
        ids = load_corpus(cache, corpus)
        with cache.read() as s:
            page = queue.page(s, queue.QueueFilter(view="all"), limit=1000)
            listed = {row.id for row in page.rows}
            assert set(ids.values()) <= listed
            for conv_id in ids.values():
                json.dumps(conversation.detail_json(s, conv_id))
                detail = conversation.pane_view(s, conv_id)
                assert detail.messages


def test_the_window_renders_every_item_within_the_caps(qtbot, tmp_path: Path, corpus) -> None:
    with cache_at(tmp_path) as cache:
        ids = load_corpus(cache, corpus)
        runner = Runner(cache)
        model = QueueModel(runner)
        with qtbot.waitSignal(model.loaded, timeout=30_000):
            model.set_filter(queue.QueueFilter(view="all"), None)
        assert model.rowCount() >= len(ids)
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                for role in (0, 3, 11):  # display, tooltip, accessible text
                    value = model.data(model.index(r, c), role)
                    if isinstance(value, str):
                        assert len(value) < 2000
                        assert not any(ch in value for ch in CONTROLS), (r, c, value[:80])

        pane = ConversationPane(runner)
        qtbot.addWidget(pane)
        pane.resize(1000, 700)
        pane.show()
        handed: list[str] = []
        original = pane.browser.setHtml

        def capture(markup: str) -> None:
            handed.append(markup)
            original(markup)

        pane.browser.setHtml = capture  # type: ignore[method-assign]
        for name, conv_id in ids.items():
            handed.clear()
            with qtbot.waitSignal(pane.loaded, timeout=60_000):
                pane.show_conversation(conv_id)
            page = handed[-1]
            assert len(page) <= THREAD_MARKUP + caps.MAX_MARKUP, name
            assert caps.markup_depth(page) <= caps.MAX_DEPTH + 6, name
            assert not any(ch in page for ch in CONTROLS), name
            assert len(pane.notes.text()) <= caps.NOTES_SHOWN + 2048, name
            assert len(pane.title.text()) <= 4000, name
            assert not any(ch in pane.title.text() for ch in CONTROLS), name
        runner.shutdown()
