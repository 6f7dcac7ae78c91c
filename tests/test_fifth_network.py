"""A fifth network, declared only by its NetworkSpec, works everywhere.

"pigeon" exists only in this file: a spec with a fake provider, registered
for the test (console/sync/networks.registered). The CLI adds an account
from the spec's sign-in fields, syncs it, lists its conversation and sends
a reply with the spec's key scheme and length rule; the window shows the
row with the spec's icon, counts against the spec's limit and lists the
account in Settings. Nothing outside the spec names the network.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from console import cli
from console.models.db import Cache
from console.sync.base import (
    ContactRecord,
    Direction,
    FetchResult,
    Kind,
    LengthRule,
    Limits,
    MessageRecord,
    Provider,
    ReplyRequest,
    SentReply,
)
from console.sync.lengths import LengthPolicy
from console.sync.netspec import NetworkSpec, NewAccount, SignInField, SignInIO
from console.sync.networks import find, registered

#: What the pigeon "server" received: sent replies by key.
SENT: dict[str, ReplyRequest] = {}


class PigeonProvider(Provider):
    network = "pigeon"

    def fetch(self, cursors: Mapping[str, Any]) -> FetchResult:
        if cursors.get("read"):
            return FetchResult(cursors=dict(cursors))
        sparrow = ContactRecord("pigeon", "sparrow@roof", "sparrow@roof", "Sparrow")
        message = MessageRecord(
            remote_id="coo-1",
            thread_key="coo-1",
            kind=Kind.PUBLIC,
            direction=Direction.IN,
            author=sparrow,
            sent_at=datetime.now(UTC) - timedelta(minutes=5),
            text="Coo? Where is my parcel?",
        )
        return FetchResult(messages=[message], cursors={"read": True})

    def send(self, reply: ReplyRequest) -> SentReply:
        SENT[reply.key] = reply
        return SentReply(remote_id="sent-" + reply.key)

    def find_sent(self, reply: ReplyRequest) -> SentReply | None:
        return SentReply(remote_id="sent-" + reply.key) if reply.key in SENT else None

    def limits(self) -> Limits:
        return Limits(140, LengthRule.CHARACTERS)


def _sign_in(values: Mapping[str, Any], io: SignInIO) -> NewAccount:
    assert values["key"] == "seed-key"  # read from standard input, never argv
    loft = str(values["loft"])
    return NewAccount(
        network="pigeon",
        handle=f"shop@{loft}",
        server=loft,
        secret=str(values["key"]),
        remote_id=f"shop@{loft}",
        display_name="Shop",
    )


PIGEON = NetworkSpec(
    name="pigeon",
    display_name="Pigeon",
    icon="bluesky",  # any icon file: the test checks the spec's one is used
    provider=lambda info, secret, timeout: PigeonProvider(info, secret),
    length=LengthPolicy(name="Pigeon", limit=140),
    default_limits=Limits(140, LengthRule.CHARACTERS),
    sign_in=_sign_in,
    sign_in_fields=(
        SignInField("loft", "--loft", required=True),
        SignInField(
            "key", "--key-stdin", required=True, secret=True, missing="No key on standard input."
        ),
    ),
    new_key=lambda handle: f"pigeon-{len(SENT) + 1}@{handle}",
)


@pytest.fixture
def pigeon() -> Iterator[NetworkSpec]:
    SENT.clear()
    with registered(PIGEON) as spec:
        yield spec


def _run(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    result = cli.main(list(argv))
    captured = capsys.readouterr()
    assert result == code, captured
    return captured.out


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))


def _add_and_sync(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    _stdin(monkeypatch, "seed-key\n")
    out = _run(capsys, "account", "add", "pigeon", "--loft", "roof.example", "--key-stdin")
    assert "pigeon" in out and "shop@roof.example" in out
    _run(capsys, "sync", "--once")
    import json

    rows = json.loads(_run(capsys, "queue", "--json"))
    [row] = [r for r in rows if r["network"] == "pigeon"]
    return str(row["id"])


def test_the_registry_knows_it_only_while_registered(pigeon: NetworkSpec) -> None:
    assert find("pigeon") is pigeon
    with pytest.raises(ValueError, match="registered already"), registered(PIGEON):
        pass


def test_the_cli_adds_syncs_lists_and_sends(
    pigeon: NetworkSpec, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "--loft" in _run(capsys, "account", "add", "pigeon", "--help")
    _run(capsys, "account", "add", "pigeon", "--loft", "roof.example", code=2)  # no key flag
    conv = _add_and_sync(capsys, monkeypatch)
    _stdin(monkeypatch, "x" * 141)
    _run(capsys, "draft", conv, "--text-stdin")
    refused = cli.main(["send", conv])
    assert refused == 2
    assert "Pigeon allows 140" in capsys.readouterr().err
    _stdin(monkeypatch, "Coo! It left this morning.")
    _run(capsys, "draft", conv, "--text-stdin")
    assert "sent" in _run(capsys, "send", conv)
    [(key, reply)] = SENT.items()
    assert key == "pigeon-1@shop@roof.example"  # the spec's key scheme
    assert reply.body == "Coo! It left this morning."
    assert "sent" in _run(capsys, "outbox")


def test_the_window_shows_it(
    pigeon: NetworkSpec,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import Qt

    from console.models.db import open_cache
    from console.paths import cache_path
    from console.views.icons import icon
    from console.views.settings_dialog import SettingsDialog
    from tests.helpers.window import open_window

    conv = _add_and_sync(capsys, monkeypatch)
    cache: Cache = open_cache(cache_path())
    window = open_window(qtbot, cache, tmp_path, focus=conv)
    try:
        model = window.model
        [r] = [r for r in range(model.rowCount()) if model.conversation_id(r) == conv]
        drawn = model.data(model.index(r, 0), Qt.ItemDataRole.DecorationRole)
        assert drawn.cacheKey() == icon(pigeon.icon).cacheKey()
        qtbot.waitUntil(
            lambda: window.pane.view is not None and window.pane.view.length_rule is not None
        )
        window.pane.editor.setPlainText("x" * 140)
        assert "140 / 140" in window.pane.counter.text()
        assert window.pane.send_button.isEnabled()
        window.pane.editor.setPlainText("x" * 141)
        assert "141 / 140" in window.pane.counter.text()
        assert not window.pane.send_button.isEnabled()
        dialog = SettingsDialog(window.runner)
        with qtbot.waitSignal(dialog.loaded, timeout=10_000):
            dialog.show()
        tree = dialog.accounts.tree
        items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        handles = [item.text(0) for item in items if item is not None]
        assert any("shop@roof.example" in h for h in handles), handles
        assert not dialog.accounts.reauth_button.isEnabled()  # no sign_in_again declared
        # The add buttons come from the registry: the built-ins, in its order;
        # the fifth network has no sign-in dialog, so no button.
        assert list(dialog.accounts.add_buttons) == ["mastodon", "bluesky", "email"]
        assert dialog.accounts.add_buttons["email"].text() == "Add e-mail account…"
        dialog.close()
    finally:
        window.close()  # saves the composer's draft at once, before the cache closes
        window.runner.shutdown()
        cache.close()
